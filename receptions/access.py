"""Gates of receptions: hosts, their hours and slots, and bookings.

A secretary reaches the hosts whose territory covers their branch (and books them);
the host and the staff of the host's region manage hours, days off and outcomes.
"""

from __future__ import annotations

from django.db.models import Q

from branches.models import HOST_ROLES, LocalBranch, Position
from core.access import Viewer, forbidden, found, viewer_for
from receptions.models import Booking, CalendarFeed, DayOff, Schedule, Slot


def hosts_visible_to(viewer: Viewer):
    """Current host positions (branches.HOST_ROLES) this viewer reaches.

    A secretary reaches the hosts whose territory covers their branch: regional hosts
    of the branch's region and local hosts of its local branch. Staff reach the hosts
    of their region, a host their own positions, administrators every host.
    """
    hosts = Position.objects.current().filter(role__in=HOST_ROLES)
    if viewer.is_admin:
        return hosts
    reach = Q(region_id__in=viewer.staff_region_ids) | Q(pk__in=[t.position_id for t in viewer.host_territories])
    if viewer.secretary_local_branch_ids:
        regions = LocalBranch.objects.filter(pk__in=viewer.secretary_local_branch_ids).values("region_id")
        reach |= Q(local_branch_id__in=viewer.secretary_local_branch_ids) | Q(
            local_branch__isnull=True, region_id__in=regions
        )
    return hosts.filter(reach)


def can_manage_host(viewer: Viewer, position) -> bool:
    """Hours, days off, cancelling and outcomes: the host themself, and the staff of their region."""
    return position.person_id == viewer.person_id or viewer.staffs_region(position.region_id)


def get_host_for_user(user, pk, *, write: bool = False) -> Position:
    """A host position: secretaries of its territory read it (and book); the host and staff manage it."""
    viewer = viewer_for(user)
    position = found(hosts_visible_to(viewer).select_related("person", "region", "local_branch").filter(pk=pk).first())
    if write and not can_manage_host(viewer, position):
        forbidden()
    return position


def get_schedule_for_user(user, pk, *, write: bool = False) -> Schedule:
    viewer = viewer_for(user)
    schedule = found(
        Schedule.objects.filter(position__in=hosts_visible_to(viewer))
        .select_related("position__person", "position__region", "position__local_branch")
        .filter(pk=pk)
        .first()
    )
    if write and not can_manage_host(viewer, schedule.position):
        forbidden()
    return schedule


def get_day_off_for_user(user, host_pk, pk, *, write: bool = False) -> tuple[Position, DayOff]:
    """A host's day without receptions, addressed under its host: (host position, day off)."""
    position = get_host_for_user(user, host_pk, write=write)
    return position, found(DayOff.objects.filter(host_id=position.person_id, pk=pk).first())


def get_slot_for_user(user, pk, *, write: bool = False) -> Slot:
    """A slot of a host the viewer reaches; booking it (`write`) is for the secretaries the host serves."""
    viewer = viewer_for(user)
    slot = found(
        Slot.objects.filter(schedule__position__in=hosts_visible_to(viewer))
        .select_related("schedule__position__person", "schedule__position__region", "host")
        .filter(pk=pk)
        .first()
    )
    if write and not host_serves(viewer, slot.schedule.position):
        forbidden()
    return slot


def host_serves(viewer: Viewer, position) -> bool:
    """Whether the host position's territory covers a branch of this secretary (who may then book)."""
    if position.person_id == viewer.person_id or not viewer.secretary_local_branch_ids:
        return False
    if position.local_branch_id is not None:
        return position.local_branch_id in viewer.secretary_local_branch_ids
    return LocalBranch.objects.filter(pk__in=viewer.secretary_local_branch_ids, region_id=position.region_id).exists()


def bookings_visible_to(viewer: Viewer):
    """A secretary's own bookings, a host's receptions, the staff's region, every booking for administrators."""
    if viewer.is_admin:
        return Booking.objects.all()
    reach = Q(branch__region_id__in=viewer.staff_region_ids)
    if viewer.person_id is not None:
        reach |= Q(secretary_id=viewer.person_id) | Q(host_id=viewer.person_id)
    return Booking.objects.filter(reach)


def booking_side(viewer: Viewer, booking) -> str | None:
    """The side the viewer acts on: "secretary" (who booked), "host" (the host or the staff), or None."""
    if booking.secretary_id == viewer.person_id:
        return "secretary"
    if booking.host_id == viewer.person_id or viewer.staffs_region(booking.branch.region_id):
        return "host"
    return None


def get_booking_for_user(user, pk, *, write: bool = False, side: str | None = None) -> Booking:
    """Read: both sides and the region's staff. `write`: the viewer must act on `side`
    ("secretary": who booked; "host": the host and the staff), or on either side when None."""
    viewer = viewer_for(user)
    booking = found(
        bookings_visible_to(viewer)
        .select_related("slot__schedule__position__region", "host", "secretary", "branch__region")
        .filter(pk=pk)
        .first()
    )
    if write:
        acting = booking_side(viewer, booking)
        if acting is None or (side is not None and acting != side):
            forbidden()
    return booking


def get_calendar_feed_by_token(token: str) -> CalendarFeed:
    """A private calendar feed, reached without a login: the secret token in its address is the key."""
    return found(
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
