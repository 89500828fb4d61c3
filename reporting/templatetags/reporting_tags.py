from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal, in the reader's number format."""
    if value is None:
        return "\u2013"  # an en dash: no value
    return f"{number_format(value * 100, decimal_pos=1)} %"


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key, "") if mapping else ""
