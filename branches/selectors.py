"""Reads that span relations: the branch list, dashboards, a branch's history."""

import re
import time
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Events

from branches.models import (
    POST_ROLES,
    SINGLE_HOLDER_ROLES,
    ImportChange,
    ImportJob,
    LocalBranch,
    Person,
    PersonalDataAccess,
    Position,
    PrimaryBranch,
    Region,
    Role,
)
from core.db import DaysBetween, any_of, fetch_together, one_row
from core.desk import DeskItem
from core.pagination import SortKey, keyset_page
from core.search import filter_folded
from core.shortcuts import url_maker

PAGE_SIZES = (10, 25, 50, 100)
COUNT_CAP = 10_000
SORTS = {
    # Served by the unique index (region, number).
    "number": SortKey(("region_id", "number")),
    "name": SortKey(("name", "pk")),
    "-members": SortKey(("-members_count", "pk")),
}
NUMBER_QUERY = re.compile(r"^\s*№?\s*(\d{1,9})\s*$")


@dataclass
class BranchFilters:
    q: str = ""
    region: Region | None = None
    local_branch: LocalBranch | None = None
    secretary: str = ""  # "yes", "no" or "" for both
    status: str = "open"  # "open", "closed" or "all"
    sort: str = "number"


def current_secretaries():
    return Position.objects.secretaries().current()


# The 89 regions as filter choices, read once per process and again after REGION_CHOICES_SECONDS:
# rows that change once in years otherwise cost a query on every list page. A region renamed in
# the admin shows its new name in the filters of other processes within that time.
REGION_CHOICES_SECONDS = 300
_region_choices: tuple[float, list[tuple[int, str]]] | None = None


def region_choices(region_ids: frozenset[int] | None = None) -> list[tuple[int, str]]:
    """(pk, name) of every region, or of those in `region_ids`, in the regions' order."""
    global _region_choices
    now = time.monotonic()
    if _region_choices is None or now - _region_choices[0] > REGION_CHOICES_SECONDS:
        _region_choices = (now, [(region.pk, str(region)) for region in Region.objects.only("pk", "name")])
    choices = _region_choices[1]
    return choices if region_ids is None else [choice for choice in choices if choice[0] in region_ids]


def region_choices_forget() -> None:
    """Drop the cached choices (a region changed, or a test flushed the table)."""
    global _region_choices
    _region_choices = None


def branch_list_page(branches, filters: BranchFilters, *, size: int, after=None, before=None, last=False):
    """A page of branches with their current secretary's name: one query whatever the size.

    The page of rows (keyset), each with its secretary from a correlated subquery on the
    index position_secretary_by_branch, and the total for the filters as an uncorrelated
    scalar subquery that PostgreSQL runs once (an InitPlan): one round trip, not two. A
    page past the end (an old cursor) has no row to carry the total: it is counted apart.
    """
    branches = filter_branches(branches, filters)
    # Counting stops past COUNT_CAP: an exact count of the whole country costs a scan of
    # 87,000 rows on every page, and "more than 10,000" tells staff as much.
    capped, capped_params = branches.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
    total_sql = RawSQL(f"SELECT COUNT(*) FROM ({capped}) AS capped", capped_params, output_field=IntegerField())
    secretary = current_secretaries().filter(primary_branch=OuterRef("pk")).order_by("-starts_on")
    rows = (
        branches.select_related("local_branch", "region")
        .only(*LIST_FIELDS)
        .annotate(
            list_total=total_sql,
            secretary_name=Subquery(
                secretary.annotate(
                    full_name=Concat(
                        "person__last_name",
                        Value(" "),
                        "person__first_name",
                        Value(" "),
                        "person__patronymic",
                        output_field=CharField(),
                    )
                ).values("full_name")[:1]
            ),
        )
    )
    page = keyset_page(rows, SORTS.get(filters.sort, SORTS["number"]), size=size, after=after, before=before, last=last)
    total = page.rows[0].list_total if page.rows else branches[: COUNT_CAP + 1].count()
    branch_url = url_maker("branches:branch")
    for row in page.rows:
        row.url = branch_url(row.pk)
    return page, total


LIST_FIELDS = [
    "region__code",
    "local_branch__name",
    "number",
    "name",
    "settlement",
    "members_count",
    "closed_on",
]


