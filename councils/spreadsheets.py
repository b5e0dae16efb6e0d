"""The federal overview of councils as a spreadsheet (headers in the viewer's language).

Pure functions on rows; no database here. core.spreadsheets writes the file.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _


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


def overview_table(rows) -> Iterator[list]:
    """One line per region's council; dates as real dates, so the sheet sorts and filters them."""
    yield overview_headers()
    for row in rows:
        yield [
            row.region.code,
            row.region.name,
            row.local_branches,
            row.filled,
            row.vacant,
            row.chair.person.full_name if row.chair else "",
            row.chair_ends_on,
            row.expiring_60,
            row.expiring_30,
            row.expiring_7,
        ]
