"""The branch list as a spreadsheet: one column layout for export and import, CSV and XLSX.

Pure functions on rows; no database here. Writing the file is core.spreadsheets' job;
reading an uploaded one back is this module's.
"""

from collections.abc import Iterable, Iterator

from core.spreadsheets import unescape_cell
from core.uploads import UnreadableFile, UploadLimits, read_table

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


def read_rows(content: bytes, file_name: str, limits: UploadLimits) -> tuple[int, Iterator[dict]]:
    """Return (number of data rows, rows as {key: text}); numbering starts at 2 (after the header).

    The file is read within `limits` (core.uploads): past one, UploadRefused names it.
    """
    try:
        raw_rows = read_table(content, file_name, limits)
        header = next(raw_rows)
    except UnreadableFile as error:
        raise SpreadsheetError(str(error)) from error
    except StopIteration:
        raise SpreadsheetError("empty") from None
    keys = [_HEADER_TO_KEY.get(str(cell or "").strip().casefold()) for cell in header]
    missing = {"region_code", "local_branch", "number", "name"} - set(keys)
    if missing:
        raise SpreadsheetError("header")
    try:
        rows = [row for row in raw_rows if any(str(cell or "").strip() for cell in row)]
    except UnreadableFile as error:
        raise SpreadsheetError(str(error)) from error

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
