"""Data releases: published by an editor (admin or command), immutable, dated, with a
Data Package that frictionless validates, checksums that hold, a changelog against the
previous release, and never a draft or a pending update."""

import csv
import datetime
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.exports.releases import publish_release
from commitments.models import Commitment, DataRelease, Status, StatusUpdate
from commitments.services.roles import EDITOR

from .factories import member_of
from .helpers import as_csv_text

pytestmark = pytest.mark.django_db

DAY1 = datetime.date(2026, 3, 31)
DAY2 = datetime.date(2026, 4, 1)
FILES = {
    "CHANGELOG.md",
    "SHA256SUMS",
    "commitments.csv",
    "data.xlsx",
    "datapackage.json",
    "documents.csv",
    "quotes.csv",
    "status-updates.csv",
}


def read(release: DataRelease, name: str) -> bytes:
    with default_storage.open(f"{release.folder}/{name}", "rb") as file:
        return file.read()


def rows(release: DataRelease, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(release, name).decode("utf-8-sig"), newline="")))


def test_a_release_holds_every_file_with_checksums_that_hold(seed):
    release = publish_release(actor=None, as_of=DAY1, today=DAY1, site_url="https://tracker.example.org")
    assert set(release.files) == FILES and release.version == "2026.03.31"
    sums = dict(line.split("  ")[::-1] for line in read(release, "SHA256SUMS").decode().splitlines())
    assert set(sums) == FILES - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(read(release, name)).hexdigest() == digest == release.files[name]["sha256"], name
    for name, file in release.files.items():
        assert len(read(release, name)) == file["bytes"]
    package = json.loads(read(release, "datapackage.json"))
    assert package["version"] == "2026.03.31" and package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [resource["path"] for resource in package["resources"]] == [
        "commitments.csv",
        "status-updates.csv",
        "quotes.csv",
        "documents.csv",
    ]
    status = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "status")
    assert "achieved" in status["constraints"]["enum"]


def test_the_release_is_as_of_its_date(seed):
    release = publish_release(actor=None, as_of=datetime.date(2012, 1, 1), today=DAY1)
    commitments = rows(release, "commitments.csv")
    made = {c.slug: c.made_on for c in Commitment.objects.published()}
    assert commitments and all(made[row["slug"]] <= datetime.date(2012, 1, 1) for row in commitments)
    assert len(commitments) < len(made)
    assert all(row["as_of"] <= "2012-01-01" for row in rows(release, "status-updates.csv"))


def test_the_xlsx_holds_every_table_cell_for_cell(seed):
    release = publish_release(actor=None, as_of=DAY1, today=DAY1)
    workbook = openpyxl.load_workbook(io.BytesIO(read(release, "data.xlsx")))
    assert workbook.sheetnames == ["commitments", "status-updates", "quotes", "documents", "README"]
    for name in ("commitments", "status-updates", "quotes", "documents"):
        records = rows(release, f"{name}.csv")
        sheet = list(workbook[name].iter_rows())
        header = [cell.value for cell in sheet[0]]
        assert len(sheet) == len(records) + 1 and header == list(records[0])
        for record, row in zip(records, sheet[1:], strict=True):
            cells = list(row) + [None] * (len(header) - len(row))  # openpyxl drops trailing empty cells
            assert {h: "" if c is None else as_csv_text(c, h) for h, c in zip(header, cells, strict=True)} == record


def test_the_changelog_compares_with_the_previous_release(seed):
    publish_release(actor=None, as_of=datetime.date(2012, 1, 1), today=DAY1)
    withdrawn = Commitment.objects.published().order_by("made_on").first()
    Commitment.objects.filter(pk=withdrawn.pk).update(is_published=False)
    retitled = Commitment.objects.published().order_by("made_on").first()
    Commitment.objects.filter(pk=retitled.pk).update(title="A new title")
    second = publish_release(actor=None, as_of=DAY2, today=DAY2)
    log = read(second, "CHANGELOG.md").decode()
    assert log.startswith("# Changelog\n\n## 2026.04.01 (data as of 2026-04-01)")
    assert "Compared with 2026.03.31" in log and "## 2026.03.31 (data as of 2012-01-01)" in log
    assert f"`{withdrawn.slug}`" in log.split("### Commitments withdrawn")[1].split("###")[0]
    assert "A new title" in log.split("### Commitments retitled")[1].split("###")[0]
    assert "### Commitments added" in log and "### Status changes" in log and "### Corrections" in log
    assert second.changelog in log


