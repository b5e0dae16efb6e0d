"""Reads of events: lists, an event's lines and counts, measured duty, the region report, desk items."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches.models import LocalBranch
from core.charts import GREEN, GREY, ORANGE, RED, Series, chart
from core.desk import DeskItem, Urgency
from core.pagination import SortKey, keyset_page
from events.access import can_edit_event, events_visible_to
from events.models import (
    MARKABLE_STATUSES,
    Answer,
    Event,
    EventKind,
    EventStatus,
    ExpectedPerson,
    HeadMeetingPlan,
    Mark,
    Question,
    Source,
)

EVENT_SORT_UPCOMING = SortKey(("starts_at", "pk"))
EVENT_SORT_PAST = SortKey(("-starts_at", "-pk"))
PAGE_SIZE = 25
# Duty is measured over this window, on events held or closed.
DUTY_WINDOW = timedelta(days=365)
MEASURED_STATUSES = [EventStatus.HELD, EventStatus.CLOSED]


def event_list_page(viewer, *, past: bool = False, now: datetime | None = None, size: int = PAGE_SIZE, **cursor):
    """The events a viewer may see, upcoming (soonest first) or past (latest first): one query."""
    now = now or timezone.now()
    events = events_visible_to(viewer).select_related("region", "local_branch", "primary_branch")
    if past:
        return keyset_page(events.filter(ends_at__lte=now), EVENT_SORT_PAST, size=size, **cursor)
    return keyset_page(events.filter(ends_at__gt=now), EVENT_SORT_UPCOMING, size=size, **cursor)


def event_lines(event: Event) -> list[ExpectedPerson]:
    """The lines on the event's list now, vacant branches and walk-ins included: one query."""
    return list(
        event.expected.active()
        .select_related("person", "primary_branch")
        .order_by("source", "primary_branch__number", "person__last_name", "name", "pk")
    )


def removed_lines(event: Event) -> list[ExpectedPerson]:
    """Lines taken off the list after publication, with their reasons: one query."""
    return list(
        event.expected.filter(removed_at__isnull=False)
        .select_related("person", "primary_branch")
        .order_by("-removed_at", "pk")
    )


@dataclass(frozen=True)
class EventCounts:
    expected: int
    vacant: int
    will_come: int
    cannot: int
    came: int
    absent: int
    excused: int
    walk_ins: int

    @property
    def unmarked(self) -> int:
        return self.expected - self.came - self.absent - self.excused


def event_counts(event: Event) -> EventCounts:
    """Answers and marks of an event's list: one aggregate query."""
    people = Q(person__isnull=False) & ~Q(source=Source.WALK_IN)
    figures = event.expected.active().aggregate(
        expected=Count("pk", filter=people),
        vacant=Count("pk", filter=Q(person__isnull=True, source=Source.TREE)),
        will_come=Count("pk", filter=people & Q(answer=Answer.WILL_COME)),
        cannot=Count("pk", filter=people & Q(answer=Answer.CANNOT)),
        came=Count("pk", filter=people & Q(mark=Mark.CAME)),
        absent=Count("pk", filter=people & Q(mark=Mark.ABSENT)),
        excused=Count("pk", filter=people & Q(mark=Mark.EXCUSED)),
        walk_ins=Count("pk", filter=Q(source=Source.WALK_IN)),
    )
    return EventCounts(**figures)


# Measured duty ---------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    expected: int
    attended: int
    excused: int
    unexcused: int

    @property
    def rate(self) -> int | None:
        """Attended, as a percentage of expected (None when nothing was expected)."""
        return round(100 * self.attended / self.expected) if self.expected else None


def _measured_lines(now: datetime):
    """Lines of the duty: the secretaries expected (and people added by hand), not invited activists."""
    return (
        ExpectedPerson.objects.expected()
        .exclude(source=Source.INVITED)
        .filter(
            person__isnull=False,
            event__status__in=MEASURED_STATUSES,
            event__starts_at__gte=now - DUTY_WINDOW,
            event__starts_at__lte=now,
        )
    )


_DUTY = {
    "expected": Count("pk"),
    "attended": Count("pk", filter=Q(mark=Mark.CAME)),
    "excused": Count("pk", filter=Q(mark=Mark.EXCUSED)),
    "unexcused": Count("pk", filter=Q(mark=Mark.ABSENT)),
}


