"""The periodic tasks: each loads, calls one service, and can run twice without harm."""

from datetime import timedelta

import pytest

from config.celery import app
from receptions import tasks
from receptions.models import Slot
from receptions.tests.factories import weekly_hours

pytestmark = pytest.mark.django_db


def test_every_periodic_task_is_scheduled():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "receptions.slots_generate" in scheduled


def test_producing_slots_is_idempotent_and_follows_the_calendar(cast, frozen, django_assert_max_num_queries):
    weekly_hours(cast)
    count = Slot.objects.count()
    # 1 host positions in the schedule filter, 2 the schedules, 3 days off, 4 existing slots,
    # then at most one insert
    with django_assert_max_num_queries(5):
        assert tasks.slots_generate() == 0
    assert Slot.objects.count() == count
    frozen.shift(timedelta(days=14))
    assert tasks.slots_generate() == 8
    assert tasks.slots_generate() == 0
