"""The commitments CSV is read as plain values (export_records), not model instances: its
bytes must stay those the model instances give, for every filter, sort and language."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from commitments import listings
from commitments.exports import records as export_records
from commitments.exports import writer as exports
from commitments.models import NEEDS_REASON, ReasonCode, Status, SuccessCriterion

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    record_approved,
)

pytestmark = pytest.mark.django_db

LATER = [Status.STALLED, Status.ACHIEVED, Status.PARTIALLY_ACHIEVED, Status.ABANDONED, Status.NOT_VERIFIABLE]
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tlead", "\rlead", 'a "quoted", comma\nline', "é à ç"]


@pytest.fixture
def hostile_commitments(db):
    """Commitments whose every text field a spreadsheet could misread, resting on several
    documents (one quoted twice, some without a symbol), with criteria and a status history."""
    shared = SourceDocumentFactory(title="=Shared statement", symbol="", issued_on=datetime.date(2001, 1, 1))
    shared_quotes = [QuoteFactory(source=shared), QuoteFactory(source=shared)]
    for index, text in enumerate(HOSTILE):
        commitment = CommitmentFactory(
            slug=f"-hostile-{index}" if index % 3 == 0 else f"hostile-{index}",
            title=text,
            title_fr=HOSTILE[-1 - index] if index % 2 else "",
            summary=f"{text} summary",
            made_by=text,
            responsible_body=HOSTILE[(index + 1) % len(HOSTILE)],
            made_on=datetime.date(2010 + index % 3, 1 + index, 1),
            made_on_precision=["day", "month", "year"][index % 3],
            target_value=[None, Decimal("600"), Decimal("12.50"), Decimal("0.05")][index % 4],
            target_unit="" if index % 4 == 0 else "troops",
            target_text=text if index % 2 else "",
            period_start=datetime.date(2009, 1, 1) if index % 2 else None,
            deadline=datetime.date(2030, 6, 30) if index % 3 else None,
            criteria=None,
        )
        # An undated document linked first of all: listed last, on either database.
        undated = SourceDocumentFactory(title=f"Undated note {index}", symbol="", issued_on=None)
        CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=undated), role="reaffirmed")
        # Later documents linked first: the export lists them by date, then by quote.
        for offset in (3, 1, 2):
            source = SourceDocumentFactory(
                title=f"{HOSTILE[(index + offset) % len(HOSTILE)]} report {offset}",
                symbol=f"S/{2000 + index}/{offset}" if offset != 2 else "",
                issued_on=datetime.date(2005 + offset, 1, 1),
            )
            CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=source), role="reaffirmed")
        if index % 2:
            for quote in shared_quotes:  # one document through two quotes: listed once
                CommitmentQuoteFactory(commitment=commitment, quote=quote, role="made")
        for position in (2, 1, 3)[: 1 + index % 3]:  # criteria come before any assessment
            SuccessCriterion.objects.create(
                commitment=commitment, position=position, text=f"{text} criterion {position}"
            )
        for year, status in ((2015, Status.IN_PROGRESS), (2019, LATER[index % len(LATER)])):
            progress = [None, Decimal("12.00"), Decimal("12.50"), Decimal("300")][(index + year) % 4]
            record_approved(
                commitment=commitment,
                status=status,
                as_of=datetime.date(year, 1 + index, 1),
                as_of_precision="month" if index % 2 else "day",
                progress_value=progress if commitment.target_value is not None else None,
                progress_stage="deployed" if progress is not None and commitment.target_value is not None else "",
                reason_code=ReasonCode.NOT_PRIORITISED if status in NEEDS_REASON else "",
                reason_text=text if status in NEEDS_REASON else "",
                rationale=text,
                evidence_url="https://example.org/record",
            )


def model_instance_export(columns, params) -> bytes:
    """The export as before export_records: model instances with their prefetched relations,
    each cell through spreadsheet_safe, written by the csv module."""
    rows = listings.COMMITMENTS.filtered(params).prefetch_related("criteria").iterator(chunk_size=3)
    writer = exports.csv_writer()
    lines = [exports.BYTE_ORDER_MARK + writer.writerow([column.name for column in columns])]
    for row in rows:
        cells = [exports.spreadsheet_safe(column.value(row), numeric=column.numeric) for column in columns]
        lines.append(writer.writerow(cells))
    return "".join(lines).encode()


QUERIES = [
    {},
    {"sort": "title"},
    {"sort": "-made_on"},
    {"sort": "source"},
    {"sort": "-progress"},
    {"sort": "target"},
    {"sort": "current_status"},
    {"as_of": "2016-06-01"},
    {"as_of": "2012-01-01", "sort": "-current_status"},
    {"status": "in_progress"},
    {"q": "quoted"},
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", QUERIES)
def test_plain_values_give_the_bytes_of_model_instances(hostile_commitments, monkeypatch, query, language):
    monkeypatch.setattr(export_records, "CHUNK", 3)  # several chunks, each with its own lookups
    params = QueryDict(mutable=True)
    params.update(query)
    with translation.override(language):
        absolute_url = RequestFactory().get("/commitments/export.csv").build_absolute_uri
        columns = listings.COMMITMENTS.columns(absolute_url=absolute_url)
        rows = listings.COMMITMENTS.export_rows(params)
        assert isinstance(rows, exports.CellRows)
        from_values = b"".join(exports.csv_content(columns, rows))
        assert from_values == model_instance_export(columns, params)
    exported = list(csv.DictReader(io.StringIO(from_values.decode("utf-8-sig"))))
    assert len(exported) == listings.COMMITMENTS.filtered(params).count()
    if not query:
        assert len(exported) == len(HOSTILE)
        assert {row["title"][:2] for row in exported} >= {"'=", "'+", "'-", "'@", "'\t", "'\r"}
        assert any("; " in row["source_documents"] and "; " in row["source_symbols"] for row in exported)
        assert all(row["source_documents"].split("; ")[-1].startswith("Undated note") for row in exported)
        assert all(" report 1; " in row["source_documents"] for row in exported)


def test_the_export_streams_the_same_bytes_as_the_page_would_download(client, hostile_commitments):
    response = client.get("/fr/commitments/export.csv?sort=source")
    with translation.override("fr"):
        columns = listings.COMMITMENTS.columns(absolute_url=response.wsgi_request.build_absolute_uri)
        expected = model_instance_export(columns, QueryDict("sort=source"))
    assert b"".join(response.streaming_content) == expected


# Rows of cells a writer could get wrong: quotes, separators, line ends, NUL, and text one,
# two and four bytes a character wide, in runs of ASCII columns and between them.
AWKWARD_ROWS = [
    [["plain", "", "é à ç"], ["two", "rows", "here"]],
    [['a "quoted" cell', "x"], ["", '"']],
    [["new\nline", "carriage\rreturn", "comma, here"]],
    [["nul\0inside", 'and "quotes"'], ["\x01", "ok"]],
    [["\0", "\x01"]],
    [["ascii", "“cited” 😀", "ascii again", 'é "x"', "last"], ["a", "b", "c", "d", "e"]],
    [["“only wide”"], ['"']],
    [["one ascii cell"]],
]


def test_a_column_the_export_needs_twice_is_read_once(client, hostile_commitments, monkeypatch):
    """The citation and the status_as_of column both need the status's date: one value read
    from the database for each row, unless ?as_of= moves the column's to another date."""
    read_by_query = {}
    chunks_by_column = export_records._chunks_by_column

    def counting(values):
        sql, params = values.query.get_compiler(values.db).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            read_by_query[query] = len(cursor.description)
        return chunks_by_column(values)

    monkeypatch.setattr(export_records, "_chunks_by_column", counting)
    for query in ("", "as_of=2016-06-01"):
        b"".join(client.get(f"/commitments/export.csv?{query}").streaming_content)
    columns = listings.COMMITMENTS.columns(absolute_url=str)
    fields = len(export_records.VALUE_FIELDS)
    plain = sum(export_records.as_read(column) for column in columns)
    # slug, title, title_fr, status, reason, the status's date and its precision: once each
    assert read_by_query[""] == fields + plain - 7
    assert read_by_query["as_of=2016-06-01"] == read_by_query[""] + 2


@pytest.mark.parametrize("rows", AWKWARD_ROWS)
def test_rows_are_written_as_the_csv_module_writes_them(rows):
    writer = exports.csv_writer()
    assert exports.csv_lines_of(rows, writer) == "".join(writer.writerow(cells) for cells in rows)


@pytest.mark.parametrize("rows", AWKWARD_ROWS)
def test_a_chunk_given_as_columns_is_written_as_the_csv_module_writes_its_rows(rows):
    writer = exports.csv_writer()
    columns = [list(column) for column in zip(*rows, strict=True)]
    assert exports.csv_chunk(columns) == "".join(writer.writerow(cells) for cells in rows).encode()
    assert exports.csv_chunk([[] for _column in columns]) == b""
