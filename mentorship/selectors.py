"""Reads of mentoring: pairs with their health and people, history, suggestions, results, reminders, desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from branches.models import Person, Position, PrimaryBranch, Region, Role
from core import evidence
from core.access import Viewer
from core.desk import DeskItem, Urgency
from mentorship.models import (
    LIVE_STATUSES,
    Health,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
    health_of,
)

# Reminders are due at this hour of the programme's region (its local morning).
REMINDER_HOUR = 9
# The pair's end is announced this many days before.
ENDING_NOTICE_DAYS = 14
# Results compare this many days before the pair's start with the same length up to today.
RESULT_WINDOW_DAYS = 90
# The figures shown as results, measured by other apps through core.evidence.
RESULT_FIGURES = ["receptions.booked", "events.attendance_rate", "contests.entries_submitted"]
HEALTH_ORDER: dict[Health | None, int] = {Health.NEEDS_CHECK_IN: 0, Health.TOO_EARLY: 1, Health.ON_TRACK: 2}


def secretaries_of(branch_ids, on: date) -> dict[int, Position]:
    """The secretary in office on the day, by branch (one query)."""
    positions = (
        Position.objects.secretaries()
        .current(on)
        .filter(primary_branch_id__in=list(branch_ids))
        .select_related("person")
        .only(
            "id",
            "primary_branch_id",
            "starts_on",
            "person__id",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
            "person__user_id",
        )
    )
    return {position.primary_branch_id: position for position in positions}


@dataclass
class PairRow:
    pair: Pair
    health: Health | None
    last_check_in: date | None
    mentor_secretary: Person | None = None
    mentee_person: Person | None = None

    @property
    def stalled(self) -> bool:
        return self.health == Health.NEEDS_CHECK_IN


def _pairs_with_last_check_in(pairs):
    return pairs.select_related("programme__region", "mentor_branch", "mentee_branch", "mentee_cadre__person").annotate(
        last_check_in=Max("check_ins__held_on")
    )


def pair_rows(pairs, today: date) -> list[PairRow]:
    """Pairs with their health and people, stalled first (two queries: the pairs, the secretaries)."""
    pairs = list(_pairs_with_last_check_in(pairs))
    rows = _rows(pairs, today)
    rows.sort(key=lambda r: (r.pair.status not in LIVE_STATUSES, HEALTH_ORDER.get(r.health, 3), r.pair.pk))
    return rows


def pair_row(pair: Pair, check_ins: list, today: date) -> PairRow:
    """One pair's row from the pair and its check-ins at hand (one query: the secretaries)."""
    pair.last_check_in = max((check_in.held_on for check_in in check_ins), default=None)  # type: ignore[attr-defined]
    return _rows([pair], today)[0]


def _rows(pairs: list, today: date) -> list[PairRow]:  # pairs annotated with last_check_in
    branch_ids = {p.mentor_branch_id for p in pairs} | {p.mentee_branch_id for p in pairs if p.mentee_branch_id}
    secretaries = secretaries_of(branch_ids, today) if pairs else {}
    rows = []
    for pair in pairs:
        health = None
        if pair.status == PairStatus.ACTIVE:
            health = health_of(
                starts_on=pair.starts_on,
                last_check_in=pair.last_check_in,
                interval_days=pair.programme.check_in_days,
                today=today,
            )
        mentor = secretaries.get(pair.mentor_branch_id)
        if pair.mentee_cadre is not None:
            mentee: Person | None = pair.mentee_cadre.person
        else:
            term = secretaries.get(pair.mentee_branch_id or 0)
            mentee = term.person if term else None
        rows.append(PairRow(pair, health, pair.last_check_in, mentor.person if mentor else None, mentee))
    return rows


def next_check_in(pair: Pair, last_check_in: date | None) -> date:
    return (last_check_in or pair.starts_on) + timedelta(days=pair.programme.check_in_days)


@dataclass
class HealthSummary:
    total: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def on_track_share(self) -> int | None:
        active = sum(self.counts.values())
        return round(100 * self.counts.get(Health.ON_TRACK, 0) / active) if active else None


