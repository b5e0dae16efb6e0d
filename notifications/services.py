"""Plan, cancel, re-time and deliver notifications: the API the other apps call.

Planning is idempotent on the key: INSERT ... ON CONFLICT (key) DO NOTHING, so a
planner may run any number of times, in any number of processes.

Delivery (`deliver_due`, run by the beat every minute) has two steps per batch:

1. Inbox, exactly once. In one transaction: lock a batch of due planned rows with
   SELECT ... FOR UPDATE SKIP LOCKED (a second worker takes the next batch, a
   cancel waits), render each in its recipient's language and time zone, and mark
   the batch delivered with one UPDATE. A worker killed before the commit leaves
   the batch planned, for the next worker to deliver.
2. E-mail, at least once, duplicated only in a window of milliseconds. Lock the
   batch's queued e-mails with session advisory locks (PostgreSQL frees them the
   moment a killed worker's connection drops), re-read which are still queued, open
   one SMTP connection, and record each message as sent as soon as the server
   accepted it (a recorder thread commits them while the next ones are sent). Only a
   crash between the server's "250 OK" and that commit sends a message twice; its
   Message-ID is derived from the notification, so the receiving side can tell the
   copies apart. A failed message is retried with backoff and, after the last try,
   marked failed; the others go on.
"""

import json
import logging
import queue
import threading
import zoneinfo
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from hashlib import sha1
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from branches.models import Person
from notifications import kinds
from notifications.mail import NotificationEmail
from notifications.models import Notification, Preferences
from notifications.selectors import time_zones_for

logger = logging.getLogger(__name__)

Status = Notification.Status
EmailStatus = Notification.EmailStatus

DEFAULT_BATCH_SIZE = 500
# A planner inserts this many rows per statement.
PLAN_CHUNK = 2000
# After a failed e-mail attempt, wait this long before the next; after the last, give up.
EMAIL_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# A message due within this much of now gets a wake-up of its own instead of waiting for
# the next beat tick (a countdown never longer than this: time lives in the database).
WAKE_WITHIN = timedelta(minutes=1)
# The advisory-lock namespace of notification e-mails (any constant unique in the project).
EMAIL_LOCK_SPACE = 4_040_101


@dataclass(frozen=True)
class NotificationRow:
    """One notification for `notification_plan_many`: ids, not objects, for national sizes."""

    recipient_id: int
    kind: str
    key: str
    due_at: datetime
    context: dict = field(default_factory=dict)
    url: str = ""


# Planning ---------------------------------------------------------------------


@transaction.atomic
def notification_plan(
    *,
    recipient: Person,
    kind: str,
    key: str,
    due_at: datetime,
    context: dict | None = None,
    url: str = "",
) -> Notification:
    """Plan one message; a key that exists changes nothing and its row is returned."""
    row = NotificationRow(recipient.pk, kind, key, due_at, context or {}, url)
    if _insert([row]):
        _wake_for(due_at)
    return Notification.objects.get(key=key)


@transaction.atomic
def notification_plan_many(*, rows: list[NotificationRow]) -> int:
    """Plan many messages at once (87,000 secretaries); return how many keys were new."""
    inserted = 0
    for start in range(0, len(rows), PLAN_CHUNK):
        inserted += _insert(rows[start : start + PLAN_CHUNK])
    if inserted:
        _wake_for(min(row.due_at for row in rows))
    return inserted


@transaction.atomic
def notification_cancel(*, key: str) -> bool:
    """Cancel a message not yet delivered; return whether there was one.

    The conditional UPDATE waits for a delivery that has locked the row and then finds
    it delivered (False); a delivery that comes later finds it cancelled and skips it.
    """
    cancelled = Notification.objects.filter(key=key, status=Status.PLANNED).update(
        status=Status.CANCELLED, cancelled_at=timezone.now()
    )
    return cancelled == 1


@transaction.atomic
def notification_retime(*, key: str, due_at: datetime, context: dict | None = None) -> bool:
    """Move a message not yet delivered to a new time (and context); return whether there was one."""
    _check_aware(due_at)
    changes: dict[str, object] = {"due_at": due_at}
    if context is not None:
        changes["context"] = _json(context)
    moved = Notification.objects.filter(key=key, status=Status.PLANNED).update(**changes) == 1
    if moved:
        _wake_for(due_at)
    return moved


