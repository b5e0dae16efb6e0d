"""Time zones as people in Russia name them: «МСК+6 (UTC+9)», never «Asia/Yakutsk»."""

import zoneinfo
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def _hours(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02}" if rest else "")


def zone_label(name: str, *, at: datetime | None = None) -> str:
    """«МСК+6 (UTC+9)» for Asia/Yakutsk, «московское время (UTC+3)» for Moscow, at the given instant."""
    at = at or timezone.now()
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return name
    offset = at.astimezone(zone).utcoffset() or timedelta()
    from_moscow = offset - (at.astimezone(MOSCOW).utcoffset() or timedelta())
    utc = f"UTC{_hours(offset)}" if offset else "UTC"
    if not from_moscow:
        return _("Moscow time (%(utc)s)") % {"utc": utc}
    return _("MSK%(hours)s (%(utc)s)") % {"hours": _hours(from_moscow), "utc": utc}
