# English: "November 29, 2026", "11/29/2026", thousands split by a comma (Django's); 24-hour times.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "F j, Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"

SHORT_YEAR_MONTH_FORMAT = "m/Y"  # 11/2026
MONTH_DAY_TIME_FORMAT = "F j, H:i"  # November 29, 10:30
WEEKDAY_DATE_FORMAT = "l, F j, Y"  # Sunday, November 29, 2026
WEEKDAY_DATETIME_FORMAT = "l, F j, Y, H:i"  # Sunday, November 29, 2026, 10:30
WEEKDAY_MONTH_DAY_TIME_FORMAT = "l, F j, H:i"  # Sunday, November 29, 10:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D, M j, Y, H:i"  # Sun, Nov 29, 2026, 10:30
SHORT_WEEKDAY_MONTH_DAY_TIME_FORMAT = "D, M j, H:i"  # Sun, Nov 29, 10:30