def secretary_duty(person_id: int, *, now: datetime | None = None) -> Duty:
    """A person's expected, attended, excused and unexcused over the last 12 months: one query.

    Counted on events held or closed; a line still unmarked counts as expected only.
    The index expected_person_event serves it. Other apps' pages reach it through desk/.
    """
    return Duty(**_measured_lines(now or timezone.now()).filter(person_id=person_id).aggregate(**_DUTY))


@dataclass(frozen=True)
class LocalBranchDuty:
    local_branch_id: int
    name: str
    duty: Duty


def region_attendance(region, *, now: datetime | None = None) -> list[LocalBranchDuty]:
    """Per local branch of a region: the duty of its secretaries over 12 months, furthest behind first.

    One query: the measured lines of the region's events grouped by the local branch of
    the branch each secretary was expected for (people added by hand have no branch).
    """
    rows = (
        _measured_lines(now or timezone.now())
        .filter(event__region_id=region.pk, primary_branch__isnull=False)
        .values("primary_branch__local_branch_id", "primary_branch__local_branch__name")
        .annotate(**_DUTY)
        .order_by()
    )
    result = [
        LocalBranchDuty(
            row["primary_branch__local_branch_id"],
            row["primary_branch__local_branch__name"],
            Duty(row["expected"], row["attended"], row["excused"], row["unexcused"]),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.duty.rate if r.duty.rate is not None else 101, r.name))


@dataclass(frozen=True)
class UnitDuty:
    """The duty of the secretaries of one unit (a primary branch, a local branch, a region)."""

    pk: int
    name: str
    duty: Duty
    region: str = ""
    region_pk: int | None = None


def _behind_first(rows):
    return sorted(rows, key=lambda r: (r.duty.rate if r.duty.rate is not None else 101, r.name))


def local_branch_attendance(local_branch, *, now: datetime | None = None) -> list[UnitDuty]:
    """Per primary branch of a local branch: its secretaries' duty over 12 months, furthest behind first.

    One query, grouped by the branch each line was expected for (index expected_branch_event).
    """
    rows = (
        _measured_lines(now or timezone.now())
        .filter(primary_branch__local_branch_id=local_branch.pk)
        .values("primary_branch_id", "primary_branch__number", "primary_branch__name")
        .annotate(**_DUTY)
        .order_by()
    )
    return _behind_first(
        UnitDuty(
            row["primary_branch_id"],
            f"№{row['primary_branch__number']} «{row['primary_branch__name']}»",
            Duty(row["expected"], row["attended"], row["excused"], row["unexcused"]),
        )
        for row in rows
    )


# How many local branches the national report lists, furthest behind first.
NATIONAL_LOCAL_LIMIT = 50


@dataclass(frozen=True)
class NationalAttendance:
    regions: list[UnitDuty]
    local_branches: list[UnitDuty]


def national_attendance(*, now: datetime | None = None, limit: int = NATIONAL_LOCAL_LIMIT) -> NationalAttendance:
    """Every region, and the local branches furthest behind in the country, over 12 months.

    One query over the measured lines of the window (about a million at national scale),
    grouped by local branch (about 2,600 rows); a region's figures are the sums of its
    local branches' (every measured line names a primary branch, hence a local branch), so
    the million lines are read once, not once per grouping.
    """
    lines = _measured_lines(now or timezone.now()).filter(primary_branch__isnull=False)
    locals_ = [
        UnitDuty(
            row["primary_branch__local_branch_id"],
            row["primary_branch__local_branch__name"],
            Duty(row["expected"], row["attended"], row["excused"], row["unexcused"]),
            region=row["event__region__name"],
            region_pk=row["event__region_id"],
        )
        for row in lines.values(
            "primary_branch__local_branch_id",
            "primary_branch__local_branch__name",
            "event__region_id",
            "event__region__name",
        )
        .annotate(**_DUTY)
        .order_by()
    ]
    sums: dict[tuple[int | None, str], list[int]] = {}
    for local in locals_:
        figures = sums.setdefault((local.region_pk, local.region), [0, 0, 0, 0])
        for index, value in enumerate(
            (local.duty.expected, local.duty.attended, local.duty.excused, local.duty.unexcused)
        ):
            figures[index] += value
    regions = [UnitDuty(pk or 0, name, Duty(*figures)) for (pk, name), figures in sums.items()]
    behind = sorted(locals_, key=lambda local: (local.duty.attended / local.duty.expected, local.name))
    return NationalAttendance(_behind_first(regions), behind[:limit])


