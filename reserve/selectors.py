"""Reads of the reserve: the ranking of a pool from live records, demand from real term ends, the desk.

The records come from the top floor through core.records (the reserve may not import
desk/), the council's term ends likewise (it may not import councils/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import selectors as branch_selectors
from branches.models import Region, Role
from core import records
from core.access import Viewer
from core.desk import DeskItem, Urgency
from reserve.models import ACTIVE_STATUSES, Nomination, Pool, Post, Readiness, Status, Weights

# The ranking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    key: str
    label: str | Promise
    rule: str | Promise  # how the record becomes 0–10, said in words
    default_weight: int


PARTS = [
    Part("secretary", gettext_lazy("time as secretary"), gettext_lazy("years as secretary, at most 10"), 3),
    Part("council", gettext_lazy("council work"), gettext_lazy("2 per council term, at most 10"), 2),
    Part("receptions", gettext_lazy("receptions"), gettext_lazy("receptions held, at most 10"), 1),
    Part("requests", gettext_lazy("voters' requests"), gettext_lazy("requests closed, at most 10"), 1),
    Part("events", gettext_lazy("events"), gettext_lazy("share attended of expected, 12 months, × 10"), 2),
    Part("contests", gettext_lazy("contests"), gettext_lazy("entries (at most 5) + 6 − best place, at most 10"), 1),
    Part("course", gettext_lazy("course"), gettext_lazy("10 when completed"), 2),
    Part(
        "mentoring",
        gettext_lazy("mentoring"),
        gettext_lazy("3 per completed pair as mentor, 1 per active one or completed as mentee, at most 10"),
        1,
    ),
    Part("assignments", gettext_lazy("assignments"), gettext_lazy("share reported on time × 10"), 2),
]
PART_KEYS = [part.key for part in PARTS]
DEFAULT_WEIGHTS = {part.key: part.default_weight for part in PARTS}


def parts_of(record: dict) -> dict[str, float]:
    """The record's nine parts, each 0–10 by the rule PARTS states (a pool computes two thousand at once).

    Every figure is a count or a number of days, so no part falls below 0; each is capped at 10.
    """
    get = record.get
    expected = get("events_expected", 0)
    due = get("assignments_due", 0)
    place = get("best_place")
    raw = (
        get("secretary_days", 0) / 365,
        2.0 * get("council_terms", 0),
        float(get("receptions_held", 0)),
        float(get("requests_closed", 0)),
        10 * get("events_attended", 0) / expected if expected else 0.0,
        float(min(get("contest_entries", 0), 5) + (max(6 - place, 0) if place else 0)),
        10.0 if get("course") == "completed" else 0.0,
        float(3 * get("mentor_completed", 0) + get("mentor_active", 0) + get("mentee_completed", 0)),
        10 * get("assignments_on_time", 0) / due if due else 0.0,
    )
    return {key: round(value, 1) if value < 10 else 10.0 for key, value in zip(PART_KEYS, raw, strict=True)}


def score(parts: dict[str, float], weights: dict[str, int]) -> float:
    """Σ weight × part ÷ Σ weight: a weighted mean on the same 0–10 scale."""
    total = sum(weights.values())
    return round(sum(weights[key] * parts[key] for key in PART_KEYS) / total, 2) if total else 0.0


def weights_for(region_id: int | None) -> dict[str, int]:
    """The region's weights over the defaults (one query; a federal pool uses the defaults)."""
    stored: dict = {}
    if region_id is not None:
        row = Weights.objects.filter(region_id=region_id).values_list("weights", flat=True).first()
        stored = row or {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULT_WEIGHTS.items()}


def formula(weights: dict[str, int]) -> str:
    terms = " + ".join(f"{weights[part.key]} × {part.label}" for part in PARTS)
    return f"({terms}) ÷ {sum(weights.values())}"


@dataclass(frozen=True)
class Candidate:
    """A nomination as the ranking shows it: plain values (a pool ranks two thousand at once)."""

    pk: int
    person_id: int
    name: str
    readiness: str
    status: str
    decision_ref: str = ""

    def get_absolute_url(self) -> str:
        return reverse("reserve:nomination", kwargs={"pk": self.pk})

    def get_readiness_display(self) -> str:
        return str(Readiness(self.readiness).label)

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


@dataclass
class RankRow:
    nomination: Candidate
    parts: dict[str, float]
    score: float
    rank: int = 0

    @property
    def values(self) -> list[float]:
        """The parts in the order of PARTS (the table's columns)."""
        return [self.parts[key] for key in PART_KEYS]