def filter_branches(branches, filters: BranchFilters):
    if filters.region is not None:
        branches = branches.filter(region=filters.region)
    if filters.local_branch is not None:
        branches = branches.filter(local_branch=filters.local_branch)
    if filters.status == "open":
        branches = branches.filter(closed_on__isnull=True)
    elif filters.status == "closed":
        branches = branches.filter(closed_on__isnull=False)
    has_secretary = Exists(current_secretaries().filter(primary_branch=OuterRef("pk")))
    if filters.secretary == "yes":
        branches = branches.filter(has_secretary)
    elif filters.secretary == "no":
        branches = branches.filter(~has_secretary)
    if filters.q.strip():
        number = NUMBER_QUERY.match(filters.q)
        if number:
            branches = branches.filter(number=int(number.group(1)))
        else:
            # ё and е alike, served by trigram indexes on the folded name and settlement.
            branches = filter_folded(branches, ["name", "settlement"], filters.q.strip())
    return branches


# Dashboards -------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    label: str
    value: int
    alert: bool = False


def totals_cards(totals: dict) -> list[Card]:
    """The figures at the top of a dashboard, in the order staff read them."""
    return [
        Card(_("Local branches"), totals["local_branches"]),
        Card(_("Primary branches"), totals["primary_branches"]),
        Card(_("Without a secretary"), totals["without_secretary"], alert=True),
        Card(_("Secretaries appointed in %(year)s") % {"year": totals["year"]}, totals["appointed_this_year"]),
        Card(_("Members"), totals["members"]),
        Card(_("Activists"), totals["activists"]),
    ]


def with_current_secretary(branches):
    """Left-join each branch to its current secretary (at most one, by the exclusion constraint).

    Counting vacancies over a join lets PostgreSQL hash the 87,000 branches against the
    secretaries once, where a NOT EXISTS inside an aggregate's FILTER runs per row.
    """
    today = timezone.localdate()
    current = Q(positions__role=Role.PRIMARY_SECRETARY, positions__starts_on__lte=today) & (
        Q(positions__ends_on__isnull=True) | Q(positions__ends_on__gt=today)
    )
    return branches.annotate(current_secretary=FilteredRelation("positions", condition=current))


VACANT = Q(current_secretary__id__isnull=True)


def _totals(branches):
    today = timezone.localdate()
    return with_current_secretary(branches.filter(closed_on__isnull=True)).aggregate(**_TOTALS) | {"year": today.year}


_TOTALS = {
    "primary_branches": Count("pk"),
    "without_secretary": Count("pk", filter=VACANT),
    "members": Sum("members_count", default=0),
    "activists": Sum("activists_count", default=0),
}


@dataclass(frozen=True)
class LocalRow:
    """A local branch on its region's page: its open primary branches and those without a secretary."""

    pk: int
    name: str
    open_branches: int
    without_secretary: int


def region_dashboard_queries(region: Region) -> dict:
    """The region page's own figures as `.values()` querysets, to send in one statement (core.db.fetch_together)."""
    today = timezone.localdate()
    branches = PrimaryBranch.objects.filter(region=region)
    return {
        "totals": one_row(with_current_secretary(branches.filter(closed_on__isnull=True)), **_TOTALS),
        "local_branches": one_row(LocalBranch.objects.filter(region=region, closed_on__isnull=True), n=Count("pk")),
        "appointed": one_row(
            Position.objects.secretaries().filter(region=region, starts_on__year=today.year), n=Count("pk")
        ),
        "per_local": LocalBranch.objects.filter(region=region, closed_on__isnull=True)
        .annotate(open_branches=Count("primary_branches", filter=Q(primary_branches__closed_on__isnull=True)))
        .values("pk", "name", "open_branches")
        .order_by("name"),
        "without": with_current_secretary(branches.filter(closed_on__isnull=True))
        .values("local_branch")
        .annotate(n=Count("pk", filter=VACANT))
        .values("local_branch", "n")
        .order_by(),
    }


def region_dashboard_from(rows: dict) -> dict:
    """The region's figures from the rows of `region_dashboard_queries`."""
    totals = rows["totals"][0] | {"year": timezone.localdate().year}
    totals["local_branches"] = rows["local_branches"][0]["n"]
    totals["appointed_this_year"] = rows["appointed"][0]["n"]
    without = {row["local_branch"]: row["n"] for row in rows["without"]}
    per_local = [
        LocalRow(row["pk"], row["name"], row["open_branches"], without.get(row["pk"], 0)) for row in rows["per_local"]
    ]
    return {"totals": totals, "per_local": per_local}


def region_dashboard(region: Region) -> dict:
    """Figures of one region and, per local branch, its branches with and without a secretary (one query)."""
    return region_dashboard_from(fetch_together(region_dashboard_queries(region)))


