"""Writes of events: create, propose, publish (freezing the expected list), keep the list in
line with the tree, answers, attendance, closing and cancelling, and the reminders.

The expected list follows secretary changes made after publication without the trunk
knowing about events (branches must not import a domain app, and signals for business
flow are not the house's way): `event_expected_reconcile` compares the list with the
tree on the event's date and records each change with its reason. It runs for every
upcoming event from the beat (hourly, `events.expected_reconcile_upcoming`) and when
the organiser or staff open the event, so the list they look at is never older than an
hour and is current when it matters.

Concurrency rule for attendance: the last mark wins, and every mark is kept in
MarkRecord, so two phones marking one person converge on the later mark and both
marks stay in the history. Marks take a share lock on the event (inside the database
trigger too), so they wait for a cancellation or a closing and are then refused.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import LocalBranch, Person, Position, PrimaryBranch, Region, Role
from branches.services import normalize_phone, person_create
from core.db import constraint_name, explain_violations, save_or_explain
from events import invitations, kinds
from events.models import (
    MARK_TRIGGER,
    MARK_TRIGGER_MESSAGE,
    MARKABLE_STATUSES,
    QUOTA_TRIGGER,
    QUOTA_TRIGGER_MESSAGE,
    Answer,
    Event,
    EventKind,
    EventStatus,
    ExpectedPerson,
    HeadMeetingPlan,
    InvitationRule,
    Mark,
    MarkRecord,
    MeetingInvitation,
    Question,
    Source,
)

# A request to answer goes this many days before the event, at this local hour.
ANSWER_REQUEST_DAYS = 3
MORNING = time(10, 0)
# The organiser is reminded to close this long after the end; staff are told after the second.
CLOSE_REMINDER_AFTER = timedelta(hours=24)
CLOSE_ESCALATION_AFTER = timedelta(hours=72)
# The last reminder before the event.
LAST_REMINDER_BEFORE = timedelta(hours=2)
EDITABLE_STATUSES = [EventStatus.DRAFT, EventStatus.PROPOSED, EventStatus.PUBLISHED]


def event_day(event: Event) -> date:
    """The event's date in its region's zone: the day whose secretaries are expected."""
    return timezone.localtime(event.starts_at, zoneinfo.ZoneInfo(event.region.time_zone)).date()


def _unit_columns(region: Region, local_branch: LocalBranch | None, primary_branch: PrimaryBranch | None) -> dict:
    if primary_branch is not None:
        local_branch = primary_branch.local_branch
    if local_branch is not None and local_branch.region_id != region.pk:
        raise ValidationError(_("The unit belongs to another region."), code="region")
    return {"region": region, "local_branch": local_branch, "primary_branch": primary_branch}


# Creating and changing ---------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    region: Region,
    organiser: Person,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = "party_event",
    local_branch: LocalBranch | None = None,
    primary_branch: PrimaryBranch | None = None,
    description: str = "",
    place: str = "",
    online_url: str = "",
) -> Event:
    """Create a draft event of a unit (the unit's parents are filled in from it)."""
    event = Event(
        **_unit_columns(region, local_branch, primary_branch),
        organiser=organiser,
        kind=kind,
        title=title.strip(),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url,
    )
    return save_or_explain(event)


@transaction.atomic
def event_update(*, event: Event, **changes) -> Event:
    """Change what an event says; a published event's calendar SEQUENCE rises and its reminders follow."""
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A held, closed or cancelled event cannot be changed."), code="status")
    for name, value in changes.items():
        setattr(event, name, value)
    event.updated_at = timezone.now()
    if event.status == EventStatus.PUBLISHED:
        event.sequence += 1
    save_or_explain(event)
    if event.status == EventStatus.PUBLISHED:
        event_expected_reconcile(event=event)
        event_reminders_plan(event=event)
    return event


@transaction.atomic
def event_propose(*, event: Event) -> Event:
    """A local branch sends its draft to the regional staff for approval."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("Only a draft can be proposed."), code="status")
    event.status = EventStatus.PROPOSED
    event.updated_at = timezone.now()
    return save_or_explain(event, fields=["status", "updated_at"])


@transaction.atomic
def event_publish(*, event: Event, now: datetime | None = None) -> Event:
    """Publish a draft (staff) or approve a proposal (staff): freeze the expected list, plan the reminders.

    Steps: lock the event (a second publish waits and then finds it published); insert
    the list from the tree on the event's date; mark it published; plan the messages.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status not in (EventStatus.DRAFT, EventStatus.PROPOSED):
        raise ValidationError(_("This event is already published."), code="status")
    if event.starts_at <= now:
        raise ValidationError(_("An event that has started cannot be published; change its time."), code="past")
    with explain_violations():
        ExpectedPerson.objects.bulk_create(
            [
                ExpectedPerson(event=event, primary_branch_id=branch_id, person_id=person_id, added_at=now)
                for branch_id, person_id in _tree_lines(event).items()
            ],
            batch_size=2000,
        )
    if event.kind == EventKind.HEAD_MEETING:
        _invite_by_rule(event, now)
    event.status = EventStatus.PUBLISHED
    event.published_at = event.updated_at = event.expected_checked_at = now
    save_or_explain(event, fields=["status", "published_at", "updated_at", "expected_checked_at"])
    event_reminders_plan(event=event)
    return event


def _tree_lines(event: Event) -> dict[int, int | None]:
    """Branch → its secretary on the event's day (None: vacant), for every branch open inside the unit.

    One query: the branches of the unit open that day, each with the secretary whose term
    covers it (the index position_secretary_by_branch serves the subquery). A person who
    is the secretary of two branches inside the unit is listed once, for the first.
    """
    day = event_day(event)
    branches = PrimaryBranch.objects.filter(region_id=event.region_id)
    if event.primary_branch_id is not None:
        branches = branches.filter(pk=event.primary_branch_id)
    elif event.local_branch_id is not None:
        branches = branches.filter(local_branch_id=event.local_branch_id)
    secretary = (
        Position.objects.current(day).secretaries().filter(primary_branch_id=OuterRef("pk")).values("person_id")[:1]
    )
    rows = (
        branches.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .annotate(secretary_id=Subquery(secretary))
        .order_by("number")
        .values_list("pk", "secretary_id")
    )
    lines: dict[int, int | None] = {}
    seen: set[int] = set()
    for branch_id, person_id in rows:
        if person_id is not None and person_id in seen:
            continue
        seen.add(person_id)
        lines[branch_id] = person_id
    return lines


@dataclass(frozen=True)
class ListChange:
    added: int
    removed: int


@transaction.atomic
def event_expected_reconcile(*, event: Event, now: datetime | None = None) -> ListChange:
    """Bring an upcoming event's list in line with the tree; record each change with its reason.

    Steps: lock the event (two reconciles run one after the other); compute the tree's
    lines for the event's day; remove the tree lines that no longer hold (a secretary
    ended, a new one appointed, a branch closed), with the reason; add the new ones (or
    put back a removed line of the same person). Hand-added lines and walk-ins are left
    alone. An event that has started keeps the list it had.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return ListChange(0, 0)
    wanted = _tree_lines(event)
    lines = list(event.expected.filter(source=Source.TREE))
    active = [line for line in lines if line.removed_at is None]
    removed = 0
    for line in active:
        if line.primary_branch_id in wanted and wanted[line.primary_branch_id] == line.person_id:
            continue
        if line.primary_branch_id not in wanted:
            reason = _("The branch closed or left the unit.")
        elif line.person_id is None:
            reason = _("A secretary was appointed.")
        elif wanted[line.primary_branch_id] is None:
            reason = _("The secretary's term ended.")
        else:
            reason = _("Another secretary was appointed.")
        line.removed_at, line.removed_reason = now, reason
        line.save(update_fields=["removed_at", "removed_reason"])
        removed += 1
    kept = {(line.primary_branch_id, line.person_id) for line in active if line.removed_at is None}
    by_person = {line.person_id: line for line in event.expected.filter(person__isnull=False)}
    added = 0
    for branch_id, person_id in wanted.items():
        if (branch_id, person_id) in kept:
            continue
        reason = _("Secretary since publication.") if person_id else _("The branch became vacant.")
        existing = by_person.get(person_id) if person_id else None
        if existing is not None and existing.removed_at is None:
            continue  # already on the list (added by hand, or a walk-in)
        if existing is not None:
            existing.removed_at, existing.removed_reason = None, ""
            existing.primary_branch_id, existing.source, existing.reason = branch_id, Source.TREE, reason
            existing.save(update_fields=["removed_at", "removed_reason", "primary_branch", "source", "reason"])
        else:
            with explain_violations():
                ExpectedPerson.objects.create(
                    event=event, primary_branch_id=branch_id, person_id=person_id, reason=reason, added_at=now
                )
        added += 1
    event.expected_checked_at = now
    event.save(update_fields=["expected_checked_at"])
    if added or removed:
        event_reminders_plan(event=event)
    return ListChange(added, removed)


def events_expected_reconcile_upcoming(*, now: datetime | None = None) -> int:
    """Queue the reconciling of every upcoming published event (one task each); return how many."""
    from events.tasks import event_expected_reconcile as reconcile_task

    ids = list(Event.objects.upcoming(now).values_list("pk", flat=True))
    for event_id in ids:
        transaction.on_commit(functools.partial(reconcile_task.delay, event_id))
    return len(ids)


@transaction.atomic
def expected_add(*, event: Event, person: Person, reason: str) -> ExpectedPerson:
    """Add a person to the list by hand, with the reason (a removed line of theirs comes back)."""
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The list of a held, closed or cancelled event is fixed."), code="status")
    line = event.expected.filter(person=person).first()
    if line is not None and line.removed_at is None:
        raise ValidationError(_("This person is already on the event's list."), code="expected_person_once")
    if line is None:
        line = ExpectedPerson(event=event, person=person)
    line.source, line.reason, line.removed_at, line.removed_reason = Source.HAND, reason.strip(), None, ""
    line.primary_branch = None
    save_or_explain(line)
    if event.status == EventStatus.PUBLISHED:
        event_reminders_plan(event=event)
    return line


@transaction.atomic
def walk_in_record(*, event: Event, by: Person | None, person: Person | None = None, name: str = "") -> ExpectedPerson:
    """Record someone who came without being expected (marked as came at once)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_markable(event)
    now = timezone.now()
    line = ExpectedPerson(
        event=event,
        person=person,
        name="" if person else name.strip(),
        source=Source.WALK_IN,
        reason=_("Came without an invitation."),
        mark=Mark.CAME,
        marked_at=now,
    )
    with marks_explained():
        line.save()
    MarkRecord.objects.create(expected=line, mark=Mark.CAME, marked_by=by, marked_at=now)
    return line


# Answers and attendance ---------------------------------------------------------


@transaction.atomic
def answer_give(*, line: ExpectedPerson, answer: str, cannot_reason: str = "", note: str = "") -> ExpectedPerson:
    """The expected person answers: will come, or cannot with a reason (until the event starts)."""
    line = ExpectedPerson.objects.select_for_update().select_related("event__region").get(pk=line.pk)
    event = line.event
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        raise ValidationError(_("Answers are taken until the event starts."), code="closed")
    line.answer = answer
    line.cannot_reason = cannot_reason if answer == Answer.CANNOT else ""
    line.answer_note = note.strip()
    line.answered_at = timezone.now()
    save_or_explain(line, fields=["answer", "cannot_reason", "answer_note", "answered_at"])
    event_reminders_plan(event=event)
    return line


@contextmanager
def marks_explained() -> Iterator[None]:
    """Run the block in a savepoint; the trigger's refusal of a mark becomes its message.

    The other rules on the same rows are constraints, explained by core.db as usual.
    """
    try:
        with explain_violations():
            yield
    except IntegrityError as error:
        if constraint_name(error) != MARK_TRIGGER:
            raise
        raise ValidationError(MARK_TRIGGER_MESSAGE, code=MARK_TRIGGER) from error


def _check_markable(event: Event) -> None:
    if event.status not in MARKABLE_STATUSES:
        raise ValidationError(MARK_TRIGGER_MESSAGE, code=MARK_TRIGGER)
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance is marked once the event has started."), code="early")


@transaction.atomic
def attendance_mark(*, event: Event, marks: dict[int, str], by: Person | None) -> int:
    """Mark attendance for many lines in one go; return how many marks changed.

    Steps: lock the event row against other writers (FOR NO KEY UPDATE: marks on one
    event run one after another, a cancellation or closing waits for them or they for
    it); read the lines' current marks; update the changed ones with one statement per
    mark value, and record each change in MarkRecord. Two phones marking the same line:
    both requests run, the later one's mark wins, both marks are recorded.
    """
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    _check_markable(event)
    current = dict(event.expected.active().filter(pk__in=list(marks)).values_list("pk", "mark"))
    changed: dict[str, list[int]] = {}
    for pk, mark in marks.items():
        if pk in current and mark in Mark.values and current[pk] != mark:
            changed.setdefault(mark, []).append(pk)
    now = timezone.now()
    with marks_explained():
        for mark, pks in changed.items():
            ExpectedPerson.objects.filter(pk__in=pks).update(mark=mark, marked_at=now)
        MarkRecord.objects.bulk_create(
            [
                MarkRecord(expected_id=pk, mark=mark, marked_by=by, marked_at=now)
                for mark, pks in changed.items()
                for pk in pks
            ]
        )
    if changed and event.status == EventStatus.PUBLISHED:
        Event.objects.filter(pk=event.pk, status=EventStatus.PUBLISHED).update(status=EventStatus.HELD, updated_at=now)
    return sum(len(pks) for pks in changed.values())


@transaction.atomic
def check_in(*, event: Event, code: str, by: Person | None) -> ExpectedPerson:
    """Check a person in at the door with their personal code: they are marked as came.

    Steps: lock the event as marking does; find the line by (event, code) on the unique
    index, so a code of another event is simply not found; refuse a line already
    checked in (a code shown twice, a screenshot passed on); mark it as came, recorded.
    """
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    _check_markable(event)
    normalised = "".join(code.split()).upper()
    line = (
        event.expected.active().filter(check_in_code=normalised, person__isnull=False).select_related("person").first()
    )
    if line is None:
        raise ValidationError(_("No one on this event's list has this code."), code="unknown")
    if line.checked_in_at is not None:
        raise ValidationError(
            _("%(person)s has already checked in with this code."), params={"person": line.person}, code="reused"
        )
    now = timezone.now()
    line.mark, line.marked_at, line.checked_in_at = Mark.CAME, now, now
    with marks_explained():
        line.save(update_fields=["mark", "marked_at", "checked_in_at"])
    MarkRecord.objects.create(expected=line, mark=Mark.CAME, marked_by=by, marked_at=now)
    if event.status == EventStatus.PUBLISHED:
        Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD, updated_at=now)
    return line


