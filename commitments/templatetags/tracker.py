import functools

from django import template
from django.utils.translation import get_language

from ..formatting import format_partial_date, format_quantity, labels_of
from ..models import Status

register = template.Library()


@register.simple_tag
def partial_date(value, precision):
    return format_partial_date(value, precision)


@register.filter
def quantity(value):
    return format_quantity(value)


@functools.cache
def _status_labels(language: str | None) -> dict[str, str]:
    return labels_of(Status)


@register.filter
def status_label(value: str) -> str:
    """A status's label in the active language. get_status_display() rebuilds a map of
    lazy translations per call: a fifth of a page listing 100 status updates."""
    return _status_labels(get_language()).get(value, value)
