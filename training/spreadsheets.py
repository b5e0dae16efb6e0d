"""The platform's export as rows: CSV or XLSX, read within the project's upload limits.

The upload itself is at most MAX_UPLOAD_BYTES (the form says so); the file is then read
through core.uploads within UPLOAD_LIMITS (what it unpacks to, rows, cells per row, time),
so a zip bomb or an endless sheet is refused before the work, with the limit named.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.spreadsheets import unescape_cell
from core.uploads import MB, UnreadableFile, UploadLimits, UploadRefused, read_table

MAX_UPLOAD_BYTES = 10 * MB
# The national export is about 85,000 rows of nine columns.
UPLOAD_LIMITS = UploadLimits(unpacked_bytes=100 * MB, rows=120_000, cells_per_row=50, seconds=120.0)

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
    if not file_name.lower().endswith((".xlsx", ".csv")):
        raise SpreadsheetError(_("Upload an XLSX or CSV file."))
    try:
        raw_rows = read_table(content, file_name, UPLOAD_LIMITS)
        header = next(raw_rows, None)
        if header is None:
            raise SpreadsheetError(_("The file is empty."))
        keys = [_HEADER_TO_KEY.get(str(cell or "").strip().casefold()) for cell in header]
        if {"platform_user_id", "course"} - set(keys):
            raise SpreadsheetError(
                _("The first row must name the columns; the user id and the course columns are missing.")
            )
        rows: list[tuple[int, dict]] = []
        for number, row in enumerate(raw_rows, start=2):
            if any(str(cell or "").strip() for cell in row):
                rows.append(
                    (number, {key: unescape_cell(_text(cell)) for key, cell in zip(keys, row, strict=False) if key})
                )
    except UploadRefused as error:
        raise SpreadsheetError(str(error)) from error
    except UnreadableFile:
        raise SpreadsheetError(_("The file is not a readable XLSX or CSV.")) from None
    return rows


def _text(cell) -> str:
    if cell is None:
        return ""
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def table(rows) -> Iterator[list]:
    """An export in the platform's layout (the demo file), header first."""
    yield HEADERS
    yield from rows
