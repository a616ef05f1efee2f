import csv
import io

import pytest
from django.urls import reverse

from commitments.exports.cells import numeric_cell, numeric_cells, spreadsheet_safe

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    commitment_with_basis,
)
from .helpers import titles_in

pytestmark = pytest.mark.django_db
EXPORT = reverse("commitments:commitment-export")
LIST = reverse("commitments:commitment-list")


def read_csv(response) -> tuple[list[str], list[dict]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "spreadsheets need the byte-order mark to read accents"
    reader = csv.DictReader(io.StringIO(body[1:], newline=""))
    return reader.fieldnames, list(reader)


@pytest.fixture
def rows(db):
    troops = commitment_with_basis(title="Deploy troops", theme="peacekeeping")
    money = CommitmentFactory(title="Fund the partnership", theme="non_proliferation")
    CommitmentQuoteFactory(commitment=money, quote=QuoteFactory(source=SourceDocumentFactory(symbol="A/57/303")))
    draft = CommitmentFactory(title="Draft", is_published=False)
    CommitmentQuoteFactory(commitment=draft)
    return troops, money


@pytest.mark.parametrize(
    "query", ["", "theme=peacekeeping", "sort=-title", "q=partnership", "sort=current_status&theme=non_proliferation"]
)
def test_export_holds_exactly_the_rows_of_the_page_in_its_order(client, rows, query):
    header, records = read_csv(client.get(f"{EXPORT}?{query}"))
    assert [r["title"] for r in records] == titles_in(client.get(f"{LIST}?{query}"))


def test_export_columns_and_values(client, rows):
    response = client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="commitments-20')
    header, records = read_csv(response)
    assert header[:3] == ["slug", "title", "summary"] and "url" in header and "source_documents" in header
    troops = next(r for r in records if r["title"] == "Deploy troops")
    assert troops["target_value"] == "600" and troops["progress_value"] == "200" and troops["progress_percent"] == "33"
    assert troops["status"] == "in_progress" and troops["status_as_of"] == "2017-02-01"
    assert troops["url"] == f"http://testserver{rows[0].get_absolute_url()}"
    money = next(r for r in records if r["title"] == "Fund the partnership")
    assert money["source_symbols"] == "A/57/303" and money["source_documents"]


def test_invalid_filters_give_a_400_with_a_message(client, rows):
    response = client.get(f"{EXPORT}?status=bogus")
    assert response.status_code == 400
    assert "status" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tlead", "'\tlead"),
        ("\rlead", "'\rlead"),
        ('plain, with "quotes"\nand a newline', 'plain, with "quotes"\nand a newline'),
        ("Responsabilité de protéger", "Responsabilité de protéger"),
    ],
)
def test_hostile_text_cannot_run_as_a_formula_and_round_trips(client, db, value, cell):
    commitment = CommitmentFactory(title="Hostile", summary=value)
    CommitmentQuoteFactory(commitment=commitment)
    _, records = read_csv(client.get(EXPORT))
    assert records[0]["summary"] == cell


def test_numeric_cells_keep_their_sign():
    from decimal import Decimal

    assert spreadsheet_safe(Decimal("-2.50"), numeric=True) == "-2.50"
    assert spreadsheet_safe(Decimal("600.00"), numeric=True) == "600"
    assert spreadsheet_safe(Decimal("1000000000.00"), numeric=True) == "1000000000"


@pytest.mark.parametrize(
    "column",
    [
        ["600.00", "-2.50", "0.91", "1.000", "-0.00", "10.10", "0.05", None, "1000000000.00", "600"],
        ["6E+2", "1.50", None],  # str writes 6E+2 with its exponent
        ["1E-7", "2.00"],
        ["NaN", "1.00"],
        ["Infinity", "-Infinity"],
    ],
)
def test_a_column_of_numbers_is_written_as_each_number_is(column):
    """numeric_cells, the commitments export's way (a whole column at once), writes what
    numeric_cell writes for each: whole decimals as integers, the others as they are."""
    from decimal import Decimal

    numbers = [None if text is None else Decimal(text) for text in column]
    expected = ["" if number is None else numeric_cell(number) for number in numbers]
    assert numeric_cells(numbers) == expected


@pytest.mark.parametrize("column", [[3, None, 100, -7, 0], [True, 2], [None, None], []])
def test_a_column_of_integers_or_nothing_is_written_as_each_number_is(column):
    assert numeric_cells(column) == ["" if number is None else numeric_cell(number) for number in column]