def _insert(rows: list[NotificationRow]) -> int:
    """INSERT ... SELECT FROM unnest(...) ON CONFLICT (key) DO NOTHING; return the rows inserted.

    One statement per chunk; Django's bulk_create(ignore_conflicts=True) would not say
    how many rows were new.
    """
    for row in rows:
        _check(row)
    if not rows:
        return 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (
                recipient_id, kind, key, due_at, context, url, status, created_at,
                language, subject, body, error,
                email_status, email_address, email_text, email_html, email_attempts, email_error
            )
            SELECT r, k, y, d, c, u, %s, %s, '', '', '', '', '', '', '', '', 0, ''
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[], %s::jsonb[], %s::text[])
                AS t(r, k, y, d, c, u)
            ON CONFLICT (key) DO NOTHING
            """,
            [
                Status.PLANNED,
                timezone.now(),
                [row.recipient_id for row in rows],
                [row.kind for row in rows],
                [row.key for row in rows],
                [row.due_at for row in rows],
                [json.dumps(row.context, cls=DjangoJSONEncoder) for row in rows],
                [row.url for row in rows],
            ],
        )
        return cursor.rowcount


def _check(row: NotificationRow) -> None:
    kinds.get(row.kind)
    if not row.key or len(row.key) > 200:
        raise ValueError(f"notification key {row.key!r}: expected 1 to 200 characters")
    _check_aware(row.due_at)
    if row.url and not (row.url.startswith("/") and not row.url.startswith("//")):
        raise ValueError(f"notification url {row.url!r}: expected an in-app path starting with /")
    if not isinstance(row.context, dict):
        raise ValueError("notification context: expected a dict")


def _check_aware(due_at: datetime) -> None:
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")


def _json(context: dict) -> dict:
    """Return the context as JSON will store it (datetimes become ISO strings)."""
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def _wake_for(due_at: datetime) -> None:
    """Deliver a message due within the minute on time, not at the next beat tick."""
    delay = (due_at - timezone.now()).total_seconds()
    if delay > WAKE_WITHIN.total_seconds():
        return
    from notifications.tasks import deliver_due

    deliver_due.apply_async_on_commit(countdown=max(0.0, delay))


# The inbox -------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, person: Person) -> int:
    return Notification.objects.unread().filter(recipient=person).update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, person: Person, language: str, email_off: list[str]) -> Preferences:
    """Save a person's language and the kinds they want only in the inbox."""
    known = {kind.name for kind in kinds.all_kinds()}
    preferences, _created = Preferences.objects.update_or_create(
        person=person, defaults={"language": language, "email_off": sorted(set(email_off) & known)}
    )
    return preferences


@transaction.atomic
def email_retry(*, notifications) -> int:
    """Queue failed e-mails once more (the admin's action), with a fresh set of attempts."""
    return Notification.objects.filter(pk__in=[n.pk for n in notifications], email_status=EmailStatus.FAILED).update(
        email_status=EmailStatus.QUEUED, email_attempts=0, email_next_try_at=timezone.now(), email_error=""
    )


# Delivery ---------------------------------------------------------------------


@dataclass
class DeliveryReport:
    delivered: int = 0
    unrenderable: int = 0
    emailed: int = 0
    email_failures: int = 0


