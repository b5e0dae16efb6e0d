"""Reads of training: the reports down the tree, a person's courses, the desk, "data as of"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import Case, Count, F, Max, Min, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import JSONObject, TruncDate, TruncQuarter
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches.models import LocalBranch, Position, Region
from core.access import Viewer
from core.desk import DeskItem, Urgency
from training.models import (
    OPEN_STATUSES,
    AssignmentStatus,
    CompletionRecord,
    Course,
    CourseAssignment,
    PlatformAccount,
    SyncRun,
)


def main_course(course_pk=None) -> Course | None:
    """The course a report is about: the one asked for, else the newest active one."""
    courses = _main_first()
    if course_pk:
        return courses.filter(pk=course_pk).first()
    return courses.first()


def _main_first():
    """Courses in the order `main_course` picks from: the first is the main one."""
    return Course.objects.order_by("-is_active", "code", "-version")


def data_as_of() -> SyncRun | None:
    """The last exchange with the platform that succeeded (one query)."""
    return SyncRun.objects.filter(status=SyncRun.Status.DONE).defer("content").order_by("-finished_at").first()


@dataclass
class ReportRow:
    unit: object
    in_post: int = 0
    completed: int = 0
    in_progress: int = 0
    overdue: int = 0
    assigned: int = 0

    @property
    def share(self) -> float:
        return self.completed / self.in_post if self.in_post else 0.0


def _counts(assignments, group: str, today: date) -> dict:
    return {row[group]: row for row in _counted(assignments, group, today)}


def _counted(assignments, group: str, today: date):
    """The assignments of those still in post, counted by status per `group`: a `.values()` queryset."""
    current = Q(position__ends_on__isnull=True) | Q(position__ends_on__gt=today)
    return (
        assignments.filter(current)
        .values(group)
        .annotate(
            completed=Count("pk", filter=Q(status=AssignmentStatus.COMPLETED)),
            in_progress=Count("pk", filter=Q(status=AssignmentStatus.IN_PROGRESS, due_on__gte=today)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
            assigned=Count("pk", filter=Q(status=AssignmentStatus.ASSIGNED, due_on__gte=today)),
        )
        .order_by()
    )


def _fill(rows: list[ReportRow], keys: list, in_post: dict, counts: dict) -> ReportRow:
    total = ReportRow(unit=None)
    for row, key in zip(rows, keys, strict=True):
        row.in_post = in_post.get(key, 0)
        found = counts.get(key)
        if found:
            row.completed, row.in_progress = found["completed"], found["in_progress"]
            row.overdue, row.assigned = found["overdue"], found["assigned"]
        for name in ("in_post", "completed", "in_progress", "overdue", "assigned"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def region_report(region: Region, course: Course, *, today: date | None = None) -> dict:
    """Per local branch of a region: in post, completed, in progress, overdue, share (three queries)."""
    today = today or region.today()
    locals_ = list(LocalBranch.objects.filter(region=region).order_by("name"))
    in_post = dict(
        Position.objects.current(today)
        .filter(region=region, role__in=course.required_roles)
        .values("local_branch_id")
        .annotate(n=Count("pk"))
        .values_list("local_branch_id", "n")
        .order_by()
    )
    counts = _counts(CourseAssignment.objects.filter(region=region, course=course), "position__local_branch_id", today)
    rows = [ReportRow(unit=local) for local in locals_]
    total = _fill(rows, [local.pk for local in locals_], in_post, counts)
    return {"rows": rows, "total": total}


def national_report(course: Course, *, today: date | None = None) -> dict:
    """The 89 regions for administrators (three queries)."""
    today = today or timezone.localdate()
    regions = list(Region.objects.order_by("code"))
    in_post = dict(
        Position.objects.current(today)
        .filter(role__in=course.required_roles)
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
        .order_by()
    )
    counts = _counts(CourseAssignment.objects.filter(course=course), "region_id", today)
    rows = [ReportRow(unit=region) for region in regions]
    total = _fill(rows, [region.pk for region in regions], in_post, counts)
    return {"rows": rows, "total": total}


def trained_in_time_by_quarter(course: Course, *, region: Region | None = None) -> list:
    """Per quarter of assignment: how many were assigned, and how many finished by their due date (one query)."""
    assignments = CourseAssignment.objects.filter(course=course).exclude(status=AssignmentStatus.WAIVED)
    if region is not None:
        assignments = assignments.filter(region=region)
    rows = list(
        assignments.annotate(quarter=TruncQuarter("assigned_on"))
        .values("quarter")
        .annotate(
            assigned=Count("pk"),
            in_time=Count("pk", filter=Q(completed_at__date__lte=F("due_on"))),
        )
        .order_by("quarter")
    )
    return [
        {
            **row,
            "label": _("Q%(number)s %(year)s")
            % {"number": (row["quarter"].month - 1) // 3 + 1, "year": row["quarter"].year},
        }
        for row in rows
    ]


def overdue_list(region: Region, course: Course, *, today: date | None = None, limit: int = 200) -> list:
    """The overdue people of a region, oldest due date first (one query)."""
    today = today or region.today()
    return list(
        CourseAssignment.objects.overdue(today)
        .filter(region=region, course=course)
        .select_related("person", "position__primary_branch", "position__local_branch")
        .order_by("due_on", "pk")[:limit]
    )


def unmatched_users(*, region: Region | None) -> list:
    """Platform users in the region's uploads (all sources for a national view) whom no account names (one query)."""
    records = CompletionRecord.objects.exclude(platform_user_id__in=PlatformAccount.objects.values("platform_user_id"))
    if region is not None:
        records = records.filter(sync_run__region=region)
    return list(
        records.values("platform_user_id")
        .annotate(
            records=Count("pk"),
            course_title=Max("course__title"),
            full_name=Max(KT("raw__full_name")),
            email=Max(KT("raw__email")),
        )
        .order_by("platform_user_id")[:500]
    )