@dataclass
class RegionFigures:
    SUMMED = (
        "local_branches",
        "primary_branches",
        "without_secretary",
        "appointed_this_year",
        "members",
        "activists",
    )

    region: Region
    local_branches: int
    primary_branches: int
    without_secretary: int
    appointed_this_year: int
    members: int
    activists: int


def national_dashboard() -> dict:
    """The same figures for every region, in four grouped queries."""
    today = timezone.localdate()
    by_region = {
        row["region"]: row
        for row in with_current_secretary(PrimaryBranch.objects.filter(closed_on__isnull=True))
        .values("region")
        .annotate(
            primary_branches=Count("pk"),
            without_secretary=Count("pk", filter=VACANT),
            members=Sum("members_count"),
            activists=Sum("activists_count"),
        )
    }
    locals_by_region = dict(
        LocalBranch.objects.filter(closed_on__isnull=True)
        .values("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    appointed = dict(
        Position.objects.secretaries()
        .filter(starts_on__year=today.year)
        .values("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    rows = []
    for region in Region.objects.order_by("code"):
        figures = by_region.get(region.pk, {})
        rows.append(
            RegionFigures(
                region=region,
                local_branches=locals_by_region.get(region.pk, 0),
                primary_branches=figures.get("primary_branches", 0),
                without_secretary=figures.get("without_secretary", 0),
                appointed_this_year=appointed.get(region.pk, 0),
                members=figures.get("members") or 0,
                activists=figures.get("activists") or 0,
            )
        )
    totals = {name: sum(getattr(row, name) for row in rows) for name in RegionFigures.SUMMED}
    totals["year"] = today.year
    return {"regions": rows, "totals": totals}


# The posts of a region ------------------------------------------------------------


@dataclass
class PostUnit:
    """The regional branch (local is None) or one open local branch, with its posts."""

    local: LocalBranch | None
    posts: list[Position]
    vacant: list[str]  # single-holder roles nobody holds today (a local branch without a secretary)


def region_posts(region: Region) -> list[PostUnit]:
    """Every post of the region held today or starting later, by unit: the regional branch, then each open local branch.

    Two queries whatever the region's size: the posts, and the open local branches.
    """
    today = timezone.localdate()
    order = {role: index for index, role in enumerate(POST_ROLES)}
    posts = sorted(
        Position.objects.current_or_future(today).filter(region=region, role__in=POST_ROLES).select_related("person"),
        key=lambda post: (order[post.role], post.starts_on, post.person.last_name, post.pk),
    )
    by_local: dict[int | None, list[Position]] = {}
    for post in posts:
        by_local.setdefault(post.local_branch_id, []).append(post)
    units = [PostUnit(None, by_local.get(None, []), [])]
    for local in region.local_branches.filter(closed_on__isnull=True).order_by("name"):
        units.append(PostUnit(local, by_local.get(local.pk, []), []))
    for unit in units:
        held = {post.role for post in unit.posts if post.starts_on <= today}
        level = "region" if unit.local is None else "local_branch"
        unit.vacant = [
            role for role, (column, _message) in SINGLE_HOLDER_ROLES.items() if column == level and role not in held
        ]
    return units


# One branch -------------------------------------------------------------------


def branch_positions(branch: PrimaryBranch) -> list[Position]:
    """Every secretary the branch has had, newest first."""
    return list(
        Position.objects.filter(primary_branch=branch, role=Role.PRIMARY_SECRETARY)
        .select_related("person")
        .order_by("-starts_on")
    )


def branch_history(branch: PrimaryBranch, *, limit: int = 50) -> list:
    """Changes to the branch and its positions, newest first, with who made them."""
    from django.contrib.auth import get_user_model

    events = list(
        Events.objects.references(branch)
        .filter(pgh_model__in=["branches.PrimaryBranchEvent", "branches.PositionEvent"])
        .order_by("-pgh_created_at")[:limit]
    )
    user_ids = {event.pgh_context.get("user") for event in events if event.pgh_context}
    users = get_user_model().objects.in_bulk([uid for uid in user_ids if uid])
    hidden = {"id", "region", "local_branch", "primary_branch", "person"}
    for event in events:
        user_id = (event.pgh_context or {}).get("user")
        event.actor = users.get(user_id)
        model = Position if event.pgh_model == "branches.PositionEvent" else PrimaryBranch
        # (field label, [before, after]) in the viewer's language; ids of relations are not shown.
        event.changes = [
            (model._meta.get_field(name).verbose_name, change)  # type: ignore[union-attr]
            for name, change in (event.pgh_diff or {}).items()
            if name.removesuffix("_id") not in hidden and not name.startswith("pgh_")
        ]
    return events


# Export -----------------------------------------------------------------------


IMPORT_PREVIEW_PAGE = 50


def import_changes_page(job: ImportJob, *, kind: str = "", after=None, before=None, last=False):
    """One page of an import's preview in row order, optionally one kind of change (one query)."""
    changes = ImportChange.objects.filter(job=job)
    if kind:
        changes = changes.filter(kind=kind)
    return keyset_page(changes, SortKey(("row", "pk")), size=IMPORT_PREVIEW_PAGE, after=after, before=before, last=last)


PERSON_SEARCH_LIMIT = 10


def people_found_by_contact(text: str, *, among=None):
    """People whose phone or e-mail is exactly `text` (normalised): the one way to reach another region's people.

    `among` narrows who may be found at all (for a jury: people with a login); default anyone.
    """
    from branches.services import normalize_phone

    people = Person.objects.all() if among is None else among
    text = (text or "").strip()
    if "@" in text:
        return people.filter(email=text.lower())
    if sum(ch.isdigit() for ch in text) >= 10:
        try:
            return people.filter(phone=normalize_phone(text))
        except ValidationError:
            pass
    return Person.objects.none()


def person_search(people, query: str, *, among=None) -> tuple[list[Person], str]:
    """Up to ten people of `people` by last name, or anyone (of `among`) by exact phone or e-mail; with their posts.

    Returns (people, the contact they were found by, if that is how). Two queries: the
    people, then their current positions.
    """
    query = query.strip()
    if len(query) < 2:
        return [], ""
    found = people_found_by_contact(query, among=among)
    contact = query if ("@" in query or sum(ch.isdigit() for ch in query) >= 10) else ""
    if contact:
        matches = list(found.order_by("last_name", "first_name", "pk")[:PERSON_SEARCH_LIMIT])
    else:
        matches = list(
            filter_folded(people, ["last_name"], query).order_by("last_name", "first_name", "pk")[:PERSON_SEARCH_LIMIT]
        )
    posts: dict[int, list[Position]] = {}
    for position in (
        Position.objects.current_or_future()
        .filter(person__in=[p.pk for p in matches])
        .select_related("region", "local_branch", "primary_branch")
        .order_by("-starts_on")
    ):
        posts.setdefault(position.person_id, []).append(position)
    for person in matches:
        person.posts = posts.get(person.pk, [])
        person.found_by_contact = bool(contact)
    return matches, contact


DATA_LOG_PAGE = 50


def data_log_page(viewer, filters: dict, *, after=None, before=None, last=False):
    """One page of the personal-data access log, newest first (one query).

    An administrator reads every access; regional staff those in their regions. Filters:
    `person` and `viewer` (part of a last name; the viewer also by login), `since` and
    `until` (dates, inclusive, in the server's time zone).
    """
    accesses = PersonalDataAccess.objects.select_related("viewer", "person", "region")
    if not viewer.is_admin:
        accesses = accesses.filter(region_id__in=viewer.staff_region_ids)
    if filters.get("person"):
        accesses = filter_folded(accesses, ["person__last_name"], filters["person"])
    if filters.get("viewer"):
        text = filters["viewer"]
        accesses = accesses.filter(Q(viewer__last_name__icontains=text) | Q(viewer__username__icontains=text))
    if filters.get("since"):
        accesses = accesses.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        accesses = accesses.filter(at__date__lte=filters["until"])
    return keyset_page(accesses, SortKey(("-at", "-pk")), size=DATA_LOG_PAGE, after=after, before=before, last=last)


def export_rows(region):
    """Yield spreadsheet rows (in spreadsheets.COLUMNS order) for a region, or the whole country."""
    branches = PrimaryBranch.objects.select_related("region", "local_branch").order_by("region__code", "number")
    secretaries = Position.objects.secretaries().current().select_related("person")
    if region is not None:
        branches = branches.filter(region=region)
        secretaries = secretaries.filter(region=region)
    by_branch = {position.primary_branch_id: position.person for position in secretaries}
    for branch in branches.iterator(chunk_size=5000):
        person = by_branch.get(branch.pk)
        yield [
            branch.region.code,
            branch.local_branch.name,
            branch.number,
            branch.name,
            branch.settlement,
            branch.address,
            branch.members_count,
            branch.activists_count,
            branch.opened_on or "",  # a date cell in XLSX, 2025-03-01 in CSV
            branch.closed_on or "",
            person.last_name if person else "",
            person.first_name if person else "",
            person.patronymic if person else "",
            person.phone if person else "",
            person.email if person else "",
        ]


def desk_items(viewer) -> list[DeskItem]:
    """For regional staff: open branches without a secretary and imports waiting for a decision,
    per region they staff (one query)."""
    if not viewer.staff_region_ids:
        return []
    # One query: each staffed region with its vacant branches counted and its imports waiting.
    vacant = (
        with_current_secretary(PrimaryBranch.objects.filter(region_id=OuterRef("pk"), closed_on__isnull=True))
        .filter(VACANT)
        .order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = ImportJob.objects.filter(region_id=OuterRef("pk"), status=ImportJob.Status.VALIDATED).order_by("-pk")
    regions = (
        Region.objects.filter(pk__in=viewer.staff_region_ids)
        .annotate(
            vacant=Subquery(vacant),
            import_ids=ArraySubquery(waiting.values("pk")),
            import_names=ArraySubquery(waiting.values("file_name")),
        )
        .order_by("pk")
        .values_list("pk", "vacant", "import_ids", "import_names")
    )
    items = []
    imports: list[tuple[int, str]] = []
    for region_id, vacant_count, import_ids, import_names in regions:
        if vacant_count:
            url = f"{reverse('branches:list')}?region={region_id}&secretary=no"
            items.append(DeskItem("branches", _("Branches without a secretary"), url, count=vacant_count))
        imports += zip(import_ids, import_names, strict=True)
    items += [
        DeskItem(
            "branches",
            _("An import is ready to apply"),
            reverse("branches:import_detail", args=[pk]),
            detail=file_name,
        )
        for pk, file_name in sorted(imports, reverse=True)
    ]
    return items


# Figures for the activity record (desk/record.py) ------------------------------


def secretary_figures(people, today: date):
    """Per person (`person_pk`): days and terms as secretary of a primary branch by today.

    A grouped queryset, not a result: the activity record (desk/record.py) joins it with the
    other apps' figures into one statement over `people` (anything `__in` takes: a subquery
    of person ids), so a pool of two thousand costs one query, not one per app.
    """
    served = DaysBetween(Least(Coalesce("ends_on", Value(today)), Value(today)), "starts_on")
    return (
        Position.objects.filter(person_id__in=people, role=Role.PRIMARY_SECRETARY, starts_on__lte=today)
        .values(person_pk=F("person_id"))
        .annotate(secretary_days=Sum(served), secretary_terms=Count("pk"))
        .order_by()
    )


def current_posts_by_person(person_ids: list[int], today: date) -> dict[int, list[str]]:
    """Per person: the posts held today, as «role, unit» (one query; people with none are absent)."""
    roles = dict(Role.choices)
    rows = (
        Position.objects.current(today)
        .filter(person_id__in=any_of(person_ids))
        .values_list(
            "person_id", "role", "primary_branch__number", "primary_branch__name", "local_branch__name", "region__name"
        )
        .order_by("person_id", "starts_on", "pk")
    )
    result: dict[int, list[str]] = {}
    for person_id, role, number, branch_name, local_name, region_name in rows:
        unit = f"№{number} «{branch_name}»" if branch_name else (local_name or region_name or "")
        label = str(roles[role])
        result.setdefault(person_id, []).append(f"{label}, {unit}" if unit != "" else label)
    return result


def term_ending(region_ids: list[int] | None, roles: list[str], today: date, until: date):
    """Current holders of these roles whose terms end in [today, until]: a queryset of their positions."""
    positions = Position.objects.current(today).filter(role__in=roles, ends_on__isnull=False, ends_on__lte=until)
    if region_ids is not None:
        positions = positions.filter(region_id__in=region_ids)
    return positions


def term_ends(region_ids: list[int] | None, roles: list[str], today: date, until: date) -> list[dict]:
    """Current holders of these roles whose terms end in [today, until], by region: one query."""
    positions = term_ending(region_ids, roles, today, until)
    return [
        {
            "role": position.role,
            "region_id": position.region_id,
            "unit": str(position.unit),
            "holder": position.person.full_name,
            "ends_on": position.ends_on,
        }
        for position in positions.select_related("person", "region", "local_branch", "primary_branch").order_by(
            "ends_on", "pk"
        )
    ]
