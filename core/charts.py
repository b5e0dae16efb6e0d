"""Chart data in one shape, for the scripts that draw it (static/js/charts.js, council-timeline.js).

A chart is {"labels": [...], "series": [{"label", "data", "color"}, ...]} plus whatever options
its script reads (the timeline's axis bounds, for one). A view puts `chart(...)` in the
context and the template writes it with `{{ chart|json_script:"id" }}` next to its canvas.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Bootstrap's colours, so that a chart matches the badges around it.
BLUE = "#0d6efd"
GREEN = "#198754"
RED = "#dc3545"
ORANGE = "#fd7e14"
GREY = "#adb5bd"

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Series:
    label: str
    data: Iterable
    color: str


def chart(labels: Iterable, *series: Series, **options) -> dict:
    """The JSON-ready data of one chart: its labels, its series in order, and its options."""
    return {
        "labels": list(labels),
        "series": [{"label": str(s.label), "data": list(s.data), "color": s.color} for s in series],
        **options,
    }


def day_number(day: date) -> int:
    """A date as days since 1970-01-01: what a linear axis plots without a date adapter."""
    return (day - EPOCH).days
