"""Exports open in the reader's Excel as a table of real numbers, dates and percentages."""

import csv
import datetime
import io

from django.utils import translation
from openpyxl import load_workbook

from ipsportal.core.exports import Percent, table_response

HEADER = ["Gruppe", "Start", "Andel", "Gennemsnit", "Antal"]
ROWS = [
    ["Flygtning med PTSD", datetime.date(2026, 7, 27), Percent(7 / 9), 51.75, 9],
    ['=HYPERLINK("http://x")', None, Percent(None), None, 0],
    ["-", datetime.date(2026, 1, 2), Percent(0.2903), 1.0, 31],
]


def _csv_rows(language: str, delimiter: str) -> list[list[str]]:
    with translation.override(language):
        response = table_response(filename="t", fmt="csv", header=HEADER, rows=ROWS)
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def test_a_danish_csv_has_semicolons_decimal_commas_danish_dates_and_rounded_percentages():
    rows = _csv_rows("da", ";")
    assert rows[1] == ["Flygtning med PTSD", "27-07-2026", "77,8%", "51,75", "9"]
    assert rows[3] == ["-", "02-01-2026", "29,0%", "1,0", "31"]


def test_an_english_csv_has_commas_decimal_points_and_iso_dates():
    rows = _csv_rows("en", ",")
    assert rows[1] == ["Flygtning med PTSD", "2026-07-27", "77.8%", "51.75", "9"]


def test_a_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    rows = _csv_rows("da", ";")
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert rows[2][1:4] == ["", "", ""]

    response = table_response(filename="t", fmt="xlsx", header=HEADER, rows=ROWS)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == '=HYPERLINK("http://x")'
    assert sheet["A3"].data_type == "s"


def test_an_excel_file_holds_real_dates_and_percentages():
    response = table_response(filename="t", fmt="xlsx", header=HEADER, rows=ROWS)
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["B2"].value == datetime.datetime(2026, 7, 27)
    assert sheet["B2"].number_format == "dd-mm-yyyy"
    assert sheet["C2"].value == 7 / 9
    assert sheet["C2"].number_format == "0.0%"
    assert sheet["D2"].value == 51.75
    assert sheet["A4"].value == "-"
    assert sheet.freeze_panes == "A2"