def health_summary(rows: list[PairRow]) -> HealthSummary:
    summary = HealthSummary(total=len(rows))
    for row in rows:
        if row.health is not None:
            summary.counts[row.health] = summary.counts.get(row.health, 0) + 1
    return summary


# History ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    on: date
    text: str


def pair_history(pair: Pair, check_ins) -> list[HistoryEvent]:
    """What happened to the pair: its start, changes of secretary on either side, check-ins, its end (one query)."""
    events = [HistoryEvent(pair.starts_on, _("The pair starts."))]
    sides = {pair.mentor_branch_id: _("mentor")}
    if pair.mentee_branch_id:
        sides[pair.mentee_branch_id] = _("mentee")
    terms = (
        Position.objects.secretaries()
        .filter(primary_branch_id__in=list(sides), starts_on__gt=pair.starts_on, starts_on__lte=pair.ends_on)
        .select_related("person")
        .order_by("starts_on")
    )
    for term in terms:
        events.append(
            HistoryEvent(
                term.starts_on,
                _("New secretary of the %(side)s branch: %(person)s; the pair goes on with them.")
                % {"side": sides[term.primary_branch_id], "person": term.person.full_name},
            )
        )
    for check_in in check_ins:
        events.append(HistoryEvent(check_in.held_on, _("Check-in: %(kind)s.") % {"kind": check_in.get_kind_display()}))
    if pair.ended_on:
        text = _("The pair ended (%(status)s).") % {"status": pair.get_status_display()}
        if pair.end_reason:
            text += " " + pair.end_reason
        events.append(HistoryEvent(pair.ended_on, text))
    return sorted(events, key=lambda e: e.on)


# Suggestions -------------------------------------------------------------------------

SUGGESTIONS_SHOWN = 10


@dataclass
class Suggestion:
    branch: PrimaryBranch
    score: float
    reasons: list[str]
    free: int

    @property
    def reasons_text(self) -> str:
        return "; ".join(self.reasons)


def suggestions_for(programme: Programme, mentee: PrimaryBranch, today: date) -> list[Suggestion]:
    """Mentor branches for a mentee, ranked by evidence, each with its reasons (three queries, plus the figures).

    Candidates: open branches of the programme's region (the mentee's for a federal one),
    with a secretary today, not the mentee, not already its mentee in the programme, with
    a free place. Score: a contest place (library practice) counts most, then the same
    local branch (travel-close), a size like the mentee's or larger, and free capacity.
    """
    region_id = programme.region_id or mentee.region_id
    taken = dict(
        Pair.objects.live()
        .filter(programme=programme)
        .values_list("mentor_branch_id")
        .annotate(n=Count("id"))
        .values_list("mentor_branch_id", "n")
    )
    mentored = set(
        Pair.objects.filter(programme=programme, status__in=LIVE_STATUSES)
        .exclude(mentee_branch=None)
        .values_list("mentee_branch_id", flat=True)
    )
    # Branches with a secretary today: the region's current secretaries (index position_region_role).
    with_secretary = (
        Position.objects.secretaries().current(today).filter(region_id=region_id).values("primary_branch_id")
    )
    candidates = list(
        PrimaryBranch.objects.open()
        .filter(region_id=region_id, pk__in=with_secretary)
        .exclude(pk=mentee.pk)
        .exclude(pk__in=mentored)
        .select_related("local_branch")
        .only(
            "id",
            "number",
            "name",
            "settlement",
            "members_count",
            "activists_count",
            "region_id",
            "local_branch_id",
            "local_branch__name",
        )
        .order_by()  # ranked below; the default order would join the region
    )
    candidates = [b for b in candidates if taken.get(b.pk, 0) < programme.capacity]
    ids = [b.pk for b in candidates]
    since = today - timedelta(days=3 * 365)
    placed = evidence.values("contests.placed", ids, since, today + timedelta(days=1))
    booked = evidence.values("receptions.booked", ids, today - timedelta(days=365), today + timedelta(days=1))
    rows = []
    for branch in candidates:
        score, reasons = 0.0, []
        if placed.get(branch.pk):
            score += 40 + 5 * placed[branch.pk]
            reasons.append(_("placed in the contest (%(n)s) — practice in the library") % {"n": int(placed[branch.pk])})
        if branch.local_branch_id == mentee.local_branch_id:
            score += 25
            reasons.append(_("same local branch: %(name)s") % {"name": branch.local_branch.name})
        if mentee.settlement and branch.settlement == mentee.settlement:
            score += 5
            reasons.append(_("same settlement"))
        if branch.members_count >= mentee.members_count:
            score += 10 + min(10, (branch.members_count - mentee.members_count) / 10)
            reasons.append(_("%(n)s members") % {"n": branch.members_count})
        if booked.get(branch.pk):
            score += min(10, booked[branch.pk])
            reasons.append(_("%(n)s receptions booked in a year") % {"n": int(booked[branch.pk])})
        free = programme.capacity - taken.get(branch.pk, 0)
        score += 2 * free
        reasons.append(_("%(free)s of %(capacity)s places free") % {"free": free, "capacity": programme.capacity})
        rows.append(Suggestion(branch, score, reasons, free))
    rows.sort(key=lambda s: (-s.score, s.branch.number))
    return rows[:SUGGESTIONS_SHOWN]


