"""Status updates in the admin: the read-only history, the form for a new one, and the review queue."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..formatting import format_day, format_partial_date
from ..models import (
    NEWEST_FIRST,
    ReviewState,
    StatusUpdate,
)
from ..services import roles
from .common import CappedInline, HistoryGuard, YearLookupGuard, apply_to_each
from .review import ReviewPage, reading_of


class StatusHistoryInline(CappedInline, admin.TabularInline):
    """Past assessments, read-only: the history is append-only."""

    model = StatusUpdate
    fk_name = "commitment"
    extra = 0
    can_delete = False
    verbose_name = _("past status update")
    verbose_name_plural = _("status history (read-only; record a correction as a new update)")
    # Seven narrow columns, each cell wrapping: the page needs no sideways scroll at 1280 px.
    fields = ("as_of", "status", "reading", "rationale_shown", "evidence", "recorded", "review")
    readonly_fields = fields
    ordering = NEWEST_FIRST

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("commitment", "evidence_quote", "recorded_by", "reviewed_by", "corrects")
        )

    @admin.display(description=_("reading"))
    def reading(self, update: StatusUpdate) -> str:
        return reading_of(update) or "—"

    @admin.display(description=_("rationale"))
    def rationale_shown(self, update: StatusUpdate) -> str:
        reason = f"{update.get_reason_code_display()}. " if update.reason_code else ""
        corrects = (
            gettext("Corrects the update of %(date)s: %(note)s ")
            % {
                "date": format_partial_date(update.corrects.as_of, update.corrects.as_of_precision),
                "note": update.correction_note,
            }
            if update.corrects
            else ""
        )
        # Compact: the whole text is on the update's own page (the review column links there).
        return Truncator(f"{corrects}{reason}{update.rationale}").words(40)

    @admin.display(description=_("evidence"))
    def evidence(self, update: StatusUpdate):
        links = []
        if update.evidence_quote is not None:
            quote_url = reverse("admin:commitments_quote_change", args=[update.evidence_quote_id])
            links.append(format_html('<a href="{}">{}</a>', quote_url, str(update.evidence_quote)))
        if update.evidence_url:
            host = urlsplit(update.evidence_url).netloc or update.evidence_url
            links.append(format_html('<a href="{}" title="{}">{}</a>', update.evidence_url, update.evidence_url, host))
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "—"

    @admin.display(description=_("recorded"))
    def recorded(self, update: StatusUpdate) -> str:
        who = update.recorded_by.get_username() if update.recorded_by else gettext("the data set")
        return f"{who}, {format_day(update.recorded_at.date())}"

    @admin.display(description=_("review"))
    def review(self, update: StatusUpdate):
        url = reverse("admin:commitments_statusupdate_change", args=[update.pk])
        by = f" ({update.reviewed_by.get_username()})" if update.reviewed_by else ""
        note = f": {update.review_note}" if update.review_note else ""
        return format_html('<a href="{}">{}{}</a>{}', url, update.get_review_state_display(), by, note)

    def get_absolute_max(self, request, obj=None) -> int:
        # Read-only: a save posts back the rows shown, which only grow (append-only).
        return StatusUpdate.objects.filter(commitment=obj).count() if obj is not None else 0


# What an analyst fills in for a new update; the service takes exactly these.
NEW_UPDATE_FIELDS = (
    "status",
    "as_of",
    "as_of_precision",
    "reason_code",
    "reason_text",
    "progress_value",
    "progress_stage",
    "rationale",
    "evidence_quote",
    "evidence_url",
    "corrects",
    "correction_note",
)


class NewStatusUpdateForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean() or {}
        # The history's rules, beside their fields before anything is saved; the service
        # checks them again under a lock when it records the update.
        if self.has_changed() and not self.errors:
            found = services.history_errors(
                commitment=self.instance.commitment,
                status=cleaned.get("status", ""),
                progress_stage=cleaned.get("progress_stage", ""),
            )
            for field, message in found.items():
                self.add_error(field, message)
        return cleaned

    def recorded_fields(self) -> dict:
        """The update as the service records it (record_status_update's keyword arguments)."""
        return {name: self.cleaned_data[name] for name in NEW_UPDATE_FIELDS}


class NewStatusUpdateFormSet(forms.BaseInlineFormSet):
    # Django's hook for each form of the formset, which django-stubs leaves out.
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        # The model's rules need the commitment; on the add page it is not saved yet, so hand
        # over the unsaved one with its posted values (made on, target) rather than nothing.
        form.instance.commitment = self.instance
        return form


class NewStatusUpdateInline(CappedInline, admin.StackedInline):
    """One blank form to record a new assessment; saved through the service."""

    model = StatusUpdate
    form = NewStatusUpdateForm
    formset = NewStatusUpdateFormSet
    fk_name = "commitment"
    extra = 1
    absolute_max = max_num = 1
    can_delete = False
    verbose_name = _("new status update")
    verbose_name_plural = _("record a new status update here (or on its own page: “Record a status update” above)")
    classes = ("collapse",)
    fields = NEW_UPDATE_FIELDS
    autocomplete_fields = ("evidence_quote",)

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_formset(self, request, obj=None, **kwargs):
        # One new update per save, even from a client that posts more forms.
        formset = super().get_formset(request, obj, validate_max=True, **kwargs)
        # Only what a correction may name (StatusUpdate.clean): this commitment's approved updates.
        corrects = formset.form.base_fields["corrects"]
        corrects.queryset = (  # a ModelChoiceField, for a ForeignKey
            StatusUpdate.objects.approved().filter(commitment=obj).newest_first()
            if obj is not None
            else StatusUpdate.objects.none()
        )
        progress = formset.form.base_fields["progress_value"]
        if obj is not None and obj.has_target:
            progress.label = _("Progress (in %(unit)s)") % {"unit": obj.target_unit}
            progress.help_text = _("The reading in the target's unit, %(unit)s; the target is %(target)s.") % {
                "unit": obj.target_unit,
                "target": obj.target_text or obj.target_value,
            }
        else:
            progress.help_text = _("Leave empty: this commitment has no numeric target.")
        return formset


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why are they returned?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Their authors read this; say what to put right. They record a new update."),
    )


