"""Run the chaos suite: `python -m chaos [--quick] [--only NAME ...]` (make chaos).

Needs DATABASE_URL (its server gets a database `<name>_chaos`, dropped and rebuilt) and
REDIS_URL (its server's database CHAOS_REDIS_DB, 11 by default, is flushed and used as
the broker of the scenarios that do not kill Redis). Everything else it starts itself on
free loopback ports and stops on the way out, by process group id.
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 2  # worker processes: the e-mail duplicate bound is one per process per fault
SCENARIOS = ("worker_kill", "redis_kill", "pg_close", "pg_silent", "web_redis_down")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"chaos {time.strftime('%H:%M:%S')} {message}", flush=True)


@dataclass
class Figures:
    name: str
    planned: int = 0
    delivered: int = 0
    inbox_duplicates: int = 0
    emailed: int = 0
    email_duplicates: int = 0
    bound: int = 0
    lost: int = 0
    late_inbox: float = 0.0
    late_email: float = 0.0
    late_email_median: float = 0.0
    requests: int = 0
    errors_5xx: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            self.lost == 0
            and self.inbox_duplicates == 0
            and self.email_duplicates <= self.bound
            and self.errors_5xx == 0
            and not any(note.startswith("FAIL") for note in self.notes)
        )


class Lab:
    """The processes of the suite; each in its own process group, killed by its id only."""

    def __init__(self, tmp: Path, *, db_url: str, main_broker: str):
        self.tmp = tmp
        self.db_url = db_url
        self.main_broker = main_broker
        self.redis_port = free_port()
        self.killable_broker = f"redis://127.0.0.1:{self.redis_port}/0"
        self.smtp_port = free_port()
        self.web_port = free_port()
        self.redis: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.forwarder: Any = None
        self.smtp: Any = None
        self.recorder: Any = None
        self.count = 0
        self.cast: Any = None
        self.broker = main_broker
        self.restarts: list[str] = []

    # The pieces ----------------------------------------------------------------

    def start_support(self) -> None:
        from chaos import smtp
        from chaos.forwarder import Forwarder

        parts = urlsplit(self.db_url)
        self.forwarder = Forwarder(free_port(), (parts.hostname or "127.0.0.1", parts.port or 5432))
        self.smtp, self.recorder = smtp.start(self.smtp_port)
        self.start_redis()

    def _popen(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        self.count += 1
        out = open(self.tmp / f"{self.count:02d}-{name}.log", "wb")  # noqa: SIM115 (closed below; the child keeps it)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        return process

    def start_redis(self) -> None:
        self.redis = self._popen(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5):
                return
            time.sleep(0.05)
        raise RuntimeError("the killable redis-server did not start")

    def kill_redis(self) -> None:
        self.kill(self.redis)
        self.redis = None

    def proxied_db_url(self) -> str:
        parts = urlsplit(self.db_url)
        netloc = parts.netloc.rsplit("@", 1)
        auth = netloc[0] + "@" if len(netloc) == 2 else ""
        return urlunsplit((parts.scheme, f"{auth}127.0.0.1:{self.forwarder.port}", parts.path, parts.query, ""))

    def env(self, *, broker: str, kind: str, through_forwarder: bool = True) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chaos.settings",
            "DATABASE_URL": self.proxied_db_url() if through_forwarder else self.db_url,
            "REDIS_URL": broker,
            "PROCESS_KIND": kind,
            "CHAOS_SMTP_PORT": str(self.smtp_port),
            "EMAIL_BACKEND": "smtp",
            "LOG_LEVEL": "INFO",
        }

    def start_celery(self, broker: str) -> None:
        self.stop_celery()
        self.broker = broker
        env = self.env(broker=broker, kind="worker")
        self.start_worker(broker)
        schedule = self.tmp / "beat-schedule"
        for path in self.tmp.glob("beat-schedule*"):
            path.unlink()
        self.beat = self._popen(
            "beat", [sys.executable, "-m", "celery", "-A", "config", "beat", "--schedule", str(schedule)], env
        )

    def start_worker(self, broker: str) -> subprocess.Popen:
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "chaos",
            "--concurrency", str(CONCURRENCY), "--loglevel", "INFO", "--hostname", f"chaos-{self.count}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        worker = self._popen("worker", command, self.env(broker=broker, kind="worker"))
        self.workers.append(worker)
        return worker

    def supervise(self) -> None:
        """Restart a worker or beat that exited by itself, as systemd (Restart=always) does in production.

        Celery's worker exits ("Unrecoverable error") when the broker dies while it holds
        unacknowledged messages; the suite counts each restart and shows it in the report.
        """
        for worker in list(self.workers):
            if worker.poll() is not None:
                self.workers.remove(worker)
                self.restarts.append(f"worker exited ({worker.returncode}) and was restarted")
                self.start_worker(self.broker)
        if self.beat is not None and self.beat.poll() is not None:
            self.restarts.append(f"beat exited ({self.beat.returncode}) and was restarted")
            self.beat = self._popen(
                "beat",
                [sys.executable, "-m", "celery", "-A", "config", "beat", "--schedule", str(self.tmp / "beat-schedule")],
                self.env(broker=self.broker, kind="worker"),
            )

    def wait(self, seconds: float) -> None:
        """Sleep, keeping the processes supervised."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            self.supervise()
            time.sleep(min(0.5, max(0.0, until - time.monotonic())))

    def stop_celery(self) -> None:
        for process in [*self.workers, self.beat]:
            self.kill(process)
        self.workers, self.beat = [], None

    def start_web(self, broker: str) -> str:
        env = self.env(broker=broker, kind="web", through_forwarder=False) | {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}",
            "--workers", "2", "--timeout", "30",
        ]  # fmt: skip
        self.web = self._popen("web", command, env)
        url = f"http://127.0.0.1:{self.web_port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/ping", timeout=1):
                return url
            time.sleep(0.2)
        raise RuntimeError("the web process did not start")

    @staticmethod
    def kill(process: subprocess.Popen | None) -> None:
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def close(self) -> None:
        self.stop_celery()
        self.kill(self.web)
        self.kill(self.redis)
        if self.forwarder:
            self.forwarder.close()
        if self.smtp:
            with contextlib.suppress(Exception):
                self.smtp.stop()


