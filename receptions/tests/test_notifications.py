"""Receptions speak through the notifications engine: every change tells the other side, reminders follow."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from notifications import services as notification_services
from notifications.models import Notification
from receptions import services
from receptions.tests.factories import book, free_slot, host_position, make_secretaries, weekly_hours

pytestmark = pytest.mark.django_db

PLANNED, CANCELLED = Notification.Status.PLANNED, Notification.Status.CANCELLED


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def _reminders(booking) -> dict:
    return {
        n.key.split(":", 2)[2]: n
        for n in Notification.objects.filter(key__startswith=f"reception.reminder:{booking.uid}")
    }


def _deliver():
    mail.outbox = []
    return notification_services.deliver_due()


def test_booking_tells_the_host_and_plans_four_reminders(cast):
    booking = book(cast)  # Wednesday 13 May, 10:00 in Blagoveshchensk = 01:00 UTC
    told = Notification.objects.get(kind="reception.booked")
    assert (told.recipient, told.url, told.context["topic"]) == (
        cast.person("host"),
        booking.get_absolute_url(),
        "Ремонт дороги в микрорайоне",
    )
    reminders = _reminders(booking)
    assert {key: (n.recipient, n.due_at, n.status) for key, n in reminders.items()} == {
        "secretary:24h": (cast.person("secretary"), datetime(2026, 5, 12, 1, tzinfo=UTC), PLANNED),
        "host:24h": (cast.person("host"), datetime(2026, 5, 12, 1, tzinfo=UTC), PLANNED),
        "secretary:2h": (cast.person("secretary"), datetime(2026, 5, 12, 23, tzinfo=UTC), PLANNED),
        "host:2h": (cast.person("host"), datetime(2026, 5, 12, 23, tzinfo=UTC), PLANNED),
    }


def test_a_reminder_arrives_in_the_recipient_s_language_and_time_zone(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.starts_at - timedelta(hours=24))
    _deliver()
    reminder = _reminders(booking)["secretary:24h"]
    reminder.refresh_from_db()
    assert reminder.status == Notification.Status.DELIVERED
    assert reminder.subject == "Напоминание о приёме: Депутатов Дмитрий Олегович, 13 мая, 10:00"
    assert "ул. Ленина, 135" in reminder.body
    assert _reminders(booking)["secretary:2h"].status == PLANNED  # not due yet
    assert any("13 мая, 10:00" in message.subject for message in mail.outbox)


def test_moving_re_times_the_reminders_and_tells_the_host(cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    target = free_slot(schedule, 5)  # a week later, 11:30
    services.booking_move(booking=booking, slot=target)
    reminders = _reminders(booking)
    assert len(reminders) == 4
    assert reminders["host:2h"].due_at == target.starts_at - timedelta(hours=2)
    assert reminders["secretary:24h"].context["starts_at"] == target.starts_at.isoformat().replace("+00:00", "Z")
    moved = Notification.objects.get(kind="reception.moved")
    assert (moved.recipient, moved.key) == (cast.person("host"), f"reception.moved:{booking.uid}:1")


def test_a_secretary_s_cancellation_stops_the_reminders_and_tells_the_host(cast):
    booking = book(cast)
    services.booking_cancel(booking=booking, by="secretary")
    assert {n.status for n in _reminders(booking).values()} == {CANCELLED}
    told = Notification.objects.get(kind="reception.cancelled")
    assert (told.recipient, told.context["by"]) == (cast.person("host"), "secretary")


def test_a_host_s_cancellation_tells_the_secretary_why_and_offers_the_next_free_times(cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    services.booking_cancel(booking=booking, by="host", reason="Вызвали на сессию")
    told = Notification.objects.get(kind="reception.cancelled")
    assert (told.recipient, told.context["reason"]) == (cast.person("secretary"), "Вызвали на сессию")
    assert told.url == f"/receptions/hosts/{host_position(cast).pk}/"
    assert len(told.context["offers"]) == 3
    _deliver()
    told.refresh_from_db()
    assert "Ближайшее свободное время принимающего" in told.body
    assert "среда, 13 мая, 10:30" in told.body
    assert "13 мая, 10:00" not in told.body.split("\n", 1)[1]  # the time the host cannot make is not offered


def test_cancelling_a_day_tells_each_secretary_and_stops_their_reminders(cast):
    schedule = weekly_hours(cast)
    people = make_secretaries(cast.local_a1, 2)
    bookings = [book(cast, slot=free_slot(schedule), secretary=person) for person in people]
    services.day_off_create(position=host_position(cast), day=date(2026, 5, 13), kind="cancelled", reason="Болезнь")
    told = Notification.objects.filter(kind="reception.cancelled").order_by("recipient_id")
    assert [n.recipient for n in told] == people
    assert all(n.context["by"] == "day" and n.context["offers"] for n in told)
    assert all(n.context["offers"][0] >= "2026-05-20" for n in told)  # not the cancelled day
    for booking in bookings:
        assert {n.status for n in _reminders(booking).values()} == {CANCELLED}


def test_the_secretary_is_told_the_outcome_once(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились")
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились, уточнено")
    told = Notification.objects.get(kind="reception.outcome")
    assert (told.recipient, told.context["outcome"]) == (cast.person("secretary"), "Договорились")
    assert {n.status for n in _reminders(booking).values()} == {CANCELLED}  # none comes after the meeting


def test_the_planner_catches_bookings_written_without_reminders(cast, frozen, django_assert_num_queries):
    booking = book(cast)  # Wednesday 13 May, 01:00 UTC
    Notification.objects.filter(kind="reception.reminder").delete()  # as if written in bulk
    frozen.shift(timedelta(hours=2))  # now within the planner's 48 hours
    # 1 the bookings starting within two days, with their slots, hours and people;
    # 2 savepoint, 3 one insert of the four reminders, 4 release (the engine's savepoint)
    with django_assert_num_queries(4):
        assert services.reminders_plan() == 4
    assert services.reminders_plan() == 0
    assert len(_reminders(booking)) == 4


def test_hosts_behind_the_norm_are_reminded_once_a_month_from_the_15th(cast, frozen):
    services.policy_update(region=cast.region_a, held_per_month=1, bookings_per_month=2)
    assert services.behind_norm_remind() == 0  # 11 May: too early in the month
    frozen.move_to(datetime(2026, 5, 15, 0, tzinfo=UTC))  # 09:00 on the 15th in Blagoveshchensk
    assert services.behind_norm_remind() == 1
    assert services.behind_norm_remind() == 0
    told = Notification.objects.get(kind="reception.behind_norm")
    assert (told.recipient, told.key) == (
        cast.person("host"),
        f"reception.behind_norm:{cast.person('host').pk}:{cast.region_a.pk}:2026-05",
    )
    assert told.url == f"/receptions/hosts/{host_position(cast).pk}/manage/"


def test_a_host_with_a_booked_reception_this_month_is_not_reminded(cast, frozen):
    frozen.move_to(datetime(2026, 5, 15, 0, tzinfo=UTC))
    book(cast)  # Wednesday 20 May: held and booked together reach the norm
    assert services.behind_norm_remind() == 0
    assert not Notification.objects.filter(kind="reception.behind_norm").exists()
