"""The results as a spreadsheet (XLSX). Pure functions on rows; no database here."""

import io
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook


def headers() -> list[str]:
    return [
        _("Nomination"),
        _("Place"),
        _("Rank"),
        _("Region"),
        _("Local branch"),
        _("No."),
        _("Primary branch"),
        _("Practice"),
        _("Jurors"),
        _("Score"),
        _("Mean"),
        _("Median"),
        _("Mean z-score"),
        _("Lowest total"),
        _("Highest total"),
        _("Standard deviation"),
    ]


def results_xlsx(contest, rows: Iterable[list], escape: Callable) -> bytes:
    """One sheet: the contest's name, the column names, one row per entry (text cells made inert)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Results")[:31])
    sheet.append([escape(str(contest))])
    sheet.append(headers())
    for row in rows:
        sheet.append([escape(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
