"""The e-mail claim: a lease on the rows, one "sent" record per accepted message.

A worker claims a batch by pushing the rows' next try to the end of a lease; what it
does not finish (it died, its records could not be written, the lease ran low) goes
out after the lease, from whichever worker comes next. Only SMTP is replaced.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends import locmem
from django.db import DatabaseError, connection
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.testing import WorkerDeath, read_outbox

pytestmark = pytest.mark.django_db

EmailStatus = Notification.EmailStatus


def plan_many(cast, count: int, *, roles=("secretary",)) -> list[str]:
    rows = [
        services.NotificationRow(
            cast.person(roles[n % len(roles)]).pk, "general.message", f"k:{n}", timezone.now(), {"subject": "s"}
        )
        for n in range(count)
    ]
    services.notification_plan_many(rows=rows)
    return [row.key for row in rows]


def sent_keys(outbox) -> Counter:
    by_id = {services.message_id(n): n.key for n in Notification.objects.all()}
    return Counter(by_id[message.extra_headers["Message-ID"]] for message in outbox)


def test_a_claim_leases_the_batch_until_the_lease_runs_out(cast, outbox, settings):
    settings.MAILERS = {"default": {"BACKEND": "notifications.testing.DyingBackend", "OPTIONS": {"accept": 2}}}
    keys = plan_many(cast, 5)
    start = timezone.now()
    with time_machine.travel(start, tick=False), pytest.raises(WorkerDeath):
        services.deliver_due()
    # The worker died on the third message: two were recorded as sent, the other three
    # keep the claim's lease, and no one may send them before it runs out.
    assert sorted(sent_keys(outbox)) == keys[:2]
    rows = {n.key: n for n in Notification.objects.all()}
    assert [rows[key].email_status for key in keys] == [EmailStatus.SENT] * 2 + [EmailStatus.QUEUED] * 3
    assert {rows[key].email_next_try_at for key in keys[2:]} == {start + services.email_lease()}
    assert {rows[key].email_attempts for key in keys[2:]} == {0}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(start + services.email_lease() - timedelta(seconds=1), tick=False):
        assert services.deliver_due().emailed == 0
    with time_machine.travel(start + services.email_lease(), tick=False):
        assert services.deliver_due().emailed == 3
    assert sent_keys(outbox) == Counter(keys)  # each once: the third was never accepted
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


@pytest.mark.django_db(transaction=True)
def test_a_sent_record_that_cannot_be_written_stops_the_batch(cast, outbox):
    keys = plan_many(cast, 5)
    start = timezone.now()
    # The database refuses the record of the third message (a disk full, a lost primary).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_sent() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'could not write the record'; END $$;
            CREATE TRIGGER test_refuse_sent BEFORE UPDATE ON notifications_notification FOR EACH ROW
                WHEN (NEW.email_status = 'sent' AND NEW.key = 'k:2') EXECUTE FUNCTION test_refuse_sent();
            """
        )
    try:
        with time_machine.travel(start, tick=False), pytest.raises(DatabaseError, match="could not write"):
            services.deliver_due()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_sent ON notifications_notification")
            cursor.execute("DROP FUNCTION test_refuse_sent()")
    # Nothing went out after the message whose record failed.
    assert sent_keys(outbox) == Counter(keys[:3])
    rows = {n.key: n for n in Notification.objects.all()}
    assert [rows[key].email_status for key in keys] == [EmailStatus.SENT] * 2 + [EmailStatus.QUEUED] * 3
    # After the lease the rest go out; only the message whose record was lost goes twice.
    with time_machine.travel(start + services.email_lease(), tick=False):
        assert services.deliver_due().emailed == 3
    assert sent_keys(outbox) == Counter({**dict.fromkeys(keys, 1), "k:2": 2})
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


class SlowServer(locmem.EmailBackend):
    """A server that takes two minutes of the test's frozen clock for each message."""

    clock = None

    def send_messages(self, email_messages):
        SlowServer.clock.shift(timedelta(minutes=2))
        return super().send_messages(email_messages)


def test_a_batch_stops_before_its_lease_runs_out_and_the_rest_wait_for_it(cast, outbox, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowServer"}}
    keys = plan_many(cast, 8)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        SlowServer.clock = clock
        # Messages start at 0, 2, 4, 6 and 8 minutes; at 10 minutes, 9/10 of the lease are
        # gone, and the last three are left to the lease (another worker may claim them then).
        assert services.deliver_due(batch_size=20).emailed == 5
        assert sorted(sent_keys(outbox)) == keys[:5]
        left = Notification.objects.filter(email_status=EmailStatus.QUEUED)
        assert set(left.values_list("email_next_try_at", flat=True)) == {start + services.email_lease()}
        assert services.deliver_due(batch_size=20).emailed == 3
    assert sent_keys(outbox) == Counter(keys)


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_emailing_at_once_never_send_one_email_twice(cast, settings, tmp_path):
    outbox_path = tmp_path / "outbox.jsonl"
    plan_many(cast, 90, roles=("secretary", "host", "juror"))
    # Into the inbox first, with the e-mail server down: every e-mail is then queued,
    # due again after the first backoff, and both deliverers meet in the e-mail step.
    settings.MAILERS = {"default": {"BACKEND": "notifications.testing.RefusingBackend", "OPTIONS": {"fail_open": True}}}
    assert services.deliver_due().delivered == 90
    settings.MAILERS = {
        "default": {
            "BACKEND": "notifications.testing.FileOutboxBackend",
            "OPTIONS": {"path": str(outbox_path), "delay": 0.005},
        }
    }
    start = threading.Barrier(2)
    reports, errors = [], []

    def deliver():
        try:
            start.wait(timeout=10)
            reports.append(services.deliver_due(batch_size=5))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(timezone.now() + services.EMAIL_RETRY_DELAYS[0] + timedelta(seconds=1)):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors
    assert all(report.emailed > 0 for report in reports), "both deliverers must have sent a share"
    assert sum(report.emailed for report in reports) == 90
    sent = Counter(line["message_id"] for line in read_outbox(outbox_path))
    assert len(sent) == 90
    assert max(sent.values()) == 1
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 90


class SettingWatcher(locmem.EmailBackend):
    """A server that notes the delivering connection's synchronous_commit for each message."""

    seen: list[str] = []

    def send_messages(self, email_messages):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            SettingWatcher.seen.append(cursor.fetchone()[0])
        return super().send_messages(email_messages)


@pytest.mark.django_db(transaction=True)
def test_sent_records_commit_without_waiting_for_the_disk_and_the_setting_is_restored(cast, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SettingWatcher"}}
    SettingWatcher.seen = []
    keys = plan_many(cast, 3)
    assert services.deliver_due().emailed == 3
    # While the batch went out, its "sent" records did not wait for a disk flush each...
    assert SettingWatcher.seen == ["off"] * 3
    # ...and the connection is back to the server's setting for whatever it does next.
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert set(Notification.objects.filter(key__in=keys).values_list("email_status", flat=True)) == {EmailStatus.SENT}
