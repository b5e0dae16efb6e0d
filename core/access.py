"""Who sees what: the one access module.

Every view fetches user-supplied ids through a `get_<thing>_for_user` gate here:
an object outside the viewer's reach is a 404 (its existence is not revealed), an
object the viewer may see but not change is a 403 when asked with `write=True`.
Roles come from data: the current positions of the person linked to the login
(branches.Position); an ended term gives nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Viewer:
    """What one login may reach today, computed once per request."""

    is_authenticated: bool = False
    is_admin: bool = False
    time_zone: str = field(default_factory=lambda: settings.DEFAULT_VIEWER_TIME_ZONE)

    @property
    def is_staff_anywhere(self) -> bool:
        return self.is_admin


ANONYMOUS = Viewer()


def viewer_for(user) -> Viewer:
    """Return (and cache on the user object) what this login may reach."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_pervichka_viewer", None)
    if cached is None:
        cached = Viewer(is_authenticated=True, is_admin=user.is_superuser)
        user._pervichka_viewer = cached
    return cached


def require_admin(user) -> Viewer:
    """Return the viewer if they are a federal administrator, else refuse with 403."""
    viewer = viewer_for(user)
    if not viewer.is_admin:
        raise PermissionDenied
    return viewer
