"""Every write to a council: its policy, seats, meetings, attendance and decisions."""

import zoneinfo
from collections.abc import Sequence
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from branches.models import LocalBranch, Person, Region
from branches.services import person_create
from core.db import message_for, save_or_explain
from core.queue import enqueue, enqueue_on_commit
from councils.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilDecision,
    CouncilLevel,
    CouncilMeeting,
    CouncilSeat,
    SeatRole,
    TermPolicy,
    quorum_reached,
)
from councils.selectors import policy_on

# Councils and their policy ----------------------------------------------------


def council_for(region: Region) -> Council:
    """The council of a region, created when missing (every region has one)."""
    council, _created = Council.objects.get_or_create(region=region)
    if council.region_id == region.pk:
        council.region = region  # reuse the caller's object: no query for its name later
    return council


def federal_council() -> Council:
    """The federal council of primary branches, created when missing (there is one)."""
    council, _created = Council.objects.get_or_create(level=CouncilLevel.FEDERAL, region=None)
    return council


@transaction.atomic
def councils_create_missing() -> int:
    """Give every region without a council its council (as migration 0003 did); return how many."""
    missing = Region.objects.filter(council__isnull=True).order_by("code")
    return len(Council.objects.bulk_create([Council(region=region) for region in missing], ignore_conflicts=True))


def add_years(start: date, years: int) -> date:
    """The first day after a term of `years` years that starts on `start`.

    A term from 29 February runs through 28 February of a year without one (its
    last day is the last day of that month, as the Civil Code counts terms in
    years), so the next term starts on 1 March.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        return date(start.year + years, 3, 1)


def term_end(*, council: Council, role: str, starts_on: date) -> date:
    """When a term starting on `starts_on` ends by the council's policy (first day no longer held)."""
    return add_years(starts_on, policy_on(council, starts_on).years_for(role))


@transaction.atomic
def policy_update(
    *, council: Council, applies_from: date, representative_years: int, chair_years: int, deputy_chair_years: int
) -> TermPolicy:
    """Change the term lengths for terms starting from `applies_from`; approved terms keep their end."""
    policy = TermPolicy(
        council=council,
        applies_from=applies_from,
        representative_years=representative_years,
        chair_years=chair_years,
        deputy_chair_years=deputy_chair_years,
    )
    return save_or_explain(policy)


# Seats ------------------------------------------------------------------------


def _lock_council(council: Council) -> Council:
    """Take the council's row lock: appointments to one council run one after another."""
    return Council.objects.select_for_update().get(pk=council.pk)


def _slot(council: Council, role: str, local_branch: LocalBranch | None, person: Person | None = None):
    seats = CouncilSeat.objects.filter(council=council, role=role)
    if role == SeatRole.REPRESENTATIVE:
        seats = seats.filter(local_branch=local_branch)
    if role == SeatRole.MEMBER:
        seats = seats.filter(person=person)
    return seats


def _check_decision(council: Council, decision: CouncilDecision | None, number: str, on: date | None) -> None:
    if decision is not None and (number or on):
        raise ValidationError(message_for("council_seat_one_kind_of_decision"), code="decision")
    if decision is not None and decision.council_id != council.pk:
        raise ValidationError(message_for("council_seat_decision_of_council"), code="decision")


