"""A stale save of a commitment's page, compared three ways so no one's edit is lost.

The change page carries, signed, the state the analyst loaded: the commitment's own fields
and the rows of the inlines that belong to it (quote links, criteria, restatements). When
a save arrives after a colleague's, each field is compared as loaded, as stored since
(theirs) and as posted (mine):
- only they changed it: their value goes into the re-shown form;
- only I changed it: mine stays;
- both changed it, differently: a clash. Mine stays in the field, theirs is shown in full
  beside it, and the save is refused once, so the analyst decides with both in view.
Without a valid loaded state (a page loaded before this check existed, a tampered field),
every field where theirs differs from mine is a clash.
"""

import datetime
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core import signing
from django.db import models
from django.http import Http404, QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Commitment

SIGNING_SALT = "commitments.admin.loaded-state"
# Around each changed stretch of a long text, this many words either side are shown.
CONTEXT_WORDS = 6
SHORT = 160
# Above this many differing words (both sides), the change is shown as one stretch.
DIFF_WORDS = 2000


@dataclass(frozen=True)
class Part:
    """An inline that belongs to the commitment: its formset's prefix, model and fields."""

    prefix: str
    model: type[models.Model]
    fields: tuple[str, ...]

    def rows(self, commitment_id: int) -> dict[str, dict[str, str]]:
        rows = self.model._default_manager.filter(commitment_id=commitment_id).order_by("pk")
        return {str(row.pk): values_of(row, self.fields) for row in rows}


def canonical(value: object) -> str:
    """A value as a form posts it, so loaded, stored and posted values compare equal."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def model_field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a form's field, never a reverse relation
    return field


def values_of(row: models.Model, fields: tuple[str, ...]) -> dict[str, str]:
    return {name: canonical(getattr(row, model_field(row, name).attname)) for name in fields}


def snapshot(commitment: Commitment, fields: tuple[str, ...], parts: tuple[Part, ...]) -> dict:
    return {
        "commitment": values_of(commitment, fields),
        "rows": {part.prefix: part.rows(commitment.pk) for part in parts},
    }


def sign(state: dict) -> str:
    return signing.dumps(state, salt=SIGNING_SALT, compress=True)


def unsign(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None


def show(text: str) -> str:
    return f"“{text}”" if text else _("(empty)")


def readable(model: type[models.Model], name: str, value: str) -> str:
    """A canonical value as the analyst reads it in the form: a choice's label rather than
    its code, a related row's name rather than its id, yes or no rather than "on"."""
    field = model_field(model, name)
    if isinstance(field, models.BooleanField):
        return _("yes") if value == "on" else _("no")
    if not value:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row is not None else value
    return value


def word_diff(before: str, after: str) -> str:
    """What changed from `before` to `after`, word by word, each change with its context; a
    change at the very end of a long text is shown like one at the start."""
    if len(before) <= SHORT and len(after) <= SHORT:
        return f"{show(before)} → {show(after)}"
    old, new = before.split(), after.split()
    # The words both share at the start and the end are set aside first (linear); the
    # word-by-word comparison, quadratic, only ever sees a bounded middle.
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    middle_old, middle_new = old[start : len(old) - end], new[start : len(new) - end]
    opcodes: Sequence[tuple[str, int, int, int, int]] = [("replace", 0, len(middle_old), 0, len(middle_new))]
    if len(middle_old) + len(middle_new) <= DIFF_WORDS:
        opcodes = difflib.SequenceMatcher(a=middle_old, b=middle_new, autojunk=False).get_opcodes()
    stretches = []
    for tag, old_start, old_end, new_start, new_end in opcodes:
        if tag == "equal":
            continue
        lead = " ".join(old[max(0, start + old_start - CONTEXT_WORDS) : start + old_start])
        tail = " ".join(old[start + old_end : start + old_end + CONTEXT_WORDS])
        removed = _shortened(middle_old[old_start:old_end])
        added = _shortened(middle_new[new_start:new_end])
        stretches.append(f"…{lead} [−{removed}] [+{added}] {tail}…".replace("[−] ", "").replace("[+] ", ""))
    return " ".join(stretches) or _("(only spacing changed)")


def _shortened(words: list[str]) -> str:
    if len(words) <= 2 * CONTEXT_WORDS * 10:
        return " ".join(words)
    cut = CONTEXT_WORDS * 10
    return f"{' '.join(words[:cut])} … {' '.join(words[-cut:])}"