# Closing and cancelling ---------------------------------------------------------------


@transaction.atomic
def event_close(*, event: Event, report: str, now: datetime | None = None) -> Event:
    """Close a held event: every expected person marked, and a short report.

    The event is locked first, so no mark can come in between the check and the close
    (marks lock it too); the database refuses a closed event without a report.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status not in MARKABLE_STATUSES or event.ends_at > now:
        raise ValidationError(_("Only an event that has ended can be closed."), code="status")
    unmarked = event.expected.expected().filter(person__isnull=False, mark="").count()
    if unmarked:
        raise ValidationError(
            _("Mark the attendance of everyone expected first: %(count)s not marked."),
            params={"count": unmarked},
            code="unmarked",
        )
    event.status, event.report, event.closed_at, event.updated_at = EventStatus.CLOSED, report.strip(), now, now
    save_or_explain(event, fields=["status", "report", "closed_at", "updated_at"])
    event_reminders_plan(event=event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, reason: str, now: datetime | None = None) -> Event:
    """Cancel an event that is not closed, with the reason; the expected are told, the calendar too."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("region").get(pk=event.pk)
    if event.status in (EventStatus.CLOSED, EventStatus.CANCELLED, EventStatus.HELD):
        raise ValidationError(_("A held, closed or cancelled event cannot be cancelled."), code="status")
    event.status, event.cancel_reason, event.cancelled_at, event.updated_at = (
        EventStatus.CANCELLED,
        reason.strip(),
        now,
        now,
    )
    event.sequence += 1
    save_or_explain(event, fields=["status", "cancel_reason", "cancelled_at", "updated_at", "sequence"])
    event_reminders_plan(event=event)
    return event


