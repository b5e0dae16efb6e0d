"""Spreadsheets out: inert text cells, both formats, a download with any file name."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from core.spreadsheets import csv_content, escape_cell, spreadsheet_response, unescape_cell, xlsx_content

ROWS = [["Название", "Членов"], ['=HYPERLINK("http://evil")', 40], ["-5", -5], ["@SUM(A1)", None], ["Голиковка", 31]]


def test_text_that_would_run_as_a_formula_is_quoted_and_comes_back_unchanged():
    for text in ("=1+1", "+7 999", "-5", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
        assert unescape_cell(escape_cell(text)) == text
    assert escape_cell("Голиковка") == "Голиковка"
    assert escape_cell(-5) == -5  # a number is a number, not a formula
    assert unescape_cell("'quoted on purpose") == "'quoted on purpose"


def test_xlsx_writes_typed_cells_and_text_is_never_a_formula():
    rows = [*ROWS, ["+79141234567", date(2025, 3, 1)], ["когда", datetime(2026, 9, 16, 3, 0, tzinfo=UTC)]]
    sheet = load_workbook(io.BytesIO(xlsx_content(rows, sheet="Отделения"))).active
    assert sheet.title == "Отделения"
    values = list(sheet.iter_rows(values_only=True))
    assert values[5][1].date() == date(2025, 3, 1)
    assert values[:6] == [
        ("Название", "Членов"),
        ('=HYPERLINK("http://evil")', 40),
        ("-5", -5),
        ("@SUM(A1)", None),
        ("Голиковка", 31),
        ("+79141234567", values[5][1]),  # a phone without a quote; a date cell
    ]
    cells = list(sheet.iter_rows())
    assert all(row[0].data_type == "s" for row in cells)  # text, not formulas
    assert cells[1][1].data_type == "n" and cells[5][1].is_date
    assert cells[5][1].number_format == "DD.MM.YYYY"
    assert cells[6][1].number_format == "DD.MM.YYYY HH:MM"


def test_csv_quotes_cells_that_would_run_as_formulas():
    text = csv_content(ROWS).decode("utf-8")
    assert text.startswith("\ufeffНазвание;Членов\r\n")
    assert "'-5;-5\r\n'@SUM(A1);\r\n" in text


def test_a_download_names_its_file_even_in_cyrillic():
    response = spreadsheet_response(ROWS, fmt="csv", name="branches-28")
    assert response["Content-Disposition"] == 'attachment; filename="branches-28.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    response = spreadsheet_response(ROWS, fmt="xlsx", name="Отделения Амурской области")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%9E%D1%82%D0%B4%D0%B5%D0%BB%D0%B5%D0%BD%D0%B8%D1%8F%20"
        "%D0%90%D0%BC%D1%83%D1%80%D1%81%D0%BA%D0%BE%D0%B9%20%D0%BE%D0%B1%D0%BB%D0%B0%D1%81%D1%82%D0%B8.xlsx"
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    content = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(content)).active.title == "Отделения Амурской области"


def test_every_spreadsheet_download_is_private_and_not_stored():
    from core.spreadsheets import spreadsheet_response

    for fmt in ("xlsx", "csv"):
        response = spreadsheet_response([["Фамилия"], ["Иванова"]], fmt=fmt, name="people")
        assert response["Cache-Control"] == "private, no-store"
