"""The federal overview of councils as an XLSX workbook (headers in the viewer's language)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from branches.spreadsheets import escape_cell


def overview_headers() -> list[str]:
    return [
        _("Code"),
        _("Region"),
        _("Representative seats"),
        _("Filled"),
        _("Vacant"),
        _("Chair"),
        _("Chair's term until"),
        _("Expiring within 60 days"),
        _("Expiring within 30 days"),
        _("Expiring within 7 days"),
    ]


def overview_xlsx(rows) -> bytes:
    """One line per region's council; dates as real dates, so the sheet sorts and filters them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Councils"))
    sheet.append(overview_headers())
    for row in rows:
        sheet.append(
            [
                row.region.code,
                row.region.name,
                row.local_branches,
                row.filled,
                row.vacant,
                escape_cell(row.chair.person.full_name) if row.chair else "",
                row.chair_ends_on,
                row.expiring_60,
                row.expiring_30,
                row.expiring_7,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
