"""Gates of the inbox: a person reaches the messages delivered to them, nobody else's."""

from __future__ import annotations

from core.access import Viewer, found, viewer_for
from notifications.models import Notification


def notifications_visible_to(viewer: Viewer):
    """The inbox of the person linked to the login: delivered messages to them, nobody else's."""
    return Notification.objects.for_person(viewer.person_id).delivered()


def get_notification_for_user(user, pk, *, write: bool = False) -> Notification:
    """Only the recipient reaches a notification, to read it or (`write`) mark it read; others get 404."""
    return found(notifications_visible_to(viewer_for(user)).filter(pk=pk).first())
