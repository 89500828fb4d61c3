"""Tables as CSV and Excel downloads, for any page that exports what it shows."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook


class ExportFormat:
    """The URL converter ``<export_format:fmt>``: csv or xlsx."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def table_response(
    *, filename: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """``fmt`` is "csv" (UTF-8 with a byte-order mark, so Excel reads æ, ø and å) or "xlsx"."""
    safe_rows = [[_safe(value) for value in row] for row in rows]
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(header))
        for row in safe_rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(safe_rows)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
