"""Many people pressing one button at the same moment, on the real PostgreSQL: one wins, the others are told."""

import pytest
from django.core.exceptions import ValidationError

from core.testing import run_concurrently
from receptions import services
from receptions.models import Booking
from receptions.tests.factories import book, free_slot, make_secretaries, weekly_hours

pytestmark = pytest.mark.django_db(transaction=True)


def _codes(outcomes) -> list[str]:
    """Return the code of each clear refusal (a ValidationError), and "ok" for each call that went through."""
    return sorted(str(outcome.code) if isinstance(outcome, ValidationError) else "ok" for outcome in outcomes)


def test_fifty_secretaries_booking_one_slot_make_exactly_one_booking(cast):
    slot = free_slot(weekly_hours(cast))
    secretaries = make_secretaries(cast.local_a1, 50)

    def booking_by(person):
        return services.booking_create(slot=slot, secretary=person, topic="Отопление в школе")

    # Only ValidationError is caught: an IntegrityError (a 500) would leave a call without an outcome.
    outcomes = _codes(run_concurrently(booking_by, secretaries, expected_errors=(ValidationError,)))
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
        return services.booking_move(booking=booking, slot=target)

    outcomes = _codes(run_concurrently(move, bookings, expected_errors=(ValidationError,)))
    assert outcomes == ["booking_one_per_slot", "ok"]
    assert Booking.objects.filter(slot=target).count() == 1
    assert Booking.objects.filter(status="booked").count() == 2  # the loser keeps its time


def test_one_secretary_booking_two_times_of_one_host_at_once_gets_one(cast):
    schedule = weekly_hours(cast)
    slots = [free_slot(schedule, 0), free_slot(schedule, 1)]
    secretary = cast.person("secretary")

    def booking_of(slot):
        return services.booking_create(slot=slot, secretary=secretary, topic="Благоустройство двора")

    outcomes = _codes(run_concurrently(booking_of, slots, expected_errors=(ValidationError,)))
    assert outcomes == ["booking_one_active_per_host", "ok"]
    assert Booking.objects.filter(secretary=secretary).count() == 1
