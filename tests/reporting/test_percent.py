"""Percentages are rounded, not cut, and written the reader's way."""

from django.utils import translation

from ipsportal.core.templatetags.numbers import percent


def test_percentages_are_rounded_half_up_in_danish():
    with translation.override("da"):
        assert percent(7 / 9) == "77,8 %"
        assert percent(0.2903) == "29,0 %"
        assert percent(0.59949) == "59,9 %"
        assert percent(0.59951) == "60,0 %"
        assert percent(1) == "100,0 %"
        assert percent(None) == "\u2013"


def test_percentages_in_english_use_a_decimal_point():
    with translation.override("en"):
        assert percent(7 / 9) == "77.8 %"
