"""Dates as the pages write them: the fast path must say what Django's own formatting says."""

import datetime

from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.formatting import format_day, format_partial_date


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
