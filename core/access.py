"""Who sees what: the viewer, and the helpers every app's gates are built on.

The viewer says what one login may reach today, from the current positions of the
person linked to it (a term that has ended gives nothing). It is built by the function
named in `settings.VIEWER_BUILDER` (`branches.access.build_viewer`: positions live in
the trunk app), so this module imports no app.

Each app keeps the gates for its own objects in `<app>/access.py`:
`get_<thing>_for_user(user, pk, *, write=False)` for a user-supplied id (an object
outside the viewer's reach is a 404, its existence not revealed; an object the viewer
may see but not change is a 403 with `write=True`), `<things>_visible_to(viewer)` for
lists, and `can_<verb>(viewer, ...)` for the questions pages ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class HostTerritory:
    """Where a host position receives secretaries: a whole region, or one local branch."""

    position_id: int
    region_id: int
    local_branch_id: int | None


@dataclass(frozen=True)
class Viewer:
    """What one login may reach today, computed once per request."""

    user_id: int | None = None
    person_id: int | None = None
    is_admin: bool = False
    staff_region_ids: frozenset[int] = frozenset()
    secretary_branch_ids: frozenset[int] = frozenset()
    secretary_local_branch_ids: frozenset[int] = frozenset()
    # The local branches whose secretary or executive head the viewer is (assignments' addressees).
    local_office_branch_ids: frozenset[int] = frozenset()
    host_territories: tuple[HostTerritory, ...] = ()
    time_zone: str = field(default_factory=lambda: settings.DEFAULT_VIEWER_TIME_ZONE)
    # Unread messages in the inbox when the viewer was built (the navigation's badge, the desk):
    # counted in the viewer's own query, so that no page pays a query of its own for it.
    unread_notifications: int = 0

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_regional_staff(self) -> bool:
        return bool(self.staff_region_ids)

    @property
    def is_staff_anywhere(self) -> bool:
        """Regional staff or administrator: the people whose sessions time out sooner."""
        return self.is_admin or self.is_regional_staff

    @property
    def is_secretary(self) -> bool:
        return bool(self.secretary_branch_ids)

    @property
    def is_host(self) -> bool:
        return bool(self.host_territories)

    def staffs_region(self, region_id: int) -> bool:
        return self.is_admin or region_id in self.staff_region_ids


ANONYMOUS = Viewer()


@cache
def _builder() -> Callable[..., Viewer]:
    return import_string(settings.VIEWER_BUILDER)


def viewer_for(user) -> Viewer:
    """Return (and cache on the user object) what this login may reach: one query."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_pervichka_viewer", None)
    if cached is None:
        cached = _builder()(user)
        user._pervichka_viewer = cached
    return cached


def require_admin(user) -> Viewer:
    """Return the viewer if they are a federal administrator, else refuse with 403."""
    viewer = viewer_for(user)
    if not viewer.is_admin:
        raise PermissionDenied
    return viewer


def not_found() -> NoReturn:
    """Refuse as if the object did not exist: outsiders learn nothing of it."""
    raise Http404


def forbidden() -> NoReturn:
    """Refuse a change to an object the viewer may see."""
    raise PermissionDenied


def found[T](obj: T | None) -> T:
    """Return the object a gate looked up, or a 404 when it is out of reach (None)."""
    if obj is None:
        not_found()
    return obj
