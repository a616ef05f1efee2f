"""Small pieces of HTML that pages and tables repeat per row: status badges and progress
meters (written in Python: a template per row cost more than the rest of the row)."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def progress_meter_html(*, reading: str, target: str, unit: str, percent: int | None, title="", stage="") -> SafeString:
    """'250 of 600 troops pledged (42%)' and a <meter> whose name repeats it.

    Written in Python, not a template: a table page draws one per row (a template per
    row was a tenth of the page). The texts are the catalogue's, so French reads the same."""
    reading, target, unit, title, stage = map(conditional_escape, (reading, target, unit, title, stage))
    stage_words = f" {stage}" if stage else ""
    if percent is None:
        return mark_safe(f"{reading} {unit}{stage_words}" if reading else "")
    words = gettext("%(reading)s of %(target)s %(unit)s") % {"reading": reading, "target": target, "unit": unit}
    share = gettext("%(percent)s%%") % {"percent": percent}
    if title:
        name = gettext("Progress of “%(title)s”: %(percent)s%% of the target") % {"title": title, "percent": percent}
    else:
        name = gettext("Progress: %(percent)s%% of the target") % {"percent": percent}
    return mark_safe(
        f'<span class="progress">{words}{stage_words} <span class="percent">({share})</span>\n'
        f'<meter min="0" max="100" value="{percent}" aria-label="{name}">{share}</meter></span>'
    )


def status_badge(status: str, label: str) -> SafeString:
    """A status in words, styled by its code (the words carry the meaning, not the colour)."""
    return format_html('<span class="status status-{}">{}</span>', status, label)
