"""Demo and national-scale reserve, deterministic for a seed.

Amur (for the staff-amur login): a regional pool preparing local secretaries, council
representatives and the council chair, ranked from live records, with nominations at
every status (the demo secretary included, so her «My reserve» shows it); a pool of the
Blagoveshchensk local branch for primary secretaries with candidates ready now. One
local secretary's term ends in eight months and the council representatives' one-year
terms end too, while the regional pool has nobody ready now: two posts in the demand
table lack a ready-now candidate. Every other region gets a regional pool; at national
scale the largest regions' local branches get pools too (about 20,000 nominations with
their snapshots). A fixed number of statements at any scale: the owners, secretaries and
branches read once, the nominations inserted from arrays, the snapshots by one INSERT …
SELECT with the records of all the people computed set-based (core.records).
"""

import json
import random
from collections import defaultdict
from datetime import date, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Count
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


def _owners() -> dict[int, int]:
    """Each region's pool owner: its demo staff login when it has one, else its latest staff member (one query)."""
    owners: dict[int, int] = {}
    demo: dict[int, int] = {}
    rows = (
        Position.objects.current()
        .filter(role=Role.REGIONAL_STAFF)
        .order_by("region_id", "-starts_on", "pk")
        .values_list("region_id", "person_id", "person__user__username")
    )
    for region_id, person_id, username in rows:
        owners.setdefault(region_id, person_id)
        if (username or "").startswith("staff-"):
            demo.setdefault(region_id, person_id)
    return owners | demo


def _secretaries() -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Today's primary secretaries by branch number, per region and per local branch (one query)."""
    by_region: dict[int, list[int]] = defaultdict(list)
    by_local: dict[int, list[int]] = defaultdict(list)
    rows = (
        Position.objects.current()
        .filter(role=Role.PRIMARY_SECRETARY)
        .order_by("primary_branch__number")
        .values_list("region_id", "local_branch_id", "person_id")
    )
    for region_id, local_id, person_id in rows:
        by_region[region_id].append(person_id)
        by_local[local_id].append(person_id)
    return by_region, by_local


def _pool(region, local, title, posts, owner_id, today) -> Pool:
    return Pool(
        level=Level.LOCAL if local else Level.REGIONAL,
        region=region,
        local_branch=local,
        title=title,
        posts=posts,
        year=today.year,
        owner_id=owner_id,
        review_on=today + timedelta(days=45),
    )