def deliver_due(*, batch_size: int | None = None, on_backlog: Callable[[], None] | None = None) -> DeliveryReport:
    """Deliver every due notification, batch after batch, until none is left.

    Run it outside a transaction (the task does): each batch commits on its own. Any
    number of workers may run it at once; each batch is someone else's to skip.
    `on_backlog` is called once if more than one batch is due, so that the caller can
    bring in help (the task enqueues another delivery for the worker's other processes).
    """
    if not batch_size:
        batch_size = getattr(settings, "NOTIFICATIONS_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    report = DeliveryReport()
    with _sent_recorder() as recorder:
        while True:
            delivered = _deliver_batch(batch_size, report)
            if delivered == batch_size and on_backlog is not None:
                on_backlog()
                on_backlog = None
            emailed = _email_batch(batch_size, report, recorder)
            if delivered < batch_size and emailed < batch_size:
                return report


def _deliver_batch(batch_size: int, report: DeliveryReport) -> int:
    """Step 1: claim, render and deliver one batch to the inbox; return how many rows it claimed."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Notification.objects.filter(status=Status.PLANNED, due_at__lte=now)
            .order_by("due_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "recipient__notification_preferences")[:batch_size]
        )
        if not batch:
            return 0
        zones = time_zones_for({n.recipient_id for n in batch})
        delivered, failed = [], []
        for notification in batch:
            try:
                delivered.append(_rendered(notification, zones))
            except Exception as error:  # one broken template must not hold back the batch
                logger.exception("notification %s could not be rendered", notification.key)
                failed.append((notification.pk, f"{type(error).__name__}: {error}"))
        _mark_delivered(delivered, now)
        for pk, message in failed:
            Notification.objects.filter(pk=pk).update(status=Status.FAILED, error=message)
    report.delivered += len(delivered)
    report.unrenderable += len(failed)
    return len(batch)


@dataclass(frozen=True)
class _Rendered:
    pk: int
    language: str
    subject: str
    body: str
    email_status: str
    email_address: str
    email_text: str
    email_html: str


def _rendered(notification: Notification, zones: dict[int, str]) -> _Rendered:
    person = notification.recipient
    try:
        preferences = person.notification_preferences
    except Preferences.DoesNotExist:
        preferences = Preferences(person=person)
    language = preferences.language or settings.LANGUAGE_CODE
    time_zone = zones.get(person.pk, settings.DEFAULT_VIEWER_TIME_ZONE)
    wants_email = bool(person.email) and preferences.wants_email(notification.kind)
    content = render(notification, language=language, time_zone=time_zone, email=wants_email)
    return _Rendered(
        pk=notification.pk,
        language=language,
        subject=content.subject,
        body=content.body,
        email_status=EmailStatus.QUEUED if wants_email else EmailStatus.SKIPPED,
        email_address=person.email if wants_email else "",
        email_text=content.email_text,
        email_html=content.email_html,
    )


@dataclass(frozen=True)
class Content:
    subject: str
    body: str
    email_text: str = ""
    email_html: str = ""


def render(notification: Notification, *, language: str, time_zone: str, email: bool = True) -> Content:
    """Render a notification from its kind's subject / text / HTML trio.

    The inbox shows the subject and the text; the e-mail wraps the text and the HTML in
    the frame of `notifications/email/message.txt` and `.html` (greeting, link, where
    to turn e-mail off). Templates see the context's keys, plus `notification`,
    `recipient`, `addressee` (first name and patronymic), `link` (the absolute URL of
    what the message is about) and `preferences_link`. Text parts are not HTML-escaped.
    """
    kind = kinds.get(notification.kind)
    site = settings.SITE_URL.rstrip("/")
    person = notification.recipient
    values = {
        **notification.context,
        "notification": notification,
        "recipient": person,
        "addressee": " ".join(part for part in (person.first_name, person.patronymic) if part),
        "link": f"{site}{notification.url}" if notification.url else "",
        "preferences_link": _preferences_link(site),
    }
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        subject = " ".join(_text(kind.template("subject.txt"), values).split())[:300]
        body = _text(kind.template("body.txt"), values).strip()
        if not email:
            return Content(subject, body)
        content = get_template(kind.template("body.html")).render(values).strip()
        frame = {**values, "subject": subject, "body": body, "content": mark_safe(content)}  # autoescaped above
        email_text = _text("notifications/email/message.txt", frame).strip() + "\n"
        email_html = get_template("notifications/email/message.html").render(frame).strip()
    return Content(subject, body, email_text, email_html)


@lru_cache(maxsize=8)
def _preferences_link(site: str) -> str:
    return f"{site}{reverse('notifications:preferences')}"


def _text(template_name: str, values: dict) -> str:
    # The engine's own Template, so that a plain-text part is not HTML-escaped.
    return get_template(template_name).template.render(Context(values, autoescape=False))  # type: ignore[attr-defined]


def _mark_delivered(rows: list[_Rendered], now: datetime) -> None:
    """Write a batch's rendered content in one UPDATE ... FROM unnest(...).

    Django's bulk_update builds one CASE WHEN per column whose cost grows with the
    square of the batch; this statement stays linear.
    """
    if not rows:
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS n SET
                status = %s, sent_at = %s, language = v.language, subject = v.subject, body = v.body,
                email_status = v.email_status, email_address = v.email_address,
                email_text = v.email_text, email_html = v.email_html,
                email_next_try_at = CASE WHEN v.email_status = %s THEN %s::timestamptz END
            FROM unnest(
                %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]
            ) AS v(id, language, subject, body, email_status, email_address, email_text, email_html)
            WHERE n.id = v.id
            """,
            [
                Status.DELIVERED,
                now,
                EmailStatus.QUEUED,
                now,
                [row.pk for row in rows],
                [row.language for row in rows],
                [row.subject for row in rows],
                [row.body for row in rows],
                [row.email_status for row in rows],
                [row.email_address for row in rows],
                [row.email_text for row in rows],
                [row.email_html for row in rows],
            ],
        )


