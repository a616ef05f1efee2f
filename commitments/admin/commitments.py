"""Commitments in the admin: their quotes, criteria and restatements inline, and the optimistic lock."""

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..formatting import format_partial_date, status_badge
from ..models import (
    Commitment,
    CommitmentQuote,
    Restatement,
    StatusUpdate,
    SuccessCriterion,
)
from ..services import roles
from .assessments import NewStatusUpdateInline, StatusHistoryInline
from .common import CappedInline, ReadOnlyHistoryAdmin, YearLookupGuard, apply_to_each
from .conflicts import describe, find_conflict, merged_form_data

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class QuoteLinkFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("quote") and not form.cleaned_data.get("DELETE")
        ]
        # self.instance carries the posted form's values, so this sees a box just ticked.
        if self.instance.is_published and not kept:
            raise ValidationError(
                _("A published commitment must rest on at least one quote. Add a quote, or leave it as a draft.")
            )


class CommitmentQuoteInline(CappedInline, admin.TabularInline):
    model = CommitmentQuote
    formset = QuoteLinkFormSet
    extra = 1
    autocomplete_fields = ("quote",)
    verbose_name = _("quote it rests on")
    verbose_name_plural = _("quotes it rests on")


class SuccessCriterionInline(CappedInline, admin.StackedInline):
    """Written before the first assessment; each criterion is assessed with its evidence."""

    model = SuccessCriterion
    extra = 0
    fields = ("position", "text", "assessment", "evidence", "assessed_on")
    verbose_name_plural = _("success criteria (write them before the first assessment)")


class RestatementInline(CappedInline, admin.TabularInline):
    """Later documents that restate or change the commitment; the original wording stays."""

    model = Restatement
    extra = 0
    fields = ("stated_on", "stated_on_precision", "kind", "quote", "change")
    autocomplete_fields = ("quote",)


class CommitmentAdminForm(forms.ModelForm):
    # The version the analyst loaded travels with the form so a stale save is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = (
            "title",
            "title_fr",
            "slug",
            "summary",
            "summary_fr",
            "is_published",
            "theme",
            "pillar",
            "made_on",
            "made_on_precision",
            "made_by",
            "responsible_body",
            "target_value",
            "target_unit",
            "target_text",
            "period_start",
            "deadline",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        loaded = self.cleaned_data.get("loaded_version")
        # The admin saves in one transaction; the row lock makes a concurrent save wait here,
        # then see the new version, instead of failing later in the service.
        current = (
            Commitment.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )
        if loaded != current:
            self._refuse_stale_save(loaded)
        return cleaned

    def _refuse_stale_save(self, loaded: int | None) -> None:
        names = [name for name in self.fields if name != "loaded_version"]
        if "is_published" not in names:  # read-only for analysts, but an editor may have changed it
            names.append("is_published")
        conflict = find_conflict(
            commitment_id=self.instance.pk, loaded_version=loaded, field_names=names, mine=self.cleaned_data
        )
        # Re-show the form with the colleague's changes under the analyst's own edits.
        self.data = merged_form_data(self, conflict)
        if conflict.exact:
            line = _("%(field)s: “%(before)s” → “%(after)s”")
            intro = _(
                "Not saved: %(who)s saved this commitment while you were editing it. Their changes are below "
                "and are now in the form; your own edits are kept. Check the form, then save again to apply "
                "your edits on top of theirs."
            )
        else:  # the audit trail lacks the version they loaded: only differences can be shown
            line = _("%(field)s: saved value “%(after)s”, yours “%(before)s”")
            intro = _(
                "Not saved: %(who)s saved this commitment while you were editing it. Where the saved values "
                "differ from yours is listed below; save again to apply yours."
            )
        lines: list[StrOrPromise] = [
            line % {"field": change.label, "before": describe(change.before), "after": describe(change.after)}
            for change in conflict.changes
        ] or [_("Their save changed none of the fields on this form; save again to apply your edits.")]
        who = conflict.changed_by or _("a colleague")
        raise ValidationError([intro % {"who": who}, *lines], code="stale")


