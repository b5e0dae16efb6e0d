"""Reads of receptions that span relations: hosts and their free times, a host's day, the regularity report."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment
from branches.models import Person, Position, PrimaryBranch, Region
from core.desk import DeskItem, Urgency
from receptions.access import hosts_visible_to
from receptions.models import (
    FOLLOW_UP_SOURCE,
    HORIZON_DAYS,
    NOTICE,
    Booking,
    FollowUpKind,
    FollowUpStatus,
    ReceptionPolicy,
    Schedule,
    Slot,
    follow_up_source_key,
)

# "Not received in the last quarter": no held reception in this many days.
QUARTER_DAYS = 91
NOT_RECEIVED_SHOWN = 100


def month_start(value: str | None, zone: zoneinfo.ZoneInfo) -> date:
    """The first day of the month in `?month=2026-05`, or of the current month in `zone`."""
    if value:
        try:
            year, month = (int(part) for part in value.split("-", 1))
            return date(year, month, 1)
        except ValueError:
            pass
    return timezone.now().astimezone(zone).date().replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _bounds(first: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(next_month(first), time.min, tzinfo=zone),
    )


# Secretaries ----------------------------------------------------------------------


def policy_for(region: Region) -> ReceptionPolicy:
    """The region's rules, or the defaults (unsaved) when the region has set none."""
    return ReceptionPolicy.objects.filter(region=region).first() or ReceptionPolicy(region=region)


def covered_branch(secretary: Person, position: Position) -> PrimaryBranch | None:
    """The branch of `secretary` that the host position's territory covers, if any."""
    secretaries = Position.objects.secretaries().current().filter(person=secretary, region_id=position.region_id)
    if position.local_branch_id is not None:
        secretaries = secretaries.filter(local_branch_id=position.local_branch_id)
    found = secretaries.select_related("primary_branch__region").order_by("pk").first()
    return found.primary_branch if found else None


