"""With the broker down, booking, moving and cancelling answer the normal page and the change is saved.

The wake-up of the delivery after commit is an optimisation (the beat delivers within a
minute); core.queue logs the broker failure and the request carries on. These tests commit
for real (transactional_db), so the on-commit enqueue runs inside the request as in production.
"""

import logging
import time

import pytest
from django.urls import reverse

from core.testing import broker_unreachable
from notifications import services as notification_services
from notifications.models import Notification
from receptions.models import Booking
from receptions.tests.factories import book, free_slot, weekly_hours

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


@pytest.fixture
def broker_down(caplog):
    caplog.set_level(logging.WARNING, logger="core.queue")
    with broker_unreachable():
        yield caplog


def test_booking_with_the_broker_down_answers_the_confirmation_page(client_for, cast, broker_down):
    slot = free_slot(weekly_hours(cast))
    client = client_for("secretary")
    started = time.monotonic()
    response = client.post(reverse("receptions:slot_book", args=[slot.pk]), {"topic": "Ремонт школы"}, follow=True)
    elapsed = time.monotonic() - started
    booking = Booking.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain == [(booking.get_absolute_url(), 302)]
    assert "Вы записаны на приём" in response.content.decode()
    assert "not sent (broker unavailable)" in broker_down.text
    # The row is the truth: the host's message waits for the beat's next delivery.
    told = Notification.objects.get(kind="reception.booked")
    assert told.recipient == cast.person("host")
    assert notification_services.deliver_due().delivered >= 1
    assert elapsed < 5, f"the booking waited {elapsed:.1f} s on the broker"


def test_moving_and_cancelling_with_the_broker_down_answer_the_normal_pages(client_for, cast, broker_down):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    target = free_slot(schedule, 3)
    client = client_for("secretary")
    response = client.post(reverse("receptions:booking_move", args=[booking.pk]), {"slot": target.pk})
    assert (response.status_code, response.url) == (302, booking.get_absolute_url())
    booking.refresh_from_db()
    assert booking.slot == target
    response = client.post(reverse("receptions:booking_cancel", args=[booking.pk]), {"reason": ""}, follow=True)
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert "not sent (broker unavailable)" in broker_down.text
