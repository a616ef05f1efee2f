"""What every admin page of the app shares."""

import re

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin

from .. import services


class YearLookupGuard(admin.ModelAdmin):
    """Django turns ?as_of__year=99999999999 into a date and overflows (a 500): a year filter
    outside 1-9999 is refused with a 400 before it reaches the query."""

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.endswith("__year") and not (str(value).isdigit() and 1 <= int(value) <= 9999):
            return False
        return super().lookup_allowed(lookup, value, request)


# Django's messages put a record's name in marks (“…” in English, « … » in French); a name
# that already carries its own (a quote's “words”) would read ““words””.
_DOUBLED_OPENING = re.compile(r"([“«]\N{NO-BREAK SPACE}?|[“«] ?)(<a [^>]*>)?“")
_DOUBLED_CLOSING = re.compile(r"”(</a>)?(\N{NO-BREAK SPACE}?[”»]| ?[”»])")


def single_marks(message: str) -> str:
    """`message` with a name's own quotation marks dropped inside Django's."""
    plain = _DOUBLED_CLOSING.sub(r"\1\2", _DOUBLED_OPENING.sub(r"\1\2", str(message)))
    return mark_safe(plain) if isinstance(message, SafeString) else plain  # noqa: S308 (was safe)


class SingleQuotationMarks(admin.ModelAdmin):
    """For records whose name is in quotation marks already (quotes)."""

    def message_user(self, request, message, *args, **kwargs):
        return super().message_user(request, single_marks(message), *args, **kwargs)


class CappedInline(InlineModelAdmin):
    """An inline that builds no more forms from a POST than an analyst may submit. Django
    builds up to max_num + 1,000 forms (2,000 by default) whatever TOTAL_FORMS claims, then
    refuses the extra: seconds of a sync worker for one forged request. Past `absolute_max`
    the formset is refused ("Please submit at most … forms") and nothing is saved."""

    absolute_max = 50
    max_num = absolute_max

    def get_absolute_max(self, request, obj=None) -> int:
        return self.absolute_max

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, absolute_max=self.get_absolute_max(request, obj), **kwargs)


class HistoryGuard(admin.ModelAdmin):
    """A staff user who may not see a model is refused its history page before the id is
    looked up. Django's own page redirects for a missing id but answers 403 for an existing
    one (django-simple-history's: 404 and 403), which tells anyone signed in which ids exist;
    now both are 403, as Django's change and delete pages already answer."""

    def may_read_history(self, request) -> bool:
        return self.has_view_or_change_permission(request)

    def history_view(self, request, object_id, extra_context=None):
        if not self.may_read_history(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class ReadOnlyHistoryAdmin(HistoryGuard, SimpleHistoryAdmin):
    """django-simple-history's pages, to read old versions only. Its revert page saves
    whatever form is posted to it, past the change form's rules (quote links, publishing), so
    it answers every method but GET and HEAD with 405: an old value is restored by editing
    the record, through its service."""

    def may_read_history(self, request) -> bool:
        return self.has_view_history_or_change_history_permission(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.may_read_history(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True


def apply_to_each(request, rows, write, *, failure_prefix, success) -> None:
    """A bulk action's writes, one row at a time through a service: each refusal is reported
    with its reason, the others still go through, and the count done is reported once."""
    done = 0
    for row in rows:
        try:
            write(row)
            done += 1
        except (ValidationError, services.StaleEditError) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            messages.error(request, f"{failure_prefix(row)}{reason}")
    if done:
        messages.success(request, success(done) % {"n": done})


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "View on site" redirect, for staff who may view that kind of record: to
    anyone else it is 403 whether the record exists or not (Django's own redirects to a
    draft's address for an existing id and answers 404 for a missing one)."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None or not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)
