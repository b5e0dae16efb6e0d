"""Assignment reminders go through the notifications engine and follow every change (frozen time)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assignments import services
from assignments.tests.helpers import issue
from config.celery import app
from notifications.models import Notification

AMUR = ZoneInfo("Asia/Yakutsk")
NOW = datetime(2026, 9, 16, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _planned(directive, statuses=("planned", "delivered")):
    """(kind, recipient, due in Amur) of the directive's messages, planned or already delivered."""
    rows = Notification.objects.filter(key__startswith=f"assignment.{directive.pk}.", status__in=statuses)
    return sorted(
        (row.kind, row.recipient.last_name, row.due_at.astimezone(AMUR)) for row in rows.select_related("recipient")
    )


def test_a_new_assignment_plans_its_reminders_for_the_addressee_and_the_issuer(
    cast, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        directive = issue(to=services.Addressees(regions=(cast.region_a,)), issued_by=cast.person("admin"))
    now_in_amur = NOW.astimezone(AMUR)
    assert _planned(directive) == [
        ("assignment.due_soon", "Аппаратова", datetime(2026, 9, 24, 9, 0, tzinfo=AMUR)),
        ("assignment.due_soon", "Аппаратова", datetime(2026, 9, 30, 9, 0, tzinfo=AMUR)),
        ("assignment.new", "Аппаратова", now_in_amur),
        ("assignment.overdue", "Аппаратова", datetime(2026, 10, 2, 9, 0, tzinfo=AMUR)),
        ("assignment.overdue", "Федоров", datetime(2026, 10, 2, 9, 0, tzinfo=AMUR)),
    ]


def test_accepting_cancels_what_is_pending_and_returning_tells_the_addressee(
    cast, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        directive = issue(to=services.Addressees(regions=(cast.region_a,)), issued_by=cast.person("admin"))
    assignment = directive.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_report(assignment=assignment, by=cast.person("staff_a"), report="Сделано")
        services.assignment_return(assignment=assignment, by=cast.person("admin"), note="Мало")
    assert ("assignment.returned", "Аппаратова") in {(kind, name) for kind, name, _ in _planned(directive)}
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_report(assignment=assignment, by=cast.person("staff_a"), report="Теперь всё")
        services.assignment_accept(assignment=assignment, by=cast.person("admin"))
    assert _planned(directive, statuses=("planned",)) == []


def test_a_due_date_passed_plans_no_due_soon_reminder_in_the_past(cast):
    directive = issue(to=services.Addressees(regions=(cast.region_a,)), due_on=date(2026, 9, 20))
    services.directive_reminders_plan(directive=directive)
    kinds = [kind for kind, _name, _at in _planned(directive)]
    assert kinds.count("assignment.due_soon") == 1  # the 7-day mark (13 September) has passed


def test_the_weekly_digest_tells_each_regions_staff_what_is_overdue_once_a_week(cast, django_assert_num_queries):
    issue(to=services.Addressees(regions=(cast.region_a, cast.region_b)), due_on=date(2026, 9, 10))
    # 1 the overdue counts per region, 1 their titles, 1 the staff of those regions, 1 the insert (+ savepoint pair).
    planned = services.weekly_digest_plan(today=date(2026, 9, 16))
    assert planned == 2
    assert services.weekly_digest_plan(today=date(2026, 9, 16)) == 0
    row = Notification.objects.get(key__startswith=f"assignment.digest.{cast.region_a.pk}.")
    assert (row.recipient.last_name, row.context["count"]) == ("Аппаратова", 1)
