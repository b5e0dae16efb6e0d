"""The results as a spreadsheet: the contest's name, the column names, one row per entry.

Pure functions on rows; no database here. core.spreadsheets writes the file.
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _


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


def results_table(contest, rows: Iterable[list]) -> Iterator[list]:
    yield [str(contest)]
    yield headers()
    yield from rows
