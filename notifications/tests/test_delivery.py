import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from branches import services as branch_services
from notifications import kinds, services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

Status = Notification.Status
EmailStatus = Notification.EmailStatus


def test_a_due_message_reaches_the_inbox_and_the_email_once(plan, outbox):
    plan("secretary", "council:1:session", subject="Заседание совета", body="Завтра заседание.")
    first = services.deliver_due()
    second = services.deliver_due()
    assert (first.delivered, first.emailed) == (1, 1)
    assert (second.delivered, second.emailed) == (0, 0)
    notification = Notification.objects.get(key="council:1:session")
    assert notification.status == Status.DELIVERED
    assert notification.sent_at is not None
    assert notification.subject == "Заседание совета"
    assert notification.body == "Завтра заседание."
    assert notification.email_status == EmailStatus.SENT
    assert (notification.email_text, notification.email_html) == ("", "")  # sent: no need to keep them
    assert [message.to for message in outbox] == [["secretary@example.org"]]
    assert outbox[0].subject == "Заседание совета"


def test_the_email_has_text_and_html_parts_and_a_stable_message_id(plan, outbox):
    plan("secretary", "k", subject="Тема & <тег>", body="Строка 1\nСтрока 2", url="/notifications/")
    services.deliver_due()
    message = outbox[0]
    assert message.subject == "Тема & <тег>"
    assert "Здравствуйте, Светлана Ивановна!" in message.body
    assert "Строка 1\nСтрока 2" in message.body
    assert "http://127.0.0.1:8000/notifications/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Тема &amp; &lt;тег&gt;" in html
    assert "<p>Строка 1<br>Строка 2</p>" in html
    notification = Notification.objects.get(key="k")
    assert message.extra_headers["Message-ID"] == services.message_id(notification)
    assert message.extra_headers["Message-ID"].startswith(f"<notification.{notification.pk}.")


def test_a_message_is_rendered_in_the_recipients_language_and_time_zone(cast, plan, outbox):
    # The secretary works in Amur (Asia/Yakutsk, UTC+9) and reads English; staff_b is in
    # Karelia (Europe/Moscow, UTC+3) and keeps the default, Russian.
    services.preferences_update(person=cast.person("secretary"), language="en", email_off=[])
    for role in ("secretary", "staff_b"):
        plan(role, f"meeting:{role}", when="2026-03-01T01:00:00+00:00")
    services.deliver_due()
    secretary = Notification.objects.get(key="meeting:secretary")
    staff_b = Notification.objects.get(key="meeting:staff_b")
    assert secretary.language == "en"
    assert "When: March 1, 2026, 10:00" in secretary.body
    assert staff_b.language == "ru"
    assert "Когда: 1 марта 2026, 04:00" in staff_b.body
    english = next(message for message in outbox if message.to == ["secretary@example.org"])
    assert "Hello, Светлана Ивановна!" in english.body


def test_someone_without_a_position_reads_in_the_default_time_zone(plan, settings):
    settings.DEFAULT_VIEWER_TIME_ZONE = "Asia/Kamchatka"  # UTC+12
    plan("juror", "k", when="2026-03-01T01:00:00+00:00")
    services.deliver_due()
    assert "1 марта 2026, 13:00" in Notification.objects.get(key="k").body


def test_email_turned_off_for_a_kind_still_reaches_the_inbox(cast, plan, outbox):
    services.preferences_update(person=cast.person("secretary"), language="ru", email_off=["general.message"])
    plan("secretary", "k")
    services.deliver_due()
    notification = Notification.objects.get(key="k")
    assert notification.status == Status.DELIVERED
    assert notification.email_status == EmailStatus.SKIPPED
    assert outbox == []


def test_a_person_without_an_address_gets_the_inbox_only(cast, outbox):
    person = branch_services.person_create(last_name="Безадресный", first_name="Иван")
    services.notification_plan(
        recipient=person, kind="general.message", key="k", due_at=timezone.now(), context={"subject": "s"}
    )
    services.deliver_due()
    assert Notification.objects.get(key="k").email_status == EmailStatus.SKIPPED
    assert outbox == []


def test_a_message_goes_out_when_it_falls_due_and_not_before(plan, outbox):
    plan("secretary", "later", due_in=timedelta(hours=2))
    assert services.deliver_due().delivered == 0
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        assert services.deliver_due().delivered == 1
    assert len(outbox) == 1


def test_a_cancelled_notification_is_never_delivered(plan, outbox):
    plan("secretary", "reception:5:reminder")
    services.notification_cancel(key="reception:5:reminder")
    services.deliver_due()
    assert Notification.objects.get(key="reception:5:reminder").status == Status.CANCELLED
    assert outbox == []