# A pool page shows this many rows of the chosen sort (all on request); the rank counts the whole pool.
RANKING_SHOWN = 100
SORTS = ["score", "name", "readiness", *PART_KEYS]
READINESS_ORDER = {Readiness.NOW: 0, Readiness.SOON: 1, Readiness.LATER: 2}


def pool_nominations(pool: Pool) -> list[Candidate]:
    """Every nomination of the pool (any status) as plain values, by the person's name: one query."""
    return [
        Candidate(pk, person_id, " ".join(part for part in names if part), readiness, status, decision_ref)
        for pk, person_id, readiness, status, decision_ref, *names in pool.nominations.order_by(
            "person__last_name", "person__first_name", "pk"
        ).values_list(
            "pk",
            "person_id",
            "readiness",
            "status",
            "decision_ref",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
        )
    ]


def pool_ranking(
    pool: Pool, *, sort: str = "score", today: date | None = None, nominations: list[Candidate] | None = None
) -> tuple[list[RankRow], dict]:
    """The pool's active nominations with each one's parts and score, ranked by score, sorted as asked.

    Queries: the weights, the nominations with their people's names (none when the caller
    read them with `pool_nominations`), and the records' figures in one statement joined
    to the pool's active nominations (core.records.person_figures): 3.
    """
    weights = weights_for(pool.region_id)
    if nominations is None:
        nominations = pool_nominations(pool)
    candidates = [c for c in nominations if c.status in ACTIVE_STATUSES]
    active = pool.nominations.filter(status__in=ACTIVE_STATUSES)
    live = records.person_figures(active.values("person_id"), today or timezone.localdate())
    rows = []
    for candidate in candidates:
        parts = parts_of(live.get(candidate.person_id, {}))
        rows.append(RankRow(candidate, parts, score(parts, weights)))
    for rank, row in enumerate(sorted(rows, key=lambda r: -r.score), start=1):
        row.rank = rank
    if sort == "name":
        rows.sort(key=lambda r: r.nomination.name)
    elif sort == "readiness":
        rows.sort(key=lambda r: (READINESS_ORDER.get(Readiness(r.nomination.readiness), 3), r.rank))
    elif sort in PART_KEYS:
        rows.sort(key=lambda r: (-r.parts[sort], r.rank))
    else:
        rows.sort(key=lambda r: r.rank)
    return rows, weights


# Demand --------------------------------------------------------------------------------

DEMAND_MONTHS = 12
# Posts held as positions in the trunk, by role.
POSITION_POSTS = {
    Post.PRIMARY_SECRETARY: Role.PRIMARY_SECRETARY,
    Post.LOCAL_SECRETARY: Role.LOCAL_SECRETARY,
    Post.REGIONAL_STAFF: Role.REGIONAL_STAFF,
    Post.MUNICIPAL_DEPUTY: Role.MUNICIPAL_DEPUTY,
    Post.REGIONAL_DEPUTY: Role.REGIONAL_DEPUTY,
}


