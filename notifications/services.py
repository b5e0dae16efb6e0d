"""Plan, reconcile, cancel, re-time and deliver notifications: the API the other apps call.

Planning is idempotent on the key: INSERT ... ON CONFLICT (key) DO NOTHING, so a
planner may run any number of times, in any number of processes. A domain object's
reminders live under a key prefix of its own; `notification_reconcile` makes the
planned ones under it match what the object wants now (plan, re-time, cancel), so
no app outside this one reads the Notification model.

The engine names `branches.Person` (its recipients) and nothing else of the domain:
a message is written in the person's `language` and `time_zone` (the branches
services keep the zone in line with the person's positions).

Delivery (`deliver_due`, run by the beat every minute) has two steps per batch:

1. Inbox, exactly once. In one transaction: lock a batch of due planned rows with
   SELECT ... FOR UPDATE SKIP LOCKED (a second worker takes the next batch, a
   cancel waits), render each in its recipient's language and time zone, and mark
   the batch delivered with one UPDATE. A worker killed before the commit leaves
   the batch planned, for the next worker to deliver.
2. E-mail, at least once, twice only for a message whose "sent" record was lost. Claim
   a batch of queued e-mails with one UPDATE that pushes their next try to the end of
   a lease (email_lease()) and commits: the claim is a row state with an expiry, so a
   worker that dies, or whose connection hangs half-open, holds nothing once the
   lease is over. Open one SMTP connection, and record each message as sent, in a
   statement of its own, the moment the server accepted it; if that record cannot be
   written the batch stops, and the rest go out after the lease. Only a crash between
   the server's "250 OK" and that record sends a message twice; its Message-ID is
   derived from the notification, so the receiving side can tell the copies apart. A
   failed message is retried with backoff and, after the last try, marked failed;
   the others go on. These records commit without waiting for the disk
   (`synchronous_commit = off` while a batch is sent): a worker that dies loses none
   of them (the commit is in the server's memory once it returns), only a crash of
   PostgreSQL itself can lose the last fraction of a second of them, and those
   messages are then sent again: still at least once, and never out of the inbox.
"""

import json
import logging
import zoneinfo
from collections.abc import Callable, Iterable
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
from core.queue import enqueue_on_commit
from notifications import kinds
from notifications.mail import NotificationEmail
from notifications.models import Notification, Preferences

logger = logging.getLogger(__name__)

Status = Notification.Status
EmailStatus = Notification.EmailStatus

# A planner inserts this many rows per statement.
PLAN_CHUNK = 2000
# After a failed e-mail attempt, wait this long before the next; after the last, give up.
EMAIL_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# A message due within this much of now gets a wake-up of its own instead of waiting for
# the next beat tick (a countdown never longer than this: time lives in the database).
WAKE_WITHIN = timedelta(minutes=1)


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
    return _plan(rows)


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


@transaction.atomic
def notification_reconcile(
    *, prefix: str, wanted: Iterable[NotificationRow], kinds: Iterable[str] | None = None
) -> dict[str, int]:
    """Make the planned messages under a key prefix the ones a domain object wants now.

    The planner says what it wants (every key starting with `prefix`, of `kinds` when
    the prefix holds other messages too); this brings the rows in line. Steps:
    1. check the wanted rows (each key under the prefix, aware times, known kinds);
    2. read the planned rows under the prefix (one query on the unique index of key,
       whose byte-order collation serves LIKE 'prefix%');
    3. plan the wanted keys not planned now: INSERT ... ON CONFLICT DO NOTHING, so a
       key planned, delivered or cancelled before is left alone;
    4. re-time the planned rows whose due time or context changed (one UPDATE);
    5. cancel the planned rows no longer wanted (one UPDATE).
    Steps 4 and 5 touch only rows still planned: a delivery that claimed a row first
    wins, and the row is not counted. Returns how many were planned, re-timed and cancelled.
    """
    if not prefix:
        raise ValueError("notification_reconcile needs a key prefix")
    by_key = {row.key: row for row in wanted}
    for row in by_key.values():
        _check(row)
        if not row.key.startswith(prefix):
            raise ValueError(f"notification key {row.key!r} is not under the prefix {prefix!r}")
    pending = Notification.objects.filter(key__startswith=prefix, status=Status.PLANNED).order_by()
    if kinds is not None:
        pending = pending.filter(kind__in=list(kinds))
    planned = {key: (due_at, context) for key, due_at, context in pending.values_list("key", "due_at", "context")}
    new = _plan([row for key, row in by_key.items() if key not in planned])
    moved = [row for key, row in by_key.items() if key in planned and planned[key] != (row.due_at, _json(row.context))]
    retimed = _retime_many(moved)
    cancelled = _cancel_many([key for key in planned if key not in by_key])
    return {"planned": new, "retimed": retimed, "cancelled": cancelled}


