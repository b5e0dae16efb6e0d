from datetime import timedelta

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


@register.filter
def marked(value: str) -> str:
    """Text with search matches between \\x02 and \\x03 (ts_headline's markers), escaped, the
    matches in <mark>: `{{ entry.headline|marked }}`."""
    escaped = conditional_escape(value or "")
    return mark_safe(escaped.replace("\x02", "<mark>").replace("\x03", "</mark>"))  # escaped above
