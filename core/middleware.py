import logging
import time
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views.defaults import page_not_found, server_error

from core.access import viewer_for

logger = logging.getLogger("django.request")


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


class SiteErrorPagesUnderDebugMiddleware:
    """Under DEBUG (the local run), answer with the site's own translated 404 and 500 pages
    instead of Django's English technical pages; the traceback still goes to the console.

    In production (DEBUG off) Django already renders templates/404.html and 500.html;
    this middleware then does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and not request.path.startswith(settings.STATIC_URL):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or isinstance(exception, Http404 | PermissionDenied):
            return None
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return server_error(request)
