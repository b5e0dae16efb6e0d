"""Reads of councils: the composition, vacancies and expiring terms (derived, never stored).

Every function takes `today` from its caller: pages pass the date in the viewer's
time zone, background work the date in the council's region.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import LocalBranch, Region
from core import charts
from core.db import DaysBetween, any_of
from core.desk import DeskItem, Urgency
from councils.models import Council, CouncilMeeting, CouncilSeat, SeatRole, TermPolicy

# A term is "expiring" when it ends within this many days and no next term is approved;
# the reminders go out at each of these marks.
EXPIRY_MARKS = (60, 30, 7)
# How far back and ahead the timeline of terms reaches.
TIMELINE_YEARS_BACK = 3
TIMELINE_YEARS_AHEAD = 5


def expiry_mark(days_left: int | None) -> int | None:
    """The smallest mark (7, 30, 60) the remaining days fall within, or None."""
    if days_left is None:
        return None
    marks = [mark for mark in EXPIRY_MARKS if days_left <= mark]
    return min(marks) if marks else None


@dataclass
class SeatRow:
    """One place of the council on a day: who holds it, until when, what comes next."""

    role: str
    label: str
    local_branch: LocalBranch | None = None
    current: CouncilSeat | None = None
    following: CouncilSeat | None = None  # the next approved term, if any
    last: CouncilSeat | None = None  # the latest term that has ended, for a vacancy
    vacant_since: date | None = None
    days_left: int | None = None
    terms: list = field(default_factory=list)

    @property
    def is_vacant(self) -> bool:
        return self.current is None

    @property
    def mark(self) -> int | None:
        """7, 30 or 60 when the term runs out that soon and no next term is approved."""
        if self.current is None or self.following is not None:
            return None
        return expiry_mark(self.days_left)

    @property
    def history_seat(self) -> CouncilSeat | None:
        """A term of this place to open its history from."""
        return self.current or self.following or self.last


def _place_key(seat: CouncilSeat):
    return (seat.role, seat.local_branch_id if seat.role == SeatRole.REPRESENTATIVE else None)


def _fill(row: SeatRow, terms: list[CouncilSeat], today: date, council: Council) -> SeatRow:
    """Set the current, next and last terms of a place from its terms (oldest first)."""
    row.terms = terms
    for seat in terms:
        if seat.starts_on <= today < seat.ends_on:
            row.current = seat
        elif seat.starts_on > today and row.following is None:
            row.following = seat
        elif seat.ends_on <= today:
            row.last = seat
    if row.current is not None:
        row.days_left = (row.current.ends_on - today).days
        if row.following is not None and row.following.starts_on != row.current.ends_on:
            row.following = None  # a gap before the next term: this one still runs out
    else:
        row.vacant_since = row.last.ends_on if row.last else council.created_on
    return row


@dataclass
class Composition:
    council: Council
    today: date
    chair: SeatRow
    deputy_chair: SeatRow
    representatives: list[SeatRow]
    seats: list[CouncilSeat]

    @property
    def vacancies(self) -> list[SeatRow]:
        return [row for row in self.representatives if row.is_vacant]

    @property
    def filled(self) -> int:
        return sum(1 for row in self.representatives if not row.is_vacant)

    @property
    def rows(self) -> list[SeatRow]:
        return [self.chair, self.deputy_chair, *self.representatives]

    @property
    def expiring(self) -> list[SeatRow]:
        return sorted((row for row in self.rows if row.mark), key=lambda row: row.days_left or 0)

    @property
    def seats_filled(self) -> int:
        return sum(1 for row in self.rows if not row.is_vacant)


def council_composition(council: Council, today: date) -> Composition:
    """The council on `today`: chair, deputy chair and one row per open local branch.

    Two queries: the region's open local branches, and every term of the council
    (with people, local branches and approving decisions).
    """
    locals_ = list(_open_locals(today).filter(region_id=council.region_id or 0).order_by("name"))
    seats = list(
        CouncilSeat.objects.filter(council=council)
        .select_related("person", "local_branch", "decision__meeting")
        .order_by("starts_on", "pk")
    )
    return _composition(council, today, locals_, seats)


def _open_locals(today: date):
    return LocalBranch.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))


def _composition(council: Council, today: date, locals_: list[LocalBranch], seats: list[CouncilSeat]) -> Composition:
    """Place each term (oldest first) in its row: chair, deputy chair, one row per open local branch."""
    by_place: dict = {}
    for seat in seats:
        by_place.setdefault(_place_key(seat), []).append(seat)
    chair = _fill(SeatRow(SeatRole.CHAIR, _("Chair")), by_place.get((SeatRole.CHAIR, None), []), today, council)
    deputy = _fill(
        SeatRow(SeatRole.DEPUTY_CHAIR, _("Deputy chair")),
        by_place.get((SeatRole.DEPUTY_CHAIR, None), []),
        today,
        council,
    )
    representatives = [
        _fill(
            SeatRow(SeatRole.REPRESENTATIVE, local.name, local_branch=local),
            by_place.get((SeatRole.REPRESENTATIVE, local.pk), []),
            today,
            council,
        )
        for local in locals_
    ]
    return Composition(council, today, chair, deputy, representatives, seats)


def place_history(seat: CouncilSeat) -> list[CouncilSeat]:
    """Every term of the place `seat` is in (the chair, or one local branch's representative)."""
    seats = CouncilSeat.objects.filter(council_id=seat.council_id, role=seat.role)
    if seat.role == SeatRole.REPRESENTATIVE:
        seats = seats.filter(local_branch_id=seat.local_branch_id)
    return list(seats.select_related("person", "decision__meeting").order_by("-starts_on"))


def timeline_chart(composition: Composition) -> dict:
    """Floating bars of terms, one line per place, from a few years back to a few ahead.

    Dates go to the browser as days since 1970-01-01, which static/js/council-timeline.js
    turns back into dates for the axis and the tooltips.
    """
    today = composition.today
    start = today.replace(year=today.year - TIMELINE_YEARS_BACK, month=1, day=1)
    end = date(today.year + TIMELINE_YEARS_AHEAD + 1, 1, 1)
    kinds = {
        "past": (_("ended"), charts.GREY),
        "current": (_("current"), charts.BLUE),
        "expiring": (_("expiring within 60 days"), charts.ORANGE),
        "next": (_("approved, not yet started"), charts.GREEN),
    }
    bars: dict[str, list] = {kind: [] for kind in kinds}
    labels = [row.label for row in composition.rows]
    for row in composition.rows:
        for seat in row.terms:
            if seat.ends_on < start or seat.starts_on > end:
                continue
            if seat.ends_on <= today:
                kind = "past"
            elif seat.starts_on > today:
                kind = "next"
            else:
                kind = "expiring" if row.mark else "current"
            bars[kind].append(
                {
                    "x": [charts.day_number(max(seat.starts_on, start)), charts.day_number(min(seat.ends_on, end))],
                    "y": row.label,
                    "person": seat.person.full_name,
                }
            )
    return charts.chart(
        labels,
        *[charts.Series(label, bars[kind], color) for kind, (label, color) in kinds.items()],
        today=charts.day_number(today),
        min=charts.day_number(start),
        max=charts.day_number(end),
        years=[charts.day_number(date(year, 1, 1)) for year in range(start.year, end.year + 1)],
    )


def policy_on(council: Council, day: date) -> TermPolicy:
    """The policy for terms starting on `day`: the latest one applying by then, or the defaults."""
    policy = council.policies.filter(applies_from__lte=day).order_by("-applies_from").first()
    return policy or TermPolicy(council=council, applies_from=council.created_on)


def recent_meetings(council: Council, *, limit: int = 5) -> list[CouncilMeeting]:
    return list(
        council.meetings.annotate(
            present=Count("attendance", distinct=True), decided=Count("decisions", distinct=True)
        ).order_by("-held_on", "-pk")[:limit]
    )


# The federal overview ---------------------------------------------------------


@dataclass
class CouncilFigures:
    region: Region
    council: Council | None
    local_branches: int = 0
    filled: int = 0
    chair: CouncilSeat | None = None
    expiring_60: int = 0
    expiring_30: int = 0
    expiring_7: int = 0

    @property
    def vacant(self) -> int:
        return max(self.local_branches - self.filled, 0)

    @property
    def chair_ends_on(self) -> date | None:
        return self.chair.ends_on if self.chair else None


OVERVIEW_SORTS = {
    "code": lambda row: row.region.code,
    "region": lambda row: row.region.name,
    "filled": lambda row: row.filled,
    "vacant": lambda row: row.vacant,
    # Vacant chairs first, then the soonest end.
    "chair": lambda row: row.chair_ends_on or date.min,
    "expiring": lambda row: (row.expiring_60, row.expiring_7),
}


def _without_next_term():
    """Current terms that no approved term follows on the day they end."""
    following = CouncilSeat.objects.filter(
        council=OuterRef("council"), role=OuterRef("role"), starts_on=OuterRef("ends_on")
    ).filter(Q(local_branch=OuterRef("local_branch")) | ~Q(role=SeatRole.REPRESENTATIVE))
    return ~Exists(following)


def federal_overview(today: date, *, sort: str = "code") -> list[CouncilFigures]:
    """Every region's council with filled and vacant seats, chair and expiring terms: four queries.

    1. regions with their councils, 2. open local branches by region, 3. current
    representatives and expiring terms by council, 4. the current chairs.
    """
    regions = list(Region.objects.select_related("council").order_by("code"))
    local_counts = dict(
        LocalBranch.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .values("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    current = CouncilSeat.objects.current(today)
    open_local = Q(local_branch__closed_on__isnull=True) | Q(local_branch__closed_on__gt=today)
    figures = _figures_by_council(current, today, open_local)
    chairs = {seat.council_id: seat for seat in current.filter(role=SeatRole.CHAIR).select_related("person")}
    rows = []
    for region in regions:
        council = getattr(region, "council", None)
        counts = figures.get(council.pk, {}) if council else {}
        rows.append(
            CouncilFigures(
                region=region,
                council=council,
                local_branches=local_counts.get(region.pk, 0),
                filled=counts.get("filled", 0),
                chair=chairs.get(council.pk) if council else None,
                expiring_60=counts.get("expiring_60", 0),
                expiring_30=counts.get("expiring_30", 0),
                expiring_7=counts.get("expiring_7", 0),
            )
        )
    descending = sort.startswith("-")
    key = OVERVIEW_SORTS.get(sort.lstrip("-"), OVERVIEW_SORTS["code"])
    rows.sort(key=lambda row: row.region.code)
    rows.sort(key=key, reverse=descending)
    return rows


def _figures_by_council(current, today: date, open_local: Q) -> dict:
    """Filled representative seats and expiring terms per council, in one grouped query."""
    rows = (
        current.annotate(next_missing=_without_next_term())
        .values("council")
        .annotate(
            filled=Count("pk", filter=Q(role=SeatRole.REPRESENTATIVE) & open_local),
            expiring_60=Count("pk", filter=Q(ends_on__lte=today + timedelta(days=60), next_missing=True)),
            expiring_30=Count("pk", filter=Q(ends_on__lte=today + timedelta(days=30), next_missing=True)),
            expiring_7=Count("pk", filter=Q(ends_on__lte=today + timedelta(days=7), next_missing=True)),
        )
    )
    return {row["council"]: row for row in rows}


# Reminders --------------------------------------------------------------------

# A vacancy is reminded of after this many days.
VACANCY_REMINDER_DAYS = 30
# Reminders are due at this hour of the region's own clock.
REMINDER_HOUR = 9


@dataclass(frozen=True)
class Reminder:
    """One message the council should have planned: whom, what, when (a day in the region)."""

    person_id: int
    kind: str
    key: str
    due_on: date
    context: dict
    url: str = ""


def _term_marks(row: SeatRow, today: date) -> list[int]:
    """The marks (60, 30, 7 days) still to remind of for a term that runs out.

    Marks still ahead, and the mark the term is in now even when its day has passed
    (a term approved with 20 days left gets its 7-day reminder, and its 30-day one now).
    """
    if row.current is None or row.following is not None:
        return []
    ends_on = row.current.ends_on
    ahead = [mark for mark in EXPIRY_MARKS if ends_on - timedelta(days=mark) >= today]
    now = expiry_mark(row.days_left)
    return sorted({*ahead, *([now] if now else [])}, reverse=True)


def council_reminders(composition: Composition, staff_ids: list[int]) -> list[Reminder]:
    """Every reminder the council's seats call for on `composition.today`.

    A term that runs out: to the region's staff and to the member, at 60, 30 and 7
    days before its end. A seat vacant for 30 days: to the region's staff. The keys
    name the council, the term (or the vacancy and the day it began), the mark and
    the person, so planning them again changes nothing.
    """
    council = composition.council
    region = council.region
    assert region is not None, "the federal council has no reminders of terms"
    today = composition.today
    reminders = []
    for row in composition.rows:
        place = row.local_branch.pk if row.local_branch else row.role
        place_context = {
            "region": region.name,
            "role": row.role,
            "local_branch": row.local_branch.name if row.local_branch else "",
        }
        for mark in _term_marks(row, today):
            seat = row.current
            assert seat is not None, "only a current term has marks"
            due_on = seat.ends_on - timedelta(days=mark)
            context = {
                **place_context,
                "person": seat.person.full_name,
                "ends_on": seat.ends_on.isoformat(),
                "days": mark,
            }
            for person_id in dict.fromkeys([*staff_ids, seat.person_id]):
                is_member = person_id == seat.person_id
                reminders.append(
                    Reminder(
                        person_id=person_id,
                        kind="council.term_ending",
                        key=f"council.{council.pk}.term.{seat.pk}.{mark}.{person_id}",
                        due_on=due_on,
                        context={**context, "for_member": is_member},
                        url="" if is_member else seat.get_absolute_url(),
                    )
                )
        if row.is_vacant and row.vacant_since is not None:
            due_on = row.vacant_since + timedelta(days=VACANCY_REMINDER_DAYS)
            context = {**place_context, "vacant_since": row.vacant_since.isoformat(), "days": VACANCY_REMINDER_DAYS}
            for person_id in staff_ids:
                reminders.append(
                    Reminder(
                        person_id=person_id,
                        kind="council.seat_vacant",
                        key=f"council.{council.pk}.vacant.{place}.{row.vacant_since:%Y%m%d}.{person_id}",
                        due_on=due_on,
                        context=context,
                        url=council.get_absolute_url(),
                    )
                )
    return reminders


def desk_items(viewer) -> list[DeskItem]:
    """For regional staff: each council's vacant seats and terms ending within 60 days with
    no next term approved (one query for every council they run)."""
    items: list[DeskItem] = []
    if not viewer.staff_region_ids:
        return items
    # One query: each council with its region, the region's open local branches and the terms
    # that have not ended (a day's margin either side of the regions' own today), as arrays.
    margin = timezone.localdate() - timedelta(days=2)
    locals_ = _open_locals(margin).filter(region_id=OuterRef("region_id")).order_by("name", "pk")
    seats = CouncilSeat.objects.filter(council_id=OuterRef("pk"), ends_on__gt=margin).order_by("starts_on", "pk")
    councils = (
        Council.objects.filter(region_id__in=viewer.staff_region_ids)
        .select_related("region")
        .annotate(
            local_ids=ArraySubquery(locals_.values("pk")),
            local_names=ArraySubquery(locals_.values("name")),
            local_closed=ArraySubquery(locals_.values("closed_on")),
            seat_roles=ArraySubquery(seats.values("role")),
            seat_locals=ArraySubquery(seats.values("local_branch_id")),
            seat_starts=ArraySubquery(seats.values("starts_on")),
            seat_ends=ArraySubquery(seats.values("ends_on")),
        )
        .order_by("region_id", "pk")
    )
    for council in councils:
        assert council.region is not None  # a regional council: staff run only those
        today = council.region.today()
        composition = _composition(
            council,
            today,
            [
                LocalBranch(pk=pk, name=name, closed_on=closed)
                for pk, name, closed in zip(council.local_ids, council.local_names, council.local_closed, strict=True)
                if closed is None or closed > today
            ],
            [
                CouncilSeat(council=council, role=role, local_branch_id=local, starts_on=starts, ends_on=ends)
                for role, local, starts, ends in zip(
                    council.seat_roles, council.seat_locals, council.seat_starts, council.seat_ends, strict=True
                )
                if ends > today
            ],
        )
        vacant = [row for row in composition.rows if row.is_vacant]
        ending = [row for row in composition.rows if row.mark is not None]
        url = council.get_absolute_url()
        if vacant:
            items.append(DeskItem("councils", _("Vacant council seats"), url, count=len(vacant)))
        if ending:
            soonest = min(row.days_left for row in ending if row.days_left is not None)
            detail = ngettext("the first ends in %(days)d day", "the first ends in %(days)d days", soonest) % {
                "days": soonest
            }
            items.append(
                DeskItem(
                    "councils",
                    _("Council terms ending within 60 days"),
                    url,
                    count=len(ending),
                    detail=detail,
                    urgency=Urgency.TO_DO if soonest <= 30 else Urgency.COMING,
                )
            )
    return items


# The federal council ----------------------------------------------------------


@dataclass
class FederalRow:
    """A region's place on the federal council: its regional chair on the day, or a vacancy."""

    region: Region
    chair: CouncilSeat | None


@dataclass
class FederalComposition:
    council: Council
    today: date
    regions: list[FederalRow]
    members: list[CouncilSeat]

    @property
    def vacancies(self) -> int:
        return sum(1 for row in self.regions if row.chair is None)

    @property
    def seats_filled(self) -> int:
        return len(self.regions) - self.vacancies + len(self.members)


def federal_composition(council: Council, today: date) -> FederalComposition:
    """The federal council on `today`: one row per region (its chair's term, derived) and the appointed members.

    Three queries: the regions, the regional chairs on the day, the appointed members on the day.
    """
    regions = list(Region.objects.order_by("code"))
    chairs = {
        seat.region_id: seat
        for seat in CouncilSeat.objects.current(today)
        .filter(role=SeatRole.CHAIR, council__level="regional")
        .select_related("person")
    }
    members = list(
        CouncilSeat.objects.current(today)
        .filter(council=council, role=SeatRole.MEMBER)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    return FederalComposition(
        council=council,
        today=today,
        regions=[FederalRow(region, chairs.get(region.pk)) for region in regions],
        members=members,
    )


# Figures for the activity record (desk/record.py) ------------------------------


def council_figures(people, today: date):
    """Per person (`person_pk`): council terms started by today and the days served.

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures).
    """
    return (
        CouncilSeat.objects.filter(person_id__in=people, starts_on__lte=today)
        .values(person_pk=F("person_id"))
        .annotate(council_terms=Count("pk"), council_days=Sum(DaysBetween(Least("ends_on", Value(today)), "starts_on")))
        .order_by()
    )


def current_seats_by_person(person_ids: list[int], today: date) -> dict[int, list[str]]:
    """Per person: the council seats held today (one query; people with none are absent)."""
    roles = dict(SeatRole.choices)
    seats = (
        CouncilSeat.objects.filter(person_id__in=any_of(person_ids), starts_on__lte=today, ends_on__gt=today)
        .values_list("person_id", "role")
        .order_by("starts_on", "pk")
    )
    result: dict[int, list[str]] = {}
    for person_id, role in seats:
        result.setdefault(person_id, []).append(str(roles[role]))
    return result


def seat_term_ending(region_ids: list[int] | None, roles: list[str], today: date, until: date):
    """Regional council seats of these roles held today whose terms end by `until`: a queryset."""
    seats = CouncilSeat.objects.current(today).filter(role__in=roles, ends_on__lte=until, region__isnull=False)
    if region_ids is not None:
        seats = seats.filter(region_id__in=region_ids)
    return seats


def seat_term_ends(region_ids: list[int] | None, roles: list[str], today: date, until: date) -> list[dict]:
    """Regional council seats of these roles held today whose terms end by `until`: one query."""
    seats = seat_term_ending(region_ids, roles, today, until)
    return [
        {
            "role": seat.role,
            "region_id": seat.region_id,
            "unit": str(seat.local_branch or seat.region),
            "holder": seat.person.full_name,
            "ends_on": seat.ends_on,
        }
        for seat in seats.select_related("person", "region", "local_branch").order_by("ends_on", "pk")
    ]


def members_on(region_id: int, day: date) -> list[tuple[int, int | None]]:
    """(person, the local branch they speak for) for every seat of a region's council held on a day: one query.

    Read by desk/ for the heads' meetings that invite council members (events.invitations).
    """
    seats = CouncilSeat.objects.current(day).filter(council__region_id=region_id).order_by("role", "person_id")
    # A person holding two seats (a chair who also speaks for a branch) is named once.
    members = {person: (person, local) for person, local in seats.values_list("person_id", "local_branch_id")}
    return list(members.values())
