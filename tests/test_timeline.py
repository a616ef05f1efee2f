"""The commitment page's status timeline (written by commitments/timeline.py), entry by entry.

The expected markup is what the page showed when a template wrote each entry: the move to
Python must not change a byte, escape less, or lose a translation."""

import datetime
import re

import pytest
from django.utils import timezone

from commitments.models import ReviewState, Status, StatusUpdate

from .factories import CommitmentFactory, QuoteFactory, SourceDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "He said \"no\" & <script>alert('x')</script> — l'ONU"
ESCAPED = "He said &quot;no&quot; &amp; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; — l&#x27;ONU"
REVIEWED_AT = datetime.datetime(2024, 3, 1, 15, 0, tzinfo=datetime.UTC)
IN_ENGLISH = ' <span class="in-english">(en anglais)</span>'


@pytest.fixture
def hostile():
    """A commitment whose every shown text is hostile, with a correction reviewed by a second
    editor citing a quote and a URL, and a stalled update with its reason and a staged reading."""
    commitment = CommitmentFactory(target_value=600, target_unit='troops <b>&"', target_text="600")
    document = SourceDocumentFactory(
        title='Doc "title" <i>&amp;</i>', full_text='Canada "will" <deploy> & troops.\n\nMore.'
    )
    quote = QuoteFactory(source=document, text='Canada "will" <deploy> & troops.', language="en")
    author, reviewer = UserFactory(username="author"), UserFactory(username="reviewer")
    approved = {"commitment": commitment, "review_state": ReviewState.APPROVED, "recorded_by": author}
    first = StatusUpdate.objects.create(
        **approved,
        status=Status.STALLED,
        as_of=datetime.date(2017, 3, 1),
        as_of_precision="month",
        progress_value=1234.5,
        progress_stage="pledged",
        rationale=HOSTILE,
        reason_code="not_prioritised",
        reason_text=HOSTILE,
        evidence_url='https://example.org/a?x=1&y="2"<',
        recorded_at=timezone.now() - datetime.timedelta(days=1),
    )
    correction = StatusUpdate.objects.create(
        **approved,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2017, 3, 2),
        rationale=HOSTILE,
        evidence_quote=quote,
        evidence_url="https://example.org/b",
        corrects=first,
        correction_note=HOSTILE,
        reviewed_by=reviewer,
        reviewed_at=REVIEWED_AT,
    )
    return commitment, first, correction, quote


def entry(client, url: str, update: StatusUpdate) -> str:
    html = client.get(url).content.decode()
    found = re.search(rf'<li id="update-{update.pk}">.*?</li>', html, re.S)
    assert found, f"no timeline entry for update {update.pk}"
    return found.group()


def test_a_correction_shows_every_field_escaped(client, hostile):
    commitment, first, correction, quote = hostile
    assert entry(client, commitment.get_absolute_url(), correction) == (
        f'<li id="update-{correction.pk}">\n'
        '      <p><time datetime="2017-03-02"><strong>2 March 2017</strong></time>:\n'
        '        <span class="status status-in_progress">In progress</span>\n'
        "        </p>\n"
        '      <p class="correction">Corrects the assessment as of March 2017.</p>\n'
        f'      <p lang="en">{ESCAPED}</p>\n'
        "      \n"
        f'<p class="correction-note"><strong>What was wrong:</strong> <span lang="en">{ESCAPED}</span></p>\n'
        '<p class="review-trail">Approved on 1 March 2024 by an editor who did not record it; '
        '<a href="/methodology/">method</a> version 2.</p>\n'
        '      <p class="evidence">Evidence:\n'
        f'        <a href="/sources/{quote.source.slug}/#quote-{quote.pk}">“<span lang="en">'
        "Canada &quot;will&quot; &lt;deploy&gt; &amp; troops.</span>” — "
        '<span lang="en">Doc &quot;title&quot; &lt;i&gt;&amp;amp;&lt;/i&gt;</span></a>\n'
        "        ; \n"
        '        <a href="https://example.org/b" rel="noopener">https://example.org/b</a>\n'
        "      </p>\n"
        "    </li>"
    )


def test_a_reading_and_a_reason_are_escaped_in_french_too(client, hostile):
    commitment, first, _correction, _quote = hostile
    url = f"/fr{commitment.get_absolute_url()}"
    assert entry(client, url, first) == (
        f'<li id="update-{first.pk}">\n'
        '      <p><time datetime="2017-03-01"><strong>mars 2017</strong></time>\xa0:\n'
        '        <span class="status status-stalled">Au point mort</span>\n'
        '         — 1\xa0234,5 <span lang="en">troops &lt;b&gt;&amp;&quot;</span> promis</p>\n'
        "      \n"
        # Words recorded only in English, labelled so on a French page.
        f'      <p><span lang="en">{ESCAPED}</span>{IN_ENGLISH}</p>\n'
        f'      <p class="reason"><strong>Motif\xa0:</strong> Pas une priorité — <span lang="en">{ESCAPED}</span>'
        f"{IN_ENGLISH}</p>\n"
        "\n"
        '<p class="review-trail">Aucune trace de révision\xa0: approuvée avant que le suivi n\'enregistre chaque '
        'approbation. <a href="/fr/methodology/">Méthode</a>, version 2.</p>\n'
        '      <p class="evidence">Preuve\xa0:\n'
        "        \n"
        "        \n"
        '        <a href="https://example.org/a?x=1&amp;y=&quot;2&quot;&lt;" rel="noopener">'
        "https://example.org/a?x=1&amp;y=&quot;2&quot;&lt;</a>\n"
        "      </p>\n"
        "    </li>"
    )


def test_a_long_evidence_quote_is_cut_to_thirty_words(client, hostile):
    commitment, _first, correction, quote = hostile
    words = [f"w{n}" for n in range(40)]
    quote.text = " ".join(words)
    quote.save()
    shown = entry(client, commitment.get_absolute_url(), correction)
    assert f'<span lang="en">{" ".join(words[:30])} …</span>' in shown


def test_entries_are_newest_first_and_the_pending_never_shows(client, hostile):
    commitment, first, correction, _quote = hostile
    pending = StatusUpdate.objects.create(
        commitment=commitment,
        status=Status.ACHIEVED,
        as_of=datetime.date(2018, 1, 1),
        rationale="Not reviewed yet.",
        evidence_url="https://example.org/p",
    )
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert re.findall(r'<li id="update-(\d+)">', html) == [str(correction.pk), str(first.pk)]
    assert f"update-{pending.pk}" not in html and "Not reviewed yet." not in html


def test_the_review_day_is_the_trackers_day(client, hostile):
    commitment, _first, correction, _quote = hostile
    # 02:00 in London on 10 March is 22:00 on 9 March in Toronto (UTC-4 after 8 March 2026).
    correction.reviewed_at = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)
    correction.save(update_fields=["reviewed_at"])
    assert "Approved on 9 March 2026 by an editor" in entry(client, commitment.get_absolute_url(), correction)


def test_an_entry_without_a_rationale_has_no_label_for_missing_english_words(client):
    commitment = CommitmentFactory()
    update = StatusUpdate.objects.create(
        commitment=commitment,
        review_state=ReviewState.APPROVED,
        recorded_by=UserFactory(username="author"),
        status=Status.NOT_ASSESSED,
        as_of=datetime.date(2017, 3, 1),
        rationale="",
        evidence_url="https://example.org/a",
    )
    french = entry(client, f"/fr{commitment.get_absolute_url()}", update)
    assert "(en anglais)" not in french and '<span lang="en"></span>' not in french
