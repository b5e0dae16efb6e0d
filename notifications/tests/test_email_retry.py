"""A failed e-mail is retried with backoff, then marked failed, and never holds the others back.

Only SMTP is replaced: `RefusingBackend` refuses chosen recipients like a server would.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.testing import RefusingBackend

pytestmark = pytest.mark.django_db

EmailStatus = Notification.EmailStatus


@pytest.fixture
def smtp(settings):
    """Point the default mailer at a server that refuses the host's address."""

    def configure(**options):
        RefusingBackend.sent = []
        settings.MAILERS = {"default": {"BACKEND": "notifications.testing.RefusingBackend", "OPTIONS": options}}
        return RefusingBackend.sent

    return configure


def test_a_refused_message_is_retried_with_backoff_while_the_others_go_out(plan, smtp):
    sent = smtp(refuse=["host@example.org"])
    for role in ("secretary", "host", "juror"):
        plan(role, f"k:{role}")
    report = services.deliver_due()
    assert (report.emailed, report.email_failures) == (2, 1)
    assert sorted(message.to[0] for message in sent) == ["juror@example.org", "secretary@example.org"]
    host = Notification.objects.get(key="k:host")
    assert host.status == Notification.Status.DELIVERED  # the inbox has it regardless
    assert host.email_status == EmailStatus.QUEUED
    assert host.email_attempts == 1
    assert "550 mailbox unavailable" in host.email_error
    assert host.email_next_try_at - timezone.now() > timedelta(seconds=50)


def test_after_the_last_attempt_the_email_is_marked_failed(plan, smtp):
    smtp(refuse="*")
    plan("host", "k")
    services.deliver_due()
    for _delay in services.EMAIL_RETRY_DELAYS:
        next_try = Notification.objects.get(key="k").email_next_try_at
        with time_machine.travel(next_try - timedelta(seconds=1), tick=False):
            assert services.deliver_due().email_failures == 0  # it waits out the backoff
        with time_machine.travel(next_try, tick=False):
            assert services.deliver_due().email_failures == 1
    notification = Notification.objects.get(key="k")
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == len(services.EMAIL_RETRY_DELAYS) + 1
    assert notification.email_next_try_at is None


def test_the_backoff_grows_between_attempts(plan, smtp):
    smtp(refuse="*")
    plan("host", "k")
    waits = []
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        for _ in services.EMAIL_RETRY_DELAYS:
            services.deliver_due()
            next_try = Notification.objects.get(key="k").email_next_try_at
            waits.append(next_try - timezone.now())
            traveller.move_to(next_try)
    assert waits == list(services.EMAIL_RETRY_DELAYS)


def test_a_server_that_is_down_puts_the_whole_batch_back_at_once(plan, smtp):
    smtp(fail_open=True)
    for role in ("secretary", "host", "juror"):
        plan(role, f"k:{role}")
    report = services.deliver_due()
    assert (report.delivered, report.emailed, report.email_failures) == (3, 0, 3)
    assert set(Notification.objects.values_list("email_status", "email_attempts")) == {(EmailStatus.QUEUED, 1)}
    # The server is back: the next attempt, after the backoff, sends them all.
    smtp()
    with time_machine.travel(timezone.now() + services.EMAIL_RETRY_DELAYS[0] + timedelta(seconds=1)):
        assert services.deliver_due().emailed == 3


def test_staff_can_queue_failed_emails_again(plan, smtp):
    smtp(refuse="*")
    plan("host", "k")
    services.deliver_due()
    Notification.objects.filter(key="k").update(email_status=EmailStatus.FAILED, email_next_try_at=None)
    smtp()
    assert services.email_retry(notifications=Notification.objects.filter(key="k")) == 1
    assert services.deliver_due().emailed == 1
    assert Notification.objects.get(key="k").email_status == EmailStatus.SENT


def test_the_admin_action_queues_failed_emails_again_through_the_service(plan, smtp, client_for):
    smtp(refuse="*")
    plan("host", "failed")
    plan("secretary", "sent")
    services.deliver_due()
    Notification.objects.filter(key="failed").update(email_status=EmailStatus.FAILED, email_next_try_at=None)
    Notification.objects.filter(key="sent").update(email_status=EmailStatus.SENT, email_next_try_at=None)
    response = client_for("admin").post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry_email", "_selected_action": list(Notification.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 302
    failed, sent = Notification.objects.get(key="failed"), Notification.objects.get(key="sent")
    assert (failed.email_status, failed.email_attempts, failed.email_error) == (EmailStatus.QUEUED, 0, "")
    assert failed.email_next_try_at is not None
    assert sent.email_status == EmailStatus.SENT  # only failed e-mails are queued again
    sent_messages = smtp()
    assert services.deliver_due().emailed == 1
    assert [message.to for message in sent_messages] == [["host@example.org"]]
