"""Calendar files and feeds: a moved or cancelled reception updates one entry, and the output is valid."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from receptions import services
from receptions.calendars import booking_uid
from receptions.models import CalendarFeed
from receptions.tests.factories import book, free_slot, weekly_hours

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def _parse(content: bytes) -> Calendar:
    """Parse strictly: icalendar records the lines it could not read in `errors`."""
    calendar = Calendar.from_ical(content)
    calendar.validate()
    for component in calendar.walk():
        assert not component.errors, component.errors
    return calendar


def _event(client, booking):
    response = client.get(reverse("receptions:booking_ics", args=[booking.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reception-2026-05-13.ics"'
    assert response["Cache-Control"] == "private, no-store"
    calendar = _parse(response.content)
    (event,) = calendar.events
    return calendar, event


def test_the_ics_of_a_booking_keeps_its_uid_and_raises_its_sequence(client_for, cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    client = client_for("secretary")

    calendar, event = _event(client, booking)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (booking_uid(booking), 0, "CONFIRMED")
    assert event.start == datetime(2026, 5, 13, 1, 0, tzinfo=UTC)  # 10:00 in Blagoveshchensk
    assert event.end == datetime(2026, 5, 13, 1, 30, tzinfo=UTC)
    assert "ул. Ленина, 135" in str(event["LOCATION"])
    assert "Ремонт дороги" in str(event["DESCRIPTION"])

    services.booking_move(booking=booking, slot=free_slot(schedule, 1))  # the next free: 11:00
    _calendar, moved = _event(client, booking)
    assert (str(moved["UID"]), moved["SEQUENCE"]) == (booking_uid(booking), 1)
    assert moved.start == datetime(2026, 5, 13, 2, 0, tzinfo=UTC)

    services.booking_cancel(booking=booking, by="secretary")
    calendar, cancelled = _event(client, booking)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert (str(cancelled["UID"]), cancelled["SEQUENCE"], str(cancelled["STATUS"])) == (
        booking_uid(booking),
        2,
        "CANCELLED",
    )


def test_the_host_downloads_the_same_entry(client_for, cast):
    booking = book(cast)
    _calendar, for_secretary = _event(client_for("secretary"), booking)
    _calendar, for_host = _event(client_for("host"), booking)
    assert str(for_secretary["UID"]) == str(for_host["UID"])


def _create_feed(client) -> str:
    client.post(reverse("receptions:calendar"), {"action": "create"})
    response = client.get(reverse("receptions:calendar"))
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/receptions/calendar/")
    assert client.get(reverse("receptions:calendar")).context["feed_url"] == ""  # shown once
    return url.removeprefix("http://testserver")


def test_each_side_subscribes_to_a_private_feed_of_their_receptions(client_for, cast, client):
    first = book(cast)
    services.booking_cancel(booking=first, by="secretary")
    second = book(cast, slot=free_slot(weekly_hours(cast, weekday=4)))
    secretary_feed = _create_feed(client_for("secretary"))
    host_feed = _create_feed(client_for("host"))
    for url in (secretary_feed, host_feed):
        response = client.get(url)  # no login: the token is the key
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"  # a shared proxy never keeps it
        events = {str(event["UID"]): event for event in _parse(response.content).events}
        assert set(events) == {booking_uid(first), booking_uid(second)}
        assert str(events[booking_uid(first)]["STATUS"]) == "CANCELLED"
    assert not CalendarFeed.objects.filter(token_hash__in=[secretary_feed, host_feed]).exists()  # only hashes


def test_a_wrong_or_revoked_token_is_a_404(client_for, client, cast):
    assert client.get(reverse("receptions:calendar_feed", args=["not-a-token"])).status_code == 404
    secretary = client_for("secretary")
    old = _create_feed(secretary)
    new = _create_feed(secretary)
    assert client.get(old).status_code == 404  # a new address replaces the old one
    assert client.get(new).status_code == 200
    secretary.post(reverse("receptions:calendar"), {"action": "revoke"})
    assert client.get(new).status_code == 404