def _plan(rows: list[NotificationRow]) -> int:
    inserted = 0
    for start in range(0, len(rows), PLAN_CHUNK):
        inserted += _insert(rows[start : start + PLAN_CHUNK])
    if inserted:
        _wake_for(min(row.due_at for row in rows))
    return inserted


def _retime_many(rows: list[NotificationRow]) -> int:
    """Move planned rows to their new time and context in one UPDATE ... FROM unnest(...)."""
    if not rows:
        return 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS n SET due_at = v.due_at, context = v.context
            FROM unnest(%s::text[], %s::timestamptz[], %s::jsonb[]) AS v(key, due_at, context)
            WHERE n.key = v.key AND n.status = %s
            """,
            [
                [row.key for row in rows],
                [row.due_at for row in rows],
                [json.dumps(row.context, cls=DjangoJSONEncoder) for row in rows],
                Status.PLANNED,
            ],
        )
        moved = cursor.rowcount
    if moved:
        _wake_for(min(row.due_at for row in rows))
    return moved


def _cancel_many(keys: list[str]) -> int:
    if not keys:
        return 0
    return Notification.objects.filter(key__in=keys, status=Status.PLANNED).update(
        status=Status.CANCELLED, cancelled_at=timezone.now()
    )


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

    enqueue_on_commit(deliver_due, countdown=max(0.0, delay))


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
    """Save the language of a person's messages (on the person) and the kinds they want only in the inbox."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(f"language {language!r}: expected one of settings.LANGUAGES")
    person.language = language
    Person.objects.filter(pk=person.pk).exclude(language=language).update(language=language)
    known = {kind.name for kind in kinds.all_kinds()}
    preferences, _created = Preferences.objects.update_or_create(
        person=person, defaults={"email_off": sorted(set(email_off) & known)}
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

    Run it outside a transaction (the task does): each batch, each e-mail claim and
    each "sent" record commits on its own. Inside a transaction (a test) the same
    statements run and become part of it. Any number of workers may run it at once;
    each batch is someone else's to skip. `on_backlog` is called once if more than one
    batch is due, so that the caller can bring in help (the task enqueues another
    delivery for the worker's other processes). A "sent" record that cannot be
    written stops the delivery with its error.
    """
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    report = DeliveryReport()
    while True:
        delivered = _deliver_batch(batch_size, report)
        if delivered == batch_size and on_backlog is not None:
            on_backlog()
            on_backlog = None
        emailed = _email_batch(batch_size, report)
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
        delivered, failed = [], []
        for notification in batch:
            try:
                delivered.append(_rendered(notification))
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


def _rendered(notification: Notification) -> _Rendered:
    """Render in the language and time zone the recipient's row carries (empty: the defaults)."""
    person = notification.recipient
    try:
        preferences = person.notification_preferences
    except Preferences.DoesNotExist:
        preferences = Preferences(person=person)
    language = person.language or settings.LANGUAGE_CODE
    time_zone = person.time_zone or settings.DEFAULT_VIEWER_TIME_ZONE
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


def _email_batch(batch_size: int, report: DeliveryReport) -> int:
    """Step 2: claim one batch of queued e-mails and send it over one connection; return how many it claimed.

    Steps:
    1. claim up to `batch_size` queued, due e-mails with a lease (_claim_emails);
    2. send them one by one while the lease holds, and record each as sent the moment
       the server accepted it (_send);
    3. a message refused gets its backoff, which replaces the lease.
    Whatever is left unsent (a worker killed, a "sent" record that could not be
    written, a lease about to run out) keeps its lease and is claimed again after it.
    """
    now = timezone.now()
    lease = email_lease()
    batch = _claim_emails(now, now + lease, batch_size)
    if batch:
        _send(batch, report, send_until=now + lease * 0.9)
    return len(batch)


def email_lease() -> timedelta:
    """How long a worker's claim on a batch of e-mails lasts (settings.NOTIFICATIONS_EMAIL_LEASE_SECONDS):
    far longer than a batch takes. E-mails a dead worker claimed are taken again once it has run
    out; a worker stops sending a batch when 9/10 of it have passed."""
    return timedelta(seconds=settings.NOTIFICATIONS_EMAIL_LEASE_SECONDS)


def _claim_emails(now: datetime, leased_until: datetime, batch_size: int) -> list[Notification]:
    """Claim a batch: one UPDATE that pushes each row's next try to the end of the lease.

    The inner SELECT ... FOR UPDATE SKIP LOCKED passes over rows another worker is
    claiming at this instant; once that claim commits, the rows are no longer due, so
    no one else takes them until the lease runs out. Outside a transaction (the task)
    the claim commits at once; inside one (a test) it is part of it. Returned oldest first.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH claimed AS MATERIALIZED (
                SELECT id, email_next_try_at AS was_due FROM {table}
                WHERE email_status = %s AND email_next_try_at <= %s
                ORDER BY email_next_try_at, id
                LIMIT %s
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {table} AS n SET email_next_try_at = %s
            FROM claimed WHERE n.id = claimed.id
            RETURNING claimed.was_due, n.id, n.key, n.subject, n.email_address, n.email_text, n.email_html,
                n.email_attempts
            """,
            [EmailStatus.QUEUED, now, batch_size, leased_until],
        )
        rows = sorted(cursor.fetchall())
    return [
        Notification(
            pk=pk,
            key=key,
            subject=subject,
            email_address=address,
            email_text=text,
            email_html=html,
            email_attempts=attempts,
        )
        for _was_due, pk, key, subject, address, text, html, attempts in rows
    ]


def _send(batch: list[Notification], report: DeliveryReport, *, send_until: datetime) -> None:
    """Send a claimed batch over one connection; a message that fails does not stop the others.

    Each accepted message is recorded as sent at once, in its own statement (committed
    at once outside a transaction, without waiting for the disk: _records_without_flush).
    If that record cannot be written the batch stops and the error is raised (and the
    connection is closed): the rest keep their lease, so only the message just sent
    can go out twice. The batch also stops when its lease is about to run out, so that
    no other worker has claimed the same messages meanwhile. After a failure the
    connection is opened afresh; when it cannot be opened at all (the server is down),
    the rest of the batch is put back with backoff at once instead of waiting out one
    timeout per message.
    """
    mailer = mail.mailers.default
    is_open = False
    fast = _records_without_flush()
    try:
        for position, notification in enumerate(batch):
            if timezone.now() >= send_until:
                logger.warning("e-mail lease running out, %s messages left for later", len(batch) - position)
                return
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
                _mark_sent(notification.pk)
                report.emailed += 1
    except BaseException:
        if fast:  # a "sent" record failed: the connection goes, and its setting with it
            fast = False
            connection.close()
        raise
    finally:
        if is_open:
            _close(mailer)
        if fast:
            _records_with_flush()


def _records_without_flush() -> bool:
    """Let this connection's commits return before their WAL reaches the disk, while a batch is sent.

    Each accepted message's "sent" record commits on its own (a disk flush each: most of a
    message's cost at 87,000 messages). With `synchronous_commit = off` the commit is final
    for every other session at once and survives the worker's death; only a crash of the
    database server can lose the last ~0.6 s of records, whose messages then go out again
    (at least once, as promised). Only outside a transaction: inside one (a test) nothing
    commits here anyway. Returns whether it was switched off.
    """
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    return True


def _records_with_flush() -> None:
    """Back to the server's setting (a connection kept open serves other work next)."""
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


def _mark_sent(notification_id: int) -> None:
    """Record an accepted e-mail; its e-mail parts are cleared (the inbox keeps its text)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET email_status = %s, email_sent_at = %s, email_attempts = email_attempts + 1,
                email_next_try_at = NULL, email_error = '', email_text = '', email_html = ''
            WHERE id = %s
            """,
            [EmailStatus.SENT, timezone.now(), notification_id],
        )


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