# The database ---------------------------------------------------------------------


def build_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or ""),
        host=parts.hostname,
        port=parts.port or 5432,
    )
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    maintenance.close()
    env = {**os.environ, "DATABASE_URL": url, "PROCESS_KIND": "command", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def install_inbox_recorder() -> None:
    """Record every transition of a row to 'delivered' (a second one would be an inbox duplicate)."""
    from django.db import connection

    from notifications.models import Notification

    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE chaos_inbox (notification_id bigint NOT NULL, at timestamptz NOT NULL)")
        cursor.execute(
            """CREATE FUNCTION chaos_inbox_record() RETURNS trigger AS $$
            BEGIN INSERT INTO chaos_inbox VALUES (NEW.id, clock_timestamp()); RETURN NEW; END $$ LANGUAGE plpgsql"""
        )
        cursor.execute(
            f"""CREATE TRIGGER chaos_inbox AFTER UPDATE OF status ON {table} FOR EACH ROW
            WHEN (NEW.status = %s) EXECUTE FUNCTION chaos_inbox_record()""".replace("%s", "'delivered'")
        )
    assert str(Notification.Status.DELIVERED) == "delivered"


def build_people(count: int) -> list[int]:
    from branches.services import person_create

    return [
        person_create(last_name=f"Хаосова-{n}", first_name="Ольга", email=f"chaos{n}@example.org").pk
        for n in range(count)
    ]


# Planning and measuring ------------------------------------------------------------


def plan(name: str, people: list[int], count: int, *, start: datetime, spread: float) -> None:
    """Plan `count` messages through the engine, due from `start` over `spread` seconds."""
    from notifications.services import NotificationRow, notification_plan_many

    rows = [
        NotificationRow(
            people[n % len(people)],
            "general.message",
            f"chaos.{name}.{n}",
            start + timedelta(seconds=spread * n / max(count, 1)),
            {"subject": f"Проверка {n}"},
        )
        for n in range(count)
    ]
    for offset in range(0, count, 500):
        notification_plan_many(rows=rows[offset : offset + 500])


def progress(select: dict, recorder) -> dict:
    """Where the messages `select` picks (filter arguments) are: rows, inbox transitions, e-mails received."""
    from django.db import connection

    from notifications.models import Notification
    from notifications.services import message_id

    rows = list(Notification.objects.filter(**select).only("id", "key", "due_at", "email_status"))
    by_message_id = {message_id(row): row for row in rows}
    received = [(mid, at) for mid, at in recorder.snapshot() if mid in by_message_id]
    first_arrival: dict[str, float] = {}
    for mid, at in received:
        first_arrival.setdefault(mid, at)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notification_id, count(*), min(at) FROM chaos_inbox WHERE notification_id = ANY(%s) "
            "GROUP BY notification_id",
            [[row.pk for row in rows]],
        )
        inbox = {pk: (n, at) for pk, n, at in cursor.fetchall()}
    pending_email = sum(1 for row in rows if row.email_status in ("queued", ""))
    return {
        "rows": rows,
        "by_message_id": by_message_id,
        "received": received,
        "first_arrival": first_arrival,
        "inbox": inbox,
        "pending_email": pending_email,
    }


