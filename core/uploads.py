"""Uploads read within limits: a hostile spreadsheet is refused before it costs anything.

An XLSX file is a zip archive: 500 KB can unpack to 150 MB and a million rows (a zip
bomb). Every upload Pervichka reads goes through `read_table` with the limits of its use
(`UploadLimits`): the archive's unpacked size is checked from its directory (zipfile never
unpacks more than a member declares), the rows of each sheet are counted on the unpacked
stream before any parsing, and the parse itself stops at the row, cells-per-row and time
limits. Each refusal names the limit it hit. `ErrorList` keeps the first errors of a
file and counts the rest ("and 1,234 more").
"""

import csv
import io
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """What one kind of upload may cost; the defaults suit a list of a few tens of thousands of rows."""

    unpacked_bytes: int = 100 * MB
    rows: int = 100_000
    cells_per_row: int = 100
    seconds: float = 120.0
    errors: int = 500


class UploadRefused(ValueError):
    """The file exceeds a limit; the message names it, for the person who uploaded it."""


class UnreadableFile(ValueError):
    """The file is not a spreadsheet of the expected kind at all."""


def _n(number: int) -> str:
    return number_format(number, force_grouping=True)


class _Deadline:
    def __init__(self, limits: UploadLimits):
        self.limits = limits
        self.ends = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise UploadRefused(
                _("Reading the file took longer than %(seconds)s seconds, the limit for this upload.")
                % {"seconds": _n(int(self.limits.seconds))}
            )


def _too_many_rows(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _("The file has more than %(rows)s rows, the limit for this upload.") % {"rows": _n(limits.rows)}
    )


def check_xlsx(content: bytes, limits: UploadLimits, *, deadline: _Deadline | None = None) -> None:
    """Refuse an XLSX whose archive unpacks past the limit or whose sheets hold too many rows.

    Steps: 1. sum the unpacked sizes the archive's directory declares (zipfile stops a member
    at its declared size, so a lie makes the file unreadable, not larger); 2. unpack each
    worksheet as a stream and count its rows, stopping at the limit, before any XML parsing.
    """
    deadline = deadline or _Deadline(limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile("xlsx") from error
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.unpacked_bytes:
        raise UploadRefused(
            _("The file unpacks to %(size)s MB, more than the limit of %(limit)s MB for this upload.")
            % {"size": _n(unpacked // MB), "limit": _n(limits.unpacked_bytes // MB)}
        )
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            _count_rows(archive, member, limits, deadline)


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: UploadLimits, deadline: _Deadline) -> None:
    rows, tail = 0, b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                data = tail + chunk
                rows += _row_tags(data)
                tail = data[-5:]  # a tag cut in two by the chunk is counted with the next one
                rows -= _row_tags(tail)  # ...and one wholly inside the tail is not counted twice
                if rows > limits.rows:
                    raise _too_many_rows(limits)
                deadline.check()
    # NotImplementedError is zipfile's answer to a compression method it cannot unpack.
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise UnreadableFile("xlsx") from error


def _row_tags(data: bytes) -> int:
    return data.count(b"<row ") + data.count(b"<row>") + data.count(b":row ")


def _limited(rows: Iterator[Sequence], limits: UploadLimits, deadline: _Deadline) -> Iterator[Sequence]:
    for number, row in enumerate(rows, start=1):
        if number > limits.rows:
            raise _too_many_rows(limits)
        if len(row) > limits.cells_per_row:
            # Trailing empty cells are padding, not content.
            row = list(row)
            while row and row[-1] in (None, ""):
                row.pop()
            if len(row) > limits.cells_per_row:
                raise UploadRefused(
                    _("Row %(row)s has more than %(cells)s cells, the limit for this upload.")
                    % {"row": _n(number), "cells": _n(limits.cells_per_row)}
                )
        if number % 100 == 0:
            deadline.check()
        yield row


def read_table(content: bytes, file_name: str, limits: UploadLimits) -> Iterator[Sequence]:
    """The rows of an uploaded XLSX (first sheet) or CSV, read within `limits`.

    Raises UnreadableFile for a file that is not XLSX or CSV, UploadRefused (while checking
    or while iterating) for one past a limit.
    """
    deadline = _Deadline(limits)
    name = file_name.lower()
    if name.endswith(".xlsx"):
        check_xlsx(content, limits, deadline=deadline)
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        if len(content) > limits.unpacked_bytes:
            raise UploadRefused(
                _("The file is larger than %(limit)s MB, the limit for this upload.")
                % {"limit": _n(limits.unpacked_bytes // MB)}
            )
        rows = _csv_rows(content)
    else:
        raise UnreadableFile("format")
    return _limited(rows, limits, deadline)


def _xlsx_rows(content: bytes) -> Iterator[Sequence]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise UnreadableFile("xlsx") from error
    # Ignore the sheet's declared dimension: a lying one would pad every row to 16,384 cells.
    sheet.reset_dimensions()
    try:
        yield from sheet.iter_rows(values_only=True)
    except UploadRefused:
        raise
    except Exception as error:  # a broken sheet halfway through
        raise UnreadableFile("xlsx") from error


def _csv_rows(content: bytes) -> Iterator[Sequence]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError:
            raise UnreadableFile("encoding") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as error:  # a field past csv's own size limit, a stray NUL
        raise UnreadableFile("csv") from error


@dataclass
class ErrorList:
    """The first `limit` errors of a file, and how many more there were."""

    limit: int
    items: list[dict] = field(default_factory=list)
    more: int = 0

    def add(self, row: int | None, message: str, *, column: str = "") -> None:
        """Keep one error: the row as numbered in the spreadsheet, the column it is in (when known)."""
        if len(self.items) < self.limit:
            item: dict = {"row": row, "message": str(message)}
            if column:
                item["column"] = str(column)
            self.items.append(item)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.more

    def as_list(self) -> list[dict]:
        """The kept errors, then one line saying how many more there were (when there were)."""
        if not self.more:
            return list(self.items)
        summary = ngettext("…and %(count)s more error.", "…and %(count)s more errors.", self.more) % {
            "count": _n(self.more)
        }
        return [*self.items, {"row": None, "message": summary}]


# Files attached to a record (a contest entry, an assignment's report) -------------------------
#
# Judged by their content, never by their name or the browser's claimed type: the first
# bytes say what a file is (filetype); only images and PDF files are taken.

MAX_FILE_BYTES = 10 * MB
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
}


def check_file(upload, *, max_bytes: int = MAX_FILE_BYTES, allowed: dict[str, str] | None = None) -> tuple[str, str]:
    """Return (content type, extension) of an image or PDF upload, judged by its content, or refuse it
    with a ValidationError naming the file and the rule."""
    import filetype
    from django.core.exceptions import ValidationError

    allowed = DOCUMENT_TYPES if allowed is None else allowed
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise ValidationError(_("«%(name)s» is larger than 10 MB.") % {"name": name}, code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise ValidationError(
            _("«%(name)s» is not an image or a PDF file (the content was checked, not the name).") % {"name": name},
            code="bad_type",
        )
    return kind.mime, allowed[kind.mime]


def original_name(upload, fallback: str) -> str:
    """The upload's own file name without any folder a browser sent, at most 200 characters."""
    return (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or fallback
