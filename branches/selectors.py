"""Reads that span relations: the branch list, dashboards, a branch's history."""

import re
import time
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, FilteredRelation, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Events

from branches.models import ImportJob, LocalBranch, Position, PrimaryBranch, Region, Role
from core.desk import DeskItem
from core.pagination import SortKey, keyset_page
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
    """A page of branches with their current secretary's name: two queries whatever the size.

    1. the total for the filters, 2. the page of rows (keyset), each with its secretary
    from a correlated subquery on the index position_secretary_by_branch.
    """
    branches = filter_branches(branches, filters)
    # Counting stops past COUNT_CAP: an exact count of the whole country costs a scan of
    # 87,000 rows on every page, and "more than 10,000" tells staff as much.
    total = branches[: COUNT_CAP + 1].count()
    secretary = current_secretaries().filter(primary_branch=OuterRef("pk")).order_by("-starts_on")
    rows = (
        branches.select_related("local_branch", "region")
        .only(*LIST_FIELDS)
        .annotate(
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
            )
        )
    )
    page = keyset_page(rows, SORTS.get(filters.sort, SORTS["number"]), size=size, after=after, before=before, last=last)
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
            # Both served by trigram indexes on UPPER(name) and UPPER(settlement).
            text = filters.q.strip()
            branches = branches.filter(Q(name__icontains=text) | Q(settlement__icontains=text))
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
    return with_current_secretary(branches.filter(closed_on__isnull=True)).aggregate(
        primary_branches=Count("pk"),
        without_secretary=Count("pk", filter=VACANT),
        members=Sum("members_count", default=0),
        activists=Sum("activists_count", default=0),
    ) | {"year": today.year}


def region_dashboard(region: Region) -> dict:
    """Figures of one region and, per local branch, its branches with and without a secretary."""
    today = timezone.localdate()
    branches = PrimaryBranch.objects.filter(region=region)
    totals = _totals(branches)
    totals["local_branches"] = LocalBranch.objects.filter(region=region, closed_on__isnull=True).count()
    totals["appointed_this_year"] = (
        Position.objects.secretaries().filter(region=region, starts_on__year=today.year).count()
    )
    per_local = list(
        LocalBranch.objects.filter(region=region, closed_on__isnull=True)
        .annotate(
            open_branches=Count("primary_branches", filter=Q(primary_branches__closed_on__isnull=True)),
        )
        .order_by("name")
    )
    without = dict(
        with_current_secretary(branches.filter(closed_on__isnull=True))
        .values("local_branch")
        .annotate(n=Count("pk", filter=VACANT))
        .values_list("local_branch", "n")
    )
    for local in per_local:
        local.without_secretary = without.get(local.pk, 0)  # type: ignore[attr-defined]
    return {"totals": totals, "per_local": per_local}


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
            branch.opened_on.isoformat() if branch.opened_on else "",
            branch.closed_on.isoformat() if branch.closed_on else "",
            person.last_name if person else "",
            person.first_name if person else "",
            person.patronymic if person else "",
            person.phone if person else "",
            person.email if person else "",
        ]


def desk_items(viewer) -> list[DeskItem]:
    """For regional staff: open branches without a secretary and imports waiting for a decision,
    per region they staff (two queries)."""
    if not viewer.staff_region_ids:
        return []
    items = []
    branches = with_current_secretary(
        PrimaryBranch.objects.filter(region_id__in=viewer.staff_region_ids, closed_on__isnull=True)
    )
    vacant = dict(branches.filter(VACANT).values("region_id").annotate(n=Count("pk")).values_list("region_id", "n"))
    for region_id in sorted(viewer.staff_region_ids):
        if vacant.get(region_id):
            url = f"{reverse('branches:list')}?region={region_id}&secretary=no"
            items.append(DeskItem("branches", _("Branches without a secretary"), url, count=vacant[region_id]))
    waiting = (
        ImportJob.objects.filter(region_id__in=viewer.staff_region_ids, status=ImportJob.Status.VALIDATED)
        .order_by("-pk")
        .only("pk", "file_name")
    )
    items += [
        DeskItem(
            "branches",
            _("An import is ready to apply"),
            reverse("branches:import_detail", args=[job.pk]),
            detail=job.file_name,
        )
        for job in waiting
    ]
    return items