def region_attendance_chart(rows) -> dict:
    unmarked = [r.duty.expected - r.duty.attended - r.duty.excused - r.duty.unexcused for r in rows]
    return chart(
        [r.name for r in rows],
        Series(_("came"), [r.duty.attended for r in rows], GREEN),
        Series(_("excused"), [r.duty.excused for r in rows], ORANGE),
        Series(_("did not come"), [r.duty.unexcused for r in rows], RED),
        Series(_("not marked"), unmarked, GREY),
    )


# Desk ------------------------------------------------------------------------------------


def desk_items(viewer, *, now: datetime | None = None) -> list[DeskItem]:
    """What events need of this person now.

    One query: a secretary's (anyone on a list's) next events, with their answers; the
    events they organise that have ended and are open; for regional staff, proposals
    waiting for approval and ended events not closed in their regions.
    """
    now = now or timezone.now()
    items: list[DeskItem] = []
    if viewer.person_id is None and not viewer.staff_region_ids:
        return items
    # One aggregate: the next five published events the person is expected at (with their
    # answer), the events they organised that wait to be closed (the first five, soonest ended
    # first) and, for regional staff, their regions' proposals and events to close. Nobody's
    # events without a person (an organiser_id of None would match the unorganised ones).
    person_id = viewer.person_id or 0
    lines = ExpectedPerson.objects.active().filter(event_id=OuterRef("pk"), person_id=person_id)
    upcoming = Q(Exists(lines), status=EventStatus.PUBLISHED, starts_at__gt=now)
    mine = Q(status__in=MARKABLE_STATUSES, ends_at__lte=now, organiser_id=person_id)
    region = Q(region_id__in=viewer.staff_region_ids)
    soonest, ended = ("starts_at", "pk"), ("ends_at", "pk")
    figures = Event.objects.filter(upcoming | mine | region).aggregate(
        next_ids=ArrayAgg("pk", filter=upcoming, order_by=soonest, default=[]),
        next_titles=ArrayAgg("title", filter=upcoming, order_by=soonest, default=[]),
        next_starts=ArrayAgg("starts_at", filter=upcoming, order_by=soonest, default=[]),
        next_answers=ArrayAgg(Subquery(lines.values("answer")[:1]), filter=upcoming, order_by=soonest, default=[]),
        mine_ids=ArrayAgg("pk", filter=mine, order_by=ended, default=[]),
        mine_titles=ArrayAgg("title", filter=mine, order_by=ended, default=[]),
        mine_ends=ArrayAgg("ends_at", filter=mine, order_by=ended, default=[]),
        proposed=Count("pk", filter=region & Q(status=EventStatus.PROPOSED)),
        to_close=Count("pk", filter=region & Q(status__in=MARKABLE_STATUSES, ends_at__lte=now)),
    )
    upcoming_rows = zip(
        figures["next_ids"], figures["next_titles"], figures["next_starts"], figures["next_answers"], strict=True
    )
    for pk, title, starts_at, answer in list(upcoming_rows)[:5]:
        when = formats.date_format(timezone.localtime(starts_at), "SHORT_DATETIME_FORMAT")
        if answer:
            url = reverse("events:detail", kwargs={"pk": pk})
            items.append(DeskItem("events", title, url, detail=when, urgency=Urgency.COMING))
        else:
            url = reverse("events:answer", kwargs={"pk": pk})
            items.append(DeskItem("events", _("Answer: %(title)s") % {"title": title}, url, detail=when))
    ended_rows = zip(figures["mine_ids"], figures["mine_titles"], figures["mine_ends"], strict=True)
    for pk, title, ends_at in list(ended_rows)[:5]:
        late = ends_at + timedelta(hours=24) < now
        items.append(
            DeskItem(
                "events",
                _("Close: %(title)s") % {"title": title},
                reverse("events:close", kwargs={"pk": pk}),
                urgency=Urgency.OVERDUE if late else Urgency.TO_DO,
            )
        )
    if viewer.staff_region_ids:
        url = reverse("events:list")
        if figures["proposed"]:
            items.append(DeskItem("events", _("Events waiting for approval"), url, count=figures["proposed"]))
        if figures["to_close"]:
            items.append(
                DeskItem(
                    "events", _("Events to close"), f"{url}?past=1", count=figures["to_close"], urgency=Urgency.OVERDUE
                )
            )
    return items