def person_assignments(person_id: int) -> list[CourseAssignment]:
    """A person's courses, newest first, with their completion (one query)."""
    return list(
        CourseAssignment.objects.filter(person_id=person_id)
        .select_related("course", "completion")
        .order_by("-assigned_on", "-pk")
    )


@dataclass(frozen=True)
class PersonSection:
    """The training section of a person's page (branches.hooks.person_sections)."""

    assignments: list
    template: str = "training/_person_section.html"


def person_section(viewer: Viewer, person) -> PersonSection | None:
    """The person's courses and completions, for the person and their region's staff (one query)."""
    from training.access import assignments_visible_to

    assignments = list(
        assignments_visible_to(viewer).filter(person=person).select_related("course").order_by("-assigned_on", "-pk")
    )
    return PersonSection(assignments) if assignments else None


# A course completed this recently still shows on the person's desk, as done.
RECENTLY_DONE_DAYS = 30


def desk_items(viewer: Viewer) -> list[DeskItem]:
    """A person's open courses with their due dates (and those just completed); staff the overdue count.

    One query (none for a viewer with neither a person nor a staffed region): the person's
    open and just completed assignments, and the overdue count of the staffed regions.
    """
    items = []
    today = timezone.localdate()
    recent = Q(status=AssignmentStatus.COMPLETED, closed_on__gte=today - timedelta(days=RECENTLY_DONE_DAYS))
    # Nobody's courses without a person (a person_id of None would match nothing useful).
    mine = (Q(status__in=OPEN_STATUSES) | recent) & Q(person_id=viewer.person_id or 0)
    staff_region_ids = frozenset() if viewer.is_admin else viewer.staff_region_ids
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today, region_id__in=staff_region_ids)
    figures: dict[str, Any] = {"mine": [], "overdue": 0}
    if viewer.person_id is not None or staff_region_ids:
        # One aggregate: the person's courses (as JSON rows) and the staffed regions' overdue count.
        row = JSONObject(status="status", due_on="due_on", completed_at="completed_at", title="course__title", pk="pk")
        figures = CourseAssignment.objects.filter(mine | overdue).aggregate(
            mine=JSONBAgg(row, filter=mine, order_by=("due_on", "pk"), default=[]),
            overdue=Count("pk", filter=overdue),
        )
    for assignment in figures["mine"]:
        title = assignment["title"]
        if assignment["status"] == AssignmentStatus.COMPLETED:
            completed_at = datetime.fromisoformat(assignment["completed_at"])
            items.append(
                DeskItem(
                    app="training",
                    title=_("Course completed: %(title)s") % {"title": title},
                    url=reverse("training:mine"),
                    detail=formats.date_format(timezone.localtime(completed_at), "SHORT_DATE_FORMAT"),
                    urgency=Urgency.COMING,
                )
            )
            continue
        due_on = date.fromisoformat(assignment["due_on"])
        items.append(
            DeskItem(
                app="training",
                title=_("Course: %(title)s") % {"title": title},
                url=reverse("training:mine"),
                detail=_("due %(date)s") % {"date": formats.date_format(due_on, "SHORT_DATE_FORMAT")},
                urgency=Urgency.OVERDUE if due_on < today else Urgency.TO_DO,
            )
        )
    if viewer.is_admin:
        items.append(
            DeskItem(
                app="training", title=_("Training across the country"), url=reverse("training:national"),
                urgency=Urgency.COMING,
            )
        )  # fmt: skip
    elif staff_region_ids:
        # The staff's way in to the region's report: with the overdue count when there are any.
        region_id = min(staff_region_ids)
        overdue_count = figures["overdue"]
        items.append(
            DeskItem(
                app="training",
                title=_("Secretaries overdue with their course") if overdue_count else _("Training report"),
                url=reverse("training:region", kwargs={"region_pk": region_id}),
                count=overdue_count or None,
                urgency=Urgency.OVERDUE if overdue_count else Urgency.COMING,
            )
        )
    return items


