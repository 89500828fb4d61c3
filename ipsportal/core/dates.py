import datetime

from django.utils import formats

# How the portal writes a day in a sentence, in the active language: "9. december 2026".
DAY_FORMAT = "j. F Y"


def day_text(value: datetime.date) -> str:
    return formats.date_format(value, DAY_FORMAT)
