from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def as_datetime(value):
    """Turn an ISO datetime from a notification's context into an aware datetime.

    `{{ starts_at|as_datetime|date:"j E, H:i" }}` then shows it in the recipient's time zone.
    """
    if isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.get_current_timezone())
