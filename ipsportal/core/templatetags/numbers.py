from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal, rounded half up (7/9 is 77,8 %, not the
    77,7 % Django's number_format would cut it to), in the reader's number format."""
    if value is None:
        return "\u2013"  # an en dash: no value
    rounded = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, decimal_pos=1)} %"
