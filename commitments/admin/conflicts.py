"""What a colleague changed since an analyst loaded a commitment, for a stale save.

The analyst's form carries the version they loaded. The audit trail holds that
version, so the fields a colleague changed since are known exactly, and the
analyst's edits can be laid over the colleague's instead of reverting them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Field

from ..models import Commitment


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: object
    after: object


@dataclass(frozen=True)
class Conflict:
    current: Commitment
    changes: list[FieldChange]
    changed_by: str
    # False when the audit trail lacks the loaded version, so changes are only "differs from mine".
    exact: bool


def find_conflict(*, commitment_id: int, loaded_version: int | None, field_names: list[str], mine: dict) -> Conflict:
    current = Commitment.objects.get(pk=commitment_id)
    records = Commitment.history.filter(id=commitment_id)
    base = records.filter(version=loaded_version).order_by("-history_date").first()
    latest = records.select_related("history_user").order_by("-history_date").first()
    changed_by = str(latest.history_user) if latest and latest.history_user else ""
    changes = []
    for name in field_names:
        field = Commitment._meta.get_field(name)
        assert isinstance(field, Field)  # a form's field, never a reverse relation
        label = str(field.verbose_name)
        after = getattr(current, name)
        before = getattr(base, name) if base is not None else mine.get(name)
        if before != after:
            changes.append(FieldChange(name, label, before, after))
    return Conflict(current=current, changes=changes, changed_by=changed_by, exact=base is not None)


def merged_form_data(form, conflict: Conflict):
    """The form's data with the colleague's changes applied where the analyst left a field alone."""
    data = form.data.copy()
    base_values = {change.name: change.before for change in conflict.changes} if conflict.exact else {}
    for change in conflict.changes:
        mine = form.cleaned_data.get(change.name, base_values.get(change.name))
        analyst_left_it = conflict.exact and mine == base_values[change.name]
        if analyst_left_it:
            _set(data, form.add_prefix(change.name), change.after)
    data[form.add_prefix("loaded_version")] = str(conflict.current.version)
    return data


def _set(data, key: str, value) -> None:
    if isinstance(value, bool):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif value is None:
        data[key] = ""
    elif isinstance(value, (datetime.date, Decimal)):
        data[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    else:
        data[key] = str(value)


def describe(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 120 else f"{text[:117]}…"
