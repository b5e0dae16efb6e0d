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

    Setting the expiry on every request saves the session, so the 30 minutes run from
    the last request, not from the login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if viewer_for(request.user).is_staff_anywhere:
            request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
        return self.get_response(request)
