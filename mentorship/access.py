"""Gates of mentoring: programmes and pairs.

Regional staff run their region's programmes (and read federal ones); administrators read
every programme and run the federal ones. A secretary sees only the pairs of their own
branch, as mentor or mentee, and records check-ins and goals there.
"""

from __future__ import annotations

from django.db.models import Q

from core.access import Viewer, forbidden, found, viewer_for
from mentorship.models import Pair, Programme


def programmes_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return Programme.objects.all()
    if viewer.staff_region_ids:
        return Programme.objects.filter(Q(region_id__in=viewer.staff_region_ids) | Q(region__isnull=True))
    return Programme.objects.none()


def can_run_programme(viewer: Viewer, programme: Programme) -> bool:
    """Regional staff run their region's programmes; administrators the federal ones."""
    if programme.region_id is None:
        return viewer.is_admin
    return programme.region_id in viewer.staff_region_ids


def can_create_programme(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regional_staff


def get_programme_for_user(user, pk, *, write: bool = False) -> Programme:
    viewer = viewer_for(user)
    programme = found(programmes_visible_to(viewer).select_related("region").filter(pk=pk).first())
    if write and not can_run_programme(viewer, programme):
        forbidden()
    return programme


def pairs_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return Pair.objects.all()
    mine = Q(mentor_branch_id__in=viewer.secretary_branch_ids) | Q(mentee_branch_id__in=viewer.secretary_branch_ids)
    if viewer.staff_region_ids:
        mine |= Q(programme__region_id__in=viewer.staff_region_ids) | Q(
            programme__region__isnull=True, mentor_branch__region_id__in=viewer.staff_region_ids
        )
    if not (viewer.staff_region_ids or viewer.secretary_branch_ids):
        return Pair.objects.none()
    return Pair.objects.filter(mine)


def is_side_of(viewer: Viewer, pair: Pair) -> bool:
    """The viewer is the secretary of the mentor or of the mentee branch (of the young activist's mentor)."""
    return pair.mentor_branch_id in viewer.secretary_branch_ids or pair.mentee_branch_id in viewer.secretary_branch_ids


def can_run_pair(viewer: Viewer, pair: Pair) -> bool:
    """Accept, decline, complete or end a pair: whoever runs its programme."""
    return can_run_programme(viewer, pair.programme)


def can_work_on_pair(viewer: Viewer, pair: Pair) -> bool:
    """Record check-ins and goals: either side, or whoever runs the programme."""
    return is_side_of(viewer, pair) or can_run_pair(viewer, pair)


def get_pair_for_user(user, pk, *, write: bool = False) -> Pair:
    """A pair: `write` asks to work on it (check-ins, goals)."""
    viewer = viewer_for(user)
    pair = found(
        pairs_visible_to(viewer)
        .select_related("programme__region", "mentor_branch", "mentee_branch", "mentee_cadre__person")
        .filter(pk=pk)
        .first()
    )
    if write and not can_work_on_pair(viewer, pair):
        forbidden()
    return pair
