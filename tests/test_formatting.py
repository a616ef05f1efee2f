"""Dates and cells as the pages write them: each fast path must say what Django's own
formatting says."""

import datetime

from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.formatting import escaped, format_as_of, format_day, format_partial_date, quick_format_html


@settings(max_examples=300, deadline=None)
@given(day=st.dates(), language=st.sampled_from(["en", "fr"]))
def test_dates_read_as_django_writes_them(day: datetime.date, language: str):
    with translation.override(language):
        expected_day = formats.date_format(day, "j F Y")
        if language == "fr" and day.day == 1:
            expected_day = "1er " + formats.date_format(day, "F Y")
        assert format_day(day) == expected_day
        assert format_partial_date(day, "day") == expected_day
        assert format_partial_date(day, "month") == formats.date_format(day, "F Y")
        assert format_partial_date(day, "year") == str(day.year)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_cells_are_escaped_as_django_escapes_them(text: str):
    for value in (text, mark_safe(text), 42, None, gettext_lazy("Any")):
        assert escaped(value) == conditional_escape(value)
    assert quick_format_html('<a href="{}" title="{}">{}</a>', text, mark_safe("<b>"), 7) == format_html(
        '<a href="{}" title="{}">{}</a>', text, mark_safe("<b>"), 7
    )
    written = quick_format_html("<b>{}</b>", text + "<")
    assert isinstance(written, SafeString) and written.endswith("&lt;</b>")


def test_as_of_takes_the_preposition_its_date_needs():
    """French says "au" before a day and "en" before a month or a year: "au mars 2017" is not French."""
    day = datetime.date(2017, 3, 6)
    expected = {
        "en": ["as of 6 March 2017", "as of March 2017", "as of 2017"],
        "fr": ["au 6 mars 2017", "en mars 2017", "en 2017"],
    }
    for language, phrases in expected.items():
        with translation.override(language):
            assert [format_as_of(day, precision) for precision in ("day", "month", "year")] == phrases
