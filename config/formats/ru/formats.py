# Russian: «29 ноября 2026», «29.11.2026», thousands split by a non-breaking space (Django's).
DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"

SHORT_YEAR_MONTH_FORMAT = "m.Y"  # 11.2026
MONTH_DAY_TIME_FORMAT = "j E, H:i"  # 29 ноября, 10:30
WEEKDAY_DATE_FORMAT = "l, j E Y"  # воскресенье, 29 ноября 2026
WEEKDAY_DATETIME_FORMAT = "l, j E Y, H:i"  # воскресенье, 29 ноября 2026, 10:30
WEEKDAY_MONTH_DAY_TIME_FORMAT = "l, j E, H:i"  # воскресенье, 29 ноября, 10:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D, j E Y, H:i"  # Вс, 29 ноября 2026, 10:30
SHORT_WEEKDAY_MONTH_DAY_TIME_FORMAT = "D, j E, H:i"  # Вс, 29 ноября, 10:30
