"""An event as an .ics file: a stable UID, a SEQUENCE that rises with every change, times in UTC."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, EventStatus, ExpectedPerson

PRODID = "-//Pervichka//Party events//RU"


def event_uid(event: Event) -> str:
    return f"event-{event.uid}@pervichka"


def _component(event: Event) -> CalendarEvent:
    cancelled = event.is_cancelled
    item = CalendarEvent()
    item.add("uid", event_uid(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("created", event.created_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    if event.place:
        item.add("location", event.place)
    description = [event.description] if event.description else []
    if event.online_url:
        description.append(_("Online: %(url)s") % {"url": event.online_url})
    if cancelled:
        description.append(_("Cancelled: %(reason)s") % {"reason": event.cancel_reason})
    if description:
        item.add("description", "\n\n".join(description))
    item.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def event_ics(event: Event) -> bytes:
    """One event, as a file to import: METHOD:CANCEL once it is cancelled."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.is_cancelled else "PUBLISH")
    calendar.add_component(_component(event))
    return calendar.to_ical()


# A person's private feed carries their events from this long ago on.
FEED_SINCE = timedelta(days=90)


def feed_entries(person) -> list[CalendarEvent]:
    """The person's events for their private calendar feed (core.calendar_feed): one query.

    Events they are on the list of (expected, invited, walked in) or organise, published
    or later (a cancelled one stays, marked CANCELLED, so the calendar drops it), from 90
    days ago. The same UID and SEQUENCE as the event's own .ics, so a calendar that
    imported it updates one entry.
    """
    on_list = ExpectedPerson.objects.filter(event=OuterRef("pk"), person=person, removed_at__isnull=True)
    events = (
        Event.objects.filter(Q(Exists(on_list)) | Q(organiser=person))
        .exclude(status__in=[EventStatus.DRAFT, EventStatus.PROPOSED])
        .filter(starts_at__gte=timezone.now() - FEED_SINCE)
        .order_by("starts_at", "pk")
    )
    return [_component(event) for event in events]