def demand_until(today: date) -> date:
    return today + timedelta(days=365 * DEMAND_MONTHS // 12)


def term_ends(posts: list[str], region_ids: list[int] | None, today: date) -> dict[str, list[dict]]:
    """Per post: the holders whose terms end within 12 months. One query for the trunk's posts, one per council post."""
    until = demand_until(today)
    result: dict[str, list[dict]] = {post: [] for post in posts}
    roles = {POSITION_POSTS[Post(post)]: post for post in posts if Post(post) in POSITION_POSTS}
    if roles:
        for row in branch_selectors.term_ends(region_ids, list(roles), today, until):
            result[roles[row["role"]]].append(row)
    for post in posts:
        if Post(post) not in POSITION_POSTS:
            result[post] = records.term_ends(post, region_ids, today, until)
    return result


def ready_now(region_ids: list[int] | None) -> dict[tuple[int | None, str], int]:
    """(region, post) → active nominations ready now in pools preparing for the post: one query."""
    nominations = Nomination.objects.filter(status__in=ACTIVE_STATUSES, readiness=Readiness.NOW, pool__is_open=True)
    if region_ids is not None:
        nominations = nominations.filter(pool__region_id__in=region_ids)
    counts: dict[tuple[int | None, str], int] = defaultdict(int)
    for region_id, posts, n in (
        nominations.values("pool_id").annotate(n=Count("pk")).values_list("pool__region_id", "pool__posts", "n")
    ):
        for post in posts:
            counts[region_id, post] += n
    return counts


@dataclass
class DemandRow:
    post: str
    label: str
    ending: list[dict] = field(default_factory=list)
    ready_now: int = 0

    @property
    def alert(self) -> bool:
        """A term ends within 12 months and nobody is ready now to take it."""
        return self.lacks(len(self.ending), self.ready_now)

    @staticmethod
    def lacks(ending: int, ready_now: int) -> bool:
        """`alert` from counts: some term ends within 12 months and nobody is ready now."""
        return ending > 0 and ready_now == 0

    @property
    def next_end(self) -> date | None:
        return min((row["ends_on"] for row in self.ending), default=None)


def region_demand(region: Region, today: date | None = None) -> list[DemandRow]:
    """Every post the region's pools serve: terms ending within 12 months and ready-now candidates."""
    today = today or timezone.localdate()
    posts = sorted(
        {
            post
            for posts in Pool.objects.filter(region=region, is_open=True).values_list("posts", flat=True)
            for post in posts
        },
        key=[p.value for p in Post].index,
    )
    ends = term_ends(posts, [region.pk], today)
    ready = ready_now([region.pk])
    return [DemandRow(post, str(Post(post).label), ends[post], ready.get((region.pk, post), 0)) for post in posts]


def pool_demand(pool: Pool, today: date | None = None) -> list[DemandRow]:
    """The pool's posts, with the demand of its region (or the country, for a federal pool)."""
    today = today or timezone.localdate()
    region_ids = [pool.region_id] if pool.region_id else None
    ends = term_ends(list(pool.posts), region_ids, today)
    ready = ready_now(region_ids)
    rows = []
    for post in pool.posts:
        count = sum(n for (_region, p), n in ready.items() if p == post)
        rows.append(DemandRow(post, str(Post(post).label), ends[post], count))
    return rows


def lacking_posts(region_ids: list[int], today: date | None = None) -> dict[int, int]:
    """Per region: the posts its open pools serve where a term ends within 12 months and nobody is ready now.

    The demand table's alerts (DemandRow.alert) counted in one statement for the desk.
    """
    statement = _lacking_statement(region_ids, today or timezone.localdate())
    if statement is None:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return dict(cursor.fetchall())


def _lacking_statement(region_ids: list[int], today: date) -> tuple[str, list] | None:
    """The SQL of `lacking_posts` (rows: region, count), to run alone or inside the desk's statement.

    The posts served, the terms ending (the trunk's positions and, through core.records, the
    council's seats, each a query of regions composed here) and the ready-now nominations.
    """
    until = demand_until(today)
    served = Pool.objects.filter(is_open=True, region_id__in=region_ids).values(
        pool_region=F("region_id"), post_list=F("posts")
    )
    ready = Nomination.objects.filter(
        status__in=ACTIVE_STATUSES, readiness=Readiness.NOW, pool__is_open=True, pool__region_id__in=region_ids
    ).values(pool_region=F("pool__region_id"), post_list=F("pool__posts"))
    ending, params = [], []
    for post in Post:
        if post in POSITION_POSTS:
            query = branch_selectors.term_ending(region_ids, [POSITION_POSTS[post]], today, until)
        else:
            query = records.term_ending(post.value, region_ids, today, until)
        if query is not None:
            sql, query_params = query.order_by().values("region_id").query.sql_with_params()
            ending.append(f"SELECT DISTINCT region_id, %s AS post FROM ({sql}) t")
            params += [post.value, *query_params]
    if not ending:
        return None
    served_sql, served_params = served.order_by().query.sql_with_params()
    ready_sql, ready_params = ready.order_by().query.sql_with_params()
    statement = (
        f"WITH served AS (SELECT DISTINCT pool_region AS region, unnest(post_list) AS post FROM ({served_sql}) s), "
        f"ready AS (SELECT DISTINCT pool_region AS region, unnest(post_list) AS post FROM ({ready_sql}) r), "
        f"ending AS ({' UNION ALL '.join(ending)}) "
        "SELECT served.region, count(*) FROM served "
        "WHERE EXISTS (SELECT 1 FROM ending WHERE ending.region_id = served.region AND ending.post = served.post) "
        "AND NOT EXISTS (SELECT 1 FROM ready WHERE ready.region = served.region AND ready.post = served.post) "
        "GROUP BY served.region"
    )
    return statement, [*served_params, *ready_params, *params]


@dataclass
class CoverageRow:
    region: Region
    posts: int = 0
    ending: int = 0
    ready_now: int = 0
    lacking: int = 0


def national_coverage(today: date | None = None) -> list[CoverageRow]:
    """Per region: posts its pools serve, terms ending within 12 months, ready-now candidates, posts lacking one.

    Queries: regions, pools, the terms ending counted per region (the trunk's by role, each
    council post's through core.records), ready-now counts. Counted in the database: the
    country's ending terms are tens of thousands of rows nobody reads here one by one.
    """
    today = today or timezone.localdate()
    until = demand_until(today)
    rows = {region.pk: CoverageRow(region) for region in Region.objects.order_by("code")}
    served: dict[int, set[str]] = defaultdict(set)
    for region_id, posts in Pool.objects.filter(is_open=True, region__isnull=False).values_list("region_id", "posts"):
        served[region_id].update(posts)
    all_posts = {Post(post) for posts in served.values() for post in posts}
    ending: dict[tuple[int, str], int] = defaultdict(int)
    roles = {POSITION_POSTS[post]: post.value for post in all_posts if post in POSITION_POSTS}
    if roles:
        counted = branch_selectors.term_ending(None, list(roles), today, until)
        for region_id, role, n in (
            counted.values("region_id", "role").annotate(n=Count("pk")).values_list("region_id", "role", "n")
        ):
            ending[region_id, roles[role]] += n
    for post in all_posts - set(POSITION_POSTS):
        query = records.term_ending(post.value, None, today, until)
        if query is not None:
            for region_id, n in (
                query.order_by().values("region_id").annotate(n=Count("pk")).values_list("region_id", "n")
            ):
                ending[region_id, post.value] += n
    ready = ready_now(None)
    for region_id, region_posts in served.items():
        row = rows[region_id]
        row.posts = len(region_posts)
        for served_post in region_posts:
            row.ending += ending[region_id, served_post]
            row.ready_now += ready.get((region_id, served_post), 0)
            if DemandRow.lacks(ending[region_id, served_post], ready.get((region_id, served_post), 0)):
                row.lacking += 1
    return [row for row in rows.values() if row.posts]


# The desk ------------------------------------------------------------------------------

REVIEW_NOTICE_DAYS = 30


def desk_items(viewer: Viewer) -> list[DeskItem]:
    """A pool owner's reviews coming due and nominations awaiting a decision; for regional staff, the posts of
    their regions lacking a ready-now candidate. One statement for both (none for anyone else)."""
    if not (viewer.is_regional_staff or viewer.is_admin):
        return []
    today = timezone.localdate()
    columns = ["'[]'::json", "'[]'::json"]
    params: list = []
    if viewer.person_id is not None:
        owned = Pool.objects.filter(owner_id=viewer.person_id, is_open=True).annotate(
            waiting=Count("nominations", filter=Q(nominations__status="nominated"))
        )
        sql, owned_params = owned.values("pk", "title", "review_on", "waiting").order_by().query.sql_with_params()
        columns[0] = f"(SELECT coalesce(json_agg(p ORDER BY p.review_on, p.pk), '[]') FROM ({sql}) p)"
        params += owned_params
    lacking = _lacking_statement(sorted(viewer.staff_region_ids), today) if viewer.staff_region_ids else None
    if lacking is not None:
        columns[1] = f"(SELECT coalesce(json_agg(json_build_array(l.region, l.count)), '[]') FROM ({lacking[0]}) l)"
        params += lacking[1]
    if columns == ["'[]'::json", "'[]'::json"]:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        pools, lacking_rows = cursor.fetchone()
    return _owner_items(pools, today) + _demand_items(lacking_rows)


def _owner_items(pools: list[dict], today: date) -> list[DeskItem]:
    """The pools the viewer owns: their yearly review within 30 days, nominations awaiting a decision."""
    items = []
    for pool in pools:
        review_on = date.fromisoformat(pool["review_on"])
        url = reverse("reserve:pool", kwargs={"pk": pool["pk"]})
        if review_on <= today + timedelta(days=REVIEW_NOTICE_DAYS):
            items.append(
                DeskItem(
                    app="reserve",
                    title=_("Yearly review of the pool %(pool)s") % {"pool": pool["title"]},
                    url=url,
                    detail=formats.date_format(review_on, "SHORT_DATE_FORMAT"),
                    urgency=Urgency.OVERDUE if review_on < today else Urgency.TO_DO,
                )
            )
        if pool["waiting"]:
            items.append(
                DeskItem(
                    app="reserve",
                    title=_("Nominations awaiting a decision: %(pool)s") % {"pool": pool["title"]},
                    url=url,
                    count=pool["waiting"],
                )
            )
    return items


def _demand_items(lacking: list[list[int]]) -> list[DeskItem]:
    """Regional staff: an alert per region where a post's term ends within 12 months with nobody ready now."""
    return [
        DeskItem(
            app="reserve",
            title=_("Posts whose terms end within a year with nobody ready now in the reserve"),
            url=reverse("reserve:demand", kwargs={"region_pk": region_id}),
            count=count,
            urgency=Urgency.TO_DO,
        )
        for region_id, count in sorted(lacking)
    ]


def own_nominations(person_id: int) -> list[Nomination]:
    """A person's own nominations, with their pools (one query): whether they are nominated, nothing of others."""
    return list(Nomination.objects.filter(person_id=person_id).select_related("pool").order_by("-created_at"))


def review_url(pool: Pool) -> str:
    return reverse("reserve:pool", kwargs={"pk": pool.pk})


# The region's overview (branches.hooks.region_sections) --------------------------------


def region_section(viewer: Viewer, region: Region, today: date | None = None):
    """The reserve on the region's page: open pools, active nominations, ready now, posts lacking one.

    Counts only (the reserve is personal data: no names here), for the region's staff and
    administrators. The demand is `region_demand`'s: a post lacks a candidate when a holder's
    term ends within 12 months and no active nomination ready now sits in an open pool of the
    region preparing for it (`DemandRow.lacks`). A `RegionSectionPlan` (branches.hooks): the
    region's open pools with their nominations counted (one row per pool, which also gives
    the ready-now count per post); the terms ending, counted per role for the trunk's posts
    (one grouped row set) and for each council post declared in `core.records` (one row
    each, a fixed number: not one per post the pools serve), all in the page's one statement.
    """
    from branches.hooks import RegionSectionPlan
    from core.db import one_row

    if not viewer.staffs_region(region.pk):
        return None
    today = today or timezone.localdate()
    until = demand_until(today)
    queries = {
        "pools": Pool.objects.filter(region=region, is_open=True)
        .annotate(
            active=Count("nominations", filter=Q(nominations__status__in=ACTIVE_STATUSES)),
            ready=Count(
                "nominations", filter=Q(nominations__status__in=ACTIVE_STATUSES, nominations__readiness=Readiness.NOW)
            ),
        )
        .values("posts", "active", "ready")
        .order_by(),
        "positions": branch_selectors.term_ending([region.pk], list(POSITION_POSTS.values()), today, until)
        .values("role")
        .annotate(n=Count("pk"))
        .order_by(),
    }
    for post in Post:
        ending = None if post in POSITION_POSTS else records.term_ending(post.value, [region.pk], today, until)
        if ending is not None:
            queries[f"post:{post.value}"] = one_row(ending, n=Count("pk"))
    return RegionSectionPlan(queries, lambda rows: _region_section(region, rows))


def _region_section(region: Region, rows: dict):
    from dataclasses import replace

    from branches.hooks import RegionFigure, RegionSection

    pools = rows["pools"]
    section = RegionSection(
        app="reserve",
        title=_("Personnel reserve"),
        url=reverse("reserve:demand", kwargs={"region_pk": region.pk}),
        link_label=_("Demand"),
        template="reserve/_region_section.html",
    )
    if not pools:
        return replace(section, empty=_("No open reserve pools in the region."))
    ready: dict[str, int] = defaultdict(int)
    for pool in pools:
        for post in pool["posts"]:
            ready[post] += pool["ready"]
    roles = {role: post.value for post, role in POSITION_POSTS.items()}
    ending = {roles[row["role"]]: row["n"] for row in rows["positions"]}
    ending |= {name.removeprefix("post:"): found[0]["n"] for name, found in rows.items() if name.startswith("post:")}
    lacking = sum(DemandRow.lacks(ending.get(post, 0), ready[post]) for post in ready)
    pools_url = reverse("reserve:list")
    demand_url = section.url
    return replace(
        section,
        figures=[
            RegionFigure(_("Open pools"), len(pools), pools_url),
            RegionFigure(_("Active nominations"), sum(pool["active"] for pool in pools), pools_url),
            RegionFigure(_("Ready now"), sum(pool["ready"] for pool in pools), demand_url),
            RegionFigure(_("Posts whose term ends, nobody ready"), lacking, demand_url, alert=bool(lacking)),
        ],
    )