def test_a_retimed_notification_goes_at_the_new_time(plan, outbox):
    plan("secretary", "reception:6:reminder", due_in=timedelta(minutes=10))
    services.notification_retime(key="reception:6:reminder", due_at=timezone.now() + timedelta(hours=3))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.deliver_due().delivered == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3, seconds=1)):
        assert services.deliver_due().delivered == 1


@pytest.fixture
def broken_kind():
    """A kind registered without templates, as a careless app might ship it."""
    kind = kinds.register("testing.broken", label="broken")
    yield kind
    kinds._registry.pop(kind.name)


def test_a_message_that_cannot_be_rendered_is_set_aside_and_the_rest_go_out(cast, plan, outbox, broken_kind):
    services.notification_plan(
        recipient=cast.person("host"), kind=broken_kind.name, key="broken", due_at=timezone.now()
    )
    plan("secretary", "fine")
    report = services.deliver_due()
    assert (report.delivered, report.unrenderable) == (1, 1)
    broken = Notification.objects.get(key="broken")
    assert broken.status == Status.FAILED
    assert "TemplateDoesNotExist" in broken.error
    assert Notification.objects.get(key="fine").status == Status.DELIVERED
    assert len(outbox) == 1


def test_the_system_check_names_a_kind_without_templates(broken_kind):
    from notifications.apps import check_kind_templates

    errors = check_kind_templates()
    assert [error.id for error in errors] == ["notifications.E001"] * 3
    assert "testing.broken" in errors[0].msg


def test_a_batch_costs_the_same_few_queries_whatever_its_size(cast, plan, outbox, django_assert_num_queries):
    for role in ("secretary", "host", "juror", "staff_a"):
        plan(role, f"k:{role}")
    services.preferences_update(person=cast.person("host"), language="en", email_off=[])
    # Inbox step:  1 SAVEPOINT, 2 claim (FOR UPDATE SKIP LOCKED, with recipients, their
    #              language and time zone, and preferences), 3 UPDATE ... FROM unnest,
    #              4 RELEASE SAVEPOINT.
    # E-mail step: 5 claim the queued e-mails (one UPDATE ... RETURNING), 6-9 record each
    #              accepted message as sent.
    # Both steps took fewer than a batch, so there is no next round.
    with django_assert_num_queries(9):
        report = services.deliver_due(batch_size=10)
    assert (report.delivered, report.emailed) == (4, 4)
    assert Notification.objects.get(key="k:host").language == "en"


def test_batches_follow_one_another_until_nothing_is_due(cast, plan, outbox):
    for n in range(7):
        plan("secretary", f"k:{n}")
    report = services.deliver_due(batch_size=3)
    assert (report.delivered, report.emailed) == (7, 7)
    assert len(outbox) == 7


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_deliver_each_message_once(cast, outbox):
    rows = [
        services.NotificationRow(
            cast.person(role).pk, "general.message", f"k:{role}:{n}", timezone.now(), {"subject": "s"}
        )
        for role in ("secretary", "host", "juror", "staff_a", "staff_b")
        for n in range(40)
    ]
    services.notification_plan_many(rows=rows)
    reports, errors = [], []

    def deliver():
        try:
            reports.append(services.deliver_due(batch_size=7))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(report.delivered for report in reports) == 200
    assert sum(report.emailed for report in reports) == 200
    ids = [message.extra_headers["Message-ID"] for message in outbox]
    assert len(ids) == len(set(ids)) == 200
    assert Notification.objects.filter(status=Status.DELIVERED, email_status=EmailStatus.SENT).count() == 200


@pytest.mark.django_db(transaction=True)
def test_a_cancel_that_meets_a_delivery_in_progress_waits_and_reports_it_too_late(cast):
    services.notification_plan(
        recipient=cast.person("secretary"), kind="general.message", key="k", due_at=timezone.now()
    )
    outcome = {}
    claimed = threading.Event()

    def cancel():
        claimed.wait(timeout=10)
        try:
            outcome["cancelled"] = services.notification_cancel(key="k")
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel)
    canceller.start()
    # Play the delivery's step 1 by hand: lock the row, deliver it, commit.
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(key="k")
        claimed.set()
        canceller.join(timeout=0.5)
        assert canceller.is_alive(), "the cancel must wait for the delivery's lock"
        Notification.objects.filter(pk=row.pk).update(status=Status.DELIVERED, sent_at=timezone.now())
    canceller.join(timeout=10)
    assert outcome == {"cancelled": False}
    assert Notification.objects.get(key="k").status == Status.DELIVERED


def test_a_backlog_of_more_than_a_batch_asks_for_help_once(plan, outbox):
    for n in range(5):
        plan("secretary", f"k:{n}")
    calls = []
    report = services.deliver_due(batch_size=2, on_backlog=lambda: calls.append("help"))
    assert calls == ["help"]
    assert report.delivered == 5
    plan("secretary", "alone")
    services.deliver_due(batch_size=2, on_backlog=lambda: calls.append("help"))
    assert calls == ["help"]
