"""Reads that span relations: the inbox page."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from notifications.models import Notification

INBOX_PAGE_SIZE = 30


@dataclass(frozen=True)
class InboxPage:
    notifications: list[Notification]
    next_cursor: str | None


def inbox_page(*, person_id: int | None, cursor: str | None = None, size: int | None = None) -> InboxPage:
    """One page of a person's inbox, newest first, with a keyset cursor for the next (one query).

    The cursor is "<sent_at in microseconds since 1970>-<id>" of the last row shown; a
    malformed one starts over from the newest.
    """
    size = size or INBOX_PAGE_SIZE
    rows = Notification.objects.for_person(person_id).delivered().order_by("-sent_at", "-id")
    after = _parse_cursor(cursor)
    if after is not None:
        sent_at, pk = after
        rows = rows.filter(Q(sent_at__lt=sent_at) | Q(sent_at=sent_at, id__lt=pk))
    rows = list(
        rows.only("id", "kind", "subject", "body", "url", "sent_at", "read_at", "recipient_id", "status")[: size + 1]
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{(last.sent_at - EPOCH) // MICROSECOND}-{last.pk}"
    return InboxPage(rows, next_cursor)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    stamp, _sep, pk = (cursor or "").partition("-")
    if not (stamp.isdigit() and pk.isdigit()):
        return None
    try:
        return EPOCH + int(stamp) * MICROSECOND, int(pk)
    except OverflowError:
        return None
