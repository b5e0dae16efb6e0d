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


def test_producing_slots_is_idempotent_and_follows_the_calendar(cast, frozen, django_assert_num_queries):
    weekly_hours(cast)
    count = Slot.objects.count()
    # 1 the hours in force (host positions as a subquery) with their regions, 2 the hosts'
    # days off, 3 their future slots; every slot exists already, so there is no insert
    with django_assert_num_queries(3):
        assert tasks.slots_generate() == 0
    assert Slot.objects.count() == count
    frozen.shift(timedelta(days=14))
    assert tasks.slots_generate() == 8
    assert tasks.slots_generate() == 0
