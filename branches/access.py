"""Gates of the trunk: regions, branches, people, imports; and the viewer built from positions.

Regional staff reach (and change) their own region's objects, administrators every
region's; a secretary reaches their own branch (and its settlement and address).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from branches.models import (
    HOST_ROLES,
    POST_ROLES,
    ImportJob,
    LocalBranch,
    Person,
    Position,
    PrimaryBranch,
    Region,
    Role,
)
from core.access import HostTerritory, Viewer, forbidden, found, viewer_for

# Offices of a local branch that answer for its assignments (the viewer's local_office_branch_ids).
LOCAL_OFFICE_ROLES = (Role.LOCAL_SECRETARY, Role.LOCAL_HEAD)


def build_viewer(user) -> Viewer:
    """What this login may reach today, from its current positions (one query; settings.VIEWER_BUILDER).

    Pages show times in the person's own zone, the one their messages use (Person.time_zone).
    The same query counts the person's unread messages (a subquery on the notifications
    engine's index), which every page's navigation shows.
    """
    positions = list(
        Position.objects.current()
        .filter(person__user=user)
        .select_related("person")
        .only("id", "role", "person_id", "region_id", "local_branch_id", "primary_branch_id", "person__time_zone")
        .annotate(unread=_unread_of(OuterRef("person_id")))
    )
    roles = {position.role for position in positions}
    if positions:
        person_id, time_zone, unread = positions[0].person_id, positions[0].person.time_zone, positions[0].unread
    else:
        person_id, time_zone, unread = (
            Person.objects.filter(user=user)
            .annotate(unread=_unread_of(OuterRef("pk")))
            .values_list("id", "time_zone", "unread")
            .first()
        ) or (None, "", 0)
    return Viewer(
        user_id=user.pk,
        person_id=person_id,
        is_admin=user.is_superuser or Role.FEDERAL_ADMIN in roles,
        staff_region_ids=frozenset(p.region_id for p in positions if p.role == Role.REGIONAL_STAFF),
        secretary_branch_ids=frozenset(p.primary_branch_id for p in positions if p.role == Role.PRIMARY_SECRETARY),
        secretary_local_branch_ids=frozenset(p.local_branch_id for p in positions if p.role == Role.PRIMARY_SECRETARY),
        local_office_branch_ids=frozenset(
            p.local_branch_id for p in positions if p.role in LOCAL_OFFICE_ROLES and p.local_branch_id is not None
        ),
        host_territories=tuple(
            HostTerritory(p.id, p.region_id, p.local_branch_id) for p in positions if p.role in HOST_ROLES
        ),
        time_zone=time_zone or settings.DEFAULT_VIEWER_TIME_ZONE,
        unread_notifications=unread or 0,
    )


def _unread_of(person_id):
    """The person's unread messages, as a subquery (the engine's vocabulary: delivered, not read)."""
    from notifications.models import Notification  # the engine imports the trunk's models: import late

    unread = (
        Notification.objects.unread()
        .filter(recipient_id=person_id)
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


# Regions ---------------------------------------------------------------------


def regions_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=viewer.staff_region_ids)


def get_region_for_user(user, pk, *, write: bool = False) -> Region:
    """Regional staff reach (and change) their own region, administrators every region."""
    viewer = viewer_for(user)
    region = found(regions_visible_to(viewer).filter(pk=pk).first())
    if write and not viewer.staffs_region(region.pk):
        forbidden()
    return region


# Branches --------------------------------------------------------------------


def branches_visible_to(viewer: Viewer):
    branches = PrimaryBranch.objects.all()
    if viewer.is_admin:
        return branches
    if viewer.staff_region_ids:
        return branches.filter(region_id__in=viewer.staff_region_ids)
    return branches.filter(pk__in=viewer.secretary_branch_ids)


def can_edit_branch(viewer: Viewer, branch) -> bool:
    """Change anything, close, appoint: regional staff of the branch's region."""
    return viewer.staffs_region(branch.region_id)


def can_edit_branch_contacts(viewer: Viewer, branch) -> bool:
    """Settlement and address: the staff, and the branch's own secretary."""
    return can_edit_branch(viewer, branch) or branch.pk in viewer.secretary_branch_ids


def get_branch_for_user(user, pk, *, write: bool = False) -> PrimaryBranch:
    viewer = viewer_for(user)
    branch = found(branches_visible_to(viewer).select_related("region", "local_branch").filter(pk=pk).first())
    if write and not can_edit_branch(viewer, branch):
        forbidden()
    return branch


def local_branches_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return LocalBranch.objects.all()
    return LocalBranch.objects.filter(region_id__in=viewer.staff_region_ids)


# Posts of a regional branch and its local branches -----------------------------


def roles_appointable_by(viewer: Viewer, region_id: int) -> list[str]:
    """The posts this viewer may give and end in the region: its staff every post but staff's own.

    Regional staff is the post that grants access to the region's data, so only an
    administrator appoints (or dismisses) staff.
    """
    if not viewer.staffs_region(region_id):
        return []
    return [role for role in POST_ROLES if viewer.is_admin or role != Role.REGIONAL_STAFF]


def get_post_for_user(user, pk, *, write: bool = False) -> Position:
    """A post of a regional or local branch (not a primary branch's secretary): its region's staff."""
    viewer = viewer_for(user)
    posts = Position.objects.filter(role__in=POST_ROLES, region_id__in=regions_visible_to(viewer).values("pk"))
    post = found(posts.select_related("person", "region", "local_branch").filter(pk=pk).first())
    if write and post.role not in roles_appointable_by(viewer, post.region_id or 0):
        forbidden()
    return post


# People ----------------------------------------------------------------------


def people_visible_to(viewer: Viewer):
    """Staff reach people who hold, or are about to hold, a position in their region; everyone themselves.

    A person who moved away (their last post in the region ended) leaves the region's staff:
    past holders stay in the branch histories by name only.
    """
    if viewer.is_admin:
        return Person.objects.all()
    if viewer.staff_region_ids:
        holding = Position.objects.current_or_future().filter(region_id__in=viewer.staff_region_ids)
        return Person.objects.filter(pk__in=holding.values("person_id"))
    return Person.objects.filter(pk=viewer.person_id) if viewer.person_id else Person.objects.none()


def get_person_for_user(user, pk, *, write: bool = False) -> Person:
    viewer = viewer_for(user)
    person = found(people_visible_to(viewer).filter(pk=pk).first())
    if write and not (viewer.is_admin or viewer.staff_region_ids):
        forbidden()
    return person


# Imports ---------------------------------------------------------------------


def get_import_for_user(user, pk) -> ImportJob:
    """An import is reached by the staff of its region (and administrators)."""
    viewer = viewer_for(user)
    jobs = ImportJob.objects.select_related("region")
    if not viewer.is_admin:
        jobs = jobs.filter(region_id__in=viewer.staff_region_ids)
    return found(jobs.filter(pk=pk).first())
