"""core.uploads: hostile spreadsheets are refused fast, with the limit named; errors are capped and counted."""

import io
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from core.uploads import MB, ErrorList, UnreadableFile, UploadLimits, UploadRefused, read_table


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(sheet_chunks, repeat: int) -> bytes:
    """A real XLSX whose first sheet is replaced by `sheet_chunks` (the middle one repeated)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in source.infolist():
            if member.filename == "xl/worksheets/sheet1.xml":
                head, body, tail = sheet_chunks
                with bomb.open(member.filename, "w", force_zip64=True) as stream:
                    stream.write(head)
                    for _ in range(repeat):
                        stream.write(body)
                    stream.write(tail)
            else:
                bomb.writestr(member, source.read(member))
    return out.getvalue()


HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"
ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def _drain(rows):
    return sum(1 for _ in rows)


def test_a_zip_bomb_is_refused_in_under_a_second_naming_the_unpacked_limit():
    bomb = _with_sheet((HEAD, ROW * 3000, TAIL), repeat=1100)  # 154 MB of rows, like the probe's bomb
    assert len(bomb) < 1 * MB
    started = time.monotonic()
    with translation.override("en"), pytest.raises(UploadRefused) as refusal:
        _drain(read_table(bomb, "bomb.xlsx", UploadLimits()))
    assert time.monotonic() - started < 1
    assert "unpacks to 154 MB, more than the limit of 100 MB" in str(refusal.value)


def test_rows_past_the_limit_are_counted_on_the_stream_before_parsing():
    many = _with_sheet((HEAD, ROW * 1000, TAIL), repeat=150)  # 150,000 rows in 7 MB
    started = time.monotonic()
    with translation.override("en"), pytest.raises(UploadRefused, match="more than 100,000 rows"):
        read_table(many, "many.xlsx", UploadLimits())
    assert time.monotonic() - started < 1


def test_a_row_with_too_many_cells_is_refused_naming_the_row():
    wide = _xlsx([["Код", "Имя"], ["28", *["x"] * 150]])
    with translation.override("en"), pytest.raises(UploadRefused, match="Row 2 has more than 100 cells"):
        _drain(read_table(wide, "wide.xlsx", UploadLimits()))


def test_a_lying_dimension_does_not_pad_rows_to_the_last_column():
    lying = _with_sheet((HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD3"/><sheetData>'), ROW, TAIL), repeat=3)
    assert [list(row) for row in read_table(lying, "lying.xlsx", UploadLimits())] == [["x"]] * 3


def test_csv_rows_and_time_are_limited_too():
    content = "\n".join(f"{n};x" for n in range(20)).encode()
    with translation.override("en"), pytest.raises(UploadRefused, match="more than 10 rows"):
        _drain(read_table(content, "list.csv", UploadLimits(rows=10)))
    with translation.override("en"), pytest.raises(UploadRefused, match="longer than 0 seconds"):
        _drain(read_table("\n".join(["1;x"] * 500).encode(), "list.csv", UploadLimits(seconds=0)))


def test_a_file_that_is_not_a_spreadsheet_is_unreadable_not_refused():
    with pytest.raises(UnreadableFile):
        _drain(read_table(b"MZ\x90\x00", "x.xlsx", UploadLimits()))
    with pytest.raises(UnreadableFile):
        read_table(b"a;b", "x.pdf", UploadLimits())


def test_an_error_list_keeps_the_first_errors_and_says_how_many_more():
    errors = ErrorList(limit=3)
    for row in range(2, 1240):
        errors.add(row, "bad")
    assert len(errors) == 1238
    with translation.override("en"):
        listed = errors.as_list()
    assert [e["row"] for e in listed] == [2, 3, 4, None]
    assert listed[-1]["message"] == "…and 1,235 more errors."