# Figures for the activity record (desk/record.py) ------------------------------


def course_figures(people, today: date):
    """Per person (`person_pk`): the course's state (completed, overdue, open) and the last completion's day.

    Completed when any assignment was completed; otherwise overdue when an open one is past
    its due date, open when one is open. People with no assignment have no row (the record
    says "none"). A grouped queryset the activity record joins with the other apps'
    figures (see branches.selectors.secretary_figures).
    """
    completed = Q(status=AssignmentStatus.COMPLETED, completed_at__isnull=False)
    return (
        CourseAssignment.objects.filter(person_id__in=people)
        .values(person_pk=F("person_id"))
        .annotate(
            course_completed_on=Max(TruncDate("completed_at"), filter=completed),
            open_due=Min("due_on", filter=Q(status__in=OPEN_STATUSES)),
        )
        .annotate(
            course=Case(
                When(course_completed_on__isnull=False, then=Value("completed")),
                When(open_due__lt=today, then=Value("overdue")),
                When(open_due__isnull=False, then=Value("open")),
                default=Value("none"),
            )
        )
        .values("person_pk", "course", "course_completed_on")
        .order_by()
    )


# The region's overview (branches.hooks.region_sections) --------------------------------


def region_section(viewer: Viewer, region: Region, *, today: date | None = None):
    """The course on the region's page: secretaries in post, completed, in progress, overdue.

    The same figures as the region's report (its total row: `_counted` and `_fill`), for
    `main_course()`. A `RegionSectionPlan` (branches.hooks): the main course (one row); the
    required posts held today (one-row count); the assignments of those in post counted by
    status (`_counted`). The last two read the main course as a subquery, so the three go
    in the page's one statement.
    """
    from django.db.models import CharField, Func, Subquery

    from branches.hooks import RegionSectionPlan
    from core.db import one_row

    today = today or region.today()
    main = _main_first()
    course = Subquery(main.values("pk")[:1])
    required = (
        Course.objects.filter(pk=course)
        .annotate(role=Func(F("required_roles"), function="unnest", output_field=CharField()))
        .values("role")
    )
    queries = {
        "course": main.values("title")[:1],
        "in_post": one_row(Position.objects.current(today).filter(region=region, role__in=required), n=Count("pk")),
        "counts": _counted(CourseAssignment.objects.filter(region=region, course=course), "region_id", today),
    }
    return RegionSectionPlan(queries, lambda rows: _region_section(viewer, region, rows))


def _region_section(viewer: Viewer, region: Region, rows: dict):
    from branches.hooks import RegionFigure, RegionSection

    report = reverse("training:region", kwargs={"region_pk": region.pk}) if viewer.staffs_region(region.pk) else ""
    section = RegionSection(
        app="training",
        title=_("Secretaries' course"),
        url=report,
        link_label=_("Training report"),
        template="training/_region_section.html",
    )
    if not rows["course"]:
        return replace(section, empty=_("No course yet."))
    total = ReportRow(unit=region)
    counts = {row["region_id"]: row for row in rows["counts"]}
    _fill([total], [region.pk], {region.pk: rows["in_post"][0]["n"]}, counts)
    if not (total.in_post or total.completed or total.in_progress or total.overdue or total.assigned):
        return replace(section, empty=_("No secretary has the course to take."))
    return replace(
        section,
        title=_("Course: %(title)s") % {"title": rows["course"][0]["title"]},
        figures=[
            RegionFigure(_("Secretaries in post"), total.in_post, report),
            RegionFigure(
                _("Completed the course"),
                _("%(count)s (%(share)s%%)") % {"count": total.completed, "share": round(100 * total.share)},
                report,
            ),
            RegionFigure(_("Taking it, in time"), total.in_progress + total.assigned, report),
            RegionFigure(_("Overdue"), total.overdue, report, alert=bool(total.overdue)),
        ],
    )
