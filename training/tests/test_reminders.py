"""Reminders through the notifications engine: on assignment, 14 and 1 days before, overdue, the digest."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches import services as branches
from notifications.models import Notification
from training import services
from training.tests.factories import secretary_assignment

pytestmark = pytest.mark.django_db


def _planned(prefix: str) -> dict[str, int]:
    rows = Notification.objects.filter(key__startswith=prefix, status="planned")
    return {key.removeprefix(prefix): recipient for key, recipient in rows.values_list("key", "recipient_id")}


def test_an_assignment_plans_its_reminders_and_the_local_secretary_hears_of_an_overdue_one(cast):
    local_secretary = branches.person_create(last_name="Местная", first_name="Мария")
    branches.position_create(
        person=local_secretary, role="local_secretary", local_branch=cast.local_a1, starts_on=timezone.localdate()
    )
    assignment = secretary_assignment(cast)
    services.reminders_plan(region_id=cast.region_a.pk)
    planned = _planned(f"training.{cast.region_a.pk}.{assignment.pk}.")
    secretary = cast.person("secretary").pk
    assert planned == {
        "assigned": secretary,
        "due14": secretary,
        "due1": secretary,
        "overdue": secretary,
        "overdue_local": local_secretary.pk,
    }
    digest = _planned(f"training.{cast.region_a.pk}.digest.")
    assert list(digest.values()) == [cast.person("staff_a").pk]


def test_planning_twice_changes_nothing_and_a_completion_cancels_what_is_left(cast):
    assignment = secretary_assignment(cast)
    services.reminders_plan(region_id=cast.region_a.pk)
    again = services.reminders_plan(region_id=cast.region_a.pk)
    assert again == {"planned": 0, "retimed": 0, "cancelled": 0}
    services.assignment_waive(assignment=assignment, reason="освобождена", actor=cast.user("staff_a"))
    after = services.reminders_plan(region_id=cast.region_a.pk)
    assert after["cancelled"] == 4  # the assigned one is planned for now and may already be sent


def test_reminders_long_past_are_not_planned(cast, time_machine):
    assignment = secretary_assignment(cast)
    time_machine.move_to(timezone.now() + timedelta(days=92))
    services.reminders_plan(region_id=cast.region_a.pk)
    assert set(_planned(f"training.{cast.region_a.pk}.{assignment.pk}.")) == {"overdue"}
