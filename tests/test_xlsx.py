"""The XLSX beside every CSV: the same rows in the same order, as typed cells.

Every workbook is opened with openpyxl and each cell compared with the CSV's, on the
shipped data set and on hostile text."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from commitments import listings
from commitments.exports import xlsx, xlsx_sql

from .factories import CommitmentFactory, CommitmentQuoteFactory, commitment_with_basis
from .helpers import HOSTILE, IN_CI, as_csv_text, csv_rows

pytestmark = pytest.mark.django_db

CASES = (
    [
        ("commitment", "commitments", query)
        for query in (
            "",
            "sort=-title",
            "theme=peacekeeping",
            "as_of=2012-01-01",
            "status=in_progress",
            "sort=-progress",
        )
    ]
    + [("update", "status-updates", query) for query in ("", "sort=as_of", "status=in_progress", "theme=peacekeeping")]
    + [("quote", "quotes", query) for query in ("", "sort=-issued", "language=fr")]
)


def open_xlsx(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def assert_same_as_csv(client, csv_url: str, xlsx_url: str, sheet_name: str) -> int:
    records = csv_rows(client, csv_url)
    workbook = open_xlsx(client.get(xlsx_url))
    assert workbook.sheetnames == [sheet_name, "README"]
    sheet = workbook[sheet_name]
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert all(cell.font.b for cell in rows[0]) and sheet.freeze_panes == "A2"
    if records:
        assert header == list(records[0])
    assert len(rows) - 1 == len(records)
    for record, row in zip(records, rows[1:], strict=True):
        cells = list(row) + [None] * (len(header) - len(row))  # openpyxl drops trailing empty cells
        for name, cell in zip(header, cells, strict=True):
            text = "" if cell is None else as_csv_text(cell, name)
            assert text == record[name], (xlsx_url, name)
    return len(records)


@pytest.mark.parametrize(("name", "sheet", "query"), CASES)
def test_every_xlsx_holds_the_csvs_rows_in_its_order_cell_for_cell(client, seed, name, sheet, query):
    suffix = f"?{query}" if query else ""
    csv_url = reverse(f"commitments:{name}-export") + suffix
    assert assert_same_as_csv(client, csv_url, reverse(f"commitments:{name}-export-xlsx") + suffix, sheet)


def test_cells_are_typed(client, db):
    commitment_with_basis(title="Deploy troops", theme="peacekeeping")
    workbook = open_xlsx(client.get(reverse("commitments:commitment-export-xlsx")))
    sheet = workbook["commitments"]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=False)}
    assert row["target_value"].value == 600 and row["target_value"].data_type == "n"
    assert row["progress_percent"].value == pytest.approx(0.33) and row["progress_percent"].number_format == "0%"
    assert row["status_as_of"].is_date and row["status_as_of"].value.date() == datetime.date(2017, 2, 1)
    assert row["made_on"].is_date
    assert sheet.column_dimensions["A"].width > 0


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "#N/A", "=1"])
def test_hostile_text_is_text_without_an_apostrophe(client, db, hostile):
    commitment = CommitmentFactory(title="Hostile", summary=hostile)
    CommitmentQuoteFactory(commitment=commitment)
    workbook = open_xlsx(client.get(reverse("commitments:commitment-export-xlsx")))
    sheet = workbook["commitments"]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("summary") + 1)
    assert cell.value == hostile and cell.data_type == "s"
    assert_same_as_csv(
        client,
        reverse("commitments:commitment-export"),
        reverse("commitments:commitment-export-xlsx"),
        "commitments",
    )


def test_readme_sheet_says_what_when_where_licence_and_citation(client, seed):
    url = reverse("commitments:commitment-export-xlsx") + "?theme=peacekeeping&sort=-title"
    readme = dict(open_xlsx(client.get(url))["README"].iter_rows(values_only=True))
    assert "commitments" in readme["Title"]
    assert readme["Filters and sort"] == "theme=peacekeeping; sort=-title"
    assert readme["Downloaded on"] == timezone.localdate().isoformat()
    assert readme["Address"] == f"http://testserver{url}"
    assert "CC BY 4.0" in readme["Licence"]
    assert url in readme["Citation"] and "accessed" in readme["Citation"]


def test_readme_in_french(client, seed):
    readme = dict(open_xlsx(client.get("/fr/commitments/export.xlsx"))["README"].iter_rows(values_only=True))
    assert "Titre" in readme and "Licence" in readme


def test_bad_filters_give_a_400_with_a_message(client, seed):
    response = client.get(reverse("commitments:update-export-xlsx") + "?status=bogus")
    assert response.status_code == 400 and "status" in response.content.decode()


def test_table_pages_link_to_their_xlsx_with_the_same_query(client, seed):
    page = client.get(reverse("commitments:commitment-list") + "?theme=peacekeeping").content.decode()
    assert 'href="/commitments/export.xlsx?theme=peacekeeping"' in page
    assert "Download as Excel (.xlsx)" in page


@pytest.mark.parametrize(
    ("address", "heading", "apostrophe"),
    [
        ("/data/", "CSV or Excel: which to choose", "Why a CSV cell may start with an apostrophe."),
        (
            "/fr/data/",
            "CSV ou Excel\xa0: lequel choisir",
            "Pourquoi une cellule CSV peut commencer par une apostrophe.",
        ),
    ],
)
def test_the_data_page_says_which_format_to_choose_and_why_an_apostrophe(client, db, address, heading, apostrophe):
    page = client.get(address).content.decode()
    assert f'<h2 id="formats">{heading}</h2>' in page
    assert apostrophe in page and "OWASP" in page and "UTF-8" in page


def workbook_cells(chunks) -> list[list[tuple]]:
    """Every sheet's cells as (value, number format, type) rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    return [
        [[(cell.value, cell.number_format, cell.data_type) for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    ]


@pytest.mark.parametrize("query", [{}, {"sort": "commitment"}, {"status": "achieved"}, {"q": "quoted"}])
def test_rows_the_server_writes_are_the_rows_python_writes(hostile_updates, rf, query):
    """On PostgreSQL the server writes each row's cells (xlsx_sql); cell for cell, value,
    type and format, they are the cells Python writes, hostile text included."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server-written rows are its own (make test runs this on PostgreSQL)")
    params = QueryDict(mutable=True)
    params.update(query)
    columns = listings.STATUS_UPDATES.columns(absolute_url=rf.get("/").build_absolute_uri)
    rows = listings.STATUS_UPDATES.filtered(params)
    assert xlsx_sql.can_write_rows(columns)
    sheets = [xlsx.Sheet("status-updates", columns, rows)]
    readme = [("Title", "test")]
    from_server = workbook_cells(xlsx.xlsx_content(sheets=sheets, readme=readme))
    from_python = workbook_cells(xlsx.xlsx_content(sheets=sheets, readme=readme, on_server=False))
    assert len(from_server[0]) == 1 + rows.count()
    assert from_server == from_python


def test_text_xml_cannot_hold_shows_a_replacement_character(client, hostile_updates):
    sheet = open_xlsx(client.get(reverse("commitments:update-export-xlsx")))["status-updates"]
    header = [cell.value for cell in sheet[1]]
    rationales = [row[header.index("rationale")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "<b>&amp; a bell\ufffd</b>" in rationales


def libreoffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path:
        return path
    if IN_CI:
        pytest.fail("LibreOffice is not installed; .ci/run installs Debian's libreoffice-calc-nogui.")
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui): XLSX not opened in it")


def test_libreoffice_opens_the_xlsx_and_reads_the_csvs_cells(client, hostile_updates, tmp_path):
    """The workbook as a report user opens it: LibreOffice converts it headless to CSV, and
    every cell reads as the tracker's CSV has it (dates, numbers, percentages and text)."""
    soffice = libreoffice()
    (tmp_path / "updates.xlsx").write_bytes(b"".join(client.get(reverse("commitments:update-export-xlsx"))))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(tmp_path), str(tmp_path / "updates.xlsx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # Options: comma, double quote, UTF-8, every sheet (-1) to its own file.
    [converted] = list(tmp_path.glob("updates-status-updates.csv"))
    opened = list(csv.DictReader(io.StringIO(converted.read_text(encoding="utf-8"))))
    expected = csv_rows(client, reverse("commitments:update-export"))
    assert len(opened) == len(expected) == len(HOSTILE)
    numeric = {column.name for column in listings.STATUS_UPDATES.columns(absolute_url=str) if column.numeric}
    for seen, record in zip(opened, expected, strict=True):
        for name, text in record.items():
            if name in numeric and text:
                assert Decimal(seen[name]) == Decimal(text), name
            elif name == "recorded_at":  # shown with the date-time format, in UTC
                assert seen[name] == record[name][:19].replace("T", " "), name
            elif name.endswith("_percent"):
                assert seen[name] == f"{text}%" if text else seen[name] == "", name
            else:
                if text.startswith("'") and text[1:] in HOSTILE:  # the CSV's guard, not needed in XLSX
                    text = text[1:]
                # XML holds no bell, and reads a carriage return as a line end.
                assert seen[name] == text.replace("\x07", "\ufffd").replace("\r", "\n"), name
