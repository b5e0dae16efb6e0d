"""Proven on a real worker: `celery -A config worker` in a subprocess, on the real Redis.

Each test gets a queue of its own on the Redis of REDIS_URL and a file as its SMTP
server (notifications.testing.FileOutboxBackend), plans rows in the test database
(committed: the worker is another process) and watches what comes out. Workers are
killed with SIGKILL, the whole process group at once, like a machine losing power; the
fixture kills whatever is left in teardown. Every wait has a timeout.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.services import NotificationRow
from notifications.testing import read_outbox

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("secretary", "host", "juror", "staff_a", "staff_b", "admin")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_clock,  # the workers are other processes, on the real clock
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="real-worker tests need REDIS_URL (CI sets it)"),
]


class Workers:
    """Start Celery workers for one test and make sure none outlives it."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.queue = f"test-notifications-{uuid.uuid4().hex[:12]}"
        self.outbox = tmp_path / "outbox.jsonl"
        self.processes: list[subprocess.Popen] = []

    def start(
        self,
        *,
        beat: bool = False,
        tick: float = 60,
        batch: int = 500,
        stall_after: int | None = None,
        lease: float = 600,
    ):
        n = len(self.processes)
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "notifications.tests.worker_settings",
            # The worker must see the test database, not the development one.
            "DATABASE_URL": (
                f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
                f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "PERVICHKA_TEST_QUEUE": self.queue,
            "PERVICHKA_TEST_OUTBOX": str(self.outbox),
            "PERVICHKA_TEST_SMTP_DELAY": "0.005",
            "PERVICHKA_TEST_SMTP_STALL_AFTER": "" if stall_after is None else str(stall_after),
            "PERVICHKA_TEST_TICK": str(tick),
            "PERVICHKA_TEST_BATCH": str(batch),
            "PERVICHKA_TEST_EMAIL_LEASE": str(lease),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--concurrency", "1", "--loglevel", "INFO", "--hostname", f"{self.queue}-{n}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(self.tmp_path / f"beat-{n}")]
        log = open(self.tmp_path / f"worker-{n}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and everything it started (pool children, embedded beat)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.tmp_path.glob("worker-*.log"))
        )

    def sent_ids(self) -> list[str]:
        return [line["message_id"] for line in read_outbox(self.outbox)]

    def wait_until(self, condition, *, timeout: float, what: str) -> float:
        """Poll until `condition()` holds; return the seconds it took, or fail with the workers' logs."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if condition():
                return time.monotonic() - start
            for process in self.processes:
                if process.poll() is not None and process.returncode not in (-signal.SIGKILL,):
                    pytest.fail(f"a worker exited with {process.returncode}\n{self.logs()}")
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout} s waiting for {what}\n{self.logs()}")

    def close(self) -> None:
        for process in self.processes:
            self.kill(process)
        self._clean_redis()

    def _clean_redis(self) -> None:
        """Drop this test's queue, and the message a killed worker left unacknowledged."""
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(match=f"*{self.queue}*"):
            client.delete(key)
        for tag, payload in client.hgetall("unacked").items():
            if self.queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


@pytest.fixture
def workers(transactional_db, tmp_path):
    pool = Workers(tmp_path)
    try:
        yield pool
    finally:
        pool.close()


def plan_for_everyone(cast, prefix: str, count: int, *, due_at=None) -> list[str]:
    due_at = due_at or timezone.now() - timedelta(seconds=5)
    rows = [
        NotificationRow(
            cast.person(ROLES[n % len(ROLES)]).pk, "general.message", f"{prefix}:{n}", due_at, {"subject": "s"}
        )
        for n in range(count)
    ]
    services.notification_plan_many(rows=rows)
    return [row.key for row in rows]


def expected_ids(keys) -> set[str]:
    return {services.message_id(n) for n in Notification.objects.filter(key__in=keys)}


def emailed(keys) -> int:
    return Notification.objects.filter(key__in=keys, email_status=Notification.EmailStatus.SENT).count()


def test_a_worker_killed_mid_batch_leaves_no_message_lost_or_doubled(cast, workers):
    keys = plan_for_everyone(cast, "killed", 30)
    # Batches of 10, claimed for 5 seconds; the SMTP server stalls on the 13th message,
    # inside the second e-mail batch, with the third batch not yet in the inbox.
    first = workers.start(batch=10, stall_after=12, lease=5)
    stalled = Path(f"{workers.outbox}.stalled")
    workers.wait_until(stalled.exists, timeout=30, what="the worker to reach the 13th message")
    # Each accepted message was recorded before the next was sent; the window between a
    # "250 OK" and its record is the one no mail client can close.
    assert emailed(keys) == 12
    workers.kill(first)
    assert len(workers.sent_ids()) == 12
    assert Notification.objects.filter(key__in=keys, status=Notification.Status.PLANNED).count() == 10
    # The dead worker's claim on the rest of its batch is a lease: no one may send those
    # eight until it runs out, and then the next tick does.
    claimed = Notification.objects.filter(key__in=keys, email_status=Notification.EmailStatus.QUEUED)
    assert claimed.filter(email_next_try_at__gt=timezone.now()).count() == 8

    workers.start(batch=10, beat=True, tick=1, lease=5)
    workers.wait_until(lambda: emailed(keys) == 30, timeout=30, what="all 30 e-mails after the restart")
    sent = Counter(workers.sent_ids())
    assert set(sent) == expected_ids(keys)
    assert max(sent.values()) == 1, [key for key, times in sent.items() if times > 1]
    assert Notification.objects.filter(key__in=keys, status=Notification.Status.DELIVERED).count() == 30


def test_two_beats_and_two_workers_with_the_planner_run_twice_send_each_message_once(cast, workers):
    keys = plan_for_everyone(cast, "twice", 60)
    assert services.notification_plan_many(rows=[]) == 0
    assert len(plan_for_everyone(cast, "twice", 60)) == 60  # the planner's second run adds nothing
    assert Notification.objects.filter(key__startswith="twice:").count() == 60
    for _ in range(2):
        workers.start(beat=True, tick=1, batch=5)
    workers.wait_until(lambda: emailed(keys) == 60, timeout=40, what="60 e-mails from two workers")
    time.sleep(1.5)  # a tick or two more from each beat: nothing may go out again
    sent = Counter(workers.sent_ids())
    assert set(sent) == expected_ids(keys)
    assert max(sent.values()) == 1


def test_after_an_outage_a_due_message_goes_out_at_once_and_a_cancelled_one_never(cast, workers):
    # Planned and due while no worker runs.
    due = timezone.now() - timedelta(seconds=30)
    for key in ("outage:due", "outage:cancelled", "outage:moved"):
        services.notification_plan(
            recipient=cast.person("secretary"), kind="general.message", key=key, due_at=due, context={"subject": key}
        )
    services.notification_cancel(key="outage:cancelled")
    services.notification_retime(key="outage:moved", due_at=timezone.now() + timedelta(hours=1))

    workers.start()  # the production tick of a minute: it must not be needed
    took = workers.wait_until(lambda: emailed(["outage:due"]) == 1, timeout=55, what="the overdue message")
    assert took < 60
    assert workers.sent_ids() == list(expected_ids(["outage:due"]))
    assert Notification.objects.get(key="outage:cancelled").status == Notification.Status.CANCELLED
    assert Notification.objects.get(key="outage:moved").status == Notification.Status.PLANNED