class StaleSave:
    """One POST of a commitment's change page checked against what is stored, shared by its
    form and its inlines' formsets (the admin hands each the same one). Asked first inside
    the admin's transaction, it locks the commitment's row until the save ends."""

    def __init__(self, *, commitment_id: int, data: QueryDict, fields: tuple[str, ...], parts: tuple[Part, ...]):
        self.commitment_id = commitment_id
        self.data = data
        self.fields = fields
        self.parts = parts

    @cached_property
    def stored_version(self) -> int | None:
        # PostgreSQL: a concurrent save waits here for the first to commit, then reads its version.
        locked = Commitment.objects.select_for_update().filter(pk=self.commitment_id)
        return locked.values_list("version", flat=True).first()

    @cached_property
    def is_stale(self) -> bool:
        if self.stored_version is None:
            raise Http404(_("This commitment was deleted while you were editing it."))
        loaded = self.data.get("loaded_version", "")
        return not loaded.isdigit() or int(loaded) != self.stored_version

    @cached_property
    def loaded(self) -> dict | None:
        return unsign(self.data.get("loaded_state", ""))

    @cached_property
    def stored(self) -> dict:
        return snapshot(Commitment.objects.get(pk=self.commitment_id), self.fields, self.parts)

    @cached_property
    def changed_by(self) -> str:
        latest = Commitment.history.filter(id=self.commitment_id).select_related("history_user").first()
        return str(latest.history_user) if latest and latest.history_user else _("a colleague")

    @cached_property
    def merged_data(self) -> QueryDict:
        """The posted data, to be re-shown: the stored version and state, so the next save
        is checked against what the analyst now sees."""
        data = self.data.copy()
        data["loaded_version"] = str(self.stored_version)
        data["loaded_state"] = sign(self.stored)
        return data

    def decide(self, base: str | None, theirs: str, mine: str) -> str:
        """ "keep" mine, "take" theirs, or "clash"."""
        if theirs == mine or (base is not None and theirs == base):
            return "keep"
        if base is not None and mine == base:
            return "take"
        return "clash"

    def merge_commitment(self, form) -> list[str]:
        """Lay their changes into the form where I left the field alone; mark every clash on
        its field. Returns one line per field they changed."""
        loaded = self.loaded["commitment"] if self.loaded else {}
        stored = self.stored["commitment"]
        lines = []
        for name in self.fields:
            base, theirs = loaded.get(name), stored[name]
            label = capfirst(str(model_field(Commitment, name).verbose_name))
            if name not in form.fields:  # read-only here (publishing, for an analyst)
                if base is not None and base != theirs:
                    lines.append(
                        f"{label}: {word_diff(readable(Commitment, name, base), readable(Commitment, name, theirs))}"
                    )
                if name == "is_published" and base == "" and theirs == "on":
                    lines.append(str(NOW_PUBLIC))
                continue
            if (line := self.merge_field(form, Commitment, name, label, base, theirs)) is not None:
                lines.append(line)
        return lines

    def merge_field(
        self, form, model: type[models.Model], name: str, label: str, base: str | None, theirs: str
    ) -> str | None:
        """One field of `form`: theirs laid in, or the clash marked on it; the line to list
        (values shown as the form shows them: readable)."""
        if name not in (form.cleaned_data or {}):
            # Mine is invalid, so unknown: if they changed the field, theirs is shown beside
            # the error, never passed over (the next save is checked against it).
            if base is None or theirs != base:
                form.add_error(name, clash_message(readable(model, name, theirs)))
                return _("%(field)s: changed by both of you; decide below.") % {"field": label}
            return None
        verdict = self.decide(base, theirs, canonical(form.cleaned_data[name]))
        if verdict == "take":
            put(self.merged_data, form.add_prefix(name), theirs)
            return f"{label}: {word_diff(readable(model, name, base or ''), readable(model, name, theirs))}"
        if verdict == "clash":
            form.add_error(name, clash_message(readable(model, name, theirs)))
            return _("%(field)s: changed by both of you; decide below.") % {"field": label}
        return None

    def merge_rows(self, formset, part: Part) -> list[str]:
        """The same for one inline: its rows by id, then the rows they added."""
        loaded = self.loaded["rows"].get(part.prefix) if self.loaded else None
        stored = self.stored["rows"][part.prefix]
        lines = []
        for form in formset.initial_forms:
            row_id = self.data.get(form.add_prefix("id"), "")
            deleting = formset._should_delete_form(form)
            name = show(str(form.instance)) if form.instance.pk else row_id
            if row_id not in stored:
                put(self.merged_data, form.add_prefix("DELETE"), "on")
                lines.append(
                    _("Deleted by them: %(row)s. It is marked for deletion here; add it again if it should stay.")
                    % {"row": name}
                )
                continue
            base_row = loaded.get(row_id) if loaded is not None else None
            for field in part.fields:
                base = base_row[field] if base_row else None
                theirs = stored[row_id][field]
                if deleting:
                    if base is not None and theirs != base:
                        put(self.merged_data, form.add_prefix(field), theirs)
                        lines.append(_("%(row)s, which you are deleting, was changed by them.") % {"row": name})
                    continue
                if (line := self.merge_field(form, part.model, field, name, base, theirs)) is not None:
                    lines.append(line)
        if loaded is not None:
            for row_id in stored.keys() - loaded.keys():
                values = (readable(part.model, field, value) for field, value in stored[row_id].items() if value)
                lines.append(
                    _("Added by them: %(row)s (kept; it shows once you save).") % {"row": show(" · ".join(values))}
                )
        return lines


NOW_PUBLIC = gettext_lazy(
    "It is now public: its target and its success criteria are an editor's to change, and any "
    "change you typed to them is not kept. Ask an editor if it should be made."
)


def clash_message(theirs: str) -> str:
    return _(
        "Changed by a colleague too. Their version, in full: %(theirs)s. Yours is in the field. "
        "Keep one, or combine them, then save."
    ) % {"theirs": show(theirs)}


def put(data: QueryDict, key: str, text: str) -> None:
    """A canonical value into posted data (a checkbox reads "" as unticked, "on" as ticked)."""
    data[key] = text
