from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.services import NotificationRow

pytestmark = pytest.mark.django_db


def test_planning_a_key_again_changes_nothing(plan):
    first = plan("secretary", "reception:42:reminder-24h", due_in=timedelta(hours=3), subject="Первое")
    again = plan("secretary", "reception:42:reminder-24h", due_in=timedelta(hours=9), subject="Второе")
    assert again.pk == first.pk
    assert again.context["subject"] == "Первое"
    assert again.due_at == first.due_at
    assert Notification.objects.filter(key="reception:42:reminder-24h").count() == 1


def test_a_planned_notification_waits_unrendered(plan):
    notification = plan("secretary", "k", due_in=timedelta(hours=1))
    assert notification.status == Notification.Status.PLANNED
    assert (notification.subject, notification.sent_at, notification.email_status) == ("", None, "")


def test_planning_many_twice_inserts_each_key_once(cast):
    due = timezone.now() + timedelta(hours=1)
    people = [cast.person(role) for role in ("secretary", "host", "juror")]
    rows = [
        NotificationRow(p.pk, "general.message", f"contest:2026:open:{p.pk}", due, {"subject": "s"}) for p in people
    ]
    assert services.notification_plan_many(rows=rows) == 3
    assert services.notification_plan_many(rows=rows) == 0
    assert services.notification_plan_many(rows=[*rows, rows[0]]) == 0
    assert Notification.objects.filter(key__startswith="contest:2026:open:").count() == 3


def test_cancelling_stops_a_planned_notification_and_says_so(plan):
    plan("secretary", "reception:7:reminder", due_in=timedelta(hours=1))
    assert services.notification_cancel(key="reception:7:reminder") is True
    assert services.notification_cancel(key="reception:7:reminder") is False
    assert services.notification_cancel(key="no-such-key") is False
    assert Notification.objects.get(key="reception:7:reminder").status == Notification.Status.CANCELLED


def test_a_cancelled_key_stays_cancelled_when_planned_again(plan):
    plan("secretary", "reception:7:reminder", due_in=timedelta(hours=1))
    services.notification_cancel(key="reception:7:reminder")
    again = plan("secretary", "reception:7:reminder", due_in=timedelta(hours=2))
    assert again.status == Notification.Status.CANCELLED


def test_retiming_moves_the_time_and_context_of_an_unsent_notification(plan):
    plan("secretary", "reception:8:reminder", due_in=timedelta(hours=1), starts_at="2026-05-01T10:00:00+00:00")
    new_time = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
    moved = services.notification_retime(
        key="reception:8:reminder", due_at=new_time, context={"subject": "Перенос", "body": "Новое время"}
    )
    assert moved is True
    notification = Notification.objects.get(key="reception:8:reminder")
    assert notification.due_at == new_time
    assert notification.context == {"subject": "Перенос", "body": "Новое время"}


def test_retiming_without_context_keeps_the_context(plan):
    plan("secretary", "k", due_in=timedelta(hours=1), subject="Оставить")
    services.notification_retime(key="k", due_at=timezone.now() + timedelta(hours=5))
    assert Notification.objects.get(key="k").context["subject"] == "Оставить"


def test_a_delivered_or_cancelled_notification_cannot_be_retimed(plan):
    plan("secretary", "sent")
    services.deliver_due()
    plan("secretary", "cancelled", due_in=timedelta(hours=1))
    services.notification_cancel(key="cancelled")
    later = timezone.now() + timedelta(days=1)
    assert services.notification_retime(key="sent", due_at=later) is False
    assert services.notification_retime(key="cancelled", due_at=later) is False
    assert services.notification_retime(key="nothing", due_at=later) is False


def test_the_context_is_stored_as_json(plan):
    when = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    notification = plan("secretary", "k", starts_at=when, branch_id=5)
    notification.refresh_from_db()
    assert notification.context["starts_at"] == "2026-03-01T07:30:00Z"
    assert notification.context["branch_id"] == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "no.such_kind"}, "unknown notification kind"),
        ({"kind": "general.message", "due_at": datetime(2026, 1, 1)}, "aware"),  # noqa: DTZ001 (the error under test)
        ({"kind": "general.message", "url": "https://evil.example.org/"}, "in-app path"),
        ({"kind": "general.message", "url": "//evil.example.org/"}, "in-app path"),
        ({"kind": "general.message", "key": ""}, "key"),
    ],
)
def test_a_planner_mistake_is_refused_loudly(cast, change, message):
    arguments = {
        "recipient": cast.person("secretary"),
        "kind": "general.message",
        "key": "k",
        "due_at": timezone.now(),
        **change,
    }
    with pytest.raises((ValueError, LookupError), match=message):
        services.notification_plan(**arguments)
    assert not Notification.objects.exists()


def test_a_message_due_within_the_minute_gets_a_wake_up_after_commit(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        plan("secretary", "soon", due_in=timedelta(seconds=30))
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        plan("secretary", "tomorrow", due_in=timedelta(days=1))
        plan("secretary", "soon", due_in=timedelta(seconds=30))  # exists already: no wake-up
    assert callbacks == []
