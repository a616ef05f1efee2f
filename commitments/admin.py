"""Analysts' editing. Every write with rules goes through `services`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .formatting import format_partial_date
from .models import Commitment, CommitmentQuote, Quote, SourceDocument, StatusUpdate


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "symbol", "issued", "language", "quote_count")
    list_filter = ("kind", "language")
    search_fields = ("title", "symbol", "author", "venue")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "symbol", "author", "venue")}),
        (_("Date and language"), {"fields": ("issued_on", "issued_on_precision", "language", "url")}),
        (_("Text"), {"fields": ("full_text", "notes")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_total=Count("quotes"))

    @admin.display(description=_("issued"), ordering="issued_on")
    def issued(self, document: SourceDocument) -> str:
        return format_partial_date(document.issued_on, document.issued_on_precision)

    @admin.display(description=_("quotes"), ordering="quote_total")
    def quote_count(self, document: SourceDocument) -> int:
        return document.quote_total


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ("short_text", "source", "language", "locator")
    list_filter = ("language", "source")
    list_select_related = ("source",)
    search_fields = ("text", "source__title", "locator")
    autocomplete_fields = ("source", "translation_of")

    @admin.display(description=_("quote"), ordering="text")
    def short_text(self, quote: Quote) -> str:
        return str(quote)


class CommitmentQuoteInline(admin.TabularInline):
    model = CommitmentQuote
    extra = 1
    autocomplete_fields = ("quote",)
    verbose_name = _("quote it rests on")
    verbose_name_plural = _("quotes it rests on")


class StatusHistoryInline(admin.TabularInline):
    """Past assessments, read-only: the history is append-only."""

    model = StatusUpdate
    fk_name = "commitment"
    extra = 0
    can_delete = False
    verbose_name = _("past status update")
    verbose_name_plural = _("status history (read-only; record a correction as a new update)")
    fields = (
        "as_of",
        "status",
        "progress_value",
        "rationale",
        "evidence_quote",
        "evidence_url",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = fields
    ordering = ("-as_of", "-recorded_at", "-id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evidence_quote", "recorded_by")


class NewStatusUpdateInline(admin.StackedInline):
    """One blank form to record a new assessment; saved through the service."""

    model = StatusUpdate
    fk_name = "commitment"
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("new status update")
    verbose_name_plural = _("record a new status update")
    fields = (
        "status",
        "as_of",
        "as_of_precision",
        "progress_value",
        "rationale",
        "evidence_quote",
        "evidence_url",
        "corrects",
    )
    autocomplete_fields = ("evidence_quote",)
    raw_id_fields = ("corrects",)

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommitmentAdminForm(forms.ModelForm):
    # The version the analyst loaded travels with the form so a stale save is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = (
            "title",
            "slug",
            "summary",
            "success_criteria",
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
        loaded = cleaned.get("loaded_version")
        current = Commitment.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if loaded != current:
            raise ValidationError(
                _(
                    "Someone else saved this commitment while you were editing it (you loaded version "
                    "%(loaded)s; it is now at version %(current)s). Your changes have not been saved. "
                    "Open the commitment's history to see what changed, then reload and reapply your edit."
                ),
                code="stale",
                params={"loaded": loaded, "current": current},
            )
        return cleaned


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    form = CommitmentAdminForm
    list_display = ("title", "status_badge", "theme", "pillar", "made", "is_published")
    list_filter = ("current_status", "theme", "pillar", "is_published")
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("status_badge", "status_as_of", "current_progress", "version")
    inlines = (CommitmentQuoteInline, StatusHistoryInline, NewStatusUpdateInline)
    actions = ("publish", "unpublish")

    class Media:
        css = {"all": ("css/status.css",)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "success_criteria", "is_published", "loaded_version")}),
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
        return format_html(
            '<span class="status status-{}">{}</span>',
            commitment.current_status,
            commitment.get_current_status_display(),
        )

    @admin.display(description=_("made"), ordering="made_on")
    def made(self, commitment: Commitment) -> str:
        return format_partial_date(commitment.made_on, commitment.made_on_precision)

    def save_model(self, request, obj, form, change):
        services.save_commitment(commitment=obj, expected_version=form.cleaned_data.get("loaded_version"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        for update_form in formset.forms:
            if not update_form.has_changed() or not update_form.cleaned_data:
                continue
            data = update_form.cleaned_data
            services.record_status_update(
                commitment=form.instance,
                status=data["status"],
                as_of=data["as_of"],
                as_of_precision=data["as_of_precision"],
                progress_value=data.get("progress_value"),
                rationale=data.get("rationale", ""),
                evidence_quote=data.get("evidence_quote"),
                evidence_url=data.get("evidence_url", ""),
                corrects=data.get("corrects"),
                recorded_by=request.user,
            )
            messages.success(request, _("The status update was recorded."))

    def _set_published(self, request, queryset, published: bool) -> None:
        changed = 0
        for commitment in queryset:
            try:
                services.set_published(commitment=commitment, published=published)
                changed += 1
            except (ValidationError, services.StaleEditError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        if changed:
            message = (
                ngettext("%(n)d commitment published.", "%(n)d commitments published.", changed)
                if published
                else ngettext("%(n)d commitment withdrawn.", "%(n)d commitments withdrawn.", changed)
            )
            messages.success(request, message % {"n": changed})

    @admin.action(description=_("Publish selected commitments"))
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected commitments"))
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """The full history across commitments, read-only; new updates are recorded on a commitment."""

    list_display = ("commitment", "status", "as_of", "recorded_by", "recorded_at")
    list_filter = ("status",)
    list_select_related = ("commitment", "recorded_by")
    search_fields = ("commitment__title", "rationale")
    date_hierarchy = "as_of"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
