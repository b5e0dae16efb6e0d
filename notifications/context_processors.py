from core.access import viewer_for


def unread(request):
    """The unread count for the navigation's badge, counted in the viewer's own query (no query here)."""
    return {"unread_notifications": viewer_for(request.user).unread_notifications}
