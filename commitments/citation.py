"""Suggested citation for a commitment's page, the same on the page and in the CSV."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formatting import format_partial_date
from .models import Commitment

TRACKER_NAME = gettext_lazy("Commitment Tracker: Canada's R2P and peace-and-security commitments")


def suggested_citation(commitment: Commitment, *, url: str, accessed_on: datetime.date) -> str:
    """Title, tracker, URL, date accessed and the date the verdict is as of."""
    if commitment.status_as_of is None:
        as_of = _("not yet assessed")
    else:
        as_of = _("status as of %(date)s") % {
            "date": format_partial_date(commitment.status_as_of, commitment.status_as_of_precision)
        }
    return _("“%(title)s.” %(tracker)s. %(url)s (%(as_of)s; accessed %(accessed)s).") % {
        "title": commitment.title,
        "tracker": TRACKER_NAME,
        "url": url,
        "as_of": as_of,
        "accessed": formats.date_format(accessed_on, "j F Y"),
    }
