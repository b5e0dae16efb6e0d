"""Gates of training: a person sees their own courses; the region's staff their region's; administrators all."""

from __future__ import annotations

from django.db.models import Q

from branches.models import Region
from core.access import Viewer, forbidden, found, not_found, viewer_for
from training.models import CourseAssignment, SyncRun


def assignments_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return CourseAssignment.objects.all()
    reach = Q(region_id__in=viewer.staff_region_ids)
    if viewer.person_id is not None:
        reach |= Q(person_id=viewer.person_id)
    return CourseAssignment.objects.filter(reach)


def get_assignment_for_user(user, pk, *, write: bool = False) -> CourseAssignment:
    """Read: the person and their region's staff. Write (waive): the staff only (403 for the person)."""
    viewer = viewer_for(user)
    assignment = found(
        assignments_visible_to(viewer).select_related("person", "course", "region").filter(pk=pk).first()
    )
    if write and not (assignment.region_id and viewer.staffs_region(assignment.region_id)):
        forbidden()
    return assignment


def get_region_for_user(user, pk) -> Region:
    """A region's training pages and uploads: its staff and administrators; others 404."""
    viewer = viewer_for(user)
    if not viewer.staffs_region(int(pk)):
        not_found()
    return found(Region.objects.filter(pk=pk).first())


def runs_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return SyncRun.objects.all()
    return SyncRun.objects.filter(region_id__in=viewer.staff_region_ids)


def get_run_for_user(user, pk) -> SyncRun:
    return found(runs_visible_to(viewer_for(user)).select_related("region").filter(pk=pk).first())


def require_admin_viewer(user) -> Viewer:
    viewer = viewer_for(user)
    if not viewer.is_admin:
        forbidden()
    return viewer