# Results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    label: str
    before: float | None
    now: float | None


def results_for(pair: Pair, today: date) -> list[ResultRow]:
    """The mentee branch's figures before the pair's start and over the same span up to today."""
    if not pair.mentee_branch_id:
        return []
    window = timedelta(days=RESULT_WINDOW_DAYS)
    rows = []
    for name in RESULT_FIGURES:
        if not evidence.available(name):
            continue
        before = evidence.values(name, [pair.mentee_branch_id], pair.starts_on - window, pair.starts_on)
        now = evidence.values(name, [pair.mentee_branch_id], today - window, today + timedelta(days=1))
        rows.append(
            ResultRow(
                str(evidence.label(name)), before.get(pair.mentee_branch_id, 0), now.get(pair.mentee_branch_id, 0)
            )
        )
    return rows


# National summary ----------------------------------------------------------------------


@dataclass
class RegionSummary:
    region: Region
    pairs: int
    active: int
    on_track: int

    @property
    def on_track_share(self) -> int | None:
        return round(100 * self.on_track / self.active) if self.active else None


def national_summary(today: date) -> list[RegionSummary]:
    """Pairs per region and the share on track (one query over every pair)."""
    rows = (
        Pair.objects.filter(programme__status__in=[ProgrammeStatus.OPEN, ProgrammeStatus.RUNNING])
        .values("pk", "mentor_branch__region_id", "status", "starts_on", "programme__check_in_days")
        .annotate(last=Max("check_ins__held_on"))
        .order_by()
    )
    by_region: dict[int, RegionSummary] = {}
    regions = {r.pk: r for r in Region.objects.all()}
    for row in rows:
        summary = by_region.setdefault(
            row["mentor_branch__region_id"], RegionSummary(regions[row["mentor_branch__region_id"]], 0, 0, 0)
        )
        summary.pairs += 1
        if row["status"] == PairStatus.ACTIVE:
            summary.active += 1
            health = health_of(
                starts_on=row["starts_on"],
                last_check_in=row["last"],
                interval_days=row["programme__check_in_days"],
                today=today,
            )
            summary.on_track += health == Health.ON_TRACK
    return sorted(by_region.values(), key=lambda s: s.region.code)


# Reminders -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRow:
    person_id: int
    kind: str
    key: str
    due_on: date
    context: dict
    url: str