def upcoming_for_person(person_id: int, *, now: datetime | None = None, limit: int = 10) -> list[ExpectedPerson]:
    """A person's lines on upcoming events, soonest first: one query."""
    return list(
        ExpectedPerson.objects.active()
        .filter(person_id=person_id, event__status=EventStatus.PUBLISHED, event__starts_at__gt=now or timezone.now())
        .select_related("event")
        .order_by("event__starts_at")[:limit]
    )


def duty_window_start(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now()) - DUTY_WINDOW


def event_questions(event: Event, viewer) -> list[Question]:
    """A head's meeting's questions: all of them for its editors, the viewer's own otherwise (one query)."""
    questions = event.questions.select_related("primary_branch")
    if not can_edit_event(viewer, event):
        questions = questions.filter(asked_by_id=viewer.person_id)
    return list(questions.order_by("duplicate_of_id", "created_at", "pk"))


# Figures for the activity record (desk/record.py) ------------------------------


def duty_figures(people, *, now: datetime | None = None):
    """Per person (`person_pk`): `secretary_duty` as events_expected / _attended / _excused.

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures); the index expected_person_event serves it.
    """
    return (
        _measured_lines(now or timezone.now())
        .filter(person_id__in=people)
        .values(person_pk=F("person_id"))
        .annotate(events_expected=_DUTY["expected"], events_attended=_DUTY["attended"], events_excused=_DUTY["excused"])
        .order_by()
    )


def duty_by_branch(branch_id: int, *, now: datetime | None = None) -> Duty:
    """The duty of the secretaries expected for one primary branch over 12 months: one query."""
    return Duty(**_measured_lines(now or timezone.now()).filter(primary_branch_id=branch_id).aggregate(**_DUTY))


def question_directives(questions: list[Question]) -> dict[int, str]:
    """Question → the address of the assignment made of it: one query (index directive_by_source)."""
    from assignments.models import Assignment

    if not questions:
        return {}
    keys = {f"events.question.{question.pk}": question.pk for question in questions}
    found = Assignment.objects.filter(directive__source_key__in=list(keys)).values_list("pk", "directive__source_key")
    return {keys[key]: reverse("assignments:assignment", kwargs={"pk": pk}) for pk, key in found}


# Heads' meetings: nominations, the yearly plan, the local branches without a seat ---------------


def nominations_of(event: Event, local_ids: set[int]) -> list[ExpectedPerson]:
    """The activists the given local branches nominated for a meeting, on the list now: one query."""
    return list(
        event.expected.active()
        .filter(local_branch_id__in=local_ids, nominated_by__isnull=False)
        .select_related("person", "primary_branch")
        .order_by("local_branch_id", "person__last_name", "pk")
    )


def planned_meetings(region, year: int) -> int | None:
    return HeadMeetingPlan.objects.filter(region=region, year=year).values_list("planned", flat=True).first()


@dataclass(frozen=True)
class HeadMeetings:
    year: int
    planned: int | None
    held: int
    upcoming: int
    without_invited: list[LocalBranch]


# A local branch has a seat when one of its activists was invited to a meeting that was not
# withdrawn (published, held or closed) within this window.
SEAT_WINDOW = timedelta(days=365)


def head_meetings(region, *, now: datetime | None = None) -> HeadMeetings:
    """Held against planned this year (the region's calendar year), and who had no seat in 12 months.

    Queries: the plan (1); the year's meetings counted by status (1); the open local
    branches with no invited activist in the window (1, the partial index
    expected_invited_local_event serves the EXISTS).
    """
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(region.time_zone)
    year = timezone.localtime(now, zone).year
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    figures = Event.objects.filter(
        region=region, kind=EventKind.HEAD_MEETING, starts_at__gte=start, starts_at__lt=end
    ).aggregate(
        held=Count("pk", filter=Q(status__in=MEASURED_STATUSES)),
        upcoming=Count("pk", filter=Q(status=EventStatus.PUBLISHED)),
    )
    invited = ExpectedPerson.objects.filter(
        local_branch=OuterRef("pk"),
        source=Source.INVITED,
        removed_at__isnull=True,
        event__kind=EventKind.HEAD_MEETING,
        event__status__in=[EventStatus.PUBLISHED, *MEASURED_STATUSES],
        event__starts_at__gte=now - SEAT_WINDOW,
    )
    without = list(
        LocalBranch.objects.filter(region=region, closed_on__isnull=True).exclude(Exists(invited)).order_by("name")
    )
    return HeadMeetings(year, planned_meetings(region, year), figures["held"], figures["upcoming"], without)


