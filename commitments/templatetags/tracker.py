from django import template

from ..formatting import format_partial_date, format_quantity

register = template.Library()


@register.simple_tag
def partial_date(value, precision):
    return format_partial_date(value, precision)


@register.filter
def quantity(value):
    return format_quantity(value)
