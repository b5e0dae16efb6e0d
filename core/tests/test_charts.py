"""Chart data comes in one shape, the one static/js/charts.js and council-timeline.js read."""

import json
from datetime import date

from django.utils import translation
from django.utils.translation import gettext_lazy

from core import charts


def test_a_chart_is_labels_series_and_options_ready_for_json():
    with translation.override("ru"):
        data = charts.chart(
            (code for code in ("10", "28")),
            charts.Series(gettext_lazy("with a secretary"), (n for n in (3, 4)), charts.BLUE),
            charts.Series("without", [1, 0], charts.RED),
            today=charts.day_number(date(1970, 1, 11)),
        )
    assert data == {
        "labels": ["10", "28"],
        "series": [
            {"label": "с секретарём", "data": [3, 4], "color": "#0d6efd"},  # lazy text, made plain
            {"label": "without", "data": [1, 0], "color": "#dc3545"},
        ],
        "today": 10,
    }
    json.dumps(data)  # plain values only: json_script writes it as it is