# The region's overview (branches.hooks.region_sections) --------------------------------


def region_section(viewer, region, *, now: datetime | None = None):
    """Events on the region's page: held this year, heads' meetings against the plan, attendance.

    A `RegionSectionPlan` (branches.hooks): the region's events from the start of its
    calendar year counted by what happened, with the year's plan of heads' meetings as an
    uncorrelated subquery (on the index event_region_start); the secretaries' duty over 12
    months, the same lines as the region's report. Both are one-row aggregates, sent with
    the page's other queries in one statement.
    """
    from django.db.models import Max, Subquery
    from django.db.models.functions import Coalesce

    from branches.hooks import RegionSectionPlan
    from core.db import one_row

    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(region.time_zone)
    year = timezone.localtime(now, zone).year
    measured = Q(starts_at__lt=datetime(year + 1, 1, 1, tzinfo=zone), status__in=MEASURED_STATUSES)
    plan = Subquery(HeadMeetingPlan.objects.filter(region=region, year=year).values("planned")[:1])
    queries = {
        "events": one_row(
            Event.objects.filter(region=region, starts_at__gte=datetime(year, 1, 1, tzinfo=zone)),
            held=Count("pk", filter=measured),
            upcoming=Count("pk", filter=Q(status=EventStatus.PUBLISHED, starts_at__gt=now)),
            meetings_held=Count("pk", filter=measured & Q(kind=EventKind.HEAD_MEETING)),
            # The plan rides along: Max() over the year's events, or the plan itself when there
            # are none (an aggregate over no rows is NULL); Django asks for an aggregate here.
            planned=Coalesce(Max(plan), plan),
        ),
        "duty": one_row(_measured_lines(now).filter(event__region_id=region.pk), **_DUTY),
    }
    return RegionSectionPlan(queries, lambda rows: _region_section(viewer, region, rows, now, zone, year))


def _region_section(viewer, region, rows: dict, now: datetime, zone, year: int):
    from branches.hooks import RegionFigure, RegionSection
    from events.access import can_manage_plans

    figures = rows["events"][0]
    duty = Duty(**rows["duty"][0])
    report = reverse("events:region_report", kwargs={"region_pk": region.pk}) if viewer.staffs_region(region.pk) else ""
    section = RegionSection(
        app="events",
        title=_("Events"),
        url=report,
        link_label=_("Attendance report"),
        template="events/_region_section.html",
    )
    if not (figures["held"] or figures["upcoming"] or figures["planned"] or duty.expected):
        return replace(section, empty=_("No events this year."))
    plan_url = reverse("events:head_meeting_plan", kwargs={"region_pk": region.pk})
    planned = figures["planned"]
    meetings = (
        _("%(held)s of %(planned)s") % {"held": figures["meetings_held"], "planned": planned}
        if planned is not None
        else _("%(held)s, no plan") % {"held": figures["meetings_held"]}
    )
    return replace(
        section,
        figures=[
            RegionFigure(_("Events held in %(year)s") % {"year": year}, figures["held"], report),
            RegionFigure(_("Upcoming events"), figures["upcoming"], reverse("events:list")),
            RegionFigure(
                _("Heads' meetings held against the plan"),
                meetings,
                plan_url if can_manage_plans(viewer, region) else report,
                alert=planned is None or figures["meetings_held"] < _due_by_now(planned, now, zone),
            ),
            RegionFigure(
                _("Secretaries' attendance, 12 months"),
                f"{duty.rate}%" if duty.rate is not None else "—",
                report,
            ),
        ],
    )


def _due_by_now(planned: int, now: datetime, zone) -> int:
    """How many of the year's planned meetings should have been held by today, at an even pace."""
    today = timezone.localtime(now, zone).date()
    days = (date(today.year + 1, 1, 1) - date(today.year, 1, 1)).days
    return planned * today.timetuple().tm_yday // days
