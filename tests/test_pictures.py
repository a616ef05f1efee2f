"""The dashboard's pictures and the progress chart: the SVG and its words give the same
figures, every segment and bar links to the rows it counts, the axes are labelled."""

import re

import pytest
from django.test import Client

from commitments.models import Commitment, StatementKind

from .factories import commitment_with_basis


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_status_bar_and_its_words_give_the_same_figures(client, seed, language):
    html = section(client.get(f"{language}/").content.decode(), "by-status")
    svg = html[html.index("<svg") : html.index("</svg>")]
    words = html[html.index("<figcaption") : html.index("</figcaption>")]
    undertakings = Commitment.objects.published().filter(kind=StatementKind.UNDERTAKING)
    segments = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><rect x="[\d.]+" y="0" width="([\d.]+)"', svg)
    assert segments
    total_width = 0.0
    for href, label, width in segments:
        status = re.search(r"status=(\w+)", href).group(1)
        count = undertakings.filter(current_status=status).count()
        assert re.search(rf": {count} (undertaking|engagement)s? \(", label), label
        assert f'<a href="{href}">{label}</a>' in words  # the same figure in words, linking to the same rows
        total_width += float(width)
    assert abs(total_width - 640) < 1  # the whole bar is every undertaking


def test_each_breakdown_bar_links_to_the_rows_it_counts(seed):
    client = Client()
    html = client.get("/").content.decode()
    for heading, parameter in (("by-theme", "theme"), ("by-pillar", "pillar"), ("by-body", "body")):
        chart = section(html, heading)
        assert 'role="group"' in chart and "Number of published commitments" in chart  # the x-axis' name
        bars = re.findall(
            rf'<a href="/commitments/\?{parameter}=([^"]+)" aria-label="[^"]+: (\d+) commitments?"', chart
        )
        assert bars, heading
        for code, count in bars:
            listed = client.get(f"/commitments/?{parameter}={code}").content.decode()
            assert re.search(rf'class="result-count" role="status">{count} commitments?<', listed), (heading, code)


def test_the_progress_chart_labels_its_axes_and_the_target(client, db):
    commitment = commitment_with_basis(updates=3)  # 100, 200, 300 of 600 troops
    svg = client.get(commitment.get_absolute_url()).content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", svg)
    assert {"troops", "0", "600", "Target: 600 troops", "Date of the reading"} <= set(labels), labels