@transaction.atomic
def seat_appoint(
    *,
    council: Council,
    role: str,
    person: Person,
    starts_on: date,
    local_branch: LocalBranch | None = None,
    ends_on: date | None = None,
    decision: CouncilDecision | None = None,
    decision_number: str = "",
    decision_date: date | None = None,
    long_term_reason: str = "",
) -> CouncilSeat:
    """Give `person` a seat for a term; the end follows from the council's policy unless given.

    A term longer than the policy is accepted only with `long_term_reason`, which the
    council page shows (the trigger `council_seat_term_rule` holds it in the database).

    Steps, safe under concurrency:
    1. lock the council row, so appointments to one council run one after another;
    2. check the seat is free for the whole term, with a message naming who holds it;
    3. insert; the exclusion constraints are the last word on overlaps (a writer that
       skips this service is refused by the database all the same).
    """
    council = _lock_council(council)
    if council.is_federal != (role == SeatRole.MEMBER):
        name = "council_seat_level_of_council"
        raise ValidationError(message_for(name), code=name)
    if role == SeatRole.REPRESENTATIVE:
        if local_branch is None:
            raise ValidationError(_("Choose the local branch the representative speaks for."), code="local_branch")
        if local_branch.region_id != council.region_id:
            raise ValidationError(message_for("council_seat_local_in_region"), code="other_region")
        if local_branch.closed_on is not None and local_branch.closed_on <= starts_on:
            raise ValidationError(_("The local branch is closed."), code="local_closed")
    else:
        local_branch = None
    _check_decision(council, decision, decision_number, decision_date)
    by_policy = term_end(council=council, role=role, starts_on=starts_on) if role != SeatRole.MEMBER else None
    ends_on = ends_on or by_policy
    if ends_on is None:
        raise ValidationError(_("Enter the end of the term."), code="ends_on")
    if ends_on <= starts_on:
        name = "council_seat_ends_after_start"
        raise ValidationError(message_for(name), code=name)
    long_term_reason = long_term_reason.strip()
    if by_policy is not None and ends_on > by_policy and not long_term_reason:
        raise ValidationError(
            _(
                "By the council's policy a term starting on %(start)s ends on %(end)s. To approve a longer "
                "term, record the reason (it shows on the council page); otherwise leave the end empty."
            )
            % {
                "start": formats.date_format(starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(by_policy, "SHORT_DATE_FORMAT"),
            },
            code="council_seat_term_within_policy",
        )
    if by_policy is not None and ends_on <= by_policy:
        long_term_reason = ""  # within the policy: nothing to explain
    holder = (
        _slot(council, role, local_branch, person)
        .filter(starts_on__lt=ends_on, ends_on__gt=starts_on)
        .select_related("person")
        .first()
    )
    if holder is not None:
        raise ValidationError(
            _("%(person)s already holds this seat from %(start)s until %(end)s.")
            % {
                "person": holder.person.full_name,
                "start": formats.date_format(holder.starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(holder.ends_on, "SHORT_DATE_FORMAT"),
            },
            code="taken",
        )
    seat = save_or_explain(
        CouncilSeat(
            council=council,
            region_id=council.region_id,
            role=role,
            local_branch=local_branch,
            person=person,
            starts_on=starts_on,
            ends_on=ends_on,
            decision=decision,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            long_term_reason=long_term_reason[:200],
        )
    )
    if not council.is_federal:
        _reminders_replan_on_commit(council)
    return seat


@transaction.atomic
def seat_appoint_with_person(
    *,
    council: Council,
    role: str,
    starts_on: date,
    person: Person | None = None,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    phone: str = "",
    email: str = "",
    **seat,
) -> CouncilSeat:
    """Appoint an existing person, or a new one created here (all or nothing)."""
    if person is None:
        person = person_create(
            last_name=last_name, first_name=first_name, patronymic=patronymic, phone=phone, email=email
        )
    return seat_appoint(council=council, role=role, person=person, starts_on=starts_on, **seat)


@transaction.atomic
def seat_reappoint(
    *,
    seat: CouncilSeat,
    starts_on: date | None = None,
    ends_on: date | None = None,
    decision: CouncilDecision | None = None,
    decision_number: str = "",
    decision_date: date | None = None,
    long_term_reason: str = "",
) -> CouncilSeat:
    """Approve the holder of `seat` for a new term, from the day the old one ends by default.

    The reminders still pending for the old term are cancelled when the council's
    reminders are planned again after the commit: the old term no longer runs out.
    """
    starts_on = starts_on or seat.ends_on
    if starts_on < seat.starts_on or starts_on > seat.ends_on:
        raise ValidationError(
            _("A new term starts within the current one or on the day it ends (%(date)s).")
            % {"date": formats.date_format(seat.ends_on, "SHORT_DATE_FORMAT")},
            code="reappoint_start",
        )
    council = _lock_council(seat.council)
    seat = CouncilSeat.objects.select_for_update().get(pk=seat.pk)
    if starts_on < seat.ends_on:
        # The new term replaces the rest of the old one.
        seat.ends_on = starts_on
        save_or_explain(seat, fields=["ends_on"])
    new = seat_appoint(
        council=council,
        role=seat.role,
        person=seat.person,
        local_branch=seat.local_branch,
        starts_on=starts_on,
        ends_on=ends_on,
        decision=decision,
        decision_number=decision_number,
        decision_date=decision_date,
        long_term_reason=long_term_reason,
    )
    return new


@transaction.atomic
def seat_end(*, seat: CouncilSeat, ends_on: date, reason: str) -> CouncilSeat:
    """End a term early on `ends_on` (the first day no longer held), with the reason."""
    seat = CouncilSeat.objects.select_for_update().get(pk=seat.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the term early."), code="reason")
    if ends_on >= seat.ends_on:
        raise ValidationError(
            _("To end early, choose a day before the term ends (%(date)s).")
            % {"date": formats.date_format(seat.ends_on, "SHORT_DATE_FORMAT")},
            code="not_early",
        )
    if ends_on <= seat.starts_on:
        raise ValidationError(
            _("The term started on %(date)s; it can end from the next day on.")
            % {"date": formats.date_format(seat.starts_on, "SHORT_DATE_FORMAT")},
            code="council_seat_ends_after_start",
        )
    seat.ends_on = ends_on
    seat.end_reason = reason.strip()[:200]
    save_or_explain(seat, fields=["ends_on", "end_reason"])
    if not seat.council.is_federal:
        _reminders_replan_on_commit(seat.council)
    return seat


# Meetings ---------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    council: Council,
    held_on: date,
    agenda: str,
    place: str = "",
    online_link: str = "",
    guests: str = "",
    items: Sequence[tuple[str, str] | tuple[str, str, str]] | None = None,
) -> CouncilMeeting:
    """Record a session with the next number of its council, and its agenda items
    (title, speaker, and the link of a best practice in the contest library, if any).

    The council's row lock makes two sessions recorded at once take numbers one after
    the other; the unique (council, number) constraint is the last word.
    """
    if not agenda.strip():
        raise ValidationError(_("Write the agenda."), code="agenda")
    council = _lock_council(council)
    last = CouncilMeeting.objects.filter(council=council).order_by("-number").values_list("number", flat=True).first()
    meeting = save_or_explain(
        CouncilMeeting(
            council=council,
            number=(last or 0) + 1,
            held_on=held_on,
            agenda=agenda.strip(),
            place=place.strip(),
            online_link=online_link.strip(),
            guests=guests.strip(),
        )
    )
    rows = [(item[0], item[1], item[2] if len(item) > 2 else "") for item in items or [] if item[0].strip()]
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=position,
                title=title.strip()[:500],
                speaker=speaker.strip()[:300],
                practice_url=practice_url.strip()[:300],
            )
            for position, (title, speaker, practice_url) in enumerate(rows, start=1)
        ]
    )
    return meeting