def settle(lab: "Lab", figures: Figures, select: dict, *, deadline: float, fault: tuple[float, float]) -> None:
    """Wait until every row is in the inbox and every e-mail recorded as sent (or the deadline), then count."""
    recorder = lab.recorder
    while True:
        state = progress(select, recorder)
        done = len(state["inbox"]) == len(state["rows"]) and state["pending_email"] == 0
        if done or time.monotonic() > deadline:
            break
        lab.wait(0.5)
    time.sleep(1)  # a last straggler
    figures.notes.extend(lab.restarts)
    lab.restarts = []
    state = progress(select, recorder)
    rows = state["rows"]
    figures.planned = len(rows)
    figures.delivered = len(state["inbox"])
    figures.inbox_duplicates = sum(n - 1 for n, _at in state["inbox"].values())
    figures.emailed = len(state["first_arrival"])
    figures.email_duplicates = len(state["received"]) - figures.emailed
    figures.lost = max(figures.planned - figures.delivered, figures.planned - figures.emailed)
    if not done:
        figures.notes.append(f"FAIL: not settled by the deadline ({state['pending_email']} e-mails still queued)")
    start, end = fault
    inbox_late, email_late = [], []
    for mid, row in state["by_message_id"].items():
        due = row.due_at.timestamp()
        if not (start <= due <= end):
            continue
        if row.pk in state["inbox"]:
            inbox_late.append(max(0.0, state["inbox"][row.pk][1].timestamp() - due))
        if mid in state["first_arrival"]:
            email_late.append(max(0.0, state["first_arrival"][mid] - due))
    figures.late_inbox = max(inbox_late, default=0.0)
    figures.late_email = max(email_late, default=0.0)
    figures.late_email_median = statistics.median(email_late) if email_late else 0.0


# The scenarios -----------------------------------------------------------------


def use_broker(url: str) -> None:
    """Point this process's Celery app (the planner's wake-ups) at `url`."""
    from config.celery import app

    app.conf.broker_url = url
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


def worker_kill(lab: Lab, people: list[int], scale: int) -> Figures:
    """SIGKILL the worker (the whole process group) three times while it is sending."""
    figures = Figures("worker SIGKILL ×3", bound=3 * CONCURRENCY)
    use_broker(lab.main_broker)
    lab.start_celery(lab.main_broker)
    count = 3 * scale
    began = time.time()
    plan("worker_kill", people, count, start=datetime.now(UTC) - timedelta(seconds=1), spread=0)
    last_kill = began
    select = {"key__startswith": "chaos.worker_kill."}
    for share in (0.15, 0.40, 0.65):
        deadline = time.monotonic() + 120
        while len(progress(select, lab.recorder)["first_arrival"]) < share * count:
            if time.monotonic() > deadline:
                figures.notes.append(f"FAIL: sending never reached {share:.0%}")
                break
            time.sleep(0.05)
        for worker in lab.workers:
            lab.kill(worker)
        lab.workers = []
        last_kill = time.time()
        log(f"worker_kill: SIGKILL at {share:.0%} sent; a new worker starts")
        lab.start_worker(lab.main_broker)
    settle(lab, figures, select, deadline=time.monotonic() + 180, fault=(began - 2, last_kill))
    return figures


