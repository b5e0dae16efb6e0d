"""Spreadsheets out: rows to XLSX or CSV, every text cell made inert, sent as a download.

Each app keeps its own columns (`<app>/spreadsheets.py`) and passes rows here, header rows
first, values typed (numbers, dates, text). XLSX writes typed cells: a text cell is never a
formula. In CSV a text cell that a spreadsheet program would run as a formula (CSV
injection) gets a leading quote; `unescape_cell` undoes it, so a file exported here imports
back unchanged.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def escape_cell(value) -> object:
    """Make a text cell inert: prefix a quote when it would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo escape_cell when a file comes back (the branch import)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


def xlsx_content(rows: Iterable[Sequence], *, sheet: str) -> bytes:
    """One sheet named `sheet`, one line per row, every cell typed.

    Numbers are numbers, dates are dates (shown as 31.12.2025; an aware datetime in the
    current time zone), and text is a text cell: a string cell is never a formula,
    whatever it starts with, so a phone «+7914…» needs no quote in front.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])  # Excel's limit on a sheet's name
    for row in rows:
        worksheet.append([_typed_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed_cell(worksheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: this cell is text
        return cell
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def csv_content(rows: Iterable[Sequence]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, which is what Excel opens correctly with Cyrillic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(["" if value is None else escape_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def spreadsheet_response(rows: Iterable[Sequence], *, fmt: str, name: str, sheet: str = "") -> FileResponse:
    """The rows as a download `<name>.<fmt>` (fmt: "xlsx" or "csv").

    FileResponse writes the Content-Disposition: a plain file name when it is ASCII, and
    filename*=utf-8''… (RFC 6266) when it is not, so a Cyrillic name reaches the browser intact.
    """
    content = xlsx_content(rows, sheet=sheet or name) if fmt == "xlsx" else csv_content(rows)
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )
    # Spreadsheets hold personal data (names, phones): no shared or disk cache keeps them.
    patch_cache_control(response, private=True, no_store=True)
    return response
