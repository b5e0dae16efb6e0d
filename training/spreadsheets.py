"""The platform's export as rows: CSV or XLSX, with limits on what a file may unpack to.

Limits (a file beyond them is refused whole, before any row is read):
- the upload itself: MAX_UPLOAD_BYTES (the form says so too);
- an XLSX is a zip: the sum of its members' uncompressed sizes must stay under
  MAX_UNPACKED_BYTES, and it may hold at most MAX_ZIP_MEMBERS members (no zip bombs);
- at most MAX_ROWS data rows (the national export is about 85,000).
"""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.spreadsheets import unescape_cell

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_ROWS = 120_000

# key, header as the platform's export names it (and a few other spellings).
COLUMNS = [
    ("platform_user_id", ("ID пользователя", "user id", "userid", "platform_user_id")),
    ("email", ("E-mail", "email", "адрес электронной почты")),
    ("full_name", ("ФИО", "full name", "fullname")),
    ("course", ("Курс", "course", "courseid", "course id")),
    ("progress", ("Прогресс, %", "progress", "прогресс")),
    ("completed_at", ("Дата завершения", "completed at", "timecompleted", "completed_at")),
    ("score", ("Балл", "score", "grade")),
    ("certificate_code", ("Номер сертификата", "certificate", "certificate_code")),
    ("certificate_url", ("Ссылка на сертификат", "certificate link", "certificate_url")),
]
HEADERS = [names[0] for _key, names in COLUMNS]
_HEADER_TO_KEY = {name.casefold(): key for key, names in COLUMNS for name in names}


class SpreadsheetError(ValueError):
    """The file cannot be read as the platform's export at all (its message says why)."""


def read_rows(content: bytes, file_name: str) -> list[tuple[int, dict]]:
    """The data rows as (row number in the file, {key: text}); the header is row 1."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 10 MB."))
    name = file_name.lower()
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        raw_rows = _csv_rows(content)
    else:
        raise SpreadsheetError(_("Upload an XLSX or CSV file."))
    header = next(raw_rows, None)
    if header is None:
        raise SpreadsheetError(_("The file is empty."))
    keys = [_HEADER_TO_KEY.get(str(cell or "").strip().casefold()) for cell in header]
    missing = {"platform_user_id", "course"} - set(keys)
    if missing:
        raise SpreadsheetError(
            _("The first row must name the columns; the user id and the course columns are missing.")
        )
    rows: list[tuple[int, dict]] = []
    for number, row in enumerate(raw_rows, start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
        rows.append((number, {key: unescape_cell(_text(cell)) for key, cell in zip(keys, row, strict=False) if key}))
    return rows


def _text(cell) -> str:
    if cell is None:
        return ""
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_rows(content: bytes) -> Iterator[Sequence]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> Iterator[Sequence]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise SpreadsheetError(_("The file is not a readable XLSX.")) from None
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("The XLSX unpacks to more than 100 MB; export it as CSV instead."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise SpreadsheetError(_("The file is not a readable XLSX.")) from None
    return iter(workbook.worksheets[0].iter_rows(values_only=True))


def table(rows) -> Iterator[list]:
    """An export in the platform's layout (the demo file), header first."""
    yield HEADERS
    yield from rows
