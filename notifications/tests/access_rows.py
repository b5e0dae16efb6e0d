from core.testing import ALL_LOGGED_IN, AccessRow


def _secretary_message(cast):
    """A delivered message to the secretary: every other role must get 404 for it."""
    from datetime import timedelta

    from django.utils import timezone

    from notifications import services

    services.notification_plan(
        recipient=cast.person("secretary"),
        kind="general.message",
        key="access-rows:secretary",
        due_at=timezone.now() - timedelta(minutes=1),
        context={"subject": "Тема", "body": "Текст"},
    )
    services.deliver_due()
    return {"pk": services.Notification.objects.get(key="access-rows:secretary").pk}


ROWS = [
    AccessRow("notifications:inbox", ok=ALL_LOGGED_IN),
    AccessRow("notifications:detail", ok=frozenset({"secretary"}), denied=404, kwargs=_secretary_message),
    # Mark as read: the recipient is sent back to the inbox; nobody else learns it exists.
    AccessRow(
        "notifications:read",
        ok=frozenset({"secretary"}),
        denied=404,
        ok_status=302,
        method="post",
        kwargs=_secretary_message,
    ),
    AccessRow("notifications:read_all", ok=ALL_LOGGED_IN, ok_status=302, method="post"),
    AccessRow("notifications:preferences", ok=ALL_LOGGED_IN),
]