def hosts_for_secretary(viewer) -> list[Position]:
    """The hosts who serve the secretary's branch, each with their next free bookable time."""
    bookable_from = timezone.now() + NOTICE
    next_free = (
        Slot.objects.free()
        .filter(schedule__position=OuterRef("pk"), starts_at__gte=bookable_from)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return list(
        hosts_visible_to(viewer)
        .exclude(person_id=viewer.person_id)
        .select_related("person", "region", "local_branch")
        .annotate(next_free=Subquery(next_free))
        .order_by(F("next_free").asc(nulls_last=True), "person__last_name", "pk")
    )


def bookable_slots(position: Position):
    """A host position's free times that can still be booked (24 hours' notice), in time order."""
    now = timezone.now()
    return (
        Slot.objects.free()
        .filter(
            schedule__position=position,
            starts_at__gte=now + NOTICE,
            starts_at__lt=now + timedelta(days=HORIZON_DAYS + 1),
        )
        .select_related("schedule")
        .order_by("starts_at")
    )


def free_slots(position: Position) -> list[Slot]:
    return list(bookable_slots(position))


def by_local_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    """Group slots (in time order) by their calendar day in the active time zone (the viewer's)."""
    return [
        (day, list(group)) for day, group in groupby(slots, key=lambda slot: timezone.localtime(slot.starts_at).date())
    ]


def feed_bookings(person: Person) -> list[Booking]:
    """What a person's calendar feed carries: their receptions on either side from 90 days ago."""
    since = timezone.now() - timedelta(days=90)
    return list(
        Booking.objects.filter(Q(secretary=person) | Q(host=person), slot__starts_at__gte=since)
        .select_related("slot__schedule", "host", "secretary")
        .order_by("slot__starts_at")
    )


def secretary_bookings(person_id: int, *, limit: int = 50) -> list[Booking]:
    """A secretary's bookings, the latest times first."""
    return list(
        Booking.objects.filter(secretary_id=person_id)
        .select_related("slot__schedule", "host", "branch")
        .order_by("-slot__starts_at")[:limit]
    )


# Hosts ----------------------------------------------------------------------------


def host_schedules(position: Position) -> list[Schedule]:
    return list(position.reception_schedules.order_by("-valid_from", "weekday", "starts_at"))


def host_bookings(person: Person) -> dict:
    """A host's upcoming receptions, past ones still waiting for an outcome, and the latest held or missed."""
    now = timezone.now()
    bookings = Booking.objects.filter(host=person).select_related("slot__schedule", "secretary", "branch")
    active = bookings.filter(status=Booking.Status.BOOKED)
    return {
        "upcoming": list(active.filter(slot__starts_at__gte=now).order_by("slot__starts_at")[:50]),
        "awaiting_outcome": list(active.filter(slot__starts_at__lt=now).order_by("slot__starts_at")[:50]),
        "recent": list(
            bookings.filter(status__in=[Booking.Status.HELD, Booking.Status.MISSED]).order_by("-slot__starts_at")[:20]
        ),
    }


def host_day(person: Person, day: date, zone: zoneinfo.ZoneInfo) -> list[Slot]:
    """Every slot of a host on one day of their zone, with the booking that holds it (if any)."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    holding = Booking.objects.holding().select_related("secretary", "branch")
    return list(
        Slot.objects.filter(host=person, starts_at__gte=start, starts_at__lt=end)
        .select_related("schedule")
        .prefetch_related(Prefetch("bookings", queryset=holding, to_attr="holding"))
        .order_by("starts_at", "cancelled_at")
    )


# Regularity -------------------------------------------------------------------------


@dataclass
class HostRow:
    person: Person
    positions: list[Position] = field(default_factory=list)
    held: int = 0
    missed: int = 0
    open: int = 0
    last_held: datetime | None = None
    status: str = "behind"  # "meets", "on_track" or "behind"


STATUS_ORDER = {"behind": 0, "on_track": 1, "meets": 2}


def _status(held: int, open_: int, norm: int, *, current: bool) -> str:
    if held >= norm:
        return "meets"
    if current and held + open_ >= norm:
        return "on_track"
    return "behind"


def host_rows(region: Region, first: date, *, norm: int, now: datetime | None = None) -> list[HostRow]:
    """Each host of a region with their receptions in a month and their standing (two queries).

    Behind first, then on track, then meeting the norm.
    """
    zone = zoneinfo.ZoneInfo(region.time_zone)
    start, end = _bounds(first, zone)
    now = now or timezone.now()
    current = start <= now < end
    rows: dict[int, HostRow] = {}
    for position in (
        Position.objects.current()
        .hosts()
        .filter(region=region)
        .select_related("person", "local_branch")
        .order_by("person__last_name", "person__first_name", "pk")
    ):
        rows.setdefault(position.person_id, HostRow(person=position.person)).positions.append(position)
    in_period = Q(slot__starts_at__gte=start, slot__starts_at__lt=end)
    for figures in (
        Booking.objects.filter(host_id__in=rows)
        .values("host_id")
        .annotate(
            held=Count("pk", filter=in_period & Q(status=Booking.Status.HELD)),
            missed=Count("pk", filter=in_period & Q(status=Booking.Status.MISSED)),
            open=Count("pk", filter=in_period & Q(status=Booking.Status.BOOKED)),
            last_held=Max("slot__starts_at", filter=Q(status=Booking.Status.HELD, slot__starts_at__lt=end)),
        )
    ):
        row = rows[figures["host_id"]]
        row.held, row.missed, row.open, row.last_held = (
            figures["held"],
            figures["missed"],
            figures["open"],
            figures["last_held"],
        )
    for row in rows.values():
        row.status = _status(row.held, row.open, norm, current=current)
    return sorted(rows.values(), key=lambda row: (STATUS_ORDER[row.status], row.person.last_name))


def regularity_report(region: Region, first: date) -> dict:
    """Hosts of a region with their receptions in a month and their standing against the norm.

    Five queries: the norm, the host positions, the hosts' bookings (grouped), the
    secretaries per local branch (received or not in the last quarter), and the first
    secretaries not received.
    """
    zone = zoneinfo.ZoneInfo(region.time_zone)
    start, end = _bounds(first, zone)
    now = timezone.now()
    current = start <= now < end
    policy = policy_for(region)
    hosts = host_rows(region, first, norm=policy.held_per_month, now=now)

    received = Exists(
        Booking.objects.filter(
            secretary_id=OuterRef("person_id"),
            branch_id=OuterRef("primary_branch_id"),
            status=Booking.Status.HELD,
            slot__starts_at__gte=now - timedelta(days=QUARTER_DAYS),
        )
    )
    secretaries = Position.objects.secretaries().current().filter(region=region)
    per_local = list(
        secretaries.values("local_branch_id", "local_branch__name")
        .annotate(total=Count("pk"), received=Count("pk", filter=received))
        .order_by("local_branch__name")
    )
    not_received = list(
        secretaries.filter(~received)
        .select_related("person", "primary_branch", "local_branch")
        .order_by("local_branch__name", "primary_branch__number")[:NOT_RECEIVED_SHOWN]
    )
    return {
        "policy": policy,
        "hosts": hosts,
        "behind": sum(row.status == "behind" for row in hosts),
        "by_status": {status: sum(row.status == status for row in hosts) for status in STATUS_ORDER},
        "per_local": per_local,
        "not_received": not_received,
        "not_received_total": sum(row["total"] - row["received"] for row in per_local),
        "current": current,
        "month": first,
    }


@dataclass
class RegionRow:
    region: Region
    norm: int = 1
    hosts: int = 0
    behind: int = 0
    held: int = 0
    missed: int = 0
    open: int = 0
    secretaries: int = 0
    not_received: int = 0


def national_regularity(first: date) -> list[RegionRow]:
    """The same figures per region, for federal administrators, in five grouped queries and the regions.

    The month runs in Moscow time here (one zone for the whole country keeps it to
    grouped queries); each region's own report reads it in the region's zone.
    """
    zone = zoneinfo.ZoneInfo("Europe/Moscow")
    start, end = _bounds(first, zone)
    now = timezone.now()
    current = start <= now < end
    region_of_host: dict[int, set[int]] = {}
    for person_id, region_id in Position.objects.current().hosts().values_list("person_id", "region_id"):
        region_of_host.setdefault(person_id, set()).add(region_id)
    in_period = Q(slot__starts_at__gte=start, slot__starts_at__lt=end)
    per_host = {
        row["host_id"]: row
        for row in Booking.objects.filter(in_period)
        .values("host_id")
        .annotate(
            held=Count("pk", filter=Q(status=Booking.Status.HELD)),
            missed=Count("pk", filter=Q(status=Booking.Status.MISSED)),
            open=Count("pk", filter=Q(status=Booking.Status.BOOKED)),
        )
    }
    # Received: the current secretaries (of a branch) with a reception held in the last quarter,
    # counted from the quarter's held bookings (thousands) rather than by probing the bookings
    # once per secretary of the country (85,000 subplans); the pair (secretary, branch) is a
    # current term at most once (one secretary per branch), so distinct pairs count terms.
    term = (
        Position.objects.secretaries()
        .current()
        .filter(person_id=OuterRef("secretary_id"), primary_branch_id=OuterRef("branch_id"))
    )
    pair = Concat(Cast("secretary_id", CharField()), Value(":"), Cast("branch_id", CharField()))
    received = dict(
        Booking.objects.filter(status=Booking.Status.HELD, slot__starts_at__gte=now - timedelta(days=QUARTER_DAYS))
        .annotate(term_region=Subquery(term.values("region_id")[:1]))
        .filter(term_region__isnull=False)
        .values("term_region")
        .annotate(n=Count(pair, distinct=True))
        .values_list("term_region", "n")
    )
    secretaries = {
        row["region_id"]: row | {"received": received.get(row["region_id"], 0)}
        for row in Position.objects.secretaries().current().values("region_id").annotate(total=Count("pk"))
    }
    rows = {}
    for region in Region.objects.select_related("reception_policy"):  # the norm: 1 without a policy
        policy = getattr(region, "reception_policy", None)
        rows[region.pk] = RegionRow(region=region, norm=policy.held_per_month if policy is not None else 1)
    for person_id, region_ids in region_of_host.items():
        figures = per_host.get(person_id, {"held": 0, "missed": 0, "open": 0})
        for region_id in region_ids:
            row = rows[region_id]
            row.hosts += 1
            row.held += figures["held"]
            row.missed += figures["missed"]
            row.open += figures["open"]
            row.behind += _status(figures["held"], figures["open"], row.norm, current=current) == "behind"
    for region_id, figures in secretaries.items():
        rows[region_id].secretaries = figures["total"]
        rows[region_id].not_received = figures["total"] - figures["received"]
    return sorted(rows.values(), key=lambda row: row.region.code)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _staff_desk(viewer) -> list[DeskItem]:
    """Hosts behind the month's norm, per staffed region: one query.

    Each host position of the staffed regions with its region, the region's policy and the
    start times of the host's held and open bookings within a month either side of now; the
    month's bounds in each region's zone are applied here, as host_rows does in SQL.
    """
    now = timezone.now()
    window = Booking.objects.filter(
        host_id=OuterRef("person_id"),
        slot__starts_at__gte=now - timedelta(days=33),
        slot__starts_at__lt=now + timedelta(days=33),
    ).order_by()
    hosts = (
        Position.objects.current()
        .hosts()
        .filter(region_id__in=viewer.staff_region_ids)
        .select_related("region__reception_policy")
        .annotate(
            held_at=ArraySubquery(window.filter(status=Booking.Status.HELD).values("slot__starts_at")),
            open_at=ArraySubquery(window.filter(status=Booking.Status.BOOKED).values("slot__starts_at")),
        )
        .order_by("region__code", "person_id", "pk")
    )
    items = []
    for region, positions in groupby(hosts, key=lambda position: position.region):
        policy = getattr(region, "reception_policy", None) or ReceptionPolicy(region=region)
        start, end = _bounds(region.today().replace(day=1), zoneinfo.ZoneInfo(region.time_zone))
        current = start <= now < end
        behind = 0
        for _person_id, same_person in groupby(positions, key=lambda position: position.person_id):
            host = next(same_person)
            held = sum(1 for at in host.held_at if start <= at < end)
            open_ = sum(1 for at in host.open_at if start <= at < end)
            behind += _status(held, open_, policy.held_per_month, current=current) == "behind"
        if behind:
            url = reverse("receptions:report", kwargs={"region_pk": region.pk})
            items.append(DeskItem("receptions", _("Hosts behind the norm of receptions"), url, count=behind))
    return items


def desk_items(viewer) -> list[DeskItem]:
    """A secretary's next reception; a host's receptions today and this week, voters' requests
    past due and their standing against the norm; the staff's hosts behind the norm."""
    items: list[DeskItem] = []
    if viewer.person_id is not None and viewer.is_secretary:
        items += _secretary_desk(viewer)
    if viewer.is_host:
        items += _host_desk(viewer)
    if viewer.staff_region_ids:
        items += _staff_desk(viewer)
    return items


def _secretary_desk(viewer) -> list[DeskItem]:
    """The next booked reception (one query), or where to book one."""
    booking = (
        Booking.objects.filter(
            secretary_id=viewer.person_id, status=Booking.Status.BOOKED, slot__starts_at__gt=timezone.now()
        )
        .select_related("slot", "host")
        .order_by("slot__starts_at")
        .first()
    )
    if booking is None:
        return [
            DeskItem(
                "receptions",
                _("No reception booked: choose a host and a time"),
                reverse("receptions:hosts"),
                urgency=Urgency.COMING,
            )
        ]
    when = formats.date_format(timezone.localtime(booking.slot.starts_at), "DATETIME_FORMAT")
    return [
        DeskItem(
            "receptions",
            _("Your next reception"),
            booking.get_absolute_url(),
            detail=f"{when} · {booking.host.full_name}",
            urgency=Urgency.COMING,
        )
    ]


def _host_desk(viewer) -> list[DeskItem]:
    """Receptions today and in the next seven days and the month against the norm (two queries:
    the region with its norm, the bookings). Follow-ups past their date are assignments: the
    assignments engine's desk item counts them with the host's other assignments."""
    now = timezone.localtime()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    territory = viewer.host_territories[0]
    # The region, with its norm and the host's open follow-ups in it (and how many are past due).
    unfinished = Assignment.objects.filter(
        person_id=viewer.person_id, region_id=OuterRef("pk"), directive__source_key__startswith=FOLLOW_UP_SOURCE
    ).unfinished()
    region = (
        Region.objects.select_related("reception_policy")
        .annotate(
            requests_open=_counted(unfinished), requests_overdue=_counted(unfinished.filter(due_on__lt=now.date()))
        )
        .get(pk=territory.region_id)
    )
    norm = (getattr(region, "reception_policy", None) or ReceptionPolicy(region=region)).held_per_month
    month_start, month_end = _bounds(region.today().replace(day=1), zoneinfo.ZoneInfo(region.time_zone))
    booked = Q(status=Booking.Status.BOOKED)
    this_month = Q(slot__starts_at__gte=month_start, slot__starts_at__lt=month_end)
    figures = Booking.objects.filter(host_id=viewer.person_id).aggregate(
        today=Count(
            "pk", filter=booked & Q(slot__starts_at__gte=day_start, slot__starts_at__lt=day_start + timedelta(days=1))
        ),
        week=Count(
            "pk", filter=booked & Q(slot__starts_at__gte=now, slot__starts_at__lt=day_start + timedelta(days=8))
        ),
        held=Count("pk", filter=this_month & Q(status=Booking.Status.HELD)),
        open=Count("pk", filter=this_month & booked),
    )
    position_id = territory.position_id
    items = []
    if _status(figures["held"], figures["open"], norm, current=True) == "behind":
        url = reverse("receptions:host_manage", kwargs={"pk": position_id})
        detail = _("held %(held)d, booked %(open)d of the norm %(norm)d this month") % {**figures, "norm": norm}
        items.append(DeskItem("receptions", _("You are behind the region's norm of receptions"), url, detail=detail))
    if figures["today"]:
        url = reverse("receptions:host_day", kwargs={"pk": position_id, "day": now.date()})
        items.append(DeskItem("receptions", _("Receptions today"), url, count=figures["today"]))
    if figures["week"]:
        url = reverse("receptions:host_manage", kwargs={"pk": position_id})
        items.append(
            DeskItem(
                "receptions", _("Receptions in the next seven days"), url, count=figures["week"], urgency=Urgency.COMING
            )
        )
    if region.requests_open:
        # The way to the list; the assignments' item already counts them among the host's assignments.
        url = reverse("receptions:host_follow_ups", kwargs={"pk": position_id})
        figures = {"open": region.requests_open, "overdue": region.requests_overdue}
        if figures["overdue"]:
            detail = _("open %(open)d, of them past due %(overdue)d") % figures
        else:
            detail = _("open %(open)d") % figures
        title = _("Voters' requests from your receptions")
        items.append(DeskItem("receptions", title, url, detail=detail, urgency=Urgency.COMING))
    return items


def _counted(assignments):
    """How many rows `assignments` (correlated to the outer row) has, as a subquery (0 for none)."""
    from django.db.models import IntegerField
    from django.db.models.functions import Coalesce

    rows = assignments.order_by().values("region_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


# Figures for other apps (core.evidence) ----------------------------------------


def bookings_by_branch(branch_ids: list[int], since: date, until: date) -> dict[int, float]:
    """Receptions booked by each branch (not cancelled) on days in [since, until): one query."""
    rows = (
        Booking.objects.filter(branch_id__in=branch_ids, created_at__date__gte=since, created_at__date__lt=until)
        .exclude(status=Booking.Status.CANCELLED)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["branch_id"]: row["n"] for row in rows}


# Follow-ups (assignments whose source is a reception) ------------------------------------


@dataclass
class FollowUpRow:
    """A follow-up as the reception's pages show it."""

    assignment: Assignment

    @property
    def id(self) -> int:
        return self.assignment.pk

    @property
    def kind(self) -> str:
        return self.assignment.directive.kind

    @property
    def kind_label(self) -> str:
        return str(FollowUpKind(self.kind).label) if self.kind in FollowUpKind.values else self.kind

    @property
    def text(self) -> str:
        return self.assignment.directive.title

    @property
    def owner(self) -> str:
        return self.assignment.directive.owner

    @property
    def due_on(self) -> date:
        return self.assignment.due_on

    @property
    def status(self) -> str:
        return FollowUpStatus.of_state(self.assignment.state).value

    @property
    def status_label(self) -> str:
        return str(FollowUpStatus.of_state(self.assignment.state).label)


def follow_ups(booking: Booking) -> list[FollowUpRow]:
    """The follow-ups of a reception, by due date (one query)."""
    return [
        FollowUpRow(a)
        for a in Assignment.objects.filter(directive__source_key=follow_up_source_key(booking.pk))
        .select_related("directive")
        .order_by("due_on", "pk")
    ]


def host_follow_ups(person_id: int, region_id: int):
    """A host's follow-ups in a region: the assignments their receptions gave them."""
    return Assignment.objects.filter(
        person_id=person_id, region_id=region_id, directive__source_key__startswith=FOLLOW_UP_SOURCE
    )


def region_follow_ups(region_id: int):
    """A region's follow-ups of receptions (voters' requests and tasks), each addressed to its host."""
    return Assignment.objects.filter(
        region_id=region_id, person__isnull=False, directive__source_key__startswith=FOLLOW_UP_SOURCE
    )


# Figures for the activity record (desk/record.py) ------------------------------


def reception_figures(people):
    """Per person (`person_pk`): receptions booked (not cancelled) and held as a secretary, voters' requests
    closed (follow-ups of their receptions: accepted assignments of the kind "request").

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures).
    """
    from django.db.models import CharField, IntegerField, Sum, Value
    from django.db.models.functions import Cast, Coalesce, Concat

    closed = (
        Assignment.objects.filter(
            directive__source_key=Concat(Value(FOLLOW_UP_SOURCE), Cast(OuterRef("pk"), CharField())),
            directive__kind=FollowUpKind.REQUEST,
            state="accepted",
        )
        .order_by()
        .values("directive__source_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Booking.objects.filter(secretary_id__in=people)
        .values(person_pk=F("secretary_id"))
        .annotate(
            receptions_booked=Count("pk", distinct=True, filter=~Q(status=Booking.Status.CANCELLED)),
            receptions_held=Count("pk", distinct=True, filter=Q(status=Booking.Status.HELD)),
            requests_closed=Coalesce(Cast(Sum(Subquery(closed, output_field=IntegerField())), IntegerField()), 0),
        )
        .order_by()
    )