@transaction.atomic
def meeting_minutes_update(*, meeting: CouncilMeeting, minutes: str) -> CouncilMeeting:
    meeting.minutes = minutes.strip()
    return save_or_explain(meeting, fields=["minutes"])


def expected_seats(meeting: CouncilMeeting):
    """The seats whose holders are expected at a session: the council's seats on the day;
    for the federal council, its appointed members and the chairs of the regional councils."""
    seats = CouncilSeat.objects.current(meeting.held_on)
    if meeting.council.is_federal:
        return seats.filter(
            Q(council_id=meeting.council_id) | Q(role=SeatRole.CHAIR, council__level=CouncilLevel.REGIONAL)
        )
    return seats.filter(council_id=meeting.council_id)


@transaction.atomic
def attendance_record(*, meeting: CouncilMeeting, present: list[CouncilSeat]) -> CouncilMeeting:
    """Record who came: holders of seats filled on the meeting's day; fixes the quorum base.

    Recording again replaces the previous list (a correction), unless decisions
    were already taken on its strength.
    """
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.decisions.exists():
        raise ValidationError(
            _("Decisions are already recorded on the strength of this attendance; it can no longer change."),
            code="decided",
        )
    filled = set(expected_seats(meeting).values_list("pk", flat=True))
    strangers = [seat for seat in present if seat.pk not in filled]
    if strangers:
        raise ValidationError(
            _("%(person)s did not hold a seat on the day of the meeting.") % {"person": strangers[0].person},
            code="not_a_member",
        )
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, seat=seat) for seat in present])
    meeting.seats_filled = len(filled)
    save_or_explain(meeting, fields=["seats_filled"])
    return meeting


