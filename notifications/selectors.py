"""Reads that span relations: the inbox page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.desk import DeskItem
from core.pagination import Page, SortKey, keyset_page
from notifications.models import Notification

INBOX_PAGE_SIZE = 30


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
    """Unread messages, for the desk (no query: the viewer's query counted them for the badge)."""
    if viewer.person_id is None:
        return []
    unread = viewer.unread_notifications
    if not unread:
        return []
    return [DeskItem(app="notifications", title=_("Unread messages"), url=reverse("notifications:inbox"), count=unread)]