class StaleAssessmentFilter(admin.SimpleListFilter):
    title = _("assessment age")
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return (("stale", _("No update in 12 months")), ("never", _("Never assessed")))

    def queryset(self, request, queryset):
        if self.value() == "stale":
            a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
            return queryset.filter(Q(status_as_of__lt=a_year_ago) | Q(status_as_of__isnull=True))
        if self.value() == "never":
            return queryset.filter(status_as_of__isnull=True)
        return queryset


@admin.register(Commitment)
class CommitmentAdmin(YearLookupGuard, ReadOnlyHistoryAdmin):
    form = CommitmentAdminForm
    list_display = ("title", "status_badge", "theme", "pillar", "made", "is_published")
    list_filter = ("current_status", "theme", "pillar", "is_published", StaleAssessmentFilter)
    search_fields = ("title", "summary", "title_fr", "summary_fr", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("status_badge", "status_as_of", "current_progress", "version")
    inlines = (
        CommitmentQuoteInline,
        SuccessCriterionInline,
        RestatementInline,
        StatusHistoryInline,
        NewStatusUpdateInline,
    )
    actions = ("publish", "unpublish")

    class Media:
        css = {"all": ("css/status.css",)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "is_published", "loaded_version")}),
        (_("In French"), {"fields": ("title_fr", "summary_fr")}),
        (_("Classification"), {"fields": ("theme", "pillar")}),
        (_("Who and when"), {"fields": ("made_on", "made_on_precision", "made_by", "responsible_body")}),
        (_("Numeric target"), {"fields": ("target_value", "target_unit", "target_text", "period_start", "deadline")}),
        (
            _("Current status (from the latest update)"),
            {"fields": ("status_badge", "status_as_of", "current_progress", "version")},
        ),
    )

    @admin.display(description=_("status"), ordering="current_status")
    def status_badge(self, commitment: Commitment) -> str:
        return status_badge(commitment.current_status, commitment.get_current_status_display())

    @admin.display(description=_("made"), ordering="made_on")
    def made(self, commitment: Commitment) -> str:
        return format_partial_date(commitment.made_on, commitment.made_on_precision)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleEditError:
            # Only reachable where the database cannot lock the row (SQLite) and two saves race.
            messages.error(
                request,
                _("Not saved: someone else saved this commitment at the same moment. Reload it and reapply your edit."),
            )
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as refused:
            # The form passed the history's rules, then a colleague's update, recorded in the
            # meantime, broke them: the service refused under its lock and nothing was saved.
            messages.error(request, _("Not saved: %(reason)s") % {"reason": " ".join(refused.messages)})
            return HttpResponseRedirect(request.get_full_path())

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            return (*readonly, "is_published")
        return readonly

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(roles.PUBLISH_COMMITMENT)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            # Only a status update or quote links were added: the commitment's own fields are
            # as loaded, so there is nothing to save and no new version to make colleagues redo.
            return
        services.save_commitment(
            commitment=obj, expected_version=form.cleaned_data.get("loaded_version"), actor=request.user
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The quote links inline adds, removes and changes links without a service.
        services.refresh_primary_source(Commitment.objects.filter(pk=form.instance.pk))

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these; updates are only ever added.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for update_form in formset.forms:
            if not update_form.has_changed() or not update_form.cleaned_data:
                continue
            update = services.record_status_update(
                **update_form.recorded_fields(), commitment=form.instance, recorded_by=request.user
            )
            formset.new_objects.append(update)
            messages.success(
                request,
                _(
                    "The status update was recorded. It is pending review: it counts and is public "
                    "once an editor other than you approves it."
                ),
            )

    def _set_published(self, request, queryset, published: bool) -> None:
        apply_to_each(
            request,
            queryset,
            lambda commitment: services.set_published(commitment=commitment, published=published, actor=request.user),
            failure_prefix=lambda commitment: "",
            success=lambda n: (
                ngettext("%(n)d commitment published.", "%(n)d commitments published.", n)
                if published
                else ngettext("%(n)d commitment withdrawn.", "%(n)d commitments withdrawn.", n)
            ),
        )

    @admin.action(description=_("Publish selected commitments"), permissions=("publish",))
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected commitments"), permissions=("publish",))
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)