def events_hold_ended(*, now: datetime | None = None) -> int:
    """Move published events that have ended to held (the beat runs it); return how many."""
    now = now or timezone.now()
    return Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__lte=now).update(
        status=EventStatus.HELD, updated_at=now
    )


# Reminders -------------------------------------------------------------------------------


def _zone(person_zone: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(person_zone or settings.DEFAULT_VIEWER_TIME_ZONE)


def _morning_before(starts_at: datetime, days: int, person_zone: str) -> datetime:
    """10:00 in the person's zone, `days` days before the event's date there."""
    zone = _zone(person_zone)
    day = timezone.localtime(starts_at, zone).date() - timedelta(days=days)
    return datetime.combine(day, MORNING, tzinfo=zone)


def event_reminders_wanted(event: Event) -> list:
    """Every message the event calls for now (notifications.services.NotificationRow)."""
    from notifications.services import NotificationRow

    prefix = f"event.{event.pk}."
    url = event.get_absolute_url()
    context = {
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "place": event.place,
        "online_url": event.online_url,
        "region": event.region.name,
    }
    rows: list[NotificationRow] = []
    if event.status == EventStatus.DRAFT or event.status == EventStatus.PROPOSED:
        return rows
    lines = list(
        event.expected.expected()
        .filter(person__isnull=False)
        .select_related("person")
        .only("pk", "answer", "person_id", "person__time_zone")
    )
    if event.status == EventStatus.CANCELLED and event.cancelled_at is not None:
        cancelled = context | {"reason": event.cancel_reason}
        for line in lines:
            key = f"{prefix}cancelled.{line.person_id}"
            rows.append(NotificationRow(line.person_id, kinds.CANCELLED.name, key, event.cancelled_at, cancelled, url))
        return rows
    published_at = event.published_at or event.starts_at
    if event.status == EventStatus.PUBLISHED:
        for line in lines:
            who, zone = line.person_id, line.person.time_zone
            rows.append(
                NotificationRow(who, kinds.PUBLISHED.name, f"{prefix}published.{who}", published_at, context, url)
            )
            if line.answer == Answer.CANNOT:
                continue
            wanted = [(kinds.REMINDER.name, f"{prefix}day_before.{who}", _morning_before(event.starts_at, 1, zone))]
            wanted.append((kinds.REMINDER.name, f"{prefix}two_hours.{who}", event.starts_at - LAST_REMINDER_BEFORE))
            if not line.answer:
                due = _morning_before(event.starts_at, ANSWER_REQUEST_DAYS, zone)
                wanted.append((kinds.ANSWER_REQUEST.name, f"{prefix}answer.{who}", due))
            rows.extend(
                NotificationRow(who, kind, key, due, context, url)
                for kind, key, due in wanted
                if published_at < due < event.starts_at
            )
    if event.status in MARKABLE_STATUSES:
        rows.append(
            NotificationRow(
                event.organiser_id,
                kinds.CLOSE_REMINDER.name,
                f"{prefix}close.{event.organiser_id}",
                event.ends_at + CLOSE_REMINDER_AFTER,
                context,
                url,
            )
        )
        staff = (
            Position.objects.current(event.region.today())
            .filter(role=Role.REGIONAL_STAFF, region_id=event.region_id)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        escalated = context | {"organiser": str(event.organiser)}
        rows.extend(
            NotificationRow(
                person_id,
                kinds.CLOSE_ESCALATION.name,
                f"{prefix}escalate.{person_id}",
                event.ends_at + CLOSE_ESCALATION_AFTER,
                escalated,
                url,
            )
            for person_id in staff
        )
    return rows


def event_reminders_plan(*, event: Event) -> dict:
    """Bring the event's planned messages in line with it (plan, re-time, cancel); safe to repeat."""
    from notifications.services import notification_reconcile

    return notification_reconcile(prefix=f"event.{event.pk}.", wanted=event_reminders_wanted(event))


# Questions to a head's meeting --------------------------------------------------------------


@transaction.atomic
def question_ask(*, line: ExpectedPerson, text: str) -> Question:
    """A branch on the list sends a question before the meeting (its secretary asks for it)."""
    event = Event.objects.select_for_update().get(pk=line.event_id)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        raise ValidationError(_("Questions are taken until the meeting starts."), code="closed")
    if line.primary_branch_id is None or line.person_id is None:
        raise ValidationError(_("Questions come from the secretaries of the branches on the list."), code="branch")
    question = Question(event=event, primary_branch_id=line.primary_branch_id, asked_by_id=line.person_id, text=text)
    return save_or_explain(question)


@transaction.atomic
def question_answer(
    *, question: Question, answer: str = "", selected: bool = False, duplicate_of: Question | None = None
) -> Question:
    """Select, group (a duplicate points at its group's question) or answer; an answer goes to the branch.

    Its key lies outside the event's reminder prefix (event.<pk>.), which
    event_reminders_plan reconciles. The answer is sent to whoever asked (the inbox and e-mail, through the engine); the
    questions grouped under this one are answered with it and their askers told too.
    """
    from notifications.services import NotificationRow, notification_plan_many

    question = Question.objects.select_for_update().select_related("event").get(pk=question.pk)
    question.selected = selected
    question.duplicate_of = duplicate_of if duplicate_of is None or duplicate_of.event_id == question.event_id else None
    now = timezone.now()
    answered = []
    if answer.strip():
        question.answer, question.answered_at = answer.strip(), now
        answered = [question, *question.duplicates.filter(answered_at__isnull=True)]
    save_or_explain(question, fields=["selected", "duplicate_of", "answer", "answered_at"])
    for duplicate in answered[1:]:
        duplicate.answer, duplicate.answered_at = question.answer, now
        save_or_explain(duplicate, fields=["answer", "answered_at"])
    event = question.event
    notification_plan_many(
        rows=[
            NotificationRow(
                item.asked_by_id,
                kinds.QUESTION_ANSWERED.name,
                f"event_question.{item.pk}.answered",
                now,
                {"title": event.title, "question": item.text, "answer": question.answer},
                event.get_absolute_url(),
            )
            for item in answered
        ]
    )
    return question


# Invitations to a head's meeting ------------------------------------------------------------

# The rules whose invitees come from a source registered in events.invitations (desk/ wires them).
SOURCED_RULES = [InvitationRule.CONTEST_WINNERS, InvitationRule.COUNCIL_MEMBERS]


@transaction.atomic
def invitation_set(
    *,
    event: Event,
    rule: str,
    per_local_branch: int | None = None,
    nominations_due: datetime | None = None,
    year: int | None = None,
) -> MeetingInvitation:
    """Choose who a head's meeting invites besides the territory's secretaries (before publication)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.kind != EventKind.HEAD_MEETING:
        raise ValidationError(_("Only a meeting of the head with activists invites by a rule."), code="kind")
    if event.status not in (EventStatus.DRAFT, EventStatus.PROPOSED):
        raise ValidationError(_("The invitation rule is fixed once the meeting is published."), code="status")
    if rule == InvitationRule.NOMINATED and nominations_due is not None and nominations_due >= event.starts_at:
        raise ValidationError(_("Nominations must close before the meeting starts."), code="due")
    if rule in SOURCED_RULES and invitations.source_for(rule) is None:
        raise ValidationError(_("The list of people for this rule is not available here."), code="source")
    invitation = MeetingInvitation.objects.filter(event=event).first() or MeetingInvitation(event=event)
    invitation.rule = rule
    invitation.per_local_branch = per_local_branch if rule == InvitationRule.NOMINATED else None
    invitation.nominations_due = nominations_due if rule == InvitationRule.NOMINATED else None
    invitation.year = year if rule == InvitationRule.CONTEST_WINNERS else None
    return save_or_explain(invitation)


def _invite_by_rule(event: Event, now: datetime) -> int:
    """At publication, add the people a sourced rule names (contest winners, council members).

    A branch named without a person stands for its secretary on the meeting's day; a person
    already on the list (a secretary of the territory) is not added twice. Queries: the
    source's own, the secretaries of the named branches (1), their local branches (1), the
    people on the list (1), one insert.
    """
    invitation = MeetingInvitation.objects.filter(event=event).first()
    if invitation is None or invitation.rule not in SOURCED_RULES:
        return 0
    source = invitations.source_for(invitation.rule)
    if source is None:
        raise ValidationError(_("The list of people for this rule is not available here."), code="source")
    day = event_day(event)
    invitees = source(event.region_id, invitation.year, day)
    branch_ids = {i.primary_branch_id for i in invitees if i.primary_branch_id is not None}
    secretaries = dict(
        Position.objects.current(day)
        .secretaries()
        .filter(primary_branch_id__in=branch_ids)
        .values_list("primary_branch_id", "person_id")
    )
    local_of = dict(PrimaryBranch.objects.filter(pk__in=branch_ids).values_list("pk", "local_branch_id"))
    on_list = set(event.expected.filter(person__isnull=False).values_list("person_id", flat=True))
    lines = []
    for invitee in invitees:
        branch_id = invitee.primary_branch_id
        person_id = invitee.person_id or (secretaries.get(branch_id) if branch_id is not None else None)
        if person_id is None or person_id in on_list:
            continue
        on_list.add(person_id)
        lines.append(
            ExpectedPerson(
                event=event,
                person_id=person_id,
                primary_branch_id=branch_id,
                local_branch_id=invitee.local_branch_id or (local_of.get(branch_id) if branch_id is not None else None),
                source=Source.INVITED,
                reason=invitee.reason[:300],
                added_at=now,
            )
        )
    with explain_violations():
        ExpectedPerson.objects.bulk_create(lines)
    invitation.resolved_at = now
    invitation.save(update_fields=["resolved_at"])
    return len(lines)


@contextmanager
def quota_explained() -> Iterator[None]:
    """The nominations trigger's refusal becomes its message (as marks_explained does for marks)."""
    try:
        with explain_violations():
            yield
    except IntegrityError as error:
        if constraint_name(error) != QUOTA_TRIGGER:
            raise
        raise ValidationError(QUOTA_TRIGGER_MESSAGE, code=QUOTA_TRIGGER) from error


@transaction.atomic
def nomination_add(
    *,
    event: Event,
    primary_branch: PrimaryBranch,
    by: Person,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    phone: str = "",
    now: datetime | None = None,
) -> ExpectedPerson:
    """A local branch's secretary nominates an activist of one of its primary branches.

    Steps: lock the meeting's invitation (the quota trigger takes the same lock, so two
    secretaries of one local branch nominating at once are counted one after the other);
    check the rule, the publication and the deadline; find the activist by phone among
    the people the party keeps, or record them; insert the line, the trigger holding the
    quota of the local branch; plan the activist's reminders.
    """
    now = now or timezone.now()
    invitation = MeetingInvitation.objects.select_for_update().filter(event_id=event.pk).first()
    if invitation is None or invitation.rule != InvitationRule.NOMINATED:
        raise ValidationError(_("This meeting does not take nominations."), code="rule")
    event = Event.objects.select_related("region").get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Nominations are taken once the meeting is published."), code="status")
    if invitation.nominations_due is not None and now > invitation.nominations_due:
        raise ValidationError(_("The deadline for nominations has passed."), code="due")
    if event.local_branch_id is not None and primary_branch.local_branch_id != event.local_branch_id:
        raise ValidationError(_("The branch lies outside the meeting's territory."), code="territory")
    if primary_branch.region_id != event.region_id:
        raise ValidationError(_("The branch lies outside the meeting's territory."), code="territory")
    normalised = normalize_phone(phone) if phone else ""
    person = Person.objects.filter(phone=normalised).first() if normalised else None
    if person is None:
        person = person_create(last_name=last_name, first_name=first_name, patronymic=patronymic, phone=phone)
    if event.expected.active().filter(person=person).exists():
        raise ValidationError(_("This person is already on the event's list."), code="expected_person_once")
    line = event.expected.filter(person=person).first() or ExpectedPerson(event=event, person=person)
    line.primary_branch, line.local_branch_id, line.nominated_by = primary_branch, primary_branch.local_branch_id, by
    line.source, line.removed_at, line.removed_reason = Source.INVITED, None, ""
    line.reason = _("Nominated by %(local)s") % {"local": primary_branch.local_branch.name}
    with quota_explained():
        line.save()
    event_reminders_plan(event=event)
    return line


@transaction.atomic
def nomination_withdraw(*, line: ExpectedPerson, now: datetime | None = None) -> ExpectedPerson:
    """Take a nomination back before the deadline (the line stays, removed, with the reason)."""
    now = now or timezone.now()
    invitation = MeetingInvitation.objects.select_for_update().get(event_id=line.event_id)
    if invitation.nominations_due is not None and now > invitation.nominations_due:
        raise ValidationError(_("The deadline for nominations has passed."), code="due")
    line = ExpectedPerson.objects.select_for_update().get(pk=line.pk)
    line.removed_at, line.removed_reason = now, _("The nomination was withdrawn.")
    line.save(update_fields=["removed_at", "removed_reason"])
    event_reminders_plan(event=Event.objects.select_related("region").get(pk=line.event_id))
    return line


@transaction.atomic
def head_meeting_plan_set(*, region: Region, year: int, planned: int) -> HeadMeetingPlan:
    """Set how many head's meetings a region plans in a year (one plan per region and year)."""
    plan = HeadMeetingPlan.objects.select_for_update().filter(region=region, year=year).first()
    plan = plan or HeadMeetingPlan(region=region, year=year)
    plan.planned, plan.updated_at = planned, timezone.now()
    return save_or_explain(plan)


# A question becomes an assignment -----------------------------------------------------------


def question_source_key(question_id: int) -> str:
    """The key that ties a directive of the assignments engine to the question it came from."""
    return f"events.question.{question_id}"


@transaction.atomic
def question_assign(*, question: Question, owner: Person, title: str, due_on: date, by: Person | None, text: str = ""):
    """Turn a head's meeting's question into an assignment with an owner and a due date.

    Steps: lock the question (two organisers pressing at once: the second waits, then
    finds the directive and is refused); issue a directive to the owner through the
    assignments engine, keyed by the question, issued on today's date in the region.
    """
    from assignments.models import Directive
    from assignments.services import Addressees, directive_issue

    question = Question.objects.select_for_update().select_related("event__region").get(pk=question.pk)
    key = question_source_key(question.pk)
    if Directive.objects.filter(source_key=key).exists():
        raise ValidationError(_("This question is already an assignment."), code="assigned")
    event = question.event
    return directive_issue(
        source_key=key,
        source_label=_("Question to %(event)s") % {"event": event.title},
        source_url=event.get_absolute_url(),
        title=title,
        text=text or question.text,
        issued_on=event.region.today(),
        due_on=due_on,
        to=Addressees(people=(owner,)),
        issued_by=by,
    )
