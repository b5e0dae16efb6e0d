"""Every write to assignments: issuing a directive (the fan-out), passing down, reporting,
accepting, returning, measuring, and the reminders they call for."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assignments import figures
from assignments.models import (
    FINISHED,
    MAX_REPORT_FILES,
    MEASURED_MOVES,
    MOVES,
    Assignment,
    Directive,
    Event,
    Figure,
    ReportFile,
    State,
)
from branches.models import LocalBranch, Person, Position, Region, Role
from core.db import explain_violations, message_for, save_or_explain
from core.uploads import check_file, original_name

# Who answers for an assignment addressed to a local branch: its secretary and executive head.
LOCAL_ROLES = (Role.LOCAL_SECRETARY, Role.LOCAL_HEAD)
# Reminders go out at this local hour in the addressee's region, so many days before the due date.
REMINDER_HOUR = 9
DUE_MARKS = (7, 1)


@dataclass(frozen=True)
class Addressees:
    """Whom a directive goes to: every region (`all_regions`), chosen regions, every local branch
    of chosen regions, chosen local branches, the holders of a post on the issue date (in one
    region, when `post_region` is given), or chosen people."""

    all_regions: bool = False
    regions: tuple[Region, ...] = ()
    local_branches_of: tuple[Region, ...] = ()
    local_branches: tuple[LocalBranch, ...] = ()
    post: str = ""  # a branches Role, resolved to the people who hold it on the issue date
    post_region: Region | None = None
    people: tuple[Person, ...] = ()
    # The region chosen people answer in (a host's follow-up: the region of the reception);
    # without it, the region of a post each holds on the issue date.
    people_region: Region | None = None


@transaction.atomic
def directive_issue(
    *,
    source_key: str,
    source_label: str,
    title: str,
    issued_on: date,
    due_on: date,
    to: Addressees,
    text: str = "",
    source_url: str = "",
    issued_by: Person | None = None,
    figure: str = "",
    target: Decimal | None = None,
    kind: str = "",
    owner: str = "",
) -> Directive:
    """Issue a directive and fan it out: one assignment per addressee, all in this transaction.

    At national size (2,600 local branches) it is two INSERT statements: the directive,
    then its assignments in one bulk insert; the constraints (due date not before the
    decision, one assignment per addressee, a known figure) are the last word.
    """
    if not title.strip():
        raise ValidationError(_("Say what must be done."), code="title")
    if due_on < issued_on:
        raise ValidationError(message_for("directive_due_after_issue"), code="directive_due_after_issue")
    if figure and not Figure.objects.filter(code=figure).exists():
        raise ValidationError(_("Unknown figure."), code="figure")
    directive = save_or_explain(
        Directive(
            source_key=source_key,
            source_label=source_label[:300],
            source_url=source_url,
            title=title.strip()[:300],
            text=text.strip(),
            issued_on=issued_on,
            due_on=due_on,
            issued_by=issued_by,
            figure_id=figure or None,
            target=target if figure else None,
            kind=kind,
            owner=owner.strip()[:200],
        )
    )
    rows = [
        Assignment(directive=directive, issued_on=issued_on, due_on=due_on, **addressee)
        for addressee in _resolve(to, issued_on)
    ]
    if not rows:
        raise ValidationError(_("Choose at least one addressee."), code="no_addressee")
    with explain_violations():
        created = Assignment.objects.bulk_create(rows)
    Event.objects.bulk_create([Event(assignment=a, state=State.OPEN, by=issued_by) for a in created])
    _plan_on_commit(directive.pk)
    return directive


def _resolve(to: Addressees, on: date) -> list[dict]:
    """The addressee columns of each assignment, in a stable order."""
    rows: list[dict] = []
    regions = list(Region.objects.order_by("code")) if to.all_regions else list(to.regions)
    rows += [{"region_id": region.pk} for region in regions]
    if to.local_branches_of:
        locals_ = LocalBranch.objects.filter(region__in=to.local_branches_of, closed_on__isnull=True).order_by("pk")
        rows += [{"region_id": lb.region_id, "local_branch_id": lb.pk} for lb in locals_]
    for lb in to.local_branches:
        if lb.closed_on is not None and lb.closed_on <= on:
            raise ValidationError(_("The local branch %(name)s is closed.") % {"name": lb.name}, code="closed")
        rows.append({"region_id": lb.region_id, "local_branch_id": lb.pk})
    if to.post:
        holders = Position.objects.current(on).filter(role=to.post)
        if to.post_region is not None:
            holders = holders.filter(region=to.post_region)
        holders = holders.order_by("person_id", "pk").distinct("person_id").values_list("person_id", "region_id")
        rows += [
            {"region_id": region, "person_id": person, "via_post": to.post} for person, region in holders if region
        ]
    for person in to.people:
        if to.people_region is not None:
            rows.append({"region_id": to.people_region.pk, "person_id": person.pk})
            continue
        region_id = (
            Position.objects.current(on)
            .filter(person=person, region__isnull=False)
            .values_list("region_id", flat=True)
            .first()
        )
        if region_id is None:
            raise ValidationError(_("%(person)s holds no post in a region.") % {"person": person}, code="no_region")
        rows.append({"region_id": region_id, "person_id": person.pk})
    return rows


@transaction.atomic
def assignment_pass_down(
    *, assignment: Assignment, local_branches: list[LocalBranch], by: Person | None, due_on: date | None = None
) -> list[Assignment]:
    """Split a region's assignment into one sub-assignment per chosen local branch of the region."""
    assignment = Assignment.objects.select_for_update().select_related("directive").get(pk=assignment.pk)
    if assignment.local_branch_id is not None or assignment.person_id is not None:
        raise ValidationError(_("Only a region's assignment is passed down to its local branches."), code="level")
    if assignment.is_finished:
        raise ValidationError(_("The assignment is already accepted."), code="done")
    strangers = [lb for lb in local_branches if lb.region_id != assignment.region_id]
    if strangers or not local_branches:
        raise ValidationError(_("Choose local branches of the region."), code="other_region")
    due_on = due_on or assignment.due_on
    if due_on > assignment.due_on:
        raise ValidationError(_("A part cannot be due after the whole."), code="due")
    rows = [
        Assignment(
            directive_id=assignment.directive_id,
            parent=assignment,
            region_id=assignment.region_id,
            local_branch=lb,
            issued_on=assignment.issued_on,
            due_on=due_on,
        )
        for lb in local_branches
    ]
    with explain_violations():
        children = Assignment.objects.bulk_create(rows)
    Event.objects.bulk_create([Event(assignment=child, state=State.OPEN, by=by) for child in children])
    _plan_on_commit(assignment.directive_id)
    return children


