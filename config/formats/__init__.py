"""Date formats by language, on top of Django's own (FORMAT_MODULE_PATH in settings).

Templates and code name a format instead of spelling one out, so each language keeps its
own order: `{{ day|date:"DATE_FORMAT" }}`, `formats.date_format(day, "SHORT_DATE_FORMAT")`.
Besides Django's names (DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT, YEAR_MONTH_FORMAT,
TIME_FORMAT, SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT) each language defines the names in
EXTRA_FORMATS; Django's get_format() looks a name up in these modules first, and a name
missing here would be taken as a format string itself, so core/tests/test_formats.py checks
that every language defines every name. Times are 24-hour in both languages.
"""

EXTRA_FORMATS = (
    "SHORT_YEAR_MONTH_FORMAT",
    "MONTH_DAY_TIME_FORMAT",
    "WEEKDAY_DATE_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
    "WEEKDAY_MONTH_DAY_TIME_FORMAT",
    "SHORT_WEEKDAY_DATETIME_FORMAT",
    "SHORT_WEEKDAY_MONTH_DAY_TIME_FORMAT",
)
