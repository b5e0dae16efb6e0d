"""iCalendar output: one booking as an .ics file, and a person's private feed.

The UID is the booking's own and never changes; SEQUENCE rises with every move or
cancellation, so a calendar that imported the booking updates its entry instead of
adding a second one. Times are written in UTC; calendar programs show them in the
reader's zone.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from receptions.models import Booking

PRODID = "-//Pervichka//Personal receptions//RU"


def booking_uid(booking: Booking) -> str:
    return f"{booking.uid}@pervichka"


def _event(booking: Booking) -> Event:
    slot = booking.slot
    schedule = slot.schedule
    cancelled = booking.status == Booking.Status.CANCELLED
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", booking.updated_at)
    event.add("last-modified", booking.updated_at)
    event.add("created", booking.created_at)
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add(
        "summary",
        _("Reception: %(host)s and %(secretary)s") % {"host": booking.host, "secretary": booking.secretary},
    )
    if schedule.where:
        event.add("location", schedule.where)
    description = [_("Topic: %(topic)s") % {"topic": booking.topic}]
    if booking.questions:
        description.append(booking.questions)
    if schedule.online_url:
        description.append(_("Online: %(url)s") % {"url": schedule.online_url})
    if cancelled and booking.cancel_reason:
        description.append(_("Cancelled: %(reason)s") % {"reason": booking.cancel_reason})
    event.add("description", "\n\n".join(description))
    event.add("url", f"{settings.SITE_URL}{booking.get_absolute_url()}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{booking.host.email or 'noreply@pervichka.local'}")
    organizer.params["cn"] = vText(booking.host.full_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.secretary.email or 'noreply@pervichka.local'}")
    attendee.params["cn"] = vText(booking.secretary.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    return event


def booking_ics(booking: Booking) -> bytes:
    """One booking, as a file to import: METHOD:CANCEL once it is cancelled."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if booking.status == Booking.Status.CANCELLED else "PUBLISH")
    calendar.add_component(_event(booking))
    calendar.validate()
    return calendar.to_ical()


def feed_ics(bookings: Iterable[Booking], *, name: str, extra: Iterable = ()) -> bytes:
    """A subscription feed: every booking, cancelled ones marked STATUS:CANCELLED, then the
    entries other apps add (core.calendar_feed: party events)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    for booking in bookings:
        calendar.add_component(_event(booking))
    for entry in extra:
        calendar.add_component(entry)
    return calendar.to_ical()