def _move(assignment: Assignment, to: str, *, by: Person | None, note: str = "", value=None) -> Assignment:
    """Change the state of a locked assignment and write the history row; the trigger is the last word."""
    allowed = MOVES | (MEASURED_MOVES if assignment.directive.is_measured else set())
    if (assignment.state, to) not in allowed:
        raise ValidationError(message_for("assignment_state_moves"), code="assignment_state_moves")
    assignment.state = to
    assignment.finished = to in FINISHED  # the trigger sets it too
    assignment.changed_at = timezone.now()
    fields = ["state", "finished", "changed_at"]
    if value is not None:
        assignment.value = value
        fields.append("value")
    save_or_explain(assignment, fields=fields)
    assignment.last_event = Event.objects.create(assignment=assignment, state=to, by=by, note=note, value=value)
    return assignment


def _locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("directive").get(pk=assignment.pk)


@transaction.atomic
def assignment_report(*, assignment: Assignment, by: Person | None, report: str, files: Sequence = ()) -> Assignment:
    """Report an open or returned assignment done, with files if any (images or PDF, checked by content).

    Steps, safe under concurrency: check the files (count, size, content) before anything
    is written; lock the row; if another report got there first, say who and when (the
    second of two simultaneous reports waits for the lock and then reads the first one's
    state); otherwise write the report, move to reported, and store the files with that
    history row (a failure removes the files stored so far).
    """
    if not report.strip():
        raise ValidationError(_("Write what was done."), code="report")
    if len(files) > MAX_REPORT_FILES:
        raise ValidationError(
            _("A report can have at most %(count)s files.") % {"count": MAX_REPORT_FILES}, code="too_many_files"
        )
    checked = [(upload, *check_file(upload)) for upload in files]
    assignment = _locked(assignment)
    if assignment.directive.is_measured:
        raise ValidationError(_("A measured assignment follows its figure; it is not reported."), code="measured")
    if assignment.state not in (State.OPEN, State.RETURNED):
        last = assignment.events.select_related("by").order_by("-at", "-pk").first()
        who = last.by if last and last.by else "—"
        when = formats.date_format(timezone.localtime(last.at), "SHORT_DATETIME_FORMAT") if last else ""
        raise ValidationError(
            _("The assignment was already reported by %(who)s at %(when)s.") % {"who": who, "when": when},
            code="already_reported",
        )
    assignment.report = report.strip()
    save_or_explain(assignment, fields=["report"])
    moved = _move(assignment, State.REPORTED, by=by, note=report.strip())
    _store_files(moved, moved.last_event, checked)
    _plan_on_commit(assignment.directive_id)
    return moved


