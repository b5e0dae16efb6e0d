"""The branch list as a spreadsheet: one column layout for export and import, CSV and XLSX.

Pure functions on rows; no database here. Writing the file is core.spreadsheets' job;
reading an uploaded one back is this module's.
"""

from collections.abc import Iterable, Iterator

from openpyxl.utils import get_column_letter

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


def read_rows(content: bytes, file_name: str, limits: UploadLimits) -> tuple[int, Iterator[dict], dict[str, str]]:
    """Return (number of data rows, rows as {key: text}, columns); numbering starts at 2 (after the header).

    `columns` names each key's column as the file has it, letter and header («C «Номер»»),
    so an error points at the cell; a column the file lacks is named by its export header.
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

    columns = dict(COLUMNS)
    for index, (key, cell) in enumerate(zip(keys, header, strict=False)):
        if key:
            columns[key] = f"{get_column_letter(index + 1)} «{str(cell).strip()}»"
    return len(rows), dicts(), columns


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
