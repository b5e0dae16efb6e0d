"""Reads of assignments: a region's list, a person's list, a directive's dashboard, the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import FINISHED, Assignment, Directive, Event, ReportFile, State
from branches.models import Region
from core.desk import DeskItem, Urgency
from core.pagination import SortKey, keyset_page

# Unfinished first, then the soonest due (overdue ones come first among them).
LIST_KEY = SortKey(("finished", "due_on", "pk"))


def with_progress(assignments):
    """Annotate each assignment with its sub-assignments: how many, and how many accepted.

    Correlated subqueries on the parent index, so a list costs a probe per row listed rather
    than a join over every assignment of the country (a region's list at national scale
    scanned all 109,000 rows with a join and GROUP BY).
    """
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(**extra):
        children = (
            Assignment.objects.filter(parent=OuterRef("pk"), **extra)
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(children, output_field=IntegerField()), 0)

    return assignments.annotate(parts=counted(), parts_done=counted(state=State.ACCEPTED))


def _listed(assignments):
    return with_progress(assignments.select_related("directive", "region", "local_branch", "person"))


def assignment_list_page(assignments, *, size: int = 50, after=None, before=None, last: bool = False):
    """A page of assignments, unfinished first by due date: one query (keyset, with progress counts)."""
    return keyset_page(_listed(assignments), LIST_KEY, size=size, after=after, before=before, last=last)


@dataclass
class RegionRow:
    """A region's line on a directive's dashboard."""

    region: Region
    assignment: Assignment | None
    status: str  # done / in_time / overdue / none

    @property
    def label(self) -> str:
        return {
            "done": _("done"),
            "in_time": _("in time"),
            "overdue": _("overdue"),
            "none": _("not addressed"),
        }[self.status]


def status_of(assignment: Assignment | None, today: date) -> str:
    if assignment is None or assignment.state == State.DROPPED:
        return "none"
    if assignment.state == State.ACCEPTED:
        return "done"
    return "overdue" if assignment.due_on < today else "in_time"


def directive_dashboard(directive: Directive, today: date) -> dict:
    """Every region with its assignment of the directive and the progress of what it passed down.

    Two queries: the regions, and the region-level assignments with their sub-assignment counts.
    """
    regions = list(Region.objects.order_by("code"))
    top = {
        a.region_id: a
        for a in with_progress(
            directive.assignments.filter(parent__isnull=True, local_branch__isnull=True, person__isnull=True)
        ).order_by()
    }
    rows = [RegionRow(region, top.get(region.pk), status_of(top.get(region.pk), today)) for region in regions]
    totals = {key: sum(1 for row in rows if row.status == key) for key in ("done", "in_time", "overdue", "none")}
    return {"rows": rows, "totals": totals}


def directives_of_source(source_key: str) -> list[Directive]:
    """The directives a decision issued, each with its counts (one query)."""
    return list(
        Directive.objects.filter(source_key=source_key)
        .annotate(
            total=Count("assignments", filter=Q(assignments__parent__isnull=True)),
            done=Count("assignments", filter=Q(assignments__parent__isnull=True, assignments__state=State.ACCEPTED)),
        )
        .order_by("pk")
    )


def history(assignment: Assignment):
    return assignment.events.select_related("by").order_by("at", "pk")


def history_with_files(assignment: Assignment) -> list:
    """The history, each row with the files of its report as `report_files` (two queries)."""
    files: dict[int, list[ReportFile]] = {}
    for item in ReportFile.objects.filter(assignment=assignment).order_by("pk"):
        files.setdefault(item.event_id, []).append(item)
    events = list(history(assignment))
    for event in events:
        event.report_files = files.get(event.pk, [])
    return events


def desk_items(viewer) -> list[DeskItem]:
    """Assignments that need this person: to report (overdue first) and to review.

    Staff, secretaries and hosts: one query for the local branches they answer for, one for
    the counts to report; regional staff one more for the reports to review. Administrators:
    one, the regions' reports to review.
    """

    from assignments.access import assignments_visible_to, local_ids_for

    if not viewer.is_authenticated:
        return []
    region_level = Q(parent__isnull=True, local_branch__isnull=True, person__isnull=True)
    if viewer.is_admin:
        review = Assignment.objects.filter(region_level, state=State.REPORTED).count()
        if not review:
            return []
        url = reverse("assignments:mine")
        return [DeskItem(app="assignments", title=_("Reports to accept or return"), url=url, count=review)]
    today = timezone.localdate()
    local_ids = local_ids_for(viewer)
    mine = Q(region_id__in=viewer.staff_region_ids, local_branch__isnull=True, person__isnull=True) | Q(
        local_branch_id__in=local_ids, person__isnull=True
    )
    if viewer.person_id:
        mine |= Q(person_id=viewer.person_id)
    # One aggregate: what to report (and how much of it is overdue) and, for regional staff,
    # the reports of their local branches to accept or return.
    to_report = Q(mine, state__in=[State.OPEN, State.RETURNED])
    to_review = Q(region_id__in=viewer.staff_region_ids, state=State.REPORTED) & ~region_level
    counts = (
        assignments_visible_to(viewer, local_ids=local_ids)
        .filter(to_report | to_review if viewer.staff_region_ids else to_report)
        .aggregate(
            todo=Count("pk", filter=to_report),
            overdue=Count("pk", filter=to_report & Q(due_on__lt=today)),
            review=Count("pk", filter=to_review),
        )
    )
    items = []
    url = reverse("assignments:mine")
    if counts["overdue"]:
        items.append(
            DeskItem(
                app="assignments",
                title=_("Overdue assignments"),
                url=url,
                count=counts["overdue"],
                urgency=Urgency.OVERDUE,
            )
        )
    if counts["todo"] - counts["overdue"]:
        items.append(
            DeskItem(
                app="assignments", title=_("Assignments to report"), url=url, count=counts["todo"] - counts["overdue"]
            )
        )
    if viewer.staff_region_ids:
        review = counts["review"]
        if review:
            items.append(
                DeskItem(
                    app="assignments",
                    title=_("Reports to accept or return"),
                    url=reverse("assignments:region", kwargs={"region_pk": min(viewer.staff_region_ids)}),
                    count=review,
                )
            )
    return items


# Figures for the activity record (desk/record.py) ------------------------------


def on_time_figures(people, today: date):
    """Per person (`person_pk`): assignments addressed to them that were due by today, and those first
    reported (or accepted by a figure) by their due date.

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures).
    """
    reported_in_time = Event.objects.filter(
        assignment_id=OuterRef("pk"), state__in=[State.REPORTED, State.ACCEPTED], at__date__lte=OuterRef("due_on")
    )
    return (
        Assignment.objects.filter(person_id__in=people, due_on__lte=today)
        .values(person_pk=F("person_id"))
        .annotate(assignments_due=Count("pk"), assignments_on_time=Count("pk", filter=Exists(reported_in_time)))
        .order_by()
    )


# The region's overview (branches.hooks.region_sections) --------------------------------


def region_section(viewer, region: Region, *, today: date | None = None):
    """The decisions addressed to the region on its page: in work, overdue, reported, accepted.

    Counted over the assignments addressed to the region itself (not what it passed down or
    its staff addressed below it), the federal council's decisions among them, dropped ones
    left out. A `RegionSectionPlan` (branches.hooks): one aggregate row over the region's
    assignments (the region list's index), in the page's one statement.
    """
    from assignments.access import assignments_visible_to
    from branches.hooks import RegionSectionPlan
    from core.db import one_row

    today = today or timezone.localdate()
    # The region's staff reach every assignment of their region: no need to look up the
    # local branches the viewer leads (local_ids) to narrow it.
    queries = {
        "figures": one_row(
            assignments_visible_to(viewer, local_ids=frozenset())
            .filter(region=region, parent__isnull=True, local_branch__isnull=True, person__isnull=True)
            .exclude(state=State.DROPPED),
            total=Count("pk"),
            in_work=Count("pk", filter=Q(state__in=[State.OPEN, State.RETURNED])),
            overdue=Count("pk", filter=~Q(state__in=FINISHED) & Q(due_on__lt=today)),
            reported=Count("pk", filter=Q(state=State.REPORTED)),
            accepted=Count("pk", filter=Q(state=State.ACCEPTED)),
        )
    }
    return RegionSectionPlan(queries, lambda rows: _region_section(viewer, region, rows["figures"][0]))


def _region_section(viewer, region: Region, figures: dict):
    from dataclasses import replace

    from branches.hooks import RegionFigure, RegionSection

    url = reverse("assignments:region", kwargs={"region_pk": region.pk}) if viewer.staffs_region(region.pk) else ""
    section = RegionSection(
        app="assignments",
        title=_("Decisions addressed to the region"),
        url=url,
        link_label=_("Assignments of the region"),
        template="assignments/_region_section.html",
    )
    if not figures["total"]:
        return replace(section, empty=_("No decisions are addressed to the region."))
    return replace(
        section,
        figures=[
            RegionFigure(_("In work"), figures["in_work"], url),
            RegionFigure(_("Overdue"), figures["overdue"], url, alert=bool(figures["overdue"])),
            RegionFigure(_("Reported, awaiting acceptance"), figures["reported"], url),
            RegionFigure(_("Accepted"), figures["accepted"], url),
        ],
    )