def _store_files(assignment: Assignment, event: Event | None, checked: list) -> None:
    stored: list[ReportFile] = []
    try:
        for upload, content_type, extension in checked:
            item = ReportFile(
                assignment=assignment,
                event=event,
                original_name=original_name(upload, extension),
                content_type=content_type,
                size=upload.size,
            )
            item.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
            stored.append(item)
            save_or_explain(item)
    except Exception:
        for item in stored:
            item.file.delete(save=False)
        raise


@transaction.atomic
def assignment_accept(*, assignment: Assignment, by: Person | None) -> Assignment:
    assignment = _locked(assignment)
    moved = _move(assignment, State.ACCEPTED, by=by)
    _plan_on_commit(assignment.directive_id)
    return moved


@transaction.atomic
def assignment_return(*, assignment: Assignment, by: Person | None, note: str) -> Assignment:
    if not note.strip():
        raise ValidationError(_("Say why the assignment is returned."), code="note")
    assignment = _locked(assignment)
    moved = _move(assignment, State.RETURNED, by=by, note=note.strip())
    _plan_on_commit(assignment.directive_id)
    return moved


# What each wanted state takes from each state, in allowed moves: who issued an assignment
# to a person and follows it themself (a host's follow-up of a reception) settles it in one step.
SETTLE_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    State.ACCEPTED: {
        State.OPEN: (State.REPORTED, State.ACCEPTED),
        State.RETURNED: (State.REPORTED, State.ACCEPTED),
        State.REPORTED: (State.ACCEPTED,),
        State.DROPPED: (State.OPEN, State.REPORTED, State.ACCEPTED),
    },
    State.DROPPED: {
        State.OPEN: (State.DROPPED,),
        State.RETURNED: (State.DROPPED,),
        State.REPORTED: (State.DROPPED,),
        State.ACCEPTED: (State.RETURNED, State.DROPPED),
    },
    State.OPEN: {State.ACCEPTED: (State.RETURNED,), State.DROPPED: (State.OPEN,)},
}


@transaction.atomic
def assignment_settle(*, assignment: Assignment, to: str, by: Person | None, note: str = "") -> Assignment:
    """Bring an assignment to done (accepted), dropped or open again by the allowed moves, each in its history.

    For who issued it and answers for it at once (a host's follow-ups): "open" leaves an
    open, reported or returned assignment as it is.
    """
    assignment = _locked(assignment)
    if to not in SETTLE_PATHS:
        raise ValidationError(message_for("assignment_state_moves"), code="assignment_state_moves")
    for step in SETTLE_PATHS[to].get(assignment.state, ()):
        assignment = _move(assignment, step, by=by, note=note if step == to else "")
    _plan_on_commit(assignment.directive_id)
    return assignment


