"""Writes of the reserve: pools, nominations, decisions that freeze their evidence, promotion on appointment."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.models import LocalBranch, Person, Region
from core import records
from core.db import message_for, save_or_explain
from reserve import kinds
from reserve.models import MOVES, POST_OF_ROLE, Level, Nomination, Pool, Readiness, Snapshot, Status, Weights

REVIEW_HOUR = 9


# Pools ---------------------------------------------------------------------------------


@transaction.atomic
def pool_create(
    *,
    level: str,
    title: str,
    posts: list[str],
    year: int,
    owner: Person,
    review_on: date,
    region: Region | None = None,
    local_branch: LocalBranch | None = None,
) -> Pool:
    if local_branch is not None:
        region = local_branch.region
    pool = save_or_explain(
        Pool(
            level=level,
            region=region if level != Level.FEDERAL else None,
            local_branch=local_branch if level == Level.LOCAL else None,
            title=title.strip(),
            posts=list(posts),
            year=year,
            owner=owner,
            review_on=review_on,
        )
    )
    pool_reminders_plan(pool=pool)
    return pool


@transaction.atomic
def pool_update(*, pool: Pool, **changes) -> Pool:
    """Change a pool's title, posts, owner, review date or openness; the review reminder follows."""
    for name, value in changes.items():
        setattr(pool, name, value)
    save_or_explain(pool)
    pool_reminders_plan(pool=pool)
    return pool


def pool_reminders_plan(*, pool: Pool) -> dict[str, int]:
    """The owner's reminder on the review date (none for a closed pool), through notification_reconcile."""
    from notifications.services import NotificationRow, notification_reconcile

    wanted = []
    if pool.is_open:
        zone = pool.region.time_zone if pool.region is not None else settings.DEFAULT_VIEWER_TIME_ZONE
        due_at = datetime.combine(pool.review_on, time(REVIEW_HOUR), tzinfo=zoneinfo.ZoneInfo(zone))
        wanted.append(
            NotificationRow(
                recipient_id=pool.owner_id,
                kind=kinds.REVIEW_DUE.name,
                key=f"reserve.pool.{pool.pk}.review.{pool.review_on.isoformat()}",
                due_at=due_at,
                context={"pool": pool.title, "review_on": due_at.isoformat()},
                url=pool.get_absolute_url(),
            )
        )
    return notification_reconcile(prefix=f"reserve.pool.{pool.pk}.", wanted=wanted)


@transaction.atomic
def weights_set(*, region: Region, weights: dict[str, int]) -> Weights:
    row, _created = Weights.objects.select_for_update().get_or_create(region=region)
    row.weights = {key: int(value) for key, value in weights.items()}
    row.updated_at = timezone.now()
    return save_or_explain(row)


# Nominations ---------------------------------------------------------------------------


def _freeze(nomination: Nomination, *, note: str = "") -> Snapshot:
    """Freeze the person's record as it is now, with the decision that was just taken."""
    record = records.person_records([nomination.person_id], timezone.localdate()).get(nomination.person_id, {})
    return save_or_explain(
        Snapshot(
            nomination=nomination,
            version=nomination.version,
            status=nomination.status,
            readiness=nomination.readiness,
            decided_by_id=nomination.decided_by_id
            if nomination.status != Status.NOMINATED
            else nomination.nominated_by_id,
            decided_at=nomination.decided_at or nomination.created_at,
            decision_ref=nomination.decision_ref,
            note=note[:300],
            record=record,
        )
    )


@transaction.atomic
def nomination_create(
    *, pool: Pool, person: Person, nominated_by: Person, reason: str, readiness: str = Readiness.SOON
) -> Nomination:
    """Nominate a person to an open pool; the record is frozen as version 1.

    One active nomination per person and pool: the partial unique index decides between
    two nominations made at once, and the loser gets its message.
    """
    nomination = save_or_explain(
        Nomination(pool=pool, person=person, nominated_by=nominated_by, reason=reason.strip(), readiness=readiness)
    )
    _freeze(nomination, note=nomination.reason)
    return nomination


@transaction.atomic
def nomination_decide(
    *,
    nomination: Nomination,
    version: int,
    status: str,
    by: Person | None,
    decision_ref: str,
    reason: str = "",
    readiness: str | None = None,
) -> Nomination:
    """Take a decision on a nomination and freeze the evidence it was taken on.

    Steps: lock the row (SELECT … FOR UPDATE); refuse when its version is not the one the
    decider saw (someone decided first); refuse a move MOVES does not allow (the database's
    trigger refuses it too); write the decision and the next version; insert the snapshot
    (unique per version, so two deciders that slipped past the lock still cannot both win).
    """
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.version != version:
        raise ValidationError(message_for("reserve_snapshot_version_unique"), code="stale")
    if status not in MOVES.get(Status(locked.status), []):
        raise ValidationError(message_for("reserve_status_moves"), code="reserve_status_moves")
    locked.status = status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_ref = decision_ref.strip()
    locked.exclusion_reason = reason.strip() if status == Status.EXCLUDED else ""
    if readiness:
        locked.readiness = readiness
    locked.version += 1
    save_or_explain(locked)
    _freeze(locked, note=reason)
    return locked


def nominations_on_positions_taken(positions: Sequence) -> None:
    """Promote included reserve members who just took up a post their pool prepares for (branches.hooks).

    One query finds the candidates whatever the number of positions (an import appoints
    thousands); each promotion is a decision with the appointment as its reference.
    """
    wanted: dict[tuple[int, str], Any] = {
        (p.person_id, str(POST_OF_ROLE[p.role])): p for p in positions if p.role in POST_OF_ROLE
    }
    if not wanted:
        return
    candidates = Nomination.objects.filter(
        person_id__in={person_id for person_id, _post in wanted}, status=Status.INCLUDED, pool__is_open=True
    ).select_related("pool")
    for nomination in candidates:
        for post in nomination.pool.posts:
            position = wanted.get((nomination.person_id, post))
            if position is None:
                continue
            if nomination.pool.region_id is not None and nomination.pool.region_id != position.region_id:
                continue
            reference = position.decision or f"{position.get_role_display()}, {position.starts_on.isoformat()}"
            nomination_decide(
                nomination=nomination,
                version=nomination.version,
                status=Status.PROMOTED,
                by=None,
                decision_ref=reference[:100],
                reason=str(position),
            )
            break
