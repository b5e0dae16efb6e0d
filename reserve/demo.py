"""Demo and national-scale reserve, deterministic for a seed.

Amur (for the staff-amur login): a regional pool preparing local secretaries, council
representatives and the council chair, ranked from live records, with nominations at
every status (the demo secretary included, so her «My reserve» shows it); a pool of the
Blagoveshchensk local branch for primary secretaries with candidates ready now. One
local secretary's term ends in eight months and the council representatives' one-year
terms end too, while the regional pool has nobody ready now: two posts in the demand
table lack a ready-now candidate. Every other region gets a regional pool; at national
scale the largest regions' local branches get pools too (about 20,000 nominations with
their snapshots, written in bulk with the records computed in one batch).
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from branches import services as branch_services
from branches.models import LocalBranch, Person, Position, Region, Role
from core import records
from reserve import services
from reserve.models import Level, Nomination, Pool, Post, Readiness, Snapshot, Status

BATCH = 2000
PER_REGION = {"demo": 8, "national": 120}
PER_LOCAL = {"demo": 0, "national": 25}
LARGEST_REGIONS = 20
REASONS = [
    "Провела приёмы граждан и закрыла наказы избирателей",
    "Победитель регионального этапа конкурса первичных отделений",
    "Прошла курс партийной школы, наставник двух отделений",
    "Активно работает с молодёжью",
]
# Amur's regional pool: (status, readiness) of its nominations, the demo secretary second.
AMUR = [
    (Status.INCLUDED, Readiness.SOON),
    (Status.INCLUDED, Readiness.SOON),
    (Status.INCLUDED, Readiness.LATER),
    (Status.NOMINATED, Readiness.SOON),
    (Status.NOMINATED, Readiness.LATER),
    (Status.NOMINATED, Readiness.SOON),
    (Status.EXCLUDED, Readiness.LATER),
    (Status.WITHDRAWN, Readiness.SOON),
    (Status.PROMOTED, Readiness.NOW),
]


def _owner(region: Region) -> Person:
    staff = Position.objects.current().filter(role=Role.REGIONAL_STAFF, region=region).order_by("-starts_on", "pk")
    demo = staff.filter(person__user__username__startswith="staff-").first()
    return (demo or staff.first()).person


def _secretaries(region: Region, local: LocalBranch | None = None) -> list[int]:
    positions = Position.objects.current().filter(role=Role.PRIMARY_SECRETARY, region=region)
    if local is not None:
        positions = positions.filter(local_branch=local)
    return list(positions.order_by("primary_branch__number").values_list("person_id", flat=True))


def _pool(region, local, title, posts, owner, today) -> Pool:
    return Pool(
        level=Level.LOCAL if local else Level.REGIONAL,
        region=region,
        local_branch=local,
        title=title,
        posts=posts,
        year=today.year,
        owner=owner,
        review_on=today + timedelta(days=45),
    )


def _nominations(pool, people, specs, owner, rng, now) -> list[Nomination]:
    rows = []
    for n, (person_id, (status, readiness)) in enumerate(zip(people, specs, strict=False)):
        decided = status != Status.NOMINATED
        rows.append(
            Nomination(
                pool=pool,
                person_id=person_id,
                nominated_by=owner,
                reason=rng.choice(REASONS),
                readiness=readiness,
                status=status,
                decided_by=owner if decided else None,
                decided_at=now - timedelta(days=10 + n) if decided else None,
                decision_ref=f"Протокол заседания бюро № {rng.randint(1, 40)}" if decided else "",
                exclusion_reason="Не подтвердил участие в работе совета" if status == Status.EXCLUDED else "",
                version=len(STEPS[Status(status)]),
                created_at=now - timedelta(days=60 + n),
            )
        )
    return rows


# The statuses a nomination went through to reach its own (each one a version).
STEPS = {
    Status.NOMINATED: [Status.NOMINATED],
    Status.INCLUDED: [Status.NOMINATED, Status.INCLUDED],
    Status.EXCLUDED: [Status.NOMINATED, Status.EXCLUDED],
    Status.WITHDRAWN: [Status.NOMINATED, Status.WITHDRAWN],
    Status.PROMOTED: [Status.NOMINATED, Status.INCLUDED, Status.PROMOTED],
}


def _snapshots(nominations: list[Nomination], today: date) -> list[Snapshot]:
    """Every version of every nomination, frozen with today's record (the demo has no older one)."""
    live = records.person_records(sorted({n.person_id for n in nominations}), today)
    rows = []
    for nomination in nominations:
        for version, status in enumerate(STEPS[Status(nomination.status)], start=1):
            first = version == 1
            rows.append(
                Snapshot(
                    nomination=nomination,
                    version=version,
                    status=status,
                    readiness=nomination.readiness,
                    decided_by_id=nomination.nominated_by_id if first else nomination.decided_by_id,
                    decided_at=nomination.created_at if first else (nomination.decided_at or nomination.created_at),
                    decision_ref="" if first else nomination.decision_ref,
                    note=nomination.reason if first else nomination.exclusion_reason,
                    record=live.get(nomination.person_id, {}),
                )
            )
    return rows