def redis_kill(lab: Lab, people: list[int], scale: int) -> Figures:
    """Kill the broker (redis-server, SIGKILL) for 30 s while messages fall due and go out."""
    figures = Figures("Redis killed 30 s", bound=CONCURRENCY)
    use_broker(lab.killable_broker)
    lab.start_celery(lab.killable_broker)
    lab.wait(3)
    start = datetime.now(UTC)
    plan("redis_kill", people, scale, start=start, spread=45)
    lab.wait(5)
    lab.kill_redis()
    fault_start = time.time()
    log("redis_kill: redis-server killed")
    lab.wait(30)
    lab.start_redis()
    fault_end = time.time()
    log("redis_kill: redis-server back (empty: its queue is gone, the rows are not)")
    settle(
        lab,
        figures,
        {"key__startswith": "chaos.redis_kill."},
        deadline=time.monotonic() + 150,
        fault=(fault_start, fault_end),
    )
    return figures


def pg_cut(lab: Lab, people: list[int], scale: int, *, mode: str) -> Figures:
    """Cut the workers' line to PostgreSQL for 20 s: every connection closed, or left half-open."""
    label = "PostgreSQL cut 20 s (closed)" if mode == "close" else "PostgreSQL cut 20 s (half-open)"
    name = f"pg_{mode}"
    figures = Figures(label, bound=CONCURRENCY)
    use_broker(lab.main_broker)
    lab.start_celery(lab.main_broker)
    lab.wait(3)
    plan(name, people, scale, start=datetime.now(UTC), spread=40)
    lab.wait(5)
    lab.forwarder.cut("close" if mode == "close" else "silent")
    fault_start = time.time()
    log(f"{name}: line to PostgreSQL cut ({mode})")
    lab.wait(20)
    lab.forwarder.restore()
    fault_end = time.time()
    log(f"{name}: line restored")
    settle(
        lab,
        figures,
        {"key__startswith": f"chaos.{name}."},
        deadline=time.monotonic() + 150,
        fault=(fault_start, fault_end),
    )
    return figures


