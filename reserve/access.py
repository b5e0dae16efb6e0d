"""Gates of the reserve: it is personal data.

Only the regional staff of a pool's region see its pools, nominations and snapshots, and
run them; administrators see every pool and run the federal ones. A secretary sees only
their own nominations (reserve:mine), and nothing of anyone else's.
"""

from __future__ import annotations

from core.access import Viewer, forbidden, found, viewer_for
from reserve.models import Nomination, Pool


def pools_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return Pool.objects.all()
    if viewer.staff_region_ids:
        return Pool.objects.filter(region_id__in=viewer.staff_region_ids)
    return Pool.objects.none()


def can_create_pool(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regional_staff


def can_run_pool(viewer: Viewer, pool: Pool) -> bool:
    """Staff of the pool's region run it; administrators the federal pools."""
    if pool.region_id is None:
        return viewer.is_admin
    return pool.region_id in viewer.staff_region_ids


def get_pool_for_user(user, pk, *, write: bool = False) -> Pool:
    viewer = viewer_for(user)
    pool = found(pools_visible_to(viewer).select_related("region", "local_branch", "owner").filter(pk=pk).first())
    if write and not can_run_pool(viewer, pool):
        forbidden()
    return pool


def nominations_visible_to(viewer: Viewer):
    if viewer.is_admin:
        return Nomination.objects.all()
    if viewer.staff_region_ids:
        return Nomination.objects.filter(pool__region_id__in=viewer.staff_region_ids)
    return Nomination.objects.none()


def get_nomination_for_user(user, pk, *, write: bool = False) -> Nomination:
    viewer = viewer_for(user)
    nomination = found(
        nominations_visible_to(viewer)
        .select_related("pool__region", "person", "nominated_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if write and not can_run_pool(viewer, nomination.pool):
        forbidden()
    return nomination


def get_weights_region_for_user(user, region_pk, *, write: bool = False):
    """The region whose ranking weights are asked for: its staff (and administrators, to read)."""
    from branches.access import get_region_for_user

    viewer = viewer_for(user)
    region = get_region_for_user(user, region_pk)
    if not (viewer.is_admin or region.pk in viewer.staff_region_ids):
        forbidden()
    if write and region.pk not in viewer.staff_region_ids:
        forbidden()
    return region