@transaction.atomic
def directive_update(*, directive: Directive, title: str, due_on: date, kind: str = "", owner: str = "") -> Directive:
    """Change what a directive says and its due date; its unfinished assignments take the new date.

    An accepted assignment keeps its date (the database refuses a change before it is returned).
    """
    if not title.strip():
        raise ValidationError(_("Say what must be done."), code="title")
    if due_on < directive.issued_on:
        raise ValidationError(message_for("directive_due_after_issue"), code="directive_due_after_issue")
    directive.title, directive.due_on = title.strip()[:300], due_on
    directive.kind, directive.owner = kind, owner.strip()[:200]
    save_or_explain(directive, fields=["title", "due_on", "kind", "owner"])
    with explain_violations():
        directive.assignments.unfinished().exclude(due_on=due_on).update(due_on=due_on)
    _plan_on_commit(directive.pk)
    return directive


@transaction.atomic
def directive_withdraw(*, directive: Directive) -> None:
    """Delete a directive with its assignments and history (a follow-up removed by who wrote it);
    its pending reminders are cancelled."""
    from notifications.services import notification_reconcile

    pk = directive.pk
    directive.delete()
    notification_reconcile(prefix=f"assignment.{pk}.", wanted=[])


@transaction.atomic
def assignment_measure(*, assignment: Assignment, today: date) -> Assignment:
    """Check a measured assignment's figure: a history row with the value, and a move when it crosses the target.

    At or above the target the assignment is accepted; below it, an accepted one is
    returned. A check that finds the same side changes no state.
    """
    assignment = _locked(assignment)
    directive = assignment.directive
    if directive.figure_id is None or directive.target is None:
        raise ValidationError(_("The assignment is not measured."), code="not_measured")
    value = figures.compute(
        directive.figure_id, region_id=assignment.region_id, local_branch_id=assignment.local_branch_id, today=today
    )
    met = value is not None and value >= directive.target
    if met and assignment.state != State.ACCEPTED:
        return _move(assignment, State.ACCEPTED, by=None, value=value, note=_("The figure reached its target."))
    if not met and assignment.state == State.ACCEPTED:
        return _move(assignment, State.RETURNED, by=None, value=value, note=_("The figure fell below its target."))
    assignment.value = value
    save_or_explain(assignment, fields=["value"])
    Event.objects.create(assignment=assignment, state=assignment.state, value=value)
    return assignment


def assignments_measure_all(*, today: date | None = None) -> int:
    """Check every measured assignment not yet past its due date by more than a month (the beat runs it daily)."""
    today = today or timezone.localdate()
    ids = list(
        Assignment.objects.filter(directive__figure__isnull=False, due_on__gte=today - timedelta(days=31))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        assignment_measure(assignment=Assignment(pk=pk), today=today)
    return len(ids)


# Reminders --------------------------------------------------------------------


def _plan_on_commit(directive_id: int) -> None:
    from assignments.tasks import directive_reminders_plan as plan_task

    plan_task.delay_on_commit(directive_id)


def _at(zone: str, day: date) -> datetime:
    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(zone))


def responsible_people(assignments: list[Assignment], on: date) -> dict[int, list[int]]:
    """Assignment id → the people who answer for it: the person; a local branch's secretary and head;
    a region's staff. Two queries whatever the number of assignments."""
    region_ids = {a.region_id for a in assignments if a.local_branch_id is None and a.person_id is None}
    local_ids = {a.local_branch_id for a in assignments if a.local_branch_id is not None and a.person_id is None}
    staff: dict[int, list[int]] = {}
    for region_id, person_id in (
        Position.objects.current(on)
        .filter(role=Role.REGIONAL_STAFF, region_id__in=region_ids)
        .order_by("person_id")
        .values_list("region_id", "person_id")
    ):
        staff.setdefault(region_id, []).append(person_id)
    heads: dict[int, list[int]] = {}
    for local_id, person_id in (
        Position.objects.current(on)
        .filter(role__in=LOCAL_ROLES, local_branch_id__in=local_ids)
        .order_by("person_id")
        .values_list("local_branch_id", "person_id")
    ):
        heads.setdefault(local_id, []).append(person_id)
    out = {}
    for a in assignments:
        if a.person_id is not None:
            out[a.pk] = [a.person_id]
        elif a.local_branch_id is not None:
            out[a.pk] = heads.get(a.local_branch_id, [])
        else:
            out[a.pk] = staff.get(a.region_id, [])
    return out


