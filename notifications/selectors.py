"""Reads that span relations: recipients' time zones and the inbox page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Position
from core.desk import DeskItem
from core.pagination import Page, SortKey, keyset_page
from notifications.models import Notification

INBOX_PAGE_SIZE = 30


def time_zones_for(person_ids) -> dict[int, str]:
    """Map each person to the time zone of the region of their current position (one query).

    The same rule as core.access for logins: the most recently started current position
    with a region wins; people without one are absent (the caller falls back to
    settings.DEFAULT_VIEWER_TIME_ZONE).
    """
    rows = (
        Position.objects.current()
        .filter(person_id__in=person_ids, region__isnull=False)
        .order_by("person_id", "-starts_on")
        .distinct("person_id")
        .values_list("person_id", "region__time_zone")
    )
    return dict(rows)


# Newest first; the id breaks ties between messages delivered in the same instant.
INBOX_SORT = SortKey(("-sent_at", "-id"))


def inbox_page(*, person_id: int | None, size: int | None = None, after=None, before=None, last=False) -> Page:
    """One keyset page of a person's inbox, newest first (one query; see core/pagination.py).

    A malformed cursor starts over from the newest.
    """
    rows = (
        Notification.objects.for_person(person_id)
        .delivered()
        .only("id", "kind", "subject", "body", "url", "sent_at", "read_at", "recipient_id", "status")
    )
    return keyset_page(rows, INBOX_SORT, size=size or INBOX_PAGE_SIZE, after=after, before=before, last=last)


def desk_items(viewer) -> list[DeskItem]:
    """Unread messages, for the desk (one COUNT; none without a person)."""
    if viewer.person_id is None:
        return []
    unread = Notification.objects.unread().for_person(viewer.person_id).count()
    if not unread:
        return []
    return [DeskItem(app="notifications", title=_("Unread messages"), url=reverse("notifications:inbox"), count=unread)]
