"""The branch list as a spreadsheet: one column layout for export and import, CSV and XLSX.

Pure functions on rows; no database here. Writing the file is core.spreadsheets' job;
reading an uploaded one back is this module's.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import load_workbook

from core.spreadsheets import unescape_cell

# key, header (Russian: the staff's spreadsheets are Russian)
COLUMNS = [
    ("region_code", "Код региона"),
    ("local_branch", "Местное отделение"),
    ("number", "Номер"),
    ("name", "Название"),
    ("settlement", "Населённый пункт"),
    ("address", "Адрес"),
    ("members_count", "Членов"),
    ("activists_count", "Активистов"),
    ("opened_on", "Дата открытия"),
    ("closed_on", "Дата закрытия"),
    ("secretary_last_name", "Фамилия секретаря"),
    ("secretary_first_name", "Имя секретаря"),
    ("secretary_patronymic", "Отчество секретаря"),
    ("secretary_phone", "Телефон секретаря"),
    ("secretary_email", "E-mail секретаря"),
]
KEYS = [key for key, _header in COLUMNS]
HEADERS = [header for _key, header in COLUMNS]
_HEADER_TO_KEY = {header.casefold(): key for key, header in COLUMNS} | {key: key for key in KEYS}

SHEET = "Отделения"


class SpreadsheetError(ValueError):
    """The file cannot be read as a branch list at all (not a bad row: a bad file)."""


def table(rows: Iterable[list]) -> Iterator[list]:
    """The export: the header, then the rows (core.spreadsheets writes them)."""
    yield HEADERS
    yield from rows


def read_rows(content: bytes, file_name: str) -> tuple[int, Iterator[dict]]:
    """Return (number of data rows, rows as {key: text}); numbering starts at 2 (after the header)."""
    if file_name.lower().endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    elif file_name.lower().endswith(".csv"):
        raw_rows = _csv_rows(content)
    else:
        raise SpreadsheetError("format")
    try:
        header = next(raw_rows)
    except StopIteration:
        raise SpreadsheetError("empty") from None
    keys = [_HEADER_TO_KEY.get(str(cell or "").strip().casefold()) for cell in header]
    missing = {"region_code", "local_branch", "number", "name"} - set(keys)
    if missing:
        raise SpreadsheetError("header")
    rows = [row for row in raw_rows if any(str(cell or "").strip() for cell in row)]

    def dicts():
        for row in rows:
            values = {}
            for key, cell in zip(keys, row, strict=False):
                if key:
                    values[key] = unescape_cell(_text(cell))
            yield values

    return len(rows), dicts()


def _text(cell) -> str:
    if cell is None:
        return ""
    if hasattr(cell, "date") and hasattr(cell, "hour"):  # a datetime from XLSX
        return cell.date().isoformat()
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_rows(content: bytes) -> Iterator[Sequence]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError:
            raise SpreadsheetError("encoding") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> Iterator[Sequence]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise SpreadsheetError("xlsx") from error
    sheet = workbook.worksheets[0]
    return iter(sheet.iter_rows(values_only=True))
