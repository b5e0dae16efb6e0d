from django.utils.functional import SimpleLazyObject

from core.access import viewer_for
from notifications.models import Notification


def unread(request):
    """The unread count for the navigation's badge: one indexed COUNT, only when a page shows it."""
    person_id = viewer_for(request.user).person_id
    if person_id is None:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(lambda: Notification.objects.unread().for_person(person_id).count())
    }
