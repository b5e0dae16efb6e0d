import time
import zoneinfo

from django.conf import settings
from django.utils import timezone

from core.access import viewer_for


class ViewerTimezoneMiddleware:
    """Show every datetime in the viewer's region time zone (stored in UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(zoneinfo.ZoneInfo(viewer_for(request.user).time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class StaffIdleTimeoutMiddleware:
    """End the session of regional staff and administrators after 30 idle minutes.

    Setting the expiry saves the session, so the 30 minutes run from the last request,
    not from the login. It is refreshed at most once a minute: the idle limit is then
    exact to a minute, and most requests write nothing.
    """

    REFRESH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if viewer_for(request.user).is_staff_anywhere:
            now = int(time.time())
            if now - request.session.get("_staff_touched", 0) >= self.REFRESH_EVERY:
                request.session["_staff_touched"] = now
                request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
        return self.get_response(request)
