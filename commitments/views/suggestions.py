"""Tell us: a reader suggests a correction or new evidence for a published commitment.

The form has its own page (/commitments/<slug>/suggest/): it carries a CSRF token, so it is
never cached, while the commitment's page, which only links here, may be shared by caches.
What a reader sends lands in the editors' queue (admin: Suggestions) and is never published.
Each address may send SUGGESTIONS_PER_HOUR; a filled honeypot field is thanked like anyone
and dropped; a body past SUGGESTION_MAX_BYTES is refused (413) before the form is read."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from .. import services
from ..models import Commitment
from ..models.suggestions import NAME_MAX, URL_MAX, WHAT_IS_WRONG_MAX
from .clients import client_address

# A whole form at its limits is under 3 KB of text (UTF-8 triples that): no honest post nears this.
SUGGESTION_MAX_BYTES = 16 * 1024


class SuggestionForm(forms.Form):
    what_is_wrong = forms.CharField(
        label=_("What is wrong or missing?"),
        max_length=WHAT_IS_WRONG_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example: a status that is out of date, a misquoted passage, a figure to correct."),
    )
    evidence_url = forms.URLField(
        label=_("Address of your evidence (optional)"),
        max_length=URL_MAX,
        required=False,
        assume_scheme="https",
        help_text=_("A public page or document that shows it, e.g. https://www.canada.ca/…"),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=NAME_MAX, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_(
            "Only so an editor can write back. It is never published and is deleted as soon as your suggestion "
            "is handled."
        ),
    )
    # The honeypot: hidden from people (and from assistive technology) by the stylesheet; a
    # program filling every field fills it too.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def _published(slug: str) -> Commitment:
    return get_object_or_404(Commitment.objects.published(), slug=slug)


def _over_the_limit(request) -> bool:
    """Count this post against its address (TRUSTED_PROXY_COUNT decides which address) for
    an hour from the first; True past SUGGESTIONS_PER_HOUR."""
    key = f"suggestions:{client_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.SUGGESTIONS_PER_HOUR


@method_decorator(never_cache, name="dispatch")
class SuggestView(View):
    template_name = "commitments/suggest.html"

    def get(self, request, slug: str):
        commitment = _published(slug)
        return render(request, self.template_name, {"commitment": commitment, "form": SuggestionForm()})

    def post(self, request, slug: str):
        commitment = _published(slug)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > SUGGESTION_MAX_BYTES:
            message = _(
                "Your suggestion is too long to send. Please shorten it (at most %(n)s characters) and try again."
            )
            return _refused(request, commitment, message % {"n": WHAT_IS_WRONG_MAX}, status=413)
        form = SuggestionForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"commitment": commitment, "form": form}, status=400)
        if _over_the_limit(request):
            message = _(
                "Too many suggestions have been sent from your address in the last hour. Please try again later."
            )
            return _refused(request, commitment, message, status=429)
        if not form.is_from_a_robot:
            data = form.cleaned_data
            services.receive_suggestion(
                commitment=commitment,
                what_is_wrong=data["what_is_wrong"],
                evidence_url=data["evidence_url"],
                name=data["name"],
                email=data["email"],
            )
        return redirect("commitments:suggest-thanks", slug=commitment.slug)


def _refused(request, commitment: Commitment, message, *, status: int):
    return render(
        request, "commitments/suggest_refused.html", {"commitment": commitment, "message": message}, status=status
    )


def suggest_thanks(request, slug: str):
    """The same words for every sender: nothing about other suggestions, nor whether this one was kept."""
    return render(request, "commitments/suggest_thanks.html", {"commitment": _published(slug)})
