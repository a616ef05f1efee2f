"""The focused page for recording a status update: the commitment's state beside a short
form, reached from its admin row, its change page and its public page. The service records
the update; this page only gathers it and says where it stands."""

import functools
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..formatting import format_as_of, format_quantity, status_badge
from ..models import NEEDS_REASON, Commitment, Quote, Status, StatusUpdate
from ..services import roles
from ..views.commitment import CommitmentDetailView
from .assessments import NEW_UPDATE_FIELDS, NewStatusUpdateForm

# Which fields each status needs (the page shows them; a small script hides the others).
NEEDS_REASON_VALUES = " ".join(NEEDS_REASON)
ASSESSED_VALUES = " ".join(status for status in Status.values if status != Status.NOT_ASSESSED)


LABELS = {
    "status": _("Status"),
    "as_of": _("As of"),
    "as_of_precision": _("Date known to the"),
    "progress_stage": _("Stage"),
    "reason_code": _("Reason"),
    "reason_text": _("The reason in plain words"),
    "rationale": _("Rationale"),
    "corrects": _("Update it corrects"),
    "correction_note": _("What was wrong"),
}


class RecordUpdateForm(NewStatusUpdateForm):
    """The inline's form, laid out for one page: the commitment's own quotes as choices,
    any other quote by search, or a public address."""

    own_quote = forms.ModelChoiceField(
        queryset=Quote.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("One of its quotes"),
    )

    class Meta:
        model = StatusUpdate
        fields = NEW_UPDATE_FIELDS
        widgets = {
            # ISO whatever the language: a date input reads no other format (French wrote 19/03/2018).
            "as_of": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "reason_text": forms.Textarea(attrs={"rows": 2}),
            "correction_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, commitment: Commitment, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commitment = commitment
        own_quote = cast(forms.ModelChoiceField, self.fields["own_quote"])
        own_quote.queryset = commitment.quotes.select_related("source").order_by("id")
        other_quote = cast(forms.ModelChoiceField, self.fields["evidence_quote"])
        other_quote.widget = AutocompleteSelect(StatusUpdate._meta.get_field("evidence_quote"), admin_site)
        other_quote.widget.choices = other_quote.choices
        other_quote.label = _("Another quote (search)")
        other_quote.help_text = ""
        self.fields["evidence_url"].label = _("Or a public address (URL)")
        self.fields["evidence_url"].help_text = ""
        corrects = cast(forms.ModelChoiceField, self.fields["corrects"])
        corrects.queryset = StatusUpdate.objects.approved().filter(commitment=commitment).newest_first()
        # Labels in the analyst's language (the model's field names are not translated).
        for name, label in LABELS.items():
            self.fields[name].label = label
        self.fields["as_of"].help_text = _("The date the assessment describes.")
        self.fields["as_of_precision"].help_text = ""
        self.fields["rationale"].help_text = _("Why this status, in your own words.")
        self.fields["progress_stage"].help_text = ""
        progress = self.fields["progress_value"]
        if commitment.has_target:
            progress.label = _("Reading (in %(unit)s)") % {"unit": commitment.target_unit}
            progress.help_text = _("The target is %(target)s.") % {
                "target": commitment.target_text or format_quantity(commitment.target_value)
            }
        # What most updates keep: the current status, today, the stage the criteria count.
        if not self.is_bound:
            if commitment.current_status != Status.NOT_ASSESSED:
                self.initial.setdefault("status", commitment.current_status)
            self.initial.setdefault("as_of", timezone.localdate())
            self.initial.setdefault("progress_stage", commitment.counted_stage or commitment.current_progress_stage)

    def has_changed(self) -> bool:
        return True  # every post of this page is an update to record

    def clean(self):
        own, other = self.cleaned_data.get("own_quote"), self.cleaned_data.get("evidence_quote")
        if own and other and own != other:
            self.add_error("evidence_quote", _("Choose one quote: one of its quotes, or another found by search."))
        elif own:
            self.cleaned_data["evidence_quote"] = own
        return super().clean()


def error_summary(form: RecordUpdateForm) -> list[tuple[str, str, Any]]:
    """(anchor, label, message) for each error, so the top of the page links to each field
    (a message may be marked-up HTML, safe: the quote's refusal marks a character)."""
    found: list[tuple[str, str, Any]] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            found.extend(("", "", message) for message in errors)
            continue
        field = form[name]
        anchor = field.id_for_label or field.auto_id
        if name == "evidence_quote" and form.instance.commitment.quotes.exists():
            anchor = f"{form['own_quote'].auto_id}_0"
        found.extend((anchor, str(field.label), message) for message in errors)
    return found


def safe_next(request, default: str) -> str:
    """Where the analyst came from, if it is on this site: ?next=, else the page the link was
    on (a list row's link carries none, so its filters and page are kept); else `default`."""
    hosts = {request.get_host()}
    for target in (request.POST.get("next"), request.GET.get("next"), request.headers.get("Referer")):
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
            parts = urlsplit(target)  # a Referer is absolute: keep its path and query
            path = parts.path or "/"
            return f"{path}?{parts.query}" if parts.query else path
    return default


class PreviewView(CommitmentDetailView):
    """The public page's view and template, reading drafts too, with a banner saying so."""

    template_name = "admin/commitments/commitment/preview.html"

    def get_queryset(self):
        return selectors.commitment_detail(drafts=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Quotes no published commitment rests on yet have no public place to link to.
        shown = set()
        for link in self.object.quote_links.all():
            shown.add(link.quote_id)
            shown.update(other.pk for other in link.quote.translations.all())
            if link.quote.translation_of_id:
                shown.add(link.quote.translation_of_id)
        shown.update(restatement.quote_id for restatement in self.object.restatements.all())
        public = selectors.public_quotes().filter(pk__in=shown).values_list("pk", flat=True)
        context["private_quotes"] = shown - set(public)
        return context


def record_update_view(model_admin, request, object_id: str):
    # Refused before the id is looked up: no answer tells who may not record which ids exist.
    if not request.user.has_perm(roles.RECORD_STATUS_UPDATE) or not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    if not str(object_id).isdigit():
        raise Http404
    commitment = get_object_or_404(Commitment.objects.prefetch_related("criteria"), pk=object_id)
    change_url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    back = safe_next(request, change_url)
    form = RecordUpdateForm(
        request.POST if request.method == "POST" else None, commitment=commitment, admin_site=model_admin.admin_site
    )
    if request.method == "POST" and form.is_valid():
        try:
            update = services.record_status_update(
                **form.recorded_fields(), commitment=commitment, recorded_by=request.user
            )
        except ValidationError as refused:  # a colleague's update since broke the history's rules
            for field, problems in refused.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            said = gettext(
                "Recorded for %(title)s: %(status)s %(as_of)s. It is pending review: nobody else sees "
                "it and it does not count until an editor other than you approves it."
            ) % {
                "title": commitment.title,
                "status": update.get_status_display().lower(),
                "as_of": format_as_of(update.as_of, update.as_of_precision),
            }
            if back.startswith(reverse("admin:index")):
                messages.success(request, said)
                return HttpResponseRedirect(back)
            # From the public page, which shows no messages (and shows no pending update): the
            # change page says it, with the way back.
            messages.success(
                request, format_html('{} <a href="{}">{}</a>', said, back, gettext("Back to the public page"))
            )
            return HttpResponseRedirect(change_url)
    latest = StatusUpdate.objects.approved().filter(commitment=commitment).select_related("evidence_quote").first()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Record a status update"),
        "subtitle": commitment.title,
        "opts": Commitment._meta,
        "commitment": commitment,
        "change_url": change_url,
        "back": back,
        "form": form,
        "errors": error_summary(form) if form.is_bound else [],
        "media": model_admin.media + form.media,
        "status": status_badge(commitment.current_status, commitment.get_current_status_display()),
        "status_as_of": format_as_of(commitment.status_as_of, commitment.status_as_of_precision)
        if commitment.status_as_of
        else "",
        "reading": format_quantity(commitment.current_progress),
        "target": format_quantity(commitment.target_value),
        "latest": latest,
        "pending": StatusUpdate.objects.pending().filter(commitment=commitment).count(),
        "needs_reason": NEEDS_REASON_VALUES,
        "assessed": ASSESSED_VALUES,
    }
    return TemplateResponse(request, "admin/commitments/commitment/record_update.html", context)


class RecordingLinks(admin.ModelAdmin):
    """The commitment admin's ways into the page above: a link on each list row and on the
    change page; and, for a draft, a preview where "View on site" would be a 404."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/record-update/",
                self.admin_site.admin_view(functools.partial(record_update_view, self)),
                name="commitments_commitment_record_update",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(functools.partial(preview_view, self)),
                name="commitments_commitment_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("update"))
    def record_link(self, commitment: Commitment) -> str:
        url = reverse("admin:commitments_commitment_record_update", args=[commitment.pk])
        # No ?next=: the page goes back to the list it was opened from (its Referer), filters kept.
        return format_html(
            '<a class="record-update-link" href="{}" aria-label="{}">{}</a>',
            url,
            gettext("Record a status update: %(title)s") % {"title": commitment.title},
            gettext("Record update"),
        )

    def get_list_display(self, request):
        shown = tuple(super().get_list_display(request))
        return (*shown, "record_link") if request.user.has_perm(roles.RECORD_STATUS_UPDATE) else shown

    def view_on_site(self, commitment: Commitment) -> str:
        # A draft has no public page: staff get its preview instead.
        if commitment.is_published:
            return commitment.get_absolute_url()
        return reverse("admin:commitments_commitment_preview", args=[commitment.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {})}
        if str(object_id).isdigit():
            extra["may_record"] = request.user.has_perm(roles.RECORD_STATUS_UPDATE)
            extra["may_publish"] = request.user.has_perm(roles.PUBLISH_COMMITMENT)
            extra["editors"] = ", ".join(editors_to_ask()) or gettext("an editor")
        return super().change_view(request, object_id, form_url, extra)


def editors_to_ask() -> list[str]:
    """Who publishes: the names a draft's note tells an analyst to ask."""
    users = get_user_model().objects.filter(groups__name=roles.EDITOR, is_active=True).order_by("username")[:5]
    return [user.get_full_name() or user.get_username() for user in users]


def preview_view(model_admin, request, object_id: str):
    """A commitment as its public page will show it, for signed-in staff (drafts included).
    Never cached by anyone: it may show what the public must not see yet."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    if not str(object_id).isdigit():
        raise Http404
    response = PreviewView.as_view()(request, pk=object_id)
    add_never_cache_headers(response)
    return response
