from core.testing import ALL_LOGGED_IN, AccessRow

STAFF_A = frozenset({"staff_a", "admin"})
# Who manages the cast's host (a regional deputy of Amur): the host and the region's staff.
HOST_MANAGERS = STAFF_A | {"host"}
# Who reads a booking of the cast's secretary with the cast's host: both sides and the staff.
BOOKING_READERS = HOST_MANAGERS | {"secretary"}


def _host(cast):
    from receptions.tests.factories import host_position

    return {"pk": host_position(cast).pk}


def _schedule(cast):
    from receptions.tests.factories import weekly_hours

    return {"pk": weekly_hours(cast).pk}


def _slot(cast):
    from receptions.tests.factories import free_slot, weekly_hours

    return {"pk": free_slot(weekly_hours(cast)).pk}


def _booking(cast):
    from receptions.tests.factories import book

    return {"pk": book(cast).pk}


def _day(cast):
    from datetime import date

    return {**_host(cast), "day": date(2026, 5, 14)}


def _day_off(cast):
    from datetime import timedelta

    from django.utils import timezone

    from receptions import services
    from receptions.tests.factories import host_position

    position = host_position(cast)
    day_off = services.day_off_create(
        position=position, day=timezone.localdate() + timedelta(days=3), kind="day_off", reason="отпуск"
    )
    return {"pk": position.pk, "day_off_pk": day_off.pk}


def _feed(cast):
    from receptions import services

    _feed, token = services.calendar_feed_create(person=cast.person("secretary"))
    return {"token": token}


ROWS = [
    # The secretary's start page: the hosts who serve their branch, and their bookings.
    AccessRow("receptions:hosts", ok=frozenset({"secretary"})),
    # A host's free times: secretaries of the territory, the host, the region's staff; others 404.
    AccessRow("receptions:host_slots", ok=BOOKING_READERS, denied=404, kwargs=_host),
    # Managing a host: the secretary sees the host, so managing is refused (403), not hidden.
    AccessRow("receptions:host_manage", ok=HOST_MANAGERS, denied=404, kwargs=_host, overrides={"secretary": 403}),
    AccessRow("receptions:host_follow_ups", ok=HOST_MANAGERS, denied=404, kwargs=_host, overrides={"secretary": 403}),
    AccessRow("receptions:host_day", ok=HOST_MANAGERS, denied=404, kwargs=_day, overrides={"secretary": 403}),
    AccessRow("receptions:schedule_create", ok=HOST_MANAGERS, denied=404, kwargs=_host, overrides={"secretary": 403}),
    AccessRow("receptions:schedule_end", ok=HOST_MANAGERS, denied=404, kwargs=_schedule, overrides={"secretary": 403}),
    AccessRow("receptions:day_off_create", ok=HOST_MANAGERS, denied=404, kwargs=_host, overrides={"secretary": 403}),
    AccessRow("receptions:day_off_remove", ok=HOST_MANAGERS, denied=404, kwargs=_day_off, overrides={"secretary": 403}),
    # Booking is for the secretaries the host serves; the host and the staff see the slot but may not book it.
    AccessRow(
        "receptions:slot_book",
        ok=frozenset({"secretary"}),
        denied=404,
        kwargs=_slot,
        overrides={"host": 403, "staff_a": 403, "admin": 403},
    ),
    AccessRow("receptions:booking", ok=BOOKING_READERS, denied=404, kwargs=_booking),
    AccessRow("receptions:booking_ics", ok=BOOKING_READERS, denied=404, kwargs=_booking),
    # Either side cancels: the secretary as the secretary, the host and the staff as the host.
    AccessRow("receptions:booking_cancel", ok=BOOKING_READERS, denied=404, kwargs=_booking),
    AccessRow(
        "receptions:booking_move",
        ok=frozenset({"secretary"}),
        denied=404,
        kwargs=_booking,
        overrides={"host": 403, "staff_a": 403, "admin": 403},
    ),
    AccessRow(
        "receptions:booking_outcome", ok=HOST_MANAGERS, denied=404, kwargs=_booking, overrides={"secretary": 403}
    ),
    # A calendar address is for the people who have receptions: secretaries and hosts.
    AccessRow("receptions:calendar", ok=frozenset({"secretary", "host"})),
    # The feed is reached without logging in: the secret token is the key (a wrong one is a 404,
    # tested in test_calendars).
    AccessRow("receptions:calendar_feed", ok=ALL_LOGGED_IN | {"anonymous"}, kwargs=_feed),
    AccessRow("receptions:report", ok=STAFF_A, denied=404, kwargs=lambda cast: {"region_pk": cast.region_a.pk}),
    AccessRow(
        "receptions:region_follow_ups", ok=STAFF_A, denied=404, kwargs=lambda cast: {"region_pk": cast.region_a.pk}
    ),
    AccessRow("receptions:policy_edit", ok=STAFF_A, denied=404, kwargs=lambda cast: {"region_pk": cast.region_a.pk}),
    AccessRow("receptions:national_report", ok=frozenset({"admin"})),
]
