"""Readers' suggestions in the admin: the editors' queue. A suggestion arrives from the public
form (views.suggestions) and is never published; an editor reads it, marks it handled
(optionally naming the status update it led to), and the reader's e-mail address goes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import NEWEST_FIRST, ReaderSuggestion, StatusUpdate
from .common import HistoryGuard, apply_to_each


class HandledFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("open", _("Open")), ("handled", _("Handled")))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "handled":
            return queryset.filter(handled_at__isnull=False)
        return queryset


class HandleSuggestionForm(forms.ModelForm):
    """Only the editor's part is a form: the note and the update it led to (one of the same
    commitment's). Saving it marks the suggestion handled, through the service."""

    class Meta:
        model = ReaderSuggestion
        fields = ("handling_note", "led_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        led_to = self.fields["led_to"]
        updates = StatusUpdate.objects.filter(commitment_id=self.instance.commitment_id).order_by(*NEWEST_FIRST)
        led_to.queryset = updates  # type: ignore[attr-defined]
        led_to.label_from_instance = lambda update: (  # type: ignore[attr-defined]
            f"{update.as_of.isoformat()}: {update.get_status_display()} ({update.get_review_state_display()})"
        )

    def _post_clean(self):
        pass  # the row is the service's to validate and write (handle_suggestion)


@admin.register(ReaderSuggestion)
class SuggestionAdmin(HistoryGuard):
    list_display = ("received_at", "commitment", "what_is_wrong_start", "evidence_url", "handled_at", "handled_by")
    list_filter = (HandledFilter,)
    list_select_related = ("commitment", "handled_by")
    search_fields = ("what_is_wrong", "commitment__title")
    form = HandleSuggestionForm
    readonly_fields = (
        "commitment",
        "what_is_wrong",
        "evidence_url",
        "name",
        "email",
        "received_at",
        "handled_at",
        "handled_by",
    )
    fields = (*readonly_fields, "handling_note", "led_to")
    actions = ("mark_handled",)

    @admin.display(description=_("what is wrong"))
    def what_is_wrong_start(self, suggestion: ReaderSuggestion) -> str:
        return Truncator(suggestion.what_is_wrong).chars(80)

    def has_add_permission(self, request) -> bool:
        return False  # suggestions come from readers only

    def save_model(self, request, obj, form, change):
        try:
            services.handle_suggestion(
                actor=request.user,
                suggestion=obj,
                note=form.cleaned_data.get("handling_note", ""),
                led_to=form.cleaned_data.get("led_to"),
            )
        except ValidationError as error:  # a colleague's change between load and save
            self.message_user(request, " ".join(error.messages), level="error")

    @admin.action(description=_("Mark selected suggestions handled"), permissions=("change",))
    def mark_handled(self, request, queryset):
        apply_to_each(
            request,
            queryset.filter(handled_at__isnull=True),
            lambda suggestion: services.handle_suggestion(actor=request.user, suggestion=suggestion),
            failure_prefix=lambda suggestion: f"{suggestion}: ",
            success=lambda n: ngettext("%(n)d suggestion marked handled.", "%(n)d suggestions marked handled.", n),
        )
