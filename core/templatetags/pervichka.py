from datetime import timedelta

from django import template

from core.timezones import zone_label

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a timedelta (rounded up): `{{ cooloff_timedelta|minutes }}`."""
    if not value:
        return 0
    return int(-(-value.total_seconds() // 60))


@register.filter
def zone_name(value: str) -> str:
    """A time zone as people name it: `{{ host_zone|zone_name }}` → «МСК+6 (UTC+9)»."""
    return zone_label(value)
