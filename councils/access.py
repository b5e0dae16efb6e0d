"""Gates of councils: a council, its seats and meetings.

A region's staff run its council; federal administrators read every council and run
none. A council is addressed by its region (one each, made with the region).
"""

from __future__ import annotations

from django.db.models import Q

from branches.access import regions_visible_to
from core.access import Viewer, forbidden, found, viewer_for
from councils.models import Council, CouncilDecision, CouncilLevel, CouncilMeeting, CouncilSeat


def can_run_council(viewer: Viewer, region_id: int | None) -> bool:
    """Appoint, reappoint, end terms, change the policy, record meetings: the region's own staff.

    Federal administrators see every regional council but do not run one; they run the
    federal council (region None), which regional staff may read.
    """
    if region_id is None:
        return viewer.is_admin
    return region_id in viewer.staff_region_ids


def can_see_federal_council(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regional_staff


def get_federal_council_for_user(user, *, write: bool = False) -> Council:
    """The federal council: administrators run it, regional staff read it, others are refused (403)."""
    from councils.services import federal_council

    viewer = viewer_for(user)
    if not can_see_federal_council(viewer) or (write and not viewer.is_admin):
        forbidden()
    return federal_council()


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
    if viewer.is_regional_staff:
        return seats.filter(Q(region_id__in=viewer.staff_region_ids) | Q(council__level=CouncilLevel.FEDERAL))
    return seats.none()


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
        federal = Q(council__level=CouncilLevel.FEDERAL) if viewer.is_regional_staff else Q(pk__in=[])
        meetings = meetings.filter(Q(council__region_id__in=viewer.staff_region_ids) | federal)
    meeting = found(meetings.filter(pk=pk).first())
    if write and not can_run_council(viewer, meeting.council.region_id):
        forbidden()
    return meeting


def get_council_decision_for_user(user, pk, *, write: bool = False) -> CouncilDecision:
    """A decision, through its session's gate: who may run the council issues its assignments."""
    viewer = viewer_for(user)
    decision = found(CouncilDecision.objects.select_related("meeting").filter(pk=pk).first())
    meeting = get_council_meeting_for_user(user, decision.meeting_id, write=write)
    decision.meeting = meeting
    if write and not can_run_council(viewer, meeting.council.region_id):
        forbidden()
    return decision
