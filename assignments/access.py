"""Gates of assignments.

Administrators see everything and review what was addressed to regions; a region's staff
see and report their region's assignments, pass them down and review what they passed
down; the secretary or head of a local branch and a person addressed by name see and
report their own. Nobody sees another region's reports.
"""

from __future__ import annotations

from django.db.models import Q

from assignments.models import Assignment, Directive, ReportFile
from core.access import Viewer, forbidden, found, viewer_for


def _local_ids(viewer: Viewer) -> frozenset[int]:
    """The local branches whose secretary or head the viewer is today (no query: the viewer's positions)."""
    return viewer.local_office_branch_ids


def assignments_visible_to(viewer: Viewer, *, local_ids: frozenset[int] | None = None):
    assignments = Assignment.objects.all()
    if viewer.is_admin:
        return assignments
    if local_ids is None:
        local_ids = _local_ids(viewer)
    mine = Q(region_id__in=viewer.staff_region_ids) | Q(local_branch_id__in=local_ids, person__isnull=True)
    if viewer.person_id:
        mine |= Q(person_id=viewer.person_id)
    return assignments.filter(mine)


def can_report(viewer: Viewer, assignment: Assignment, local_ids: frozenset[int] = frozenset()) -> bool:
    """The addressee reports: the person; the local branch's secretary or head; the region's staff."""
    if assignment.person_id is not None:
        return assignment.person_id == viewer.person_id
    if assignment.local_branch_id is not None:
        return assignment.local_branch_id in local_ids
    return assignment.region_id in viewer.staff_region_ids


def can_review(viewer: Viewer, assignment: Assignment) -> bool:
    """Accept or return: who issued it. A region's assignment is the federal level's (administrators);
    what lies below a region (passed down, or addressed there by regional staff) is the region's staff's;
    one a person wrote to themself (a host's follow-up of a reception) is theirs too."""
    if assignment.person_id is not None and assignment.person_id == assignment.directive.issued_by_id:
        return assignment.person_id == viewer.person_id or assignment.region_id in viewer.staff_region_ids
    if assignment.parent_id is None and assignment.local_branch_id is None and assignment.person_id is None:
        return viewer.is_admin
    return assignment.region_id in viewer.staff_region_ids


def can_pass_down(viewer: Viewer, assignment: Assignment) -> bool:
    return (
        assignment.local_branch_id is None
        and assignment.person_id is None
        and assignment.region_id in viewer.staff_region_ids
    )


def get_assignment_for_user(user, pk, *, write: bool = False) -> Assignment:
    """An assignment its addressee, its reviewer or an administrator may see; `write`: report, review or pass down."""
    viewer = viewer_for(user)
    local_ids = _local_ids(viewer)
    assignment = found(
        assignments_visible_to(viewer, local_ids=local_ids)
        .select_related("directive", "region", "local_branch", "person", "parent")
        .filter(pk=pk)
        .first()
    )
    assignment._local_ids = local_ids
    if write and not (
        can_report(viewer, assignment, local_ids) or can_review(viewer, assignment) or can_pass_down(viewer, assignment)
    ):
        forbidden()
    return assignment


def get_directive_for_user(user, pk) -> Directive:
    """A directive's execution dashboard: administrators (it spans every region)."""
    viewer = viewer_for(user)
    if not viewer.is_admin:
        forbidden()
    return found(Directive.objects.select_related("figure", "issued_by").filter(pk=pk).first())


def local_ids_for(viewer: Viewer) -> frozenset[int]:
    return _local_ids(viewer)


def get_report_file_for_user(user, pk) -> ReportFile:
    """A report's file: whoever sees the assignment (its addressee, its reviewer, administrators)."""
    viewer = viewer_for(user)
    visible = assignments_visible_to(viewer).values("pk")
    return found(ReportFile.objects.filter(pk=pk, assignment_id__in=visible).first())
