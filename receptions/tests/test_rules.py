"""The rules of receptions hold in the services and the database, and come back as clear messages."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from assignments.models import Assignment, Event
from branches import services as branch_services
from branches.models import Role
from receptions import services
from receptions.models import Booking, DayOff, Schedule, Slot
from receptions.tests.factories import book, free_slot, host_position, make_secretaries, weekly_hours

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _starts(schedule) -> list[datetime]:
    return list(schedule.slots.active().order_by("starts_at").values_list("starts_at", flat=True))


# Hours and slots -------------------------------------------------------------------


def test_weekly_hours_produce_slots_at_the_wall_clock_time_of_the_host_s_region(cast):
    schedule = weekly_hours(cast)  # Wednesdays 10:00–12:00 Asia/Yakutsk, 30 minutes
    starts = _starts(schedule)
    assert starts[:4] == [
        datetime(2026, 5, 13, hour, minute, tzinfo=UTC) for hour, minute in ((1, 0), (1, 30), (2, 0), (2, 30))
    ]
    assert {start.astimezone(schedule.zone).time() for start in starts} == {
        time(10),
        time(10, 30),
        time(11),
        time(11, 30),
    }
    assert len(starts) == 8 * 4  # eight Wednesdays in the 56-day horizon


def test_every_other_week_skips_a_week(cast):
    schedule = weekly_hours(cast, recurrence=Schedule.Recurrence.BIWEEKLY, ends_at=time(10, 30))
    days = [start.date() for start in _starts(schedule)]
    assert days[:3] == [date(2026, 5, 13), date(2026, 5, 27), date(2026, 6, 10)]


def test_the_nth_and_the_last_weekday_of_the_month(cast):
    second_tuesday = weekly_hours(
        cast, recurrence=Schedule.Recurrence.MONTHLY, weekday=1, week_of_month=2, ends_at=time(10, 30)
    )
    last_friday = weekly_hours(
        cast, recurrence=Schedule.Recurrence.MONTHLY, weekday=4, week_of_month=-1, ends_at=time(10, 30)
    )
    assert [s.date() for s in _starts(second_tuesday)] == [date(2026, 5, 12), date(2026, 6, 9)]
    assert [s.date() for s in _starts(last_friday)] == [date(2026, 5, 29), date(2026, 6, 26)]


def test_producing_slots_twice_adds_nothing(cast, frozen):
    schedule = weekly_hours(cast)
    before = Slot.objects.count()
    assert services.slots_generate() == 0
    assert Slot.objects.count() == before
    frozen.shift(timedelta(days=7))  # a week later one more Wednesday enters the horizon
    assert services.slots_generate() == 4
    assert services.slots_generate() == 0
    assert len(_starts(schedule)) == before + 4


def test_slots_stop_where_the_hours_stop(cast):
    schedule = weekly_hours(cast)
    services.schedule_end(schedule=schedule, last_day=date(2026, 5, 20))
    assert {start.date() for start in _starts(schedule)} == {date(2026, 5, 13), date(2026, 5, 20)}


def test_ending_hours_keeps_the_receptions_already_booked(cast):
    schedule = weekly_hours(cast)
    later = Slot.objects.filter(schedule=schedule, starts_at__date=date(2026, 6, 3)).order_by("starts_at").first()
    booking = book(cast, slot=later)
    services.schedule_end(schedule=schedule, last_day=date(2026, 5, 20))
    assert list(Slot.objects.filter(schedule=schedule, starts_at__gte=datetime(2026, 5, 21, tzinfo=UTC))) == [later]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_overlapping_hours_of_one_host_are_refused_with_a_message(cast):
    weekly_hours(cast)
    with pytest.raises(ValidationError, match=r"overlap the host's other reception hours on 05/13/2026"):
        weekly_hours(cast, starts_at=time(11), ends_at=time(13))


def test_the_database_refuses_overlapping_slots_even_bypassing_the_service(cast):
    schedule = weekly_hours(cast)
    first = _starts(schedule)[0]
    with pytest.raises(IntegrityError, match="slot_no_overlap_per_host"), transaction.atomic():
        Slot.objects.create(
            schedule=schedule,
            host=schedule.host,
            starts_at=first + timedelta(minutes=10),
            ends_at=first + timedelta(minutes=40),
        )


def test_a_slot_s_host_must_be_its_hours_host(cast):
    schedule = weekly_hours(cast)
    with pytest.raises(IntegrityError, match="slot_host_of_schedule"), transaction.atomic():
        Slot.objects.create(
            schedule=schedule,
            host=cast.person("juror"),
            starts_at=datetime(2027, 1, 1, tzinfo=UTC),
            ends_at=datetime(2027, 1, 1, 1, tzinfo=UTC),
        )
        connection.check_constraints()  # the composite foreign key is checked at commit


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_at": time(12), "ends_at": time(10)}, "must end after they start"),
        ({"ends_at": time(10, 20)}, "At least one reception must fit"),
        ({"minutes": 5, "ends_at": time(10, 20)}, "from 10 minutes to 4 hours"),
        ({"recurrence": Schedule.Recurrence.MONTHLY}, "week of the month"),
    ],
)
def test_hours_that_make_no_sense_are_refused_by_the_database(cast, changes, message):
    with pytest.raises(ValidationError, match=message):
        weekly_hours(cast, **changes)
    assert not Schedule.objects.exists()


def test_hours_need_an_address_or_a_link(cast):
    with pytest.raises(ValidationError, match="address or an online link"):
        services.schedule_create(
            position=host_position(cast),
            recurrence="weekly",
            weekday=2,
            starts_at=time(10),
            ends_at=time(11),
            slot_minutes=30,
            valid_from=date(2026, 5, 11),
        )


def test_only_a_host_position_publishes_hours(cast):
    from branches.models import Position

    secretary = Position.objects.get(person=cast.person("secretary"), role=Role.PRIMARY_SECRETARY)
    with pytest.raises(ValidationError, match="does not receive secretaries"):
        weekly_hours(position=secretary)


# Booking -------------------------------------------------------------------------------


def test_a_secretary_books_a_free_slot_of_a_host_who_serves_their_branch(cast):
    booking = book(cast)
    assert (booking.status, booking.branch, booking.host, booking.sequence) == (
        "booked",
        cast.branch_a,
        cast.person("host"),
        0,
    )


def test_a_booking_needs_24_hours_notice(cast, frozen):
    slot = free_slot(weekly_hours(cast))
    frozen.move_to(slot.starts_at - timedelta(hours=23, minutes=59))
    with pytest.raises(ValidationError, match="at least 24 hours in advance"):
        book(cast, slot=slot)


def test_one_active_booking_per_secretary_and_host(cast):
    schedule = weekly_hours(cast)
    book(cast, slot=free_slot(schedule, 0))
    with pytest.raises(ValidationError, match="already have a booking with this host"):
        book(cast, slot=free_slot(schedule, 1))


def test_the_database_keeps_one_active_booking_per_secretary_and_host(cast):
    schedule = weekly_hours(cast)
    first = book(cast, slot=free_slot(schedule, 0))
    with pytest.raises(IntegrityError, match="booking_one_active_per_host"), transaction.atomic():
        Booking.objects.create(
            slot=free_slot(schedule, 1), host=first.host, secretary=first.secretary, branch=first.branch, topic="x"
        )


def test_a_taken_slot_cannot_be_booked_again(cast):
    slot = free_slot(weekly_hours(cast))
    book(cast, slot=slot)
    (other,) = make_secretaries(cast.local_a2, 1)
    with pytest.raises(ValidationError, match="Someone has just booked this time"):
        book(cast, slot=slot, secretary=other)


def test_the_regional_monthly_limit(cast):
    services.policy_update(region=cast.region_a, held_per_month=1, bookings_per_month=1)
    book(cast, slot=free_slot(weekly_hours(cast)))
    second_host = branch_services.person_create(last_name="Второй", first_name="Хозяин")
    position = branch_services.position_create(
        person=second_host, role=Role.REGIONAL_HEAD, region=cast.region_a, starts_on=date(2020, 1, 1)
    )
    other_hours = weekly_hours(position=position, weekday=3)
    with pytest.raises(ValidationError, match=r"limit of bookings in your region \(1\) is reached for 05/2026"):
        book(cast, slot=free_slot(other_hours, 0))  # 14 May: the same month
    june = Slot.objects.filter(schedule=other_hours, starts_at__gte=datetime(2026, 6, 1, tzinfo=UTC)).first()
    assert book(cast, slot=june).status == "booked"  # another month


def test_a_secretary_cannot_book_a_host_outside_their_territory(cast):
    karelian = branch_services.person_create(last_name="Онежская", first_name="Вера")
    branch_services.secretary_appoint(branch=cast.branch_b, person=karelian, starts_on=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="does not receive secretaries of your branch"):
        book(cast, secretary=karelian)


def test_a_local_host_serves_only_their_local_branch(cast):
    head = branch_services.person_create(last_name="Местный", first_name="Пётр")
    position = branch_services.position_create(
        person=head, role=Role.LOCAL_HEAD, local_branch=cast.local_a2, starts_on=date(2020, 1, 1)
    )
    slot = free_slot(weekly_hours(position=position))
    with pytest.raises(ValidationError, match="does not receive secretaries of your branch"):
        book(cast, slot=slot)  # the cast secretary's branch is in local_a1
    (neighbour,) = make_secretaries(cast.local_a2, 1)
    assert book(cast, slot=slot, secretary=neighbour).branch.local_branch == cast.local_a2


def test_nobody_books_themselves(cast):
    with pytest.raises(ValidationError, match="with yourself"):
        book(cast, secretary=cast.person("host"))


# Cancelling and moving -------------------------------------------------------------------


def test_cancelling_frees_the_slot_and_raises_the_sequence(cast):
    booking = book(cast)
    services.booking_cancel(booking=booking, by="secretary")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.sequence) == ("cancelled", "secretary", 1)
    (other,) = make_secretaries(cast.local_a1, 1)
    assert book(cast, slot=booking.slot, secretary=other).status == "booked"


def test_a_secretary_cannot_cancel_within_the_notice(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.starts_at - timedelta(hours=2))
    with pytest.raises(ValidationError, match="too late to cancel"):
        services.booking_cancel(booking=booking, by="secretary")


def test_a_host_cancels_with_a_reason_even_at_short_notice(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.starts_at - timedelta(hours=2))
    with pytest.raises(ValidationError, match="Give the secretary a reason"):
        services.booking_cancel(booking=booking, by="host", reason="  ")
    services.booking_cancel(booking=booking, by="host", reason="Вызвали на сессию")
    booking.refresh_from_db()
    assert (booking.cancelled_by, booking.cancel_reason) == ("host", "Вызвали на сессию")


def test_moving_keeps_the_booking_and_raises_its_sequence(cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    uid = booking.uid
    target = free_slot(schedule, 1)
    services.booking_move(booking=booking, slot=target)
    booking.refresh_from_db()
    assert (booking.slot, booking.uid, booking.sequence) == (target, uid, 1)
    assert Booking.objects.count() == 1


def test_a_booking_cannot_move_into_a_taken_slot_or_to_another_host(cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    (other,) = make_secretaries(cast.local_a1, 1)
    taken = book(cast, slot=free_slot(schedule, 1), secretary=other).slot
    with pytest.raises(ValidationError, match="Someone has just booked this time"):
        services.booking_move(booking=booking, slot=taken)
    head = branch_services.person_create(last_name="Другой", first_name="Хозяин")
    position = branch_services.position_create(
        person=head, role=Role.REGIONAL_HEAD, region=cast.region_a, starts_on=date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="same host"):
        services.booking_move(booking=booking, slot=free_slot(weekly_hours(position=position)))


def test_a_booking_cannot_move_within_the_notice(cast, frozen):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    target = free_slot(schedule, 5)
    frozen.move_to(booking.slot.starts_at - timedelta(hours=3))
    with pytest.raises(ValidationError, match="too late to move"):
        services.booking_move(booking=booking, slot=target)


# Days off ----------------------------------------------------------------------------------


def test_cancelling_a_day_cancels_its_slots_and_bookings(cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))  # Wednesday 13 May
    services.day_off_create(position=host_position(cast), day=date(2026, 5, 13), kind="cancelled", reason="Болезнь")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason, booking.sequence) == (
        "cancelled",
        "day",
        "Болезнь",
        1,
    )
    assert not Slot.objects.active().filter(schedule=schedule, starts_at__date=date(2026, 5, 13)).exists()
    assert services.slots_generate() == 0  # the day stays empty


def test_a_day_off_ahead_produces_no_slots_and_receiving_again_restores_them(cast):
    services.day_off_create(position=host_position(cast), day=date(2026, 5, 20), kind="day_off")
    schedule = weekly_hours(cast)
    assert date(2026, 5, 20) not in {start.date() for start in _starts(schedule)}
    services.day_off_remove(day_off=DayOff.objects.get())
    assert date(2026, 5, 20) in {start.date() for start in _starts(schedule)}


def test_a_day_is_marked_once(cast):
    services.day_off_create(position=host_position(cast), day=date(2026, 5, 20), kind="day_off")
    with pytest.raises(ValidationError, match="already marked"):
        services.day_off_create(position=host_position(cast), day=date(2026, 5, 20), kind="cancelled")


# Outcomes ------------------------------------------------------------------------------------


def test_the_outcome_is_recorded_after_the_reception_with_follow_ups(cast, frozen):
    booking = book(cast)
    follow_up = services.FollowUpInput(
        kind="request", text="Освещение на ул. Мухина", owner="Депутатов Д. О.", due_on=date(2026, 6, 30)
    )
    with pytest.raises(ValidationError, match="once the reception has started"):
        services.booking_outcome_record(booking=booking, status="held", outcome="", follow_ups=[follow_up])
    frozen.move_to(booking.slot.ends_at)
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились", follow_ups=[follow_up])
    booking.refresh_from_db()
    assert (booking.status, booking.outcome) == ("held", "Договорились")
    # A follow-up is an assignment to the host, its source the reception.
    item = Assignment.objects.select_related("directive").get()
    directive = item.directive
    assert (directive.kind, directive.owner, item.state) == ("request", "Депутатов Д. О.", "open")
    assert (directive.source_key, directive.issued_by_id, item.person_id) == (
        f"receptions.booking.{booking.pk}",
        booking.host_id,
        booking.host_id,
    )
    done = services.FollowUpInput(**{**follow_up.__dict__, "id": item.pk, "status": "done"})
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились", follow_ups=[done])
    item.refresh_from_db()
    assert item.state == "accepted"
    assert list(Event.objects.filter(assignment=item).values_list("state", flat=True)) == [
        "open",
        "reported",
        "accepted",
    ]
    # Changed after it was done: it is open again (returned), with the new date; then dropped, then removed.
    later = services.FollowUpInput(**{**done.__dict__, "due_on": date(2026, 7, 15), "status": "open"})
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились", follow_ups=[later])
    item.refresh_from_db()
    assert (item.state, item.due_on) == ("returned", date(2026, 7, 15))
    dropped = services.FollowUpInput(**{**later.__dict__, "status": "dropped"})
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились", follow_ups=[dropped])
    item.refresh_from_db()
    assert item.state == "dropped"
    gone = services.FollowUpInput(**{**dropped.__dict__, "delete": True})
    services.booking_outcome_record(booking=booking, status="held", outcome="Договорились", follow_ups=[gone])
    assert not Assignment.objects.exists()


def test_a_follow_up_needs_an_owner(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    nobody = services.FollowUpInput(kind="task", text="Письмо в администрацию", owner=" ", due_on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="description and an owner"):
        services.booking_outcome_record(booking=booking, status="held", follow_ups=[nobody])


def test_a_cancelled_reception_has_no_outcome(cast, frozen):
    booking = book(cast)
    services.booking_cancel(booking=booking, by="secretary")
    frozen.move_to(booking.slot.ends_at)
    with pytest.raises(ValidationError, match="cancelled reception has no outcome"):
        services.booking_outcome_record(booking=booking, status="held")


def test_the_activity_record_counts_the_voters_requests_closed_of_a_secretarys_receptions(cast, frozen):
    from receptions.selectors import reception_figures

    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    due = date(2026, 7, 1)
    items = [
        services.FollowUpInput(kind="request", text="Освещение", owner="Администрация", due_on=due, status="done"),
        services.FollowUpInput(kind="request", text="Дорога", owner="Администрация", due_on=due),
        services.FollowUpInput(kind="task", text="Письмо", owner="Помощник", due_on=due, status="done"),
    ]
    services.booking_outcome_record(booking=booking, status="held", follow_ups=items)
    record = reception_figures([booking.secretary_id]).get()
    assert record == {
        "person_pk": booking.secretary_id,
        "receptions_booked": 1,
        "receptions_held": 1,
        "requests_closed": 1,
    }