def _nominations(pool, people, specs, owner_id, rng, now) -> list[tuple]:
    """The pool's nominations as rows of NOMINATION_COLUMNS."""
    rows = []
    for n, (person_id, (status, readiness)) in enumerate(zip(people, specs, strict=False)):
        decided = status != Status.NOMINATED
        rows.append(
            (
                pool.pk,
                person_id,
                owner_id,
                rng.choice(REASONS),
                readiness.value,
                status.value,
                owner_id if decided else None,
                now - timedelta(days=10 + n) if decided else None,
                f"Протокол заседания бюро № {rng.randint(1, 40)}" if decided else "",
                "Не подтвердил участие в работе совета" if status == Status.EXCLUDED else "",
                len(STEPS[Status(status)]),
                now - timedelta(days=60 + n),
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

# Nominations go in as one INSERT from arrays (one per column), not as model instances.
NOMINATION_COLUMNS = [
    ("pool_id", "bigint"),
    ("person_id", "bigint"),
    ("nominated_by_id", "bigint"),
    ("reason", "text"),
    ("readiness", "text"),
    ("status", "text"),
    ("decided_by_id", "bigint"),
    ("decided_at", "timestamptz"),
    ("decision_ref", "text"),
    ("exclusion_reason", "text"),
    ("version", "int"),
    ("created_at", "timestamptz"),
]


def _insert_nominations(rows: list[tuple]) -> int:
    """Every nomination in one statement: the columns as arrays, unnested by PostgreSQL."""
    if not rows:
        return 0
    names = ", ".join(name for name, _type in NOMINATION_COLUMNS)
    arrays = ", ".join(f"%s::{sql_type}[]" for _name, sql_type in NOMINATION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Nomination._meta.db_table} ({names}) SELECT * FROM unnest({arrays})",
            [list(column) for column in zip(*rows, strict=True)],
        )
        return cursor.rowcount


def _insert_snapshots(pool_ids: list[int], today: date) -> int:
    """Every version of every nomination of these pools, frozen with today's record, in one INSERT … SELECT.

    The records are computed set-based for all the people at once (core.records: three
    queries), sent as one JSON object keyed by person; each version's who / when /
    reference comes from its nomination as `services` would have written it.
    """
    people = list(
        Nomination.objects.filter(pool_id__in=pool_ids).order_by().values_list("person_id", flat=True).distinct()
    )
    live = records.person_records(people, today)
    steps = [
        (final.value, version, step.value) for final, path in STEPS.items() for version, step in enumerate(path, 1)
    ]
    values = ", ".join("(%s, %s, %s)" for _step in steps)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Snapshot._meta.db_table}
                (nomination_id, version, status, readiness, decided_by_id, decided_at, decision_ref, note, record)
            SELECT n.id, s.version, s.step, n.readiness,
                   CASE WHEN s.version = 1 THEN n.nominated_by_id ELSE n.decided_by_id END,
                   CASE WHEN s.version = 1 THEN n.created_at ELSE coalesce(n.decided_at, n.created_at) END,
                   CASE WHEN s.version = 1 THEN '' ELSE n.decision_ref END,
                   CASE WHEN s.version = 1 THEN left(n.reason, 300) ELSE n.exclusion_reason END,
                   coalesce(%s::jsonb -> n.person_id::text, '{{}}'::jsonb)
            FROM {Nomination._meta.db_table} n
            JOIN (VALUES {values}) s (final, version, step) ON s.final = n.status
            WHERE n.pool_id = ANY(%s)
            """,
            [
                json.dumps({str(pk): record for pk, record in live.items()}, cls=DjangoJSONEncoder),
                *[item for step in steps for item in step],
                pool_ids,
            ],
        )
        return cursor.rowcount


def seed(scale_name: str, rng: random.Random) -> dict:
    """Pools, nominations and snapshots in a fixed number of statements whatever the scale."""
    today, now = timezone.localdate(), timezone.now()
    regions = list(
        Region.objects.filter(primary_branches__isnull=False)
        .annotate(branch_count=Count("primary_branches"))
        .order_by("code")
    )
    owners = _owners()
    by_region, by_local = _secretaries()
    largest = [r.pk for r in sorted(regions, key=lambda r: -r.branch_count)[:LARGEST_REGIONS]]
    locals_: dict[int, list[LocalBranch]] = defaultdict(list)
    for local in LocalBranch.objects.filter(region_id__in=largest).order_by("pk"):
        locals_[local.region_id].append(local)
    demo_secretary = Person.objects.filter(user__username="secretary").values_list("pk", flat=True).first()
    pools: list[tuple[Pool, list[int], list, int]] = []
    for region in regions:
        owner_id = owners.get(region.pk)
        if owner_id is None:
            continue
        posts = [Post.LOCAL_SECRETARY, Post.COUNCIL_REPRESENTATIVE, Post.COUNCIL_CHAIR]
        pool = _pool(region, None, f"Кадровый резерв {region.name} {today.year}", posts, owner_id, today)
        people = by_region.get(region.pk, [])
        if region.code == "28":
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
        pools.append((pool, people[: len(specs)], specs, owner_id))
    amur = next((r for r in regions if r.code == "28"), None)
    for region in regions:
        owner_id = owners.get(region.pk)
        chosen = locals_.get(region.pk, [])
        if owner_id is None:
            continue
        if region == amur:
            chosen = chosen[:1]  # Blagoveshchensk: a pool with candidates ready now
        elif PER_LOCAL.get(scale_name, 0) == 0:
            continue
        for local in chosen:
            count = PER_LOCAL.get(scale_name) or 3
            specs = [(Status.INCLUDED, Readiness.NOW)] + [
                (rng.choice([Status.NOMINATED, Status.INCLUDED]), rng.choice(list(Readiness))) for _ in range(count - 1)
            ]
            pool = _pool(region, local, f"Резерв секретарей: {local.name}", [Post.PRIMARY_SECRETARY], owner_id, today)
            pools.append((pool, by_local.get(local.pk, [])[3 : 3 + count], specs, owner_id))
    Pool.objects.bulk_create([pool for pool, *_rest in pools], batch_size=BATCH)
    rows = [
        row for pool, people, specs, owner_id in pools for row in _nominations(pool, people, specs, owner_id, rng, now)
    ]
    nominations = _insert_nominations(rows)
    snapshots = _insert_snapshots([pool.pk for pool, *_rest in pools], today)
    for pool, *_rest in pools:
        if amur is not None and pool.region_id == amur.pk:
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
    return {"pools": len(pools), "nominations": nominations, "snapshots": snapshots}