def programme_reminders(programme: Programme, today: date) -> list[ReminderRow]:
    """Every reminder the programme's active pairs call for today, to the people of both sides on the day.

    A new pair to both sides (due at its start); a check-in due (an interval after the last
    one, or the start); 14 days before the planned end; the closing questionnaire at the
    end. Keys carry the person, so a new secretary gets what the old one no longer does.
    """
    rows: list[ReminderRow] = []
    if not programme.takes_pairs:
        return rows
    for row in pair_rows(Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE), today):
        pair = row.pair
        people = [p for p in (row.mentor_secretary, row.mentee_person) if p is not None]
        url = reverse("mentorship:pair", kwargs={"pk": pair.pk})
        base = f"mentoring.{programme.pk}.{pair.pk}."
        context = {
            "mentor": str(pair.mentor_branch),
            "mentee": pair.mentee_label,
            "ends_on": pair.ends_on.isoformat(),
        }
        due = next_check_in(pair, row.last_check_in)
        wanted = [("mentoring.pair_started", "started", pair.starts_on)]
        if due < pair.ends_on:
            wanted.append(("mentoring.check_in_due", f"check_in.{due.isoformat()}", due))
        wanted.append(("mentoring.pair_ending", "ending", pair.ends_on - timedelta(days=ENDING_NOTICE_DAYS)))
        wanted.append(("mentoring.closing_questionnaire", "closing", pair.ends_on))
        for person in people:
            for kind, suffix, day in wanted:
                rows.append(
                    ReminderRow(
                        person.pk, kind, f"{base}{suffix}.{person.pk}", day, {**context, "due_on": day.isoformat()}, url
                    )
                )
    return rows


# The desk ---------------------------------------------------------------------------


def desk_items(viewer: Viewer) -> list[DeskItem]:
    """A secretary's pairs with their next check-in; staff's stalled pairs (one or two queries)."""
    from django.utils import timezone

    items: list[DeskItem] = []
    today = timezone.localdate()
    if viewer.secretary_branch_ids:
        pairs = (
            Pair.objects.filter(status=PairStatus.ACTIVE)
            .of_branch(viewer.secretary_branch_ids)
            .select_related("programme", "mentor_branch", "mentee_branch", "mentee_cadre__person")
            .annotate(last_check_in=Max("check_ins__held_on"))
            .order_by("pk")
        )
        for pair in pairs:
            due = next_check_in(pair, pair.last_check_in)
            items.append(
                DeskItem(
                    app="mentorship",
                    title=_("Mentoring: %(pair)s") % {"pair": pair},
                    url=pair.get_absolute_url(),
                    detail=_("next check-in by %(date)s") % {"date": formats.date_format(due, "SHORT_DATE_FORMAT")},
                    urgency=Urgency.OVERDUE if due < today else Urgency.COMING,
                )
            )
    if viewer.staff_region_ids:
        stalled = 0
        for pair in (
            Pair.objects.filter(status=PairStatus.ACTIVE, programme__region_id__in=viewer.staff_region_ids)
            .values("pk", "starts_on", "programme__check_in_days")
            .annotate(last=Max("check_ins__held_on"))
            .order_by()
        ):
            health = health_of(
                starts_on=pair["starts_on"],
                last_check_in=pair["last"],
                interval_days=pair["programme__check_in_days"],
                today=today,
            )
            stalled += health == Health.NEEDS_CHECK_IN
        if stalled:
            items.append(
                DeskItem(
                    app="mentorship",
                    title=_("Mentoring pairs that need a check-in"),
                    url=reverse("mentorship:list"),
                    count=stalled,
                    urgency=Urgency.TO_DO,
                )
            )
    return items


# Figures for the activity record (desk/record.py) ------------------------------


def pair_figures(people, side: str):
    """Per person (`person_pk`): pairs where their branch was the `side` ("mentor" or "mentee") while they
    were its secretary on some day of the pair, by how they went: `<side>_pairs`, `_active` (proposed or
    active), `_completed`, `_ended` (declined pairs never ran and do not count).

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures); one per side, the branches differ.
    """
    branch = f"{side}_branch__positions"
    by_status = {
        f"{side}_active": Q(status__in=LIVE_STATUSES),
        f"{side}_completed": Q(status=PairStatus.COMPLETED),
        f"{side}_ended": Q(status=PairStatus.ENDED),
    }
    return (
        Pair.objects.filter(
            Q(**{f"{branch}__ends_on__isnull": True}) | Q(**{f"{branch}__ends_on__gt": F("starts_on")}),
            **{
                f"{branch}__person_id__in": people,
                f"{branch}__role": Role.PRIMARY_SECRETARY,
                f"{branch}__starts_on__lt": F("ends_on"),
            },
        )
        .exclude(status=PairStatus.DECLINED)
        .values(person_pk=F(f"{branch}__person_id"))
        .annotate(
            **{f"{side}_pairs": Count("pk", distinct=True)},
            **{name: Count("pk", distinct=True, filter=condition) for name, condition in by_status.items()},
        )
        .order_by()
    )


