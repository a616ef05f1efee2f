"""Property-based fuzzing of every public GET endpoint: hostile input never gives a 5xx.

Hypothesis draws query strings (known parameter names and random ones; huge and negative
numbers, unicode, SQL fragments, invalid dates, overlong strings, repeated parameters) and
random path segments, and sends them to each public address through the whole Django stack.
"""

import string

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from commitments.models import Commitment

from .public_urls import public_urls

EXAMPLES = 1000

# Every parameter a public page or the API reads, so the fuzzer reaches the filters.
KNOWN_PARAMETERS = [
    "q", "status", "theme", "pillar", "source", "year", "sort", "page", "per_page", "since", "until",
    "commitment", "language", "role", "as_of", "format", "limit", "offset", "ordering", "lang",
    "body", "kind", "attention", "target", "reason", "stage",
]  # fmt: skip

HOSTILE_STRINGS = [
    "", " ", "-1", "0", "1e9", "99999999999999999999", "-99999999999999999999", "NaN", "inf",
    "' OR 1=1 --", "\"; DROP TABLE commitments_commitment; --", "1; SELECT pg_sleep(10)",
    "%00", "\x00", "\u202e", "🙂", "é" * 50, "<script>alert(1)</script>", "../../etc/passwd",
    "2012-02-30", "2012-13-01", "0000-00-00", "9999-12-31", "-2012-01-01", "2012-01-01T25:00",
    "=HYPERLINK(\"http://x\")", "a" * 10_000, "status", "-title", "--title", "title__icontains",
    "-", "or", "\"", "-\"a b\" or", "a" * 1000, "quote", "commitment",
]  # fmt: skip

values = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=300),
    st.text(alphabet=string.printable, max_size=40),
)
names = st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=1, max_size=30))
query_strings = st.lists(st.tuples(names, values), max_size=6)
path_segments = st.one_of(st.text(min_size=1, max_size=80), st.sampled_from([text for text in HOSTILE_STRINGS if text]))


def assert_not_a_server_error(client, url, query):
    client.raise_request_exception = False
    response = client.get(url, query)
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500, (url, query, response.status_code)
    if response.streaming:
        # An export fails while streaming, after its 200: read it to the end.
        b"".join(response.streaming_content)


@pytest.fixture
def addresses(seed):
    return public_urls()


# Every example runs in the one test's transaction: GET requests change nothing.
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_query_string_or_path_gives_a_server_error(client, addresses, data):
    url = data.draw(st.sampled_from(addresses), label="address")
    if data.draw(st.integers(0, 3), label="replace a path segment when 0") == 0:
        # Swap the last segment (a slug, or a page name) for random text.
        head, _, tail = url.rstrip("/").rpartition("/")
        segment = data.draw(path_segments, label="segment").replace("/", "%2F")
        url = f"{head}/{segment}/" if url.endswith("/") else f"{head}/{segment}"
    query = data.draw(query_strings, label="query")
    grouped: dict[str, list[str]] = {}
    for name, value in query:
        grouped.setdefault(name, []).append(value)
    assert_not_a_server_error(client, url, grouped)


SUGGESTION_FIELDS = ["what_is_wrong", "evidence_url", "name", "email", "website", "csrfmiddlewaretoken"]


# Fewer examples: each valid one writes a row (and the per-address limit soon answers 429).
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_suggestion_gives_a_server_error(client, seed, data):
    slug = Commitment.objects.published().values_list("slug", flat=True).first()
    language = data.draw(st.sampled_from(["", "/fr"]), label="language")
    fields = data.draw(st.lists(st.tuples(st.sampled_from(SUGGESTION_FIELDS) | names, values), max_size=6))
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    client.raise_request_exception = False
    response = client.post(f"{language}/commitments/{slug}/suggest/", form)
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, (form, response.status_code)
