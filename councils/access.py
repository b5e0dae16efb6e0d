"""Gates of councils: a council, its seats and meetings.

A region's staff run its council; federal administrators read every council and run
none. A council is addressed by its region (one each, made with the region).
"""

from __future__ import annotations

from branches.access import regions_visible_to
from core.access import Viewer, forbidden, found, viewer_for
from councils.models import Council, CouncilMeeting, CouncilSeat


def can_run_council(viewer: Viewer, region_id: int) -> bool:
    """Appoint, reappoint, end terms, change the policy, record meetings: the region's own staff.

    Federal administrators see every council but do not run one.
    """
    return region_id in viewer.staff_region_ids


def get_council_for_user(user, region_pk, *, write: bool = False) -> Council:
    """A council by its region: the region's staff and administrators see it (a read writes nothing)."""
    viewer = viewer_for(user)
    council = found(
        Council.objects.select_related("region")
        .filter(region__in=regions_visible_to(viewer), region_id=region_pk)
        .first()
    )
    if write and not can_run_council(viewer, council.region_id):
        forbidden()
    return council


def council_seats_visible_to(viewer: Viewer):
    seats = CouncilSeat.objects.all()
    if viewer.is_admin:
        return seats
    return seats.filter(region_id__in=viewer.staff_region_ids)


def get_council_seat_for_user(user, pk, *, write: bool = False) -> CouncilSeat:
    viewer = viewer_for(user)
    seat = found(
        council_seats_visible_to(viewer)
        .select_related("council__region", "person", "local_branch", "decision__meeting")
        .filter(pk=pk)
        .first()
    )
    if write and not can_run_council(viewer, seat.region_id):
        forbidden()
    return seat


def get_council_meeting_for_user(user, pk, *, write: bool = False) -> CouncilMeeting:
    viewer = viewer_for(user)
    meetings = CouncilMeeting.objects.select_related("council__region")
    if not viewer.is_admin:
        meetings = meetings.filter(council__region_id__in=viewer.staff_region_ids)
    meeting = found(meetings.filter(pk=pk).first())
    if write and not can_run_council(viewer, meeting.council.region_id):
        forbidden()
    return meeting
