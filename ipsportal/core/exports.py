"""Tables as CSV and Excel downloads, for any page that exports what it shows.

The files are made for the spreadsheet the reader opens them in: Danish Excel reads a CSV
separated by semicolons with decimal commas and day-month-year dates (and English Excel one
separated by commas with decimal points), so the CSV follows the active language. The xlsx file
holds real dates and numbers with their display formats, so they sort and sum in Excel.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


class ExportFormat:
    """The URL converter ``<export_format:fmt>``: csv or xlsx."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Percent:
    """A share between 0 and 1, shown as a percentage with one decimal."""

    fraction: float | None


XLSX_DATE_FORMAT = "dd-mm-yyyy"
XLSX_PERCENT_FORMAT = "0.0%"
# A CSV cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        if value.fraction is None:
            return ""
        return formats.number_format(round(value.fraction * 100, 1), 1) + "%"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), _csv_date_format() + " H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, _csv_date_format())
    if isinstance(value, float):
        return formats.number_format(value)
    text = str(value)
    if len(text) > 1 and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_date_format() -> str:
    """Danish Excel reads day-month-year with hyphens (the Danish short date); other languages
    get ISO dates, which every Excel reads."""
    return "d-m-Y" if (get_language() or "").startswith("da") else "Y-m-d"


def _csv_delimiter() -> str:
    """A list separator that is not the decimal separator, as Excel's own locale settings pair
    them."""
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


def _csv_response(header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=_csv_delimiter())
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    # The byte-order mark makes Excel read the file as UTF-8 (æ, ø and å).
    return HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")


def _xlsx_response(header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(title) for title in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(title)) for title in header]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, Percent):
                cell.value = value.fraction
                cell.number_format = XLSX_PERCENT_FORMAT
            elif isinstance(value, datetime.datetime):
                cell.value = timezone.localtime(value).replace(tzinfo=None)
                cell.number_format = XLSX_DATE_FORMAT + " hh:mm"
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = XLSX_DATE_FORMAT
            elif isinstance(value, int | float) or value is None:
                cell.value = value
            else:
                # Typed as text, so a value starting with "=" is never a formula.
                cell.value = str(value)
                cell.data_type = TYPE_STRING
            widths[column - 1] = max(widths[column - 1], len(str(cell.value or "")))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width, 10) + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def table_response(
    *, filename: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """``fmt`` is "csv" or "xlsx". Cells are text, numbers, dates, datetimes, ``Percent`` or
    None (an empty cell)."""
    response = _xlsx_response(header, rows) if fmt == "xlsx" else _csv_response(header, rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