def _email_batch(batch_size: int, report: DeliveryReport, recorder) -> int:
    """Step 2: send one batch of queued e-mails over one connection; return how many it locked.

    Steps:
    1. lock up to `batch_size` queued, due e-mails with pg_try_advisory_lock (rows
       another worker holds are passed over);
    2. re-read them: only rows still queued and due are sent (another worker may have
       sent one between our first read and our lock);
    3. send each, handing it to the recorder the moment the server accepted it (a
       failure is recorded at once, with its backoff);
    4. wait until the recorder has committed the batch, then release the locks.
    """
    now = timezone.now()
    locked = _lock_queued_emails(now, batch_size)
    if not locked:
        return 0
    try:
        batch = list(
            Notification.objects.filter(pk__in=locked, email_status=EmailStatus.QUEUED, email_next_try_at__lte=now)
            .order_by("email_next_try_at", "id")
            .only("id", "key", "subject", "email_address", "email_text", "email_html", "email_attempts")
        )
        _send(batch, report, recorder)
        recorder.flush()
    finally:
        _unlock_emails(locked)
    return len(locked)


def _lock_queued_emails(now: datetime, batch_size: int) -> list[int]:
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        # The candidates are materialised first, and the outer LIMIT stops pulling rows
        # as soon as it has enough: the lock function runs only on rows that are returned
        # or that someone else holds, so no lock is taken and forgotten.
        cursor.execute(
            f"""
            WITH candidates AS MATERIALIZED (
                SELECT id FROM {table}
                WHERE email_status = %s AND email_next_try_at <= %s
                ORDER BY email_next_try_at, id
                LIMIT %s
            )
            SELECT id FROM candidates WHERE pg_try_advisory_lock(%s, (id & 2147483647)::int) LIMIT %s
            """,
            [EmailStatus.QUEUED, now, 4 * batch_size, EMAIL_LOCK_SPACE, batch_size],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _unlock_emails(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock(%s, (id & 2147483647)::int) FROM unnest(%s::bigint[]) AS id",
            [EMAIL_LOCK_SPACE, ids],
        )


def _send(batch: list[Notification], report: DeliveryReport, recorder) -> None:
    """Send a batch over one connection; a message that fails does not stop the others.

    After a failure the connection is opened afresh; when it cannot be opened at all
    (the server is down), the rest of the batch is put back with backoff at once
    instead of waiting out one timeout per message.
    """
    if not batch:
        return
    mailer = mail.mailers.default
    is_open = False
    try:
        for position, notification in enumerate(batch):
            try:
                if not is_open:
                    mailer.open()
                    is_open = True
            except Exception as error:
                for rest in batch[position:]:
                    _email_failed(rest, error, report)
                logger.warning("e-mail server unreachable, %s messages put back: %s", len(batch) - position, error)
                return
            try:
                if mailer.send_messages([email_message(notification)]) != 1:
                    raise RuntimeError("the e-mail backend did not accept the message")
            except Exception as error:
                _email_failed(notification, error, report)
                is_open = _close(mailer)
            else:
                recorder.add(notification.pk)
                report.emailed += 1
    finally:
        if is_open:
            _close(mailer)


def _mark_sent(ids: list[int]) -> None:
    """Record accepted e-mails in one UPDATE; the e-mail parts are cleared (the inbox keeps its text)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET email_status = %s, email_sent_at = %s, email_attempts = email_attempts + 1,
                email_error = '', email_text = '', email_html = ''
            WHERE id = ANY(%s)
            """,
            [EmailStatus.SENT, timezone.now(), ids],
        )