class Browser:
    """Just enough of a browser: cookies, the CSRF token of each form, the status of every answer."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.statuses: list[int] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.statuses.append(status)
        return status, text

    def submit(self, path: str, data: dict) -> tuple[int, str]:
        _status, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""})


def web_redis_down(lab: Lab, people: list[int], scale: int) -> Figures:
    """With Redis down, a secretary books, moves and cancels a reception through the web process."""
    from conftest import PASSWORD
    from receptions.models import Booking
    from receptions.tests.factories import free_slot, weekly_hours

    figures = Figures("web booking while Redis is down", bound=0)
    cast = lab.cast
    schedule = weekly_hours(cast)
    first, second = free_slot(schedule, 0), free_slot(schedule, 1)
    use_broker(lab.killable_broker)
    lab.start_celery(lab.killable_broker)
    base = lab.start_web(lab.killable_broker)
    browser = Browser(base)
    browser.submit("/login/", {"username": cast.user("secretary").username, "password": PASSWORD})
    began = time.time()
    lab.kill_redis()
    log("web_redis_down: redis-server killed; booking, moving, cancelling through the pages")
    started = time.monotonic()
    status, _page = browser.submit(f"/receptions/slots/{first.pk}/book/", {"topic": "Хаос-проверка", "questions": ""})
    booking = Booking.objects.filter(slot=first, secretary=cast.person("secretary")).first()
    if status != 200 or booking is None:
        figures.notes.append(f"FAIL: booking answered {status}, booking saved: {booking is not None}")
    else:
        browser.submit(f"/receptions/bookings/{booking.pk}/move/", {"slot": second.pk})
        browser.submit(f"/receptions/bookings/{booking.pk}/cancel/", {"reason": ""})
        booking.refresh_from_db()
        if booking.slot_id != second.pk or booking.status != Booking.Status.CANCELLED:
            figures.notes.append(f"FAIL: after move and cancel the booking is {booking.status} on {booking.slot_id}")
    figures.notes.append(f"three changes answered in {time.monotonic() - started:.1f} s with the broker down")
    lab.wait(5)
    lab.start_redis()
    fault_end = time.time()
    figures.requests = len(browser.statuses)
    figures.errors_5xx = sum(1 for status in browser.statuses if status >= 500)
    figures.notes.append(f"statuses: {sorted(set(browser.statuses))}")
    lab.kill(lab.web)
    lab.web = None
    # The messages those changes planned (to the host) go out once the beat runs again.
    from notifications.models import Notification

    select = {
        "kind__startswith": "reception.",
        "created_at__gte": datetime.fromtimestamp(began, UTC),
        "due_at__lte": datetime.now(UTC),
        "status__in": [Notification.Status.PLANNED, Notification.Status.DELIVERED],
    }
    figures.notes.append(f"{Notification.objects.filter(**select).count()} messages planned by those changes")
    settle(lab, figures, select, deadline=time.monotonic() + 90, fault=(began, fault_end))
    return figures


# Main ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer messages (a smoke run)")
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, help="run only these scenarios")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs folder")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL")
    if not base:
        print("chaos: DATABASE_URL is required (a PostgreSQL server on this machine)", file=sys.stderr)
        return 2
    parts = urlsplit(base)
    db_url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_chaos"))
    redis_parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    main_broker = urlunsplit(redis_parts._replace(path=f"/{os.environ.get('CHAOS_REDIS_DB', '11')}"))
    scale = 500 if args.quick else 1000
    tmp = Path(tempfile.mkdtemp(prefix="pervichka-chaos-"))
    log(f"database {urlsplit(db_url).path[1:]}, broker {main_broker} and a killable redis; logs in {tmp}")
    build_database(db_url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "chaos.settings",
            "DATABASE_URL": db_url,
            "REDIS_URL": main_broker,
            "PROCESS_KIND": "command",
            "EMAIL_BACKEND": "smtp",
        }
    )
    import django

    import config  # noqa: F401  (first: chaos.settings imports config.settings, whose package reads the settings)

    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command
    import redis

    redis.Redis.from_url(main_broker).flushdb()
    from django.contrib.auth import get_user_model

    from conftest import build_cast

    lab = Lab(tmp, db_url=db_url, main_broker=main_broker)
    results: list[Figures] = []
    try:
        lab.start_support()
        os.environ["CHAOS_SMTP_PORT"] = str(lab.smtp_port)
        install_inbox_recorder()
        lab.cast = build_cast(get_user_model())
        people = build_people(60)
        for name in args.only or SCENARIOS:
            started = time.monotonic()
            log(f"== {name}")
            if name == "worker_kill":
                figures = worker_kill(lab, people, scale)
            elif name == "redis_kill":
                figures = redis_kill(lab, people, scale)
            elif name == "pg_close":
                figures = pg_cut(lab, people, scale, mode="close")
            elif name == "pg_silent":
                figures = pg_cut(lab, people, scale, mode="silent")
            else:
                figures = web_redis_down(lab, people, scale)
            figures.seconds = time.monotonic() - started
            results.append(figures)
            report([figures])
    finally:
        lab.close()
        with contextlib.suppress(Exception):
            redis.Redis.from_url(main_broker).flushdb()
        if not args.keep_logs and all(f.passed for f in results):
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    report(results)
    failed = [f.name for f in results if not f.passed]
    print(f"chaos: {'FAILED: ' + ', '.join(failed) if failed else 'passed'} ({len(results)} scenarios)", flush=True)
    if failed:
        print(f"chaos: the processes' logs are in {tmp}")
    return 1 if failed or len(results) < len(args.only or SCENARIOS) else 0


def report(results: list[Figures]) -> None:
    header = (
        f"{'scenario':34} {'planned':>7} {'inbox':>6} {'inbox×2':>7} {'e-mailed':>8} {'e-mail×2':>8} "
        f"{'bound':>5} {'lost':>4} {'late inbox':>10} {'late e-mail max/med':>19} {'5xx':>4} {'s':>5}  verdict"
    )
    print(header)
    for f in results:
        print(
            f"{f.name:34} {f.planned:7} {f.delivered:6} {f.inbox_duplicates:7} {f.emailed:8} {f.email_duplicates:8} "
            f"{f.bound:5} {f.lost:4} {f.late_inbox:9.1f}s {f.late_email:9.1f}s/{f.late_email_median:6.1f}s "
            f"{f.errors_5xx:4} {f.seconds:5.0f}  {'ok' if f.passed else 'FAIL'}"
        )
        for note in f.notes:
            print(f"    {note}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
