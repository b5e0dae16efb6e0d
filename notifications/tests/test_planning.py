from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
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


NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def reminder(cast, key, *, hours=1, role="secretary", kind="general.message", **context):
    return NotificationRow(cast.person(role).pk, kind, key, NOW + timedelta(hours=hours), {"subject": "s", **context})


def test_reconciling_plans_retimes_and_cancels_under_a_prefix(cast):
    first = [reminder(cast, f"booking:1:{n}", n=n) for n in range(4)]
    counts = services.notification_reconcile(prefix="booking:1:", wanted=first)
    assert counts == {"planned": 4, "retimed": 0, "cancelled": 0}
    counts = services.notification_reconcile(prefix="booking:1:", wanted=first)
    assert counts == {"planned": 0, "retimed": 0, "cancelled": 0}
    # 0 stays, 1 moves, 2 says something new, 3 is no longer wanted, 4 is new.
    second = [
        first[0],
        replace(first[1], due_at=NOW + timedelta(hours=5)),
        replace(first[2], context={"subject": "s", "n": 2, "place": "Зал 2"}),
        reminder(cast, "booking:1:4", n=4),
    ]
    counts = services.notification_reconcile(prefix="booking:1:", wanted=second)
    assert counts == {"planned": 1, "retimed": 2, "cancelled": 1}
    rows = {n.key: n for n in Notification.objects.all()}
    assert rows["booking:1:1"].due_at == NOW + timedelta(hours=5)
    assert rows["booking:1:2"].context["place"] == "Зал 2"
    assert rows["booking:1:3"].status == Notification.Status.CANCELLED
    assert {rows[f"booking:1:{n}"].status for n in (0, 1, 2, 4)} == {Notification.Status.PLANNED}
    assert services.notification_reconcile(prefix="booking:1:", wanted=[]) == {
        "planned": 0,
        "retimed": 0,
        "cancelled": 4,
    }


def test_reconciling_leaves_delivered_and_cancelled_keys_and_other_prefixes_alone(cast):
    sent, dropped, other = (reminder(cast, key, hours=-1) for key in ("b:1:sent", "b:1:dropped", "b:10:other"))
    services.notification_plan_many(rows=[sent, dropped, other])
    services.notification_cancel(key="b:1:dropped")
    services.deliver_due()
    later = [replace(row, due_at=NOW + timedelta(days=1)) for row in (sent, dropped)]
    counts = services.notification_reconcile(prefix="b:1:", wanted=later)
    assert counts == {"planned": 0, "retimed": 0, "cancelled": 0}
    statuses = dict(Notification.objects.values_list("key", "status"))
    assert statuses == {"b:1:sent": "delivered", "b:1:dropped": "cancelled", "b:10:other": "delivered"}


def test_reconciling_only_the_given_kinds_leaves_the_others_under_the_prefix(cast):
    services.notification_plan_many(rows=[reminder(cast, "c:1:results", hours=2)])
    wanted = [reminder(cast, "c:1:deadline", kind="contest.entry_deadline")]
    counts = services.notification_reconcile(prefix="c:1:", wanted=wanted, kinds=["contest.entry_deadline"])
    assert counts == {"planned": 1, "retimed": 0, "cancelled": 0}
    counts = services.notification_reconcile(prefix="c:1:", wanted=[], kinds=["contest.entry_deadline"])
    assert counts == {"planned": 0, "retimed": 0, "cancelled": 1}
    assert Notification.objects.get(key="c:1:results").status == Notification.Status.PLANNED


def test_reconciling_refuses_a_key_outside_its_prefix(cast):
    with pytest.raises(ValueError, match="not under the prefix"):
        services.notification_reconcile(prefix="b:1:", wanted=[reminder(cast, "b:2:x")])
    with pytest.raises(ValueError, match="prefix"):
        services.notification_reconcile(prefix="", wanted=[])
    assert not Notification.objects.exists()


def test_the_prefix_read_is_served_by_the_unique_index_on_key(cast):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny; ask what the index can do
    plan = Notification.objects.filter(key__startswith="reception.reminder:42:").order_by().explain()
    assert "notification_key_unique" in plan
    # A range on the index (key >= 'reception.reminder:42:' AND key < ...), not a filter over every key.
    assert "Index Cond" in plan
    assert ">= 'reception.reminder:42:'" in plan
