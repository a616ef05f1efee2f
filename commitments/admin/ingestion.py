"""Bringing in a document in the admin: upload a file, review the suggested sentences in
the text, make quotes and draft commitments from them. Own views and templates, hung on the
documents' admin (IngestionUrls), so the rest of the admin can change without them."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..models import Commitment, DocumentFile, Quote, SourceDocument, Suggestion, SuggestionState
from ..services import roles
from ..services.ingestion import (
    IngestionRefused,
    describe,
    dismiss_suggestion,
    draft_commitment,
    ingest_document,
    quote_from_passage,
    quote_from_suggestion,
)

_LANGUAGES = (
    ("", gettext_lazy("detect, paragraph by paragraph")),
    ("en", gettext_lazy("English")),
    ("fr", gettext_lazy("French")),
    ("bilingual", gettext_lazy("English and French")),
)


class IngestForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("PDF, Word (DOCX), HTML, Markdown or plain text.")
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Leave empty to take the document's own title."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=_LANGUAGES, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DOCUMENT_UPLOAD_MAX_BYTES
        # Refused before it is read into memory.
        if upload.size > limit:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class DraftCommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ("title", "summary", "kind", "theme", "pillar", "made_on", "made_on_precision", "made_by")


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def upload_view(request: HttpRequest) -> HttpResponse:
    _require(request, roles.ADD_DOCUMENT)
    form = IngestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = ingest_document(
                    name=upload.name,
                    content=upload.read(),
                    title=form.cleaned_data["title"],
                    language=form.cleaned_data["language"] or None,
                    actor=request.user,  # type: ignore[arg-type]
                )
            except IngestionRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                messages.success(request, _("The document was brought in as a draft. Review its suggestions below."))
                return HttpResponseRedirect(reverse("admin:commitments_sourcedocument_review", args=[document.pk]))
    context = {
        **admin.site.each_context(request),
        "form": form,
        "title": _("Bring in a document from a file"),
        "opts": SourceDocument._meta,
        "limit": filesizeformat(settings.DOCUMENT_UPLOAD_MAX_BYTES),
    }
    return TemplateResponse(request, "admin/commitments/ingestion/upload.html", context, status=status)


def _marked_text(document: SourceDocument, suggestions: list[Suggestion]):
    """The full text with each suggestion still in it wrapped in a <mark> (HTML-escaped pieces)."""
    pieces: list[tuple[str, str, str]] = []
    cursor = 0
    text = document.full_text
    for item in sorted(suggestions, key=lambda s: s.start):
        if item.start < cursor or text[item.start : item.end] != item.text:
            continue
        pieces.append(("", text[cursor : item.start], ""))
        pieces.append((f"suggestion-{item.pk}", text[item.start : item.end], item.state))
        cursor = item.end
    pieces.append(("", text[cursor:], ""))
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<mark id="{}" class="suggestion {}">{}</mark>', anchor, state, words) if anchor else words,)
            for anchor, words, state in pieces
        ),
    )


def review_view(request: HttpRequest, document_id: int) -> HttpResponse:
    _require(request, "commitments.view_sourcedocument")
    document = get_object_or_404(SourceDocument, pk=document_id)
    suggestions = list(
        Suggestion.objects.filter(document=document).select_related("restatement_of").order_by("-score", "start")
    )
    original = DocumentFile.objects.filter(document=document).first()
    shown = [item for item in suggestions if item.state != SuggestionState.DISMISSED]
    rows = [
        {
            "suggestion": item,
            "reason": describe(item.reasons.split(","), item.figure),
            "rank": rank,
        }
        for rank, item in enumerate(shown, start=1)
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Suggested commitments in “%(title)s”") % {"title": document.title},
        "opts": SourceDocument._meta,
        "document": document,
        "original": original,
        "rows": rows,
        "dismissed": len(suggestions) - len(shown),
        "marked_text": _marked_text(document, shown),
        "may_quote": request.user.has_perm(roles.ADD_QUOTE),
    }
    return TemplateResponse(request, "admin/commitments/ingestion/review.html", context)


@require_POST
def suggestion_action(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    _require(request, "commitments.view_sourcedocument")
    suggestion = get_object_or_404(Suggestion.objects.select_related("document"), pk=suggestion_id)
    back = reverse("admin:commitments_sourcedocument_review", args=[suggestion.document_id])
    try:
        if request.POST.get("action") == "dismiss":
            dismiss_suggestion(suggestion=suggestion, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Dismissed; it will not be suggested again."))
        else:
            quote = quote_from_suggestion(suggestion=suggestion, actor=request.user)  # type: ignore[arg-type]
            messages.success(
                request, _("Quote made: %(quote)s (%(locator)s).") % {"quote": quote, "locator": quote.locator}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(f"{back}#suggestion-{suggestion.pk}")


@require_POST
def passage_view(request: HttpRequest, document_id: int) -> HttpResponse:
    _require(request, "commitments.view_sourcedocument")
    document = get_object_or_404(SourceDocument, pk=document_id)
    try:
        quote = quote_from_passage(document=document, text=request.POST.get("passage", ""), actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Quote made: %(quote)s (%(locator)s).") % {"quote": quote, "locator": quote.locator}
        )
    return HttpResponseRedirect(reverse("admin:commitments_sourcedocument_review", args=[document.pk]))


def draft_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    _require(request, roles.ADD_COMMITMENT)
    quote = get_object_or_404(Quote.objects.select_related("source"), pk=quote_id)
    suggestion = Suggestion.objects.filter(quote=quote).first()
    initial = {
        "kind": suggestion.kind if suggestion else None,
        "made_on": quote.source.issued_on,
        "made_on_precision": quote.source.issued_on_precision,
        "made_by": quote.source.author,
    }
    form = DraftCommitmentForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                commitment = draft_commitment(quote=quote, commitment=form.save(commit=False), actor=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draft commitment made from the quote; an editor publishes it."))
                return HttpResponseRedirect(reverse("admin:commitments_commitment_change", args=[commitment.pk]))
    context = {
        **admin.site.each_context(request),
        "title": _("Draft a commitment from a quote"),
        "opts": Commitment._meta,
        "form": form,
        "quote": quote,
    }
    return TemplateResponse(request, "admin/commitments/ingestion/draft.html", context, status=status)


def original_view(request: HttpRequest, document_id: int) -> FileResponse:
    """The original file, to signed-in staff who may see documents only (never a public path)."""
    _require(request, "commitments.view_sourcedocument")
    original = get_object_or_404(DocumentFile, document_id=document_id)
    response = FileResponse(
        original.file.open("rb"), as_attachment=True, filename=original.original_name, content_type=original.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class IngestionUrls(admin.ModelAdmin):
    """The documents' admin with its ingestion pages, and a link to them on each document."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("ingest/", wrap(upload_view), name="commitments_sourcedocument_ingest"),
            path("<int:document_id>/suggestions/", wrap(review_view), name="commitments_sourcedocument_review"),
            path("<int:document_id>/original/", wrap(original_view), name="commitments_sourcedocument_original"),
            path("<int:document_id>/passage/", wrap(passage_view), name="commitments_sourcedocument_passage"),
            path("suggestion/<int:suggestion_id>/", wrap(suggestion_action), name="commitments_suggestion_action"),
            path("quote/<int:quote_id>/draft/", wrap(draft_view), name="commitments_quote_draft"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("suggested commitments"))
    def suggestions_link(self, document: SourceDocument) -> str:
        if document.pk is None:
            return "—"
        url = reverse("admin:commitments_sourcedocument_review", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review the suggested sentences and make quotes"))