def seed(scale_name: str, rng: random.Random) -> dict:
    today, now = timezone.localdate(), timezone.now()
    regions = list(Region.objects.filter(primary_branches__isnull=False).distinct().order_by("code"))
    pools, nominations = [], []
    for region in regions:
        owner = _owner(region)
        if owner is None:
            continue
        posts = [Post.LOCAL_SECRETARY, Post.COUNCIL_REPRESENTATIVE, Post.COUNCIL_CHAIR]
        pool = _pool(region, None, f"Кадровый резерв {region.name} {today.year}", posts, owner, today)
        people = _secretaries(region)
        if region.code == "28":
            demo_secretary = Person.objects.filter(user__username="secretary").values_list("pk", flat=True).first()
            if demo_secretary is not None:
                others = [p for p in people if p != demo_secretary]
                people = [*others[:1], demo_secretary, *others[1:]]
            specs = AMUR
        else:
            specs = [
                (
                    rng.choice([Status.NOMINATED, Status.INCLUDED]),
                    rng.choice([Readiness.NOW, Readiness.SOON, Readiness.LATER]),
                )
                for _ in range(PER_REGION.get(scale_name, 8))
            ]
        pools.append((pool, people[: len(specs)], specs, owner))
    locals_ = {
        region.pk: list(region.local_branches.order_by("pk"))
        for region in sorted(regions, key=lambda r: -r.primary_branches.count())[:LARGEST_REGIONS]
    }
    amur = next((r for r in regions if r.code == "28"), None)
    for region in regions:
        owner = _owner(region)
        chosen = locals_.get(region.pk, [])
        if region == amur:
            chosen = chosen[:1]  # Blagoveshchensk: a pool with candidates ready now
        elif PER_LOCAL.get(scale_name, 0) == 0:
            continue
        for local in chosen:
            count = PER_LOCAL.get(scale_name) or 3
            specs = [(Status.INCLUDED, Readiness.NOW)] + [
                (rng.choice([Status.NOMINATED, Status.INCLUDED]), rng.choice(list(Readiness))) for _ in range(count - 1)
            ]
            pool = _pool(region, local, f"Резерв секретарей: {local.name}", [Post.PRIMARY_SECRETARY], owner, today)
            pools.append((pool, _secretaries(region, local)[3 : 3 + count], specs, owner))
    Pool.objects.bulk_create([pool for pool, *_rest in pools], batch_size=BATCH)
    for pool, people, specs, owner in pools:
        nominations += _nominations(pool, people, specs, owner, rng, now)
    Nomination.objects.bulk_create(nominations, batch_size=BATCH)
    snapshots = []
    for start in range(0, len(nominations), BATCH):
        snapshots += Snapshot.objects.bulk_create(
            _snapshots(nominations[start : start + BATCH], today), batch_size=BATCH
        )
    for pool, *_rest in pools:
        if pool.region_id == (amur.pk if amur else None):
            services.pool_reminders_plan(pool=pool)
    if amur is not None:
        # A local secretary whose term ends in eight months (the demand table's first alert).
        local_secretary = (
            Position.objects.current()
            .filter(role=Role.LOCAL_SECRETARY, region=amur, ends_on__isnull=True)
            .order_by("pk")
            .first()
        )
        if local_secretary is not None:
            branch_services.position_end(position=local_secretary, ends_on=today + timedelta(days=240), reason="")
    return {"pools": len(pools), "nominations": len(nominations), "snapshots": len(snapshots)}
