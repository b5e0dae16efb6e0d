"""Many people pressing one button at the same moment, on the real PostgreSQL: one wins, the others are told."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from receptions import services
from receptions.models import Booking
from receptions.tests.factories import book, free_slot, make_secretaries, weekly_hours

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls) -> list[str]:
    """Run the calls in threads released together; return "ok", a ValidationError code, or the error."""
    barrier = threading.Barrier(len(calls))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
            outcome = "ok"
        except ValidationError as error:
            outcome = error.code
        except Exception as error:  # anything else is a failure the test reports
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_fifty_secretaries_booking_one_slot_make_exactly_one_booking(cast):
    slot = free_slot(weekly_hours(cast))
    secretaries = make_secretaries(cast.local_a1, 50)

    def booking_by(person):
        return lambda: services.booking_create(slot=slot, secretary=person, topic="Отопление в школе")

    outcomes = _race([booking_by(person) for person in secretaries])
    assert len(outcomes) == 50
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("booking_one_per_slot") == 49, outcomes
    assert Booking.objects.filter(slot=slot).count() == 1


def test_moving_two_bookings_into_one_slot_at_once_moves_one(cast):
    schedule = weekly_hours(cast)
    first, second = make_secretaries(cast.local_a1, 2)
    bookings = [
        book(cast, slot=free_slot(schedule, 0), secretary=first),
        book(cast, slot=free_slot(schedule, 1), secretary=second),
    ]
    target = free_slot(schedule, 2)

    def move(booking):
        return lambda: services.booking_move(booking=booking, slot=target)

    outcomes = _race([move(booking) for booking in bookings])
    assert sorted(outcomes) == ["booking_one_per_slot", "ok"]
    assert Booking.objects.filter(slot=target).count() == 1
    assert Booking.objects.filter(status="booked").count() == 2  # the loser keeps its time


def test_one_secretary_booking_two_times_of_one_host_at_once_gets_one(cast):
    schedule = weekly_hours(cast)
    slots = [free_slot(schedule, 0), free_slot(schedule, 1)]
    secretary = cast.person("secretary")

    def booking_of(slot):
        return lambda: services.booking_create(slot=slot, secretary=secretary, topic="Благоустройство двора")

    outcomes = _race([booking_of(slot) for slot in slots])
    assert sorted(outcomes) == ["booking_one_active_per_host", "ok"]
    assert Booking.objects.filter(secretary=secretary).count() == 1
