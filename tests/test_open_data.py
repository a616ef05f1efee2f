"""Exports, API and data dictionary: the same rows everywhere, safe cells, no drafts."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from commitments import services
from commitments.listings import COMMITMENTS, QUOTES, STATUS_UPDATES
from commitments.models import Commitment, Quote, SourceDocument, Status
from commitments.services.roles import EDITOR

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    UserFactory,
    commitment_with_basis,
    public_flags_set,
    record_approved,
    reviewer,
)
from .helpers import csv_rows, form_fields, text_of

pytestmark = pytest.mark.django_db


def api_rows(client, url) -> list[dict]:
    results, next_url = [], url
    while next_url:
        page = client.get(next_url).json()
        results += page["results"]
        next_url = page["next"]
    return results


def page_links(client, url, prefix: str) -> list[str]:
    """In each row of a table page, the first link starting with `prefix`, as a reader sees them."""
    import re

    html = client.get(url).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    links = [re.search(rf'href="({re.escape(prefix)}[^"]*)"', row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return [link.group(1) for link in links if link]  # the "nothing matches" row has none


@pytest.fixture
def data(db):
    troops = commitment_with_basis(title="Deploy troops", theme="peacekeeping", updates=3)
    council = commitment_with_basis(title="Seek a resolution", theme="un_reform", updates=1)
    record_approved(
        commitment=council,
        status=Status.STALLED,
        as_of=datetime.date(2019, 5, 1),
        reason_code="blocked_by_others",
        reason_text="The Security Council did not act.",
        rationale="Council did not act.",
        evidence_url="https://example.org/council",
    )
    draft = CommitmentFactory(title="Hidden draft", slug="hidden-draft", is_published=False)
    shared = troops.quote_links.first().quote
    CommitmentQuoteFactory(commitment=draft, quote=shared)
    record_approved(
        commitment=draft,
        status=Status.ACHIEVED,
        as_of=datetime.date(2019, 1, 1),
        rationale="Draft verdict.",
        evidence_url="https://example.org/draft",
    )
    return troops, council, draft


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=in_progress",
        "theme=un_reform",
        "sort=-as_of",
        "sort=commitment",
        "q=council",
        "since=2017-02-01&until=2019-12-31",
    ],
)
def test_updates_export_api_and_page_hold_the_same_rows(client, data, query):
    exported = csv_rows(client, f"{reverse('commitments:update-export')}?{query}")
    api = api_rows(client, f"{reverse('api:update-list')}?{query}")
    assert [int(r["id"]) for r in exported] == [r["id"] for r in api]
    shown = page_links(client, f"{reverse('commitments:update-list')}?{query}", "/commitments/")
    assert [r["commitment_url"].removeprefix("http://testserver") for r in exported] == shown
    assert "Hidden draft" not in json.dumps(api) and all(r["commitment_slug"] != "hidden-draft" for r in exported)


@pytest.mark.parametrize("query", ["", "language=en", "role=reaffirmed", "q=troops", "sort=-issued", "source={first}"])
def test_quotes_export_and_page_hold_the_same_rows(client, data, query):
    from commitments.models import SourceDocument

    query = query.format(first=SourceDocument.objects.first().slug)
    exported = csv_rows(client, f"{reverse('commitments:quote-export')}?{query}")
    shown = page_links(client, f"{reverse('commitments:quote-list')}?{query}", "/sources/")
    assert [r["url"].removeprefix("http://testserver") for r in exported] == shown
    assert all("hidden-draft" not in r["commitment_slugs"] for r in exported)


@pytest.mark.parametrize("query", ["", "theme=peacekeeping", "sort=-title", "status=stalled", "sort=progress"])
def test_commitments_api_holds_the_rows_of_the_table_and_export(client, data, query):
    exported = csv_rows(client, f"{reverse('commitments:commitment-export')}?{query}")
    api = api_rows(client, f"{reverse('api:commitment-list')}?{query}")
    assert [r["slug"] for r in api] == [r["slug"] for r in exported]
    assert all(r["slug"] != "hidden-draft" for r in api)


def test_api_detail_carries_quotes_and_history_and_hides_drafts(client, data):
    troops, _, draft = data
    detail = client.get(reverse("api:commitment-detail", args=[troops.slug])).json()
    assert detail["target_value"] == 600 and detail["progress_value"] == 300
    assert [u["as_of"] for u in detail["history"]] == ["2017-03-01", "2017-02-01", "2017-01-01"]
    assert {q["role"] for q in detail["quotes"]} == {"made", "reaffirmed"}
    assert detail["quotes"][0]["quote"]["document"]["slug"]
    assert client.get(reverse("api:commitment-detail", args=[draft.slug])).status_code == 404


def test_api_rejects_bad_input_with_4xx_json(client, data):
    assert client.get(f"{reverse('api:commitment-list')}?status=nonsense").status_code == 400
    assert client.get(f"{reverse('api:commitment-list')}?page=999").status_code == 404
    assert client.get(f"{reverse('api:update-list')}?since=yesterday").status_code == 400


def test_every_export_names_its_file_with_the_date(client, data):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    for listing in (COMMITMENTS, STATUS_UPDATES, QUOTES):
        response = client.get(reverse(listing.export_url_name))
        assert response["Content-Disposition"] == f'attachment; filename="{listing.name}-{today}.csv"'


def test_the_data_dictionary_documents_every_column_field_and_code(client, data):
    from django.utils.html import escape

    from commitments.api.serializers import CommitmentDetailSerializer, DocumentSerializer, StatusUpdateSerializer

    html = client.get(reverse("commitments:data")).content.decode()
    # Descriptions set the field names they mention as code.
    words = html.replace("<code>", "").replace("</code>", "")
    for listing in (COMMITMENTS, STATUS_UPDATES, QUOTES):
        for column in listing.columns(absolute_url=str):
            assert f"<code>{column.name}</code>" in html and escape(str(column.description)) in words
    for serializer in (CommitmentDetailSerializer, StatusUpdateSerializer, DocumentSerializer):
        for name in serializer().fields:
            assert f"<code>{name}</code>" in html
    for status in Status:
        assert f"<code>{status.value}</code>" in html
    assert "CC BY 4.0" in html


def test_hostile_text_entered_through_the_admin_is_neutralised_in_every_export(client, db):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    hostile_text = '=HYPERLINK("http://evil.example","click") +1+1 said "Canada", at once\nnext line é'
    response = client.post(
        reverse("admin:commitments_sourcedocument_add"),
        {
            "title": "@SUM(A1) statement",
            "slug": "hostile",
            "kind": "statement",
            "issued_on": "2016-09-06",
            "issued_on_precision": "day",
            "language": "en",
            "full_text": hostile_text,
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("admin:commitments_quote_add"),
        {
            "source": SourceDocument.objects.get(slug="hostile").pk,
            "text": '=HYPERLINK("http://evil.example","click")',
            "language": "en",
        },
    )
    quote = Quote.objects.get()
    form = form_fields(client.get(reverse("admin:commitments_commitment_add")).content.decode(), "commitment_form")
    form.update(
        {
            "title": "-2+3 troops",
            "slug": "hostile-commitment",
            "summary": '+1+1 and "quotes", commas\nand lines',
            "theme": "peacekeeping",
            "pillar": "react",
            "made_on": "2016-09-06",
            "made_on_precision": "day",
            "made_by": "@SUM(A1)",
            "is_published": "on",
            "target_value": "600",
            "target_unit": "troops",
            "quote_links-0-quote": str(quote.pk),
            "quote_links-0-role": "made",
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-position": "1",
            "criteria-0-text": "+1 troops deployed",
            "criteria-0-assessment": "not_assessed",
        }
    )
    assert client.post(reverse("admin:commitments_commitment_add"), form).status_code == 302
    commitment = Commitment.objects.get(slug="hostile-commitment")
    form = form_fields(
        client.get(reverse("admin:commitments_commitment_change", args=[commitment.pk])).content.decode(),
        "commitment_form",
    )
    prefix = next(
        k[: -len("-TOTAL_FORMS")]
        for k in form
        if k.endswith("-TOTAL_FORMS") and form.get(k.replace("TOTAL", "MAX_NUM")) == "1"
    )
    form.update(
        {
            f"{prefix}-0-status": "in_progress",
            f"{prefix}-0-as_of": "2018-01-01",
            f"{prefix}-0-as_of_precision": "day",
            f"{prefix}-0-progress_value": "12",
            f"{prefix}-0-progress_stage": "deployed",
            f"{prefix}-0-rationale": "=1+2 was reported",
            f"{prefix}-0-evidence_url": "https://example.org/a,b",
        }
    )
    response = client.post(reverse("admin:commitments_commitment_change", args=[commitment.pk]), form)
    assert response.status_code == 302
    client.logout()
    services.approve_status_update(update=commitment.status_updates.get(), reviewer=reviewer())

    row = csv_rows(client, reverse("commitments:commitment-export"))[0]
    assert row["title"] == "'-2+3 troops"
    assert row["summary"] == '\'+1+1 and "quotes", commas\nand lines'
    assert row["made_by"] == "'@SUM(A1)" and row["source_documents"] == "'@SUM(A1) statement"
    assert row["target_value"] == "600" and row["progress_value"] == "12"
    update = csv_rows(client, reverse("commitments:update-export"))[0]
    assert update["rationale"] == "'=1+2 was reported" and update["commitment_title"] == "'-2+3 troops"
    assert update["evidence_url"] == "https://example.org/a,b"
    quoted = csv_rows(client, reverse("commitments:quote-export"))[0]
    assert quoted["text"] == '\'=HYPERLINK("http://evil.example","click")'
    assert quoted["document_title"] == "'@SUM(A1) statement"


def test_export_data_writes_the_same_files_as_the_site(client, data, tmp_path):
    call_command("export_data", str(tmp_path), "--base-url", "http://testserver", stdout=io.StringIO())
    for listing in (COMMITMENTS, STATUS_UPDATES, QUOTES):
        with open(tmp_path / f"{listing.name}.csv", encoding="utf-8", newline="") as handle:
            written = handle.read()
        assert written == text_of(client.get(reverse(listing.export_url_name)))
    dump = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert (
        sorted(c["slug"] for c in dump["commitments"]) == ["deploy-troops", "seek-a-resolution"]
        or len(dump["commitments"]) == 2
    )
    assert "hidden-draft" not in json.dumps(dump)
    assert dump["commitments"][0]["history"] and dump["documents"]


def test_export_data_refuses_a_bad_base_url(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="base-url"):
        call_command("export_data", str(tmp_path), "--base-url", "not a url")


def test_export_data_refuses_a_host_the_site_does_not_serve_before_writing(tmp_path, settings, db):
    from django.core.management import CommandError

    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    (tmp_path / "commitments.csv").write_text("yesterday's file")
    with pytest.raises(CommandError, match="ALLOWED_HOSTS"):
        call_command("export_data", str(tmp_path), "--base-url", "https://elsewhere.example.org")
    assert (tmp_path / "commitments.csv").read_text() == "yesterday's file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["commitments.csv"]


@pytest.mark.parametrize("size", [3, 30])
def test_export_and_api_queries_are_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        commitment_with_basis(quotes=2, updates=3)
    public_flags_set()
    # At size 3 the table pages' rows fit on page 1, which counts them without a COUNT(*).
    count = 0 if size == 3 else 1
    expected = {
        # On PostgreSQL the rows come from one COPY statement, which Django's query log does not see.
        reverse("commitments:update-export"): 0 if connection.vendor == "postgresql" else 1,
        reverse("commitments:quote-export"): 2,
        reverse("api:commitment-list"): 3,  # count, page, quote links (years only to validate a ?year=)
        reverse("api:update-list"): 2,
        reverse("api:document-list"): 2,
        reverse("commitments:update-list"): 2 + count,  # rows, the commitments for the form's select
        reverse("commitments:quote-list"): 5 + count,  # rows, what they support (3), documents
    }
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            text_of(client.get(url))


def test_the_api_schema_documents_every_list_filter_and_sort(client, db):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    for path, filterset in (("/api/commitments/", "CommitmentFilter"), ("/api/updates/", "StatusUpdateFilter")):
        from commitments.listings import filters

        parameters = {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}
        assert set(getattr(filters, filterset).base_filters) | {"sort", "page"} <= set(parameters), path
        assert "-made_on" in parameters["sort"]["schema"]["enum"] or path != "/api/commitments/"
    commitment_parameters = {p["name"]: p for p in schema["paths"]["/api/commitments/"]["get"]["parameters"]}
    assert "achieved" in commitment_parameters["status"]["schema"]["enum"]
    assert commitment_parameters["as_of"]["schema"]["format"] == "date"
