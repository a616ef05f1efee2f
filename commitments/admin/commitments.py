"""Commitments in the admin: their quotes, criteria and restatements inline, and the optimistic lock."""

import datetime
from weakref import WeakKeyDictionary

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
from .conflicts import Part, StaleSave, sign, snapshot
from .recording import RecordingLinks


class OwnedRowsFormSet(forms.BaseInlineFormSet):
    """An inline whose rows belong to the commitment: covered by the commitment's stale-save
    check, so a colleague's change to a row is laid into the form or shown as a clash."""

    part: Part

    def __init__(self, *args, stale_save: StaleSave | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale_save = stale_save

    def full_clean(self):
        super().full_clean()
        # A row deleted by a colleague since the page was loaded (its id no longer found) is
        # gone, whether or not this analyst may delete: nothing of it is saved, and it blocks
        # nothing (Django's "Select a valid choice" on a hidden id would block every save).
        for form in self.initial_forms:
            if form.instance.pk is None:  # a row listed when the page was loaded, gone since
                form.errors.clear()

    def clean(self):
        super().clean()
        check = self.stale_save
        if check is None or not check.is_stale:
            return
        lines = check.merge_rows(self, self.part)
        self.data = check.merged_data
        for form in self.forms:
            form.data = check.merged_data
        if lines:
            raise ValidationError(lines, code="stale")


def owned_rows_formset(part: Part, base: type[OwnedRowsFormSet] = OwnedRowsFormSet) -> type[OwnedRowsFormSet]:
    return type(f"{part.model.__name__}FormSet", (base,), {"part": part})


class QuoteLinkFormSet(OwnedRowsFormSet):
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


QUOTE_LINKS = Part("quote_links", CommitmentQuote, ("quote", "role"))
CRITERIA = Part("criteria", SuccessCriterion, ("position", "text", "assessment", "evidence", "assessed_on"))
RESTATEMENTS = Part("restatements", Restatement, ("stated_on", "stated_on_precision", "kind", "quote", "change"))
OWNED_PARTS = (QUOTE_LINKS, CRITERIA, RESTATEMENTS)


# The commitment's own fields on its change page, compared field by field on a stale save.
COMPARED_FIELDS = (
    "title",
    "title_fr",
    "slug",
    "summary",
    "summary_fr",
    "is_published",
    "kind",
    "theme",
    "pillar",
    "made_on",
    "made_on_precision",
    "made_on_basis",
    "made_by",
    "responsible_body",
    *services.NUMERIC_TARGET_FIELDS,
)


class CommitmentQuoteInline(CappedInline, admin.TabularInline):
    model = CommitmentQuote
    formset = owned_rows_formset(QUOTE_LINKS, QuoteLinkFormSet)
    fields = QUOTE_LINKS.fields
    extra = 1
    autocomplete_fields = ("quote",)
    verbose_name = _("quote it rests on")
    verbose_name_plural = _("quotes it rests on")


class EditorsOncePublic(admin.options.InlineModelAdmin):
    """An inline an analyst may change only while the commitment is a draft: once it is
    public, its rows bear on the verdict and are an editor's (services check it again)."""

    def _analyst_on_public(self, request, obj) -> bool:
        return obj is not None and obj.is_published and not request.user.has_perm(roles.PUBLISH_COMMITMENT)

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._analyst_on_public(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._analyst_on_public(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._analyst_on_public(request, obj) and super().has_delete_permission(request, obj)


class SuccessCriterionInline(EditorsOncePublic, CappedInline, admin.StackedInline):
    """Written before the first assessment; each criterion is assessed with its evidence."""

    model = SuccessCriterion
    formset = owned_rows_formset(CRITERIA)
    extra = 0
    fields = CRITERIA.fields
    verbose_name_plural = _("success criteria (write them before the first assessment)")


class RestatementInline(CappedInline, admin.TabularInline):
    """Later documents that restate or change the commitment; the original wording stays."""

    model = Restatement
    formset = owned_rows_formset(RESTATEMENTS)
    extra = 0
    fields = RESTATEMENTS.fields
    autocomplete_fields = ("quote",)


class CommitmentAdminForm(forms.ModelForm):
    # What the analyst loaded travels with the form: its version, so a stale save is caught,
    # and (signed) its fields and inline rows, so a colleague's edit since is told from theirs.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by the admin on a POST that changes a stored commitment.
    stale_save: StaleSave | None = None

    class Meta:
        model = Commitment
        fields = COMPARED_FIELDS
        # Four lines show a summary whole; ten pushed the rest of the page down.
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("summary", "summary_fr")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if self.instance.pk is not None and not self.is_bound:
            self.fields["loaded_state"].initial = sign(snapshot(self.instance, COMPARED_FIELDS, OWNED_PARTS))

    def has_changed(self) -> bool:
        return any(name not in ("loaded_version", "loaded_state") for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        check = self.stale_save
        if check is None or not check.is_stale:
            return cleaned
        lines = check.merge_commitment(self)
        # Re-shown with their changes laid in, and checked next time against what is shown.
        self.data = check.merged_data
        intro = _(
            "Not saved: %(who)s saved this commitment while you were editing it. What they changed is "
            "listed below (changes to quotes, criteria and restatements in their sections) and is now in "
            "the form; your own edits are kept. Where you both changed a field, their version is shown "
            "beside yours: decide, then save again."
        ) % {"who": check.changed_by}
        if check.loaded is None:  # the page predates the loaded state: only differences are known
            intro = _(
                "Not saved: %(who)s saved this commitment while you were editing it. Where the saved values "
                "differ from yours is marked below; decide, then save again."
            ) % {"who": check.changed_by}
        raise ValidationError(
            [intro, *lines] if lines else [intro, _("Their save changed none of the fields above.")], code="stale"
        )


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
class CommitmentAdmin(RecordingLinks, YearLookupGuard, ReadOnlyHistoryAdmin):
    form = CommitmentAdminForm
    change_form_template = "admin/commitments/commitment/change_form.html"
    list_display = ("title", "kind", "status_badge", "theme", "pillar", "made", "is_published")
    list_filter = ("kind", "current_status", "theme", "pillar", "is_published", StaleAssessmentFilter)
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
    # The stale-save check of each POST in progress, shared by its form and formsets.
    _stale_saves: "WeakKeyDictionary[object, StaleSave]" = WeakKeyDictionary()

    class Media:
        css = {"all": ("css/status.css",)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "is_published", "loaded_version", "loaded_state")}),
        (
            _("Current status (from the latest approved update)"),
            {"fields": ("status_badge", "status_as_of", "current_progress")},
        ),
        (_("Classification"), {"fields": ("kind", "theme", "pillar")}),
        # Rarely changed once written: folded away, one click to open.
        (_("In French"), {"fields": ("title_fr", "summary_fr"), "classes": ("collapse",)}),
        (
            _("Who and when"),
            {
                "fields": ("made_on", "made_on_precision", "made_on_basis", "made_by", "responsible_body"),
                "classes": ("collapse",),
            },
        ),
        (_("Numeric target"), {"fields": services.NUMERIC_TARGET_FIELDS, "classes": ("collapse",)}),
        (_("Record keeping"), {"fields": ("version",), "classes": ("collapse",)}),
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

    def _stale_save(self, request, obj) -> StaleSave | None:
        if request.method != "POST" or obj is None or obj.pk is None:
            return None
        if request not in self._stale_saves:
            self._stale_saves[request] = StaleSave(
                commitment_id=obj.pk, data=request.POST, fields=COMPARED_FIELDS, parts=OWNED_PARTS
            )
        return self._stale_saves[request]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if (check := self._stale_save(request, obj)) is None:
            return form
        return type(form.__name__, (form,), {"stale_save": check})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, OwnedRowsFormSet):
            kwargs["stale_save"] = self._stale_save(request, obj)
        return kwargs

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly = (*readonly, "is_published")
            if obj is not None and obj.is_published:  # the target is an editor's once public
                readonly = (*readonly, *services.TARGET_FIELDS)
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
        rows_changed = any(formset.has_changed() for formset in formsets if isinstance(formset, OwnedRowsFormSet))
        if change and rows_changed and not form.has_changed():
            # A change to its criteria, quotes or restatements is a change to the commitment:
            # a new version, so a colleague's page loaded before it is caught as stale.
            services.save_commitment(
                commitment=form.instance, expected_version=form.cleaned_data.get("loaded_version"), actor=request.user
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is SuccessCriterion:
            for criterion in formset.save(commit=False):
                services.save_criterion(criterion=criterion, actor=request.user)
            for criterion in formset.deleted_objects:
                services.delete_criterion(criterion=criterion, actor=request.user)
            return None
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