@transaction.atomic
def directive_reminders_plan(*, directive: Directive, today: date | None = None) -> dict:
    """Bring the directive's pending reminders in line with its assignments; safe to run any number of times.

    Each unfinished assignment wants: "new" to the addressee at once; "due soon" 7 and
    1 days before the due date; "overdue" the day after it, to the addressee and the
    issuer; "returned" at once when it was returned. Accepted ones want nothing more,
    so their pending reminders are cancelled by notification_reconcile.
    """
    from assignments import kinds
    from notifications.services import NotificationRow, notification_reconcile

    today = today or timezone.localdate()
    assignments = list(directive.assignments.unfinished().select_related("region").order_by("pk"))
    people = responsible_people(assignments, today)
    now = timezone.now()
    wanted = []
    for a in assignments:
        zone = a.region.time_zone
        context = {"title": directive.title, "due_on": a.due_on.isoformat(), "addressee": a.addressee}
        url = a.get_absolute_url()
        key = f"assignment.{directive.pk}.{a.pk}"
        for person_id in people[a.pk]:
            if person_id != directive.issued_by_id:  # who wrote it for themself knows it already
                wanted.append(NotificationRow(person_id, kinds.NEW.name, f"{key}.new.{person_id}", now, context, url))
            for days in DUE_MARKS:
                due_at = _at(zone, a.due_on - timedelta(days=days))
                if due_at > now:
                    wanted.append(
                        NotificationRow(
                            person_id,
                            kinds.DUE_SOON.name,
                            f"{key}.due{days}.{person_id}",
                            due_at,
                            context | {"days": days},
                            url,
                        )
                    )
            if a.state == State.RETURNED:
                wanted.append(
                    NotificationRow(
                        person_id,
                        kinds.RETURNED.name,
                        f"{key}.returned{a.changed_at:%Y%m%d%H%M%S}.{person_id}",
                        now,
                        context,
                        url,
                    )
                )
        overdue_to = set(people[a.pk]) | ({directive.issued_by_id} if directive.issued_by_id else set())
        for person_id in sorted(overdue_to):
            wanted.append(
                NotificationRow(
                    person_id,
                    kinds.OVERDUE.name,
                    f"{key}.overdue.{person_id}",
                    _at(zone, a.due_on + timedelta(days=1)),
                    context,
                    url,
                )
            )
    return notification_reconcile(prefix=f"assignment.{directive.pk}.", wanted=wanted)


@transaction.atomic
def weekly_digest_plan(*, today: date | None = None) -> int:
    """Plan this week's digest to each region's staff: the region's overdue assignments (a key per
    region, ISO week and person, so a second run the same week plans nothing). Three queries."""
    from django.db.models import Count

    from assignments import kinds
    from notifications.services import NotificationRow, notification_plan_many

    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    overdue = Assignment.objects.overdue(today)
    counts = {row["region_id"]: row["n"] for row in overdue.values("region_id").annotate(n=Count("pk")).order_by()}
    titles: dict[int, list[str]] = {}
    for region_id, title in overdue.values_list("region_id", "directive__title").distinct().order_by("region_id"):
        titles.setdefault(region_id, []).append(title)
    rows = []
    for region_id, person_id, region_name in (
        Position.objects.current(today)
        .filter(role=Role.REGIONAL_STAFF, region_id__in=counts)
        .order_by("region_id", "person_id")
        .values_list("region_id", "person_id", "region__name")
        .distinct()
    ):
        context = {"region": region_name, "count": counts[region_id], "titles": titles[region_id][:20]}
        rows.append(
            NotificationRow(
                person_id,
                kinds.WEEKLY_DIGEST.name,
                f"assignment.digest.{region_id}.{year}w{week}.{person_id}",
                timezone.now(),
                context,
                reverse("assignments:region", kwargs={"region_pk": region_id}),
            )
        )
    return notification_plan_many(rows=rows)
