"""On PostgreSQL the updates export is written by COPY: it must equal the Python export byte for byte."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from commitments import listings
from commitments.exports import postgres as pg_copy
from commitments.exports import writer as exports
from commitments.models import ReviewState

from .factories import CommitmentQuoteFactory, StatusUpdateFactory
from .helpers import HOSTILE, text_of

pytestmark = pytest.mark.django_db


def python_export(columns, rows) -> bytes:
    return b"".join(text.encode() for text in exports.csv_lines(columns, rows.iterator()))


@pytest.mark.parametrize("query", [{}, {"sort": "commitment"}, {"status": "achieved"}, {"q": "quoted"}])
def test_copy_and_python_exports_are_identical(hostile_updates, rf, query):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: COPY is its own (make test runs this on PostgreSQL)")
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    params.update(query)
    request = rf.get("/updates/export.csv")
    columns = listings.STATUS_UPDATES.columns(absolute_url=request.build_absolute_uri)
    rows = listings.STATUS_UPDATES.filtered(params)
    assert pg_copy.can_copy(columns)
    from_copy = b"".join(exports.csv_content(columns, rows))
    from_python = python_export(columns, rows)
    header_length = from_python.index(b"\n") + 1
    assert from_copy[header_length:] == from_python[header_length:]
    assert from_copy == from_python


def test_exports_that_need_python_stay_in_python(db):
    # Commitments and quotes join several documents per row: no SQL form, so never COPY.
    for listing in (listings.COMMITMENTS, listings.QUOTES):
        assert not pg_copy.can_copy(listing.columns(absolute_url=str))


def test_the_updates_export_uses_copy_on_postgresql(client, hostile_updates, django_assert_num_queries):
    body = text_of(client.get(reverse("commitments:update-export")))
    assert body.count("\n") > len(HOSTILE)
    assert pg_copy.can_copy(listings.STATUS_UPDATES.columns(absolute_url=str)) == (connection.vendor == "postgresql")


@pytest.mark.django_db(transaction=True)
def test_the_export_is_whole_when_the_request_opens_no_connection_first(client):
    # A server's first request, or one after CONN_MAX_AGE, reaches COPY before any query has
    # opened the connection (the reviewer saw a header-only file).
    updates = 3
    for index in range(updates):
        StatusUpdateFactory(
            commitment=CommitmentQuoteFactory().commitment,
            as_of=datetime.date(2018, 1, 1 + index),
            review_state=ReviewState.APPROVED,
        )
    connection.close()
    body = text_of(client.get(reverse("commitments:update-export")))
    assert body.count("\n") == 1 + updates


@pytest.mark.parametrize("query", [{}, {"sort": "commitment"}, {"status": "achieved"}, {"q": "quoted"}])
def test_the_values_path_gives_the_same_bytes_as_model_instances(hostile_updates, rf, query):
    # Where COPY is not available (SQLite), exports whose columns all have an expression are
    # read as plain values: the bytes must not change.
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    params.update(query)
    columns = listings.STATUS_UPDATES.columns(absolute_url=rf.get("/updates/export.csv").build_absolute_uri)
    rows = listings.STATUS_UPDATES.filtered(params)
    values = exports.value_rows(rows, columns)
    from_values = b"".join(text.encode() for text in exports.csv_lines(columns, values, positional=True))
    assert from_values == python_export(columns, rows)
    import csv
    import io

    assert len(list(csv.reader(io.StringIO(from_values.decode("utf-8-sig"))))) == 1 + rows.count()