@transaction.atomic
def decision_record(*, meeting: CouncilMeeting, number: str, text: str) -> CouncilDecision:
    """Record a decision of a meeting that had its quorum."""
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.seats_filled is None:
        raise ValidationError(_("Record the attendance first: a decision needs a quorum."), code="no_attendance")
    present = meeting.attendance.count()
    if not quorum_reached(present=present, seats_filled=meeting.seats_filled):
        raise ValidationError(
            _("No quorum: %(present)s of %(filled)s filled seats were present; more than half are needed.")
            % {"present": present, "filled": meeting.seats_filled},
            code="no_quorum",
        )
    if not number.strip():
        # Decisions are numbered per session, in order, unless the minutes number them.
        number = str(meeting.decisions.count() + 1)
    if not text.strip():
        raise ValidationError(_("A decision needs a text."), code="empty")
    return save_or_explain(
        CouncilDecision(council_id=meeting.council_id, meeting=meeting, number=number.strip(), text=text)
    )


# Reminders --------------------------------------------------------------------


def _due_at(region: Region, day: date) -> datetime:
    from councils.selectors import REMINDER_HOUR

    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(region.time_zone))


def _reminders_replan_on_commit(council: Council) -> None:
    """After a change to the seats, bring the council's reminders in line once it is committed."""
    from councils.tasks import council_reminders_plan as plan_task

    enqueue_on_commit(plan_task, council.pk)


@transaction.atomic
def council_reminders_plan(*, council: Council, today: date | None = None) -> dict:
    """Bring the council's pending reminders in line with its seats; safe to run any number of times.

    Steps:
    1. work out every reminder the seats call for today (selectors.council_reminders);
    2. hand them to notification_reconcile under the council's key prefix, which plans
       the new ones (a key planned before changes nothing), re-times the pending ones
       whose day or wording changed (a term ended early) and cancels the pending ones
       no longer called for (a reappointment, a vacancy filled, a member of staff who left).
    Returns how many were planned, re-timed and cancelled.
    """
    from branches.models import Position, Role
    from councils import selectors
    from notifications.services import NotificationRow, notification_reconcile

    region = council.region
    assert region is not None, "the federal council has no reminders of terms"
    today = today or region.today()
    composition = selectors.council_composition(council, today)
    staff_ids = list(
        Position.objects.current(today)
        .filter(role=Role.REGIONAL_STAFF, region=region)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    return notification_reconcile(
        prefix=f"council.{council.pk}.",
        wanted=[
            NotificationRow(r.person_id, r.kind, r.key, _due_at(region, r.due_on), r.context, r.url)
            for r in selectors.council_reminders(composition, staff_ids)
        ],
    )


def council_reminders_plan_all() -> int:
    """Queue the planning of every council's reminders (one task each); return how many."""
    from councils.tasks import council_reminders_plan as plan_task

    council_ids = list(Council.objects.regional().values_list("pk", flat=True))
    for council_id in council_ids:
        enqueue(plan_task, council_id)
    return len(council_ids)