@pytest.mark.parametrize(
    ("as_of", "today", "message"),
    [
        (DAY2, DAY1, "in the future"),
        (datetime.date(1990, 1, 1), DAY1, "first published commitment"),
    ],
)
def test_refusals_have_clear_messages_and_write_nothing(seed, as_of, today, message):
    with pytest.raises(ValidationError, match=message):
        publish_release(actor=None, as_of=as_of, today=today)
    assert not DataRelease.objects.exists() and not default_storage.exists("releases")


def test_one_release_a_day(seed):
    publish_release(actor=None, as_of=DAY1, today=DAY1)
    with pytest.raises(ValidationError, match="already published today"):
        publish_release(actor=None, as_of=DAY1, today=DAY1)
    assert DataRelease.objects.count() == 1


def test_a_storage_failure_leaves_no_release(seed, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the storage needs a folder")
    settings.MEDIA_ROOT = str(blocked)
    with pytest.raises(Exception, match="nothing was published"):
        publish_release(actor=None, as_of=DAY1, today=DAY1)
    assert not DataRelease.objects.exists()


def test_only_an_editor_publishes(seed):
    with pytest.raises(PermissionDenied):
        services.check_release(actor=member_of("Analyst", "ana"), as_of=DAY1, today=DAY1)
    services.check_release(actor=member_of("Editor", "eddie"), as_of=DAY1, today=DAY1)


def test_the_command_publishes_and_refuses_clearly(seed):
    out = io.StringIO()
    call_command("publish_release", "--as-of", "2012-01-01", stdout=out)
    assert "commitments.csv" in out.getvalue() and "Published release" in out.getvalue()
    with pytest.raises(CommandError, match="already published today"):
        call_command("publish_release", "--as-of", "2012-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("publish_release", "--as-of", "31 March")


def test_an_editor_publishes_from_the_admin_and_an_analyst_cannot(client, seed):
    add = reverse("admin:commitments_datarelease_add")
    client.force_login(member_of("Analyst", "ana"))
    assert client.post(add, {"as_of": "2012-01-01"}).status_code == 403
    client.force_login(member_of("Editor", "eddie"))
    future = client.post(add, {"as_of": "2999-01-01"})
    assert future.status_code == 200 and "in the future" in future.content.decode()
    response = client.post(add, {"as_of": "2012-01-01"})
    assert response.status_code == 302 and DataRelease.objects.count() == 1
    release = DataRelease.objects.get()
    change = client.get(reverse("admin:commitments_datarelease_change", args=[release.pk]))
    assert change.status_code == 200 and "Save" not in change.content.decode().split("submit-row")[-1][:300]


def test_public_pages_list_the_releases_newest_first_with_citation(client, seed):
    assert client.get("/data/releases/latest/").status_code == 404
    publish_release(actor=None, as_of=DAY1, today=DAY1)
    publish_release(actor=None, as_of=DAY2, today=DAY2)
    page = client.get("/data/releases/").content.decode()
    assert page.index("Release 2026.04.01") < page.index("Release 2026.03.31")
    assert "Commitment Tracker, data release 2026.04.01 (data as of 2026-04-01)" in page
    assert client.get("/data/releases/latest/")["Location"] == "/data/releases/2026.04.01/"
    detail = client.get("/data/releases/2026.03.31/").content.decode()
    assert "datapackage.json" in detail and "SHA256SUMS" in detail
    download = client.get("/data/releases/2026.03.31/commitments.csv")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")
    assert client.get("/data/releases/2026.03.31/secret.txt").status_code == 404
    assert client.get("/data/releases/1999.01.01/").status_code == 404
    assert client.get("/fr/data/releases/").status_code == 200
    # Any other text is a 404 before a query: a NUL byte was a 500 on PostgreSQL.
    for address in ("/data/releases/%00/", "/data/releases/2026.03.31/%00", "/data/releases/%00/commitments.csv"):
        assert client.get(address).status_code == 404, address


def test_no_draft_or_pending_update_in_a_release(seed):
    draft = Commitment.objects.published().first()
    Commitment.objects.filter(pk=draft.pk).update(is_published=False)
    pending = StatusUpdate.objects.exclude(commitment=draft).filter(review_state="approved").first()
    StatusUpdate.objects.filter(pk=pending.pk).update(review_state="pending")
    release = publish_release(actor=None, as_of=DAY1, today=DAY1)
    for name in release.files:
        body = read(release, name)
        text = openpyxl_text(body) if name.endswith(".xlsx") else body.decode()
        assert draft.slug not in text, name
    assert str(pending.pk) not in {row["id"] for row in rows(release, "status-updates.csv")}


def openpyxl_text(body: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def test_frictionless_validates_a_published_release(seed, settings):
    """The ecosystem's own tool: `frictionless validate` on the release's datapackage.json
    (types, enums, primary and foreign keys) finds no error."""
    release = publish_release(actor=None, as_of=DAY1, today=DAY1)
    folder = Path(settings.MEDIA_ROOT) / release.folder
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stdout)
    errors = [error for task in report["tasks"] for error in task["errors"]] + report["errors"]
    assert report["valid"] and errors == [], errors[:5]
    assert len(report["tasks"]) == 4 and all(task["stats"]["rows"] for task in report["tasks"])


def test_the_admin_reports_a_storage_failure_and_publishes_nothing(client, seed, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the storage needs a folder")
    settings.MEDIA_ROOT = str(blocked)
    client.force_login(member_of("Editor", "eddie"))
    response = client.post(reverse("admin:commitments_datarelease_add"), {"as_of": "2012-01-01"}, follow=True)
    assert response.status_code == 200 and "nothing was published" in response.content.decode()
    assert not DataRelease.objects.exists()


def test_a_release_is_the_same_english_files_whatever_language_its_editor_works_in(seed):
    """An editor whose admin is in French publishes the same files an English one would:
    labels, page addresses, citations and the workbook's README in English."""
    with translation.override("fr"):
        release = publish_release(actor=None, as_of=DAY1, today=DAY1, site_url="https://tracker.example.org")
    commitments = rows(release, "commitments.csv")
    assert commitments
    labels = {row["status_label"] for row in commitments}
    assert labels <= {str(label) for label in Status.labels} and "En cours" not in labels
    assert all(row["url"].startswith("https://tracker.example.org/commitments/") for row in commitments)
    assert all("Commitment Tracker" in row["citation"] and "accessed" in row["citation"] for row in commitments)
    readme = openpyxl.load_workbook(io.BytesIO(read(release, "data.xlsx")))["README"]
    citation = next(row[1] for row in readme.iter_rows(values_only=True) if row[0] == "Citation")
    assert citation.startswith("Commitment Tracker, data release 2026.03.31 (data as of 2026-03-31).")


def test_the_release_pages_cite_a_release_in_the_readers_language(client, seed):
    publish_release(actor=None, as_of=DAY1, today=DAY1)
    english = client.get("/data/releases/2026.03.31/").content.decode()
    french = client.get("/fr/data/releases/2026.03.31/").content.decode()
    assert "Commitment Tracker, data release 2026.03.31 (data as of 2026-03-31). http://testserver/" in english
    cited = "Suivi des engagements, version des données 2026.03.31 (données au 2026-03-31). http://testserver/"
    assert cited in french and cited in client.get("/fr/data/releases/").content.decode()
    assert "data release 2026.03.31" not in french


def test_the_release_pages_write_dates_and_sizes_as_the_site_does(client, seed):
    release = publish_release(actor=None, as_of=DAY1, today=DAY2)
    biggest = max(file["bytes"] for file in release.files.values())
    assert biggest >= 1000  # so a thousands separator shows
    english = client.get("/data/releases/2026.04.01/").content.decode()
    french = client.get("/fr/data/releases/2026.04.01/").content.decode()
    assert "Published 1 April 2026; data as of 31 March 2026." in english
    assert "Publiée le 1er avril 2026\u202f; données au 31 mars 2026." in french
    assert f"{biggest:,}" in english and f"{biggest:,}".replace(",", "\u00a0") in french


def test_the_french_admin_names_releases_and_their_fields_in_french(client, seed):
    release = publish_release(actor=None, as_of=DAY1, today=DAY1)
    client.force_login(member_of(EDITOR, "eddie"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    listing = client.get(reverse("admin:commitments_datarelease_changelist")).content.decode()
    assert "versions des données" in listing.lower() and "data release" not in listing.lower()
    page = client.get(reverse("admin:commitments_datarelease_change", args=[release.pk])).content.decode()
    assert "Publiée le" in page and "Journal des modifications" in page and "Published on" not in page
    assert "2026.03.31 (données au 2026-03-31)" in page