class _SentRecorder:
    """Record accepted e-mails from a thread of its own, while the next ones are being sent.

    The sending thread hands over each id the moment the server accepted the message;
    this thread writes whatever has piled up in one UPDATE on its own connection, in
    autocommit, usually one or two ids a statement. Waiting for a round trip to the
    database after every message would cost more than building the message itself.
    A worker killed outright loses only the ids not yet written, the last millisecond
    or so: those e-mails go out again, none is lost. Commits do not wait for the disk
    (synchronous_commit off): only a crash of the PostgreSQL server itself could lose
    the last fraction of a second of records, with the same outcome.
    """

    _STOP = object()

    def __init__(self):
        self._queue = queue.SimpleQueue()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="notifications-sent-recorder", daemon=True)
        self._thread.start()

    def add(self, notification_id: int) -> None:
        self._queue.put(notification_id)

    def flush(self, timeout: float = 60) -> None:
        """Return once everything handed over so far is committed; raise what went wrong."""
        written = threading.Event()
        self._queue.put(written)
        if not written.wait(timeout):
            raise TimeoutError("recording sent e-mails took longer than a minute")
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        self._queue.put(self._STOP)
        self._thread.join(timeout=60)

    def _run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
            while True:
                items = [self._queue.get()]
                while True:
                    try:
                        items.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                ids = [item for item in items if isinstance(item, int)]
                if ids and self._error is None:
                    try:
                        _mark_sent(ids)
                    except Exception as error:  # raised to the sender by flush()
                        self._error = error
                for item in items:
                    if isinstance(item, threading.Event):
                        item.set()
                if self._STOP in items:
                    return
        finally:
            connection.close()


class _RecorderInTransaction:
    """Inside a caller's transaction (tests) another connection would not see the rows: write at once."""

    def add(self, notification_id: int) -> None:
        _mark_sent([notification_id])

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def _sent_recorder():
    recorder = _RecorderInTransaction() if connection.in_atomic_block else _SentRecorder()
    try:
        yield recorder
    finally:
        recorder.close()


def _close(mailer) -> bool:
    try:
        mailer.close()
    except Exception:
        logger.warning("closing the e-mail connection failed", exc_info=True)
    return False


def _email_failed(notification: Notification, error: Exception, report: DeliveryReport) -> None:
    attempts = notification.email_attempts + 1
    changes = {"email_attempts": attempts, "email_error": f"{type(error).__name__}: {error}"[:2000]}
    if attempts > len(EMAIL_RETRY_DELAYS):
        changes |= {"email_status": EmailStatus.FAILED, "email_next_try_at": None}
        logger.error("e-mail for notification %s failed for good: %s", notification.key, error)
    else:
        changes["email_next_try_at"] = timezone.now() + EMAIL_RETRY_DELAYS[attempts - 1]
    Notification.objects.filter(pk=notification.pk).update(**changes)
    report.email_failures += 1


def email_message(notification: Notification) -> NotificationEmail:
    """The e-mail for a delivered notification, with a Message-ID derived from the notification."""
    message = NotificationEmail(
        subject=notification.subject,
        body=notification.email_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email_address],
        headers={"Message-ID": message_id(notification)},
    )
    if notification.email_html:
        message.attach_alternative(notification.email_html, "text/html")
    return message


def message_id(notification: Notification) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = sha1(notification.key.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"<notification.{notification.pk}.{digest}@{host}>"