class ReviewFilter(admin.SimpleListFilter):
    """The review queue: each state with its count, and what awaits the signed-in reviewer."""

    title = _("review")
    parameter_name = "review"
    AWAITING_ME = "awaiting_me"

    def lookups(self, request, model_admin):
        counts = dict(
            StatusUpdate.objects.order_by()
            .values_list("review_state")
            .annotate(n=Count("pk"))
            .values_list("review_state", "n")
        )
        awaiting_me = StatusUpdate.objects.pending().exclude(recorded_by=request.user).count()
        return (
            *((state.value, f"{state.label} ({counts.get(state.value, 0)})") for state in ReviewState),
            (self.AWAITING_ME, _("Awaiting my review (%(n)d)") % {"n": awaiting_me}),
        )

    def queryset(self, request, queryset):
        if self.value() == self.AWAITING_ME:
            return queryset.pending().exclude(recorded_by=request.user)
        if self.value() in ReviewState.values:
            return queryset.filter(review_state=self.value())
        return queryset


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReviewPage, YearLookupGuard, HistoryGuard):
    """The review queue and the full history across commitments. Read-only: new updates are
    recorded on a commitment; editors approve others' updates here."""

    # What awaits the signed-in editor comes first (ReviewPage.get_ordering); five columns
    # leave room for the filter panel at 1280 px. Who reviewed and why is on each update's page.
    list_display = ("commitment", "status", "as_of", "recorded_by", "review_state")
    list_filter = (ReviewFilter, "status", "reason_code")
    list_select_related = ("commitment", "recorded_by", "reviewed_by")
    search_fields = ("commitment__title", "rationale")
    # (No date_hierarchy: its ?as_of__year= overflows on huge years, a 500.)
    actions = ("approve", "return_to_author")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm(roles.APPROVE_STATUS_UPDATE)

    @admin.action(description=_("Approve selected status updates"), permissions=("approve",))
    def approve(self, request, queryset):
        apply_to_each(
            request,
            queryset.select_related("commitment"),
            lambda update: services.approve_status_update(update=update, reviewer=request.user),
            failure_prefix=lambda update: f"{update.commitment} ({update}): ",
            success=lambda n: ngettext("%(n)d status update approved.", "%(n)d status updates approved.", n),
        )

    @admin.action(description=_("Return selected status updates to their authors"), permissions=("approve",))
    def return_to_author(self, request, queryset):
        # Two steps: this action first asks why, then returns the updates with that note.
        form = ReturnForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            apply_to_each(
                request,
                queryset.select_related("commitment"),
                lambda update: services.return_status_update(update=update, reviewer=request.user, note=note),
                failure_prefix=lambda update: f"{update.commitment} ({update}): ",
                success=lambda n: ngettext("%(n)d status update returned.", "%(n)d status updates returned.", n),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return status updates to their authors"),
            "opts": self.model._meta,
            "form": form,
            "updates": queryset.select_related("commitment", "recorded_by"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/commitments/statusupdate/return_to_author.html", context)