def pairs_of_branch(branch_id: int) -> dict:
    """A branch's pairs as mentor and as mentee, by status: one query."""
    rows = (
        Pair.objects.of_branch([branch_id])
        .exclude(status=PairStatus.DECLINED)
        .values("mentor_branch_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[str, int] = {}
    for row in rows:
        side = "mentor" if row["mentor_branch_id"] == branch_id else "mentee"
        result[f"{side}_{row['status']}"] = result.get(f"{side}_{row['status']}", 0) + row["n"]
    return result


# The region's overview (branches.hooks.region_sections) --------------------------------


def _days(end: str, start: str):
    """Days from one date column to another (PostgreSQL's date − date is an integer)."""
    from django.db.models import Func, IntegerField

    return Func(F(end), F(start), template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


def region_section(viewer: Viewer, region: Region, *, today: date | None = None):
    """Mentoring on the region's page: programmes running, pairs active, stalled, ended well.

    "Ended well" is `Pair.counts_as_done`: completed, or ended early after at least three
    quarters of its planned length. A `RegionSectionPlan` (branches.hooks): the region's
    programmes with their pairs counted by status (one row); the active pairs with their
    last check-in, for their health (`health_of`, one row per active pair), both in the
    page's one statement.
    """
    from django.db.models.lookups import GreaterThanOrEqual
    from django.utils import timezone

    from branches.hooks import RegionSectionPlan
    from core.db import one_row

    today = today or timezone.localdate()
    ran_its_course = GreaterThanOrEqual(
        _days("pairs__ended_on", "pairs__starts_on") * 4, _days("pairs__planned_ends_on", "pairs__starts_on") * 3
    )
    queries = {
        "figures": one_row(
            Programme.objects.filter(region=region),
            running=Count("pk", distinct=True, filter=Q(status__in=[ProgrammeStatus.OPEN, ProgrammeStatus.RUNNING])),
            active=Count("pairs", filter=Q(pairs__status=PairStatus.ACTIVE)),
            ended_well=Count(
                "pairs",
                filter=Q(pairs__status=PairStatus.COMPLETED)
                | Q(ran_its_course, pairs__status=PairStatus.ENDED, pairs__ended_on__isnull=False),
            ),
        ),
        "active": Pair.objects.filter(status=PairStatus.ACTIVE, programme__region=region)
        .values("starts_on", "programme__check_in_days")
        .annotate(last=Max("check_ins__held_on"))
        .order_by(),
    }
    return RegionSectionPlan(queries, lambda rows: _region_section(rows, today))


def _region_section(rows: dict, today: date):
    from dataclasses import replace

    from branches.hooks import RegionFigure, RegionSection

    figures = rows["figures"][0]
    url = reverse("mentorship:list")
    section = RegionSection(
        app="mentorship",
        title=_("Mentoring"),
        url=url,
        link_label=_("Programmes"),
        template="mentorship/_region_section.html",
    )
    if not any(figures.values()):
        return replace(section, empty=_("No mentoring programmes in the region."))
    stalled = sum(
        health_of(
            starts_on=row["starts_on"],
            last_check_in=row["last"],
            interval_days=row["programme__check_in_days"],
            today=today,
        )
        == Health.NEEDS_CHECK_IN
        for row in rows["active"]
    )
    return replace(
        section,
        figures=[
            RegionFigure(_("Programmes running"), figures["running"], url),
            RegionFigure(_("Active pairs"), figures["active"], url),
            RegionFigure(_("Pairs that need a check-in"), stalled, url, alert=bool(stalled)),
            RegionFigure(_("Pairs ended well"), figures["ended_well"], url),
        ],
    )
