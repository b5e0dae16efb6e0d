"""Every write of personal receptions: hours, days off, slots, bookings, outcomes, calendar feeds.

Lock order, the same in every service, so that two of them never wait on each other
in a circle: a booking, then a secretary (person), then slots.
"""

import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assignments import services as assignment_services
from assignments.models import Assignment
from branches.models import HOST_ROLES, Person, Position, PrimaryBranch, Region
from core.db import message_for, save_or_explain
from notifications.services import NotificationRow, notification_plan_many, notification_reconcile
from receptions import kinds
from receptions.models import (
    HORIZON_DAYS,
    NOTICE,
    Booking,
    CalendarFeed,
    DayOff,
    FollowUpStatus,
    ReceptionPolicy,
    Schedule,
    Slot,
    follow_up_source_key,
)
from receptions.selectors import covered_branch, host_rows, policy_for


def _local_day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of a calendar day in a time zone."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def _month_bounds(instant: datetime, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    local = instant.astimezone(zone)
    first = local.date().replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(following, time.min, tzinfo=zone)


# The region's norm -------------------------------------------------------------


@transaction.atomic
def policy_update(*, region: Region, held_per_month: int, bookings_per_month: int) -> ReceptionPolicy:
    policy = ReceptionPolicy.objects.select_for_update().filter(region=region).first() or ReceptionPolicy(region=region)
    policy.held_per_month = held_per_month
    policy.bookings_per_month = bookings_per_month
    return save_or_explain(policy)


# Hours and slots ---------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *,
    position: Position,
    recurrence: str,
    weekday: int,
    starts_at: time,
    ends_at: time,
    slot_minutes: int,
    valid_from: date,
    valid_until: date | None = None,
    week_of_month: int | None = None,
    place: str = "",
    online_url: str = "",
) -> Schedule:
    """Publish recurring hours for a host position and produce their slots for the coming weeks.

    Steps: 1. lock the host (person), so two schedules of one host are created one
    after another; 2. save the hours (their rules are check constraints); 3. refuse
    when a slot would overlap a free slot of the host's other hours (a time already
    booked under hours that ended is skipped: the booking keeps it); 4. insert the
    slots; the exclusion constraint `slot_no_overlap_per_host` is the last word.
    """
    if position.role not in HOST_ROLES or not position.is_current():
        raise ValidationError(_("This position does not receive secretaries."), code="not_host")
    Person.objects.select_for_update().filter(pk=position.person_id).first()
    schedule = Schedule(
        position=position,
        host_id=position.person_id,
        recurrence=recurrence,
        weekday=weekday,
        week_of_month=week_of_month if recurrence == Schedule.Recurrence.MONTHLY else None,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_minutes=slot_minutes,
        place=place.strip(),
        online_url=online_url.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    save_or_explain(schedule)
    candidates = _candidate_slots(schedule, _generation_window(schedule), days_off=_days_off(schedule.host_id))
    _refuse_overlaps(schedule, candidates)
    Slot.objects.bulk_create(candidates, ignore_conflicts=True)
    return schedule


def _generation_window(schedule: Schedule, *, now: datetime | None = None) -> tuple[date, date]:
    """Days [first, last] to produce slots for: from today in the host's zone, HORIZON_DAYS ahead."""
    today = (now or timezone.now()).astimezone(schedule.zone).date()
    last = today + timedelta(days=HORIZON_DAYS)
    if schedule.valid_until is not None:
        last = min(last, schedule.valid_until)
    ends_on = schedule.position.ends_on
    if ends_on is not None:
        last = min(last, ends_on - timedelta(days=1))
    return max(today, schedule.valid_from), last


def _days_off(host_id: int) -> set[date]:
    return set(DayOff.objects.filter(host_id=host_id).values_list("date", flat=True))


def _candidate_slots(
    schedule: Schedule, window: tuple[date, date], *, days_off: set[date], now: datetime | None = None
) -> list[Slot]:
    now = now or timezone.now()
    first, last = window
    slots: list[Slot] = []
    day = first
    while day <= last:
        if day not in days_off and schedule.occurs_on(day):
            slots.extend(
                Slot(schedule=schedule, host_id=schedule.host_id, starts_at=start, ends_at=end)
                for start, end in schedule.slot_bounds(day)
                if start > now
            )
        day += timedelta(days=1)
    return slots


def _refuse_overlaps(schedule: Schedule, candidates: list[Slot]) -> None:
    if not candidates:
        return
    existing = list(
        Slot.objects.active()
        .filter(
            host_id=schedule.host_id,
            starts_at__lt=candidates[-1].ends_at,
            ends_at__gt=candidates[0].starts_at,
        )
        .exclude(schedule=schedule)
        .annotate(taken=Booking.objects.holding().filter(slot=OuterRef("pk")).values("pk")[:1])
        .values_list("starts_at", "ends_at", "taken")
    )
    for candidate in candidates:
        for starts_at, ends_at, taken in existing:
            if starts_at < candidate.ends_at and candidate.starts_at < ends_at and taken is None:
                raise ValidationError(
                    _("These hours overlap the host's other reception hours on %(date)s.")
                    % {"date": formats.date_format(starts_at.astimezone(schedule.zone), "SHORT_DATE_FORMAT")},
                    code="slot_no_overlap_per_host",
                )


def slots_generate(*, now: datetime | None = None, host_id: int | None = None) -> int:
    """Produce the slots of every valid schedule (or one host's) for the coming weeks; running it twice adds nothing.

    Four queries and one bulk insert whatever the number of schedules: the schedules,
    the hosts' days off, the slots they already have, then INSERT ... ON CONFLICT DO
    NOTHING (the partial unique `slot_once_per_schedule_time` makes it idempotent; a
    time that would overlap the host's other hours is skipped by the exclusion constraint).
    """
    now = now or timezone.now()
    selection = Schedule.objects.filter(position__in=Position.objects.current().hosts())
    if host_id is not None:
        selection = selection.filter(host_id=host_id)
    schedules = list(
        selection.exclude(valid_until__lt=(now - timedelta(days=1)).date()).select_related("position__region")
    )
    host_ids = {schedule.host_id for schedule in schedules}
    days_off: dict[int, set[date]] = {}
    recent = DayOff.objects.filter(host_id__in=host_ids, date__gte=now.date() - timedelta(days=1))
    for host_id, day in recent.values_list("host_id", "date"):
        days_off.setdefault(host_id, set()).add(day)
    existing = set(
        Slot.objects.active().filter(schedule__in=schedules, starts_at__gt=now).values_list("schedule_id", "starts_at")
    )
    new = []
    for schedule in schedules:
        window = _generation_window(schedule, now=now)
        for slot in _candidate_slots(schedule, window, days_off=days_off.get(schedule.host_id, set()), now=now):
            if (schedule.pk, slot.starts_at) not in existing:
                new.append(slot)
    Slot.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def schedule_end(*, schedule: Schedule, last_day: date) -> Schedule:
    """Stop the hours after `last_day`: their free slots from the next day go; booked ones stay."""
    if last_day < schedule.valid_from:
        raise ValidationError(_("The hours cannot end before they start to be valid."), code="before_start")
    if schedule.valid_until is not None and schedule.valid_until <= last_day:
        raise ValidationError(_("These hours already end by that day."), code="already_ends")
    schedule.valid_until = last_day
    save_or_explain(schedule, fields=["valid_until"])
    cutoff, _end = _local_day_bounds(last_day + timedelta(days=1), schedule.zone)
    Slot.objects.free().filter(schedule=schedule, starts_at__gte=cutoff).delete()
    return schedule


# Days off ------------------------------------------------------------------------


@transaction.atomic
def day_off_create(*, position: Position, day: date, kind: str, reason: str = "") -> DayOff:
    """Mark a day without receptions: its slots are cancelled, and so are their bookings.

    Steps: 1. insert the day off (one per host and date: unique constraint); 2. lock
    the day's slots, then the bookings that hold them (a move into one of these slots
    waits, then finds it cancelled); 3. cancel both; each secretary is told, with the
    host's next free times.
    """
    region = position.region
    assert region is not None, "a host's position is regional"
    if day < region.today():
        raise ValidationError(_("A past day cannot be cancelled."), code="past")
    day_off = save_or_explain(
        DayOff(
            host_id=position.person_id,
            time_zone=region.time_zone,
            date=day,
            kind=kind,
            reason=reason.strip(),
        )
    )
    start, end = _local_day_bounds(day, zoneinfo.ZoneInfo(day_off.time_zone))
    slots = list(
        Slot.objects.active()
        .select_for_update()
        .filter(host_id=position.person_id, starts_at__gte=start, starts_at__lt=end)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    bookings = list(
        Booking.objects.active()
        .select_for_update(of=("self",))
        .filter(slot_id__in=slots)
        .select_related("slot__schedule__position", "host", "secretary", "branch")
    )
    Slot.objects.filter(pk__in=slots).update(cancelled_at=now)  # first, so they are not offered again
    for booking in bookings:
        _cancel(booking, by=Booking.CancelledBy.DAY, reason=day_off.reason, now=now)
    return day_off


@transaction.atomic
def day_off_remove(*, day_off: DayOff) -> None:
    """Receive on that day again: its slots are produced anew (cancelled bookings stay cancelled)."""
    day_off.delete()
    slots_generate(host_id=day_off.host_id)


# Bookings ------------------------------------------------------------------------


def _check_bookable(slot: Slot, now: datetime, *, code_prefix: str = "") -> None:
    if slot.cancelled_at is not None:
        raise ValidationError(_("This time has been cancelled by the host."), code="cancelled")
    if slot.starts_at - now < NOTICE:
        raise ValidationError(
            _("A reception is booked at least 24 hours in advance. Choose a later time."), code="notice"
        )
    if Booking.objects.holding().filter(slot=slot).exists():
        raise ValidationError(message_for("booking_one_per_slot"), code="booking_one_per_slot")


def _check_monthly_limit(secretary: Person, branch: PrimaryBranch, slot: Slot, *, moving: Booking | None) -> None:
    zone = zoneinfo.ZoneInfo(branch.region.time_zone)
    start, end = _month_bounds(slot.starts_at, zone)
    limit = policy_for(branch.region).bookings_per_month
    taken = Booking.objects.holding().filter(secretary=secretary, slot__starts_at__gte=start, slot__starts_at__lt=end)
    if moving is not None:
        taken = taken.exclude(pk=moving.pk)
    if taken.count() >= limit:
        raise ValidationError(
            _("The monthly limit of bookings in your region (%(limit)s) is reached for %(month)s.")
            % {
                "limit": limit,
                "month": formats.date_format(slot.starts_at.astimezone(zone), "SHORT_YEAR_MONTH_FORMAT"),
            },
            code="monthly_limit",
        )


def _lock_slot(slot: Slot) -> Slot:
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("schedule__position__region", "host")
        .get(pk=slot.pk)
    )


@transaction.atomic
def booking_create(*, slot: Slot, secretary: Person, topic: str, questions: str = "") -> Booking:
    """Book a slot for a secretary.

    Steps, safe when many secretaries press "book" at once: 1. lock the secretary,
    so their own bookings are counted one at a time (the monthly limit); 2. lock the
    slot, so bookings of one slot run one after another and each later one sees the
    first; 3. check notice, territory, the slot being free, one active booking per
    host and the monthly limit; 4. insert; the partial unique constraints
    `booking_one_per_slot` and `booking_one_active_per_host` are the last word.
    """
    now = timezone.now()
    Person.objects.select_for_update().filter(pk=secretary.pk).first()
    slot = _lock_slot(slot)
    position = slot.schedule.position
    if slot.host_id == secretary.pk:
        raise ValidationError(message_for("booking_not_with_oneself"), code="booking_not_with_oneself")
    branch = covered_branch(secretary, position)
    if branch is None or not position.is_current():
        raise ValidationError(_("This host does not receive secretaries of your branch."), code="territory")
    _check_bookable(slot, now)
    if Booking.objects.active().filter(secretary=secretary, host_id=slot.host_id).exists():
        raise ValidationError(message_for("booking_one_active_per_host"), code="booking_one_active_per_host")
    _check_monthly_limit(secretary, branch, slot, moving=None)
    booking = save_or_explain(
        Booking(
            slot=slot,
            host_id=slot.host_id,
            secretary=secretary,
            branch=branch,
            topic=topic.strip(),
            questions=questions.strip(),
            created_at=now,
            updated_at=now,
        )
    )
    booking.slot, booking.host, booking.branch = slot, slot.host, branch
    _tell(booking, kinds.BOOKED, to="host", key=f"reception.booked:{booking.uid}", now=now)
    reminders_plan_for(booking=booking, now=now)
    return booking


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__schedule__position__region", "branch__region", "host", "secretary")
        .get(pk=booking.pk)
    )


def _cancel(booking: Booking, *, by: str, reason: str, now: datetime) -> Booking:
    """Cancel, stop the reminders, and tell the other side (a secretary also gets the host's next free times)."""
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by = by
    booking.cancel_reason = reason[:300]
    booking.sequence += 1
    booking.updated_at = now
    save_or_explain(booking, fields=["status", "cancelled_by", "cancel_reason", "sequence", "updated_at"])
    reminders_reconcile_for(booking=booking, now=now)
    if by == Booking.CancelledBy.SECRETARY:
        _tell(booking, kinds.CANCELLED, to="host", key=f"reception.cancelled:{booking.uid}", now=now)
    else:
        position = booking.slot.schedule.position
        offers = list(
            Slot.objects.free()
            .filter(schedule__position=position, starts_at__gte=now + NOTICE)
            .exclude(pk=booking.slot_id)
            .order_by("starts_at")
            .values_list("starts_at", flat=True)[:3]
        )
        _tell(
            booking,
            kinds.CANCELLED,
            to="secretary",
            key=f"reception.cancelled:{booking.uid}",
            now=now,
            extra={"offers": offers},
            url=reverse("receptions:host_slots", args=[position.pk]),
        )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by: str, reason: str = "") -> Booking:
    """Cancel a booking: the secretary until the notice limit, the host (with a reason) until it starts."""
    now = timezone.now()
    booking = _lock_booking(booking)
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking is no longer active."), code="inactive")
    if by == Booking.CancelledBy.SECRETARY:
        if booking.slot.starts_at - now < NOTICE:
            raise ValidationError(
                _("Less than 24 hours are left: it is too late to cancel here. Contact the host."), code="notice"
            )
    elif by == Booking.CancelledBy.HOST:
        if not reason.strip():
            raise ValidationError(_("Give the secretary a reason."), code="reason")
        if booking.slot.starts_at <= now:
            raise ValidationError(
                _("The reception has already started: mark it as held or missed instead."), code="started"
            )
    else:
        raise ValueError(f"unknown side: {by}")
    return _cancel(booking, by=by, reason=reason.strip(), now=now)


@transaction.atomic
def booking_move(*, booking: Booking, slot: Slot) -> Booking:
    """Move a booking to another free time of the same host, both at least 24 hours away.

    Steps: lock the booking, then the secretary, then the new slot (the same order as
    booking_create), check, and update; `booking_one_per_slot` is the last word when
    two bookings are moved into one slot at once.
    """
    now = timezone.now()
    booking = _lock_booking(booking)
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking is no longer active."), code="inactive")
    if booking.slot.starts_at - now < NOTICE:
        raise ValidationError(
            _("Less than 24 hours are left: it is too late to move here. Contact the host."), code="notice"
        )
    Person.objects.select_for_update().filter(pk=booking.secretary_id).first()
    slot = _lock_slot(slot)
    if slot.host_id != booking.host_id:
        raise ValidationError(_("A booking moves only to another time of the same host."), code="other_host")
    if slot.pk == booking.slot_id:
        raise ValidationError(_("The booking already has this time."), code="same")
    _check_bookable(slot, now)
    _check_monthly_limit(booking.secretary, booking.branch, slot, moving=booking)
    previous = booking.slot.starts_at
    booking.slot = slot
    booking.sequence += 1
    booking.updated_at = now
    save_or_explain(booking, fields=["slot", "sequence", "updated_at"])
    reminders_reconcile_for(booking=booking, now=now)
    _tell(
        booking,
        kinds.MOVED,
        to="host",
        key=f"reception.moved:{booking.uid}:{booking.sequence}",
        now=now,
        extra={"previous_starts_at": previous},
    )
    return booking


@dataclass
class FollowUpInput:
    kind: str
    text: str
    owner: str
    due_on: date
    status: str = FollowUpStatus.OPEN
    id: int | None = None  # the follow-up's assignment
    delete: bool = False


@transaction.atomic
def booking_outcome_record(
    *, booking: Booking, status: str, outcome: str = "", follow_ups: Sequence[FollowUpInput] = ()
) -> Booking:
    """Mark a reception held or missed, with its outcome and follow-ups (they can be updated later).

    Each follow-up is an assignment of the assignments engine (the host's, in the region of
    the reception), its source the reception: written, changed, done, dropped or removed here.
    """
    now = timezone.now()
    booking = _lock_booking(booking)
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError(_("A cancelled reception has no outcome."), code="cancelled")
    if booking.slot.starts_at > now:
        raise ValidationError(_("The outcome is recorded once the reception has started."), code="not_yet")
    if status not in (Booking.Status.HELD, Booking.Status.MISSED):
        raise ValidationError(_("Choose held or missed."), code="status")
    booking.status = status
    booking.outcome = outcome.strip()
    booking.outcome_recorded_at = now
    booking.updated_at = now
    save_or_explain(booking, fields=["status", "outcome", "outcome_recorded_at", "updated_at"])
    existing = {
        item.pk: item
        for item in Assignment.objects.filter(directive__source_key=follow_up_source_key(booking.pk)).select_related(
            "directive"
        )
    }
    for data in follow_ups:
        follow_up_save(booking, existing, data)
    reminders_reconcile_for(booking=booking, now=now)  # any not sent yet would come after the meeting
    # Once, when the outcome is first recorded (the key makes later edits silent).
    _tell(booking, kinds.OUTCOME, to="secretary", key=f"reception.outcome:{booking.uid}", now=now)
    return booking


def reception_day(booking: Booking) -> date:
    """The day of the reception in its host's region."""
    region = booking.slot.schedule.position.region
    assert region is not None, "a host position is held in a region"
    return booking.slot.starts_at.astimezone(zoneinfo.ZoneInfo(region.time_zone)).date()


def follow_up_label(booking: Booking) -> str:
    return _("Reception of %(date)s: %(topic)s") % {
        "date": formats.date_format(reception_day(booking), "SHORT_DATE_FORMAT"),
        "topic": booking.topic,
    }


def follow_up_save(booking: Booking, existing: dict[int, Assignment], data: FollowUpInput) -> None:
    """Write one follow-up: a new directive to the host, or a change to an existing one."""
    text, owner = data.text.strip(), data.owner.strip()
    found = existing.get(data.id) if data.id else None
    if data.id and found is None:
        raise ValidationError(_("This follow-up belongs to another reception."), code="foreign_follow_up")
    if data.delete:
        if found is not None:
            assignment_services.directive_withdraw(directive=found.directive)
        return
    if not text or not owner:
        raise ValidationError(_("A follow-up needs a description and an owner."), code="follow_up_has_text_and_owner")
    host = Person(pk=booking.host_id)
    if found is not None:
        item = found
        directive = item.directive
        if (directive.title, directive.due_on, directive.kind, directive.owner) != (
            text,
            data.due_on,
            data.kind,
            owner,
        ):
            if item.state == "accepted":
                item = assignment_services.assignment_settle(assignment=item, to=FollowUpStatus.OPEN, by=host)
            assignment_services.directive_update(
                directive=directive, title=text, due_on=data.due_on, kind=data.kind, owner=owner
            )
    else:
        directive = assignment_services.directive_issue(
            source_key=follow_up_source_key(booking.pk),
            source_label=follow_up_label(booking),
            source_url=booking.get_absolute_url(),
            title=text,
            issued_on=min(reception_day(booking), data.due_on),
            due_on=data.due_on,
            to=assignment_services.Addressees(people=(host,), people_region=booking.branch.region),
            issued_by=host,
            kind=data.kind,
            owner=owner,
        )
        item = directive.assignments.get()
    if FollowUpStatus.of_state(item.state) != data.status:
        wanted = {"done": "accepted", "dropped": "dropped"}.get(str(data.status), "open")
        assignment_services.assignment_settle(assignment=item, to=wanted, by=host)


# Calendar feeds --------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, person: Person) -> tuple[CalendarFeed, str]:
    """Give a person a new private calendar address; the previous one stops working.

    Returns the feed and its secret token, which is shown once and never stored.
    """
    now = timezone.now()
    CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = save_or_explain(CalendarFeed(person=person, token_hash=CalendarFeed.hash_token(token), created_at=now))
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, person: Person) -> int:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


# Notifications -------------------------------------------------------------------------
#
# Through the notifications engine: every message is a row with a unique key, so
# planning twice changes nothing; a booking's reminders are planned with it, and
# reconciled (notification_reconcile, under its key prefix) when it moves or ends.

REMINDER_HOURS = (24, 2)
SIDES = ("secretary", "host")


def _context(booking: Booking) -> dict:
    schedule = booking.slot.schedule
    return {
        "host": booking.host.full_name,
        "secretary": booking.secretary.full_name,
        "branch": str(booking.branch),
        "topic": booking.topic,
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "place": schedule.place,
        "online_url": schedule.online_url,
        "status": booking.status,
        "by": booking.cancelled_by,
        "reason": booking.cancel_reason,
        "outcome": booking.outcome,
    }


def _tell(booking: Booking, kind, *, to: str, key: str, now: datetime, extra=None, url: str = "") -> None:
    """Plan one message about a booking to one side, due now."""
    recipient = booking.host_id if to == "host" else booking.secretary_id
    context = {**_context(booking), **(extra or {})}
    notification_plan_many(
        rows=[NotificationRow(recipient, kind.name, key, now, context, url or booking.get_absolute_url())]
    )


def _reminder_prefix(booking: Booking) -> str:
    return f"reception.reminder:{booking.uid}:"


def _reminder_rows(booking: Booking, now: datetime) -> list[NotificationRow]:
    """The four reminders of a booking: 24 and 2 hours before, to each side (none once it has started)."""
    if booking.slot.starts_at <= now:
        return []
    rows = []
    for hours in REMINDER_HOURS:
        for side in SIDES:
            recipient, other = (
                (booking.secretary_id, booking.host.full_name)
                if side == "secretary"
                else (booking.host_id, booking.secretary.full_name)
            )
            rows.append(
                NotificationRow(
                    recipient,
                    kinds.REMINDER.name,
                    f"{_reminder_prefix(booking)}{side}:{hours}h",
                    max(booking.slot.starts_at - timedelta(hours=hours), now),
                    {**_context(booking), "other": other, "hours": hours},
                    booking.get_absolute_url(),
                )
            )
    return rows


def reminders_plan_for(*, booking: Booking, now: datetime | None = None) -> int:
    """Plan the reminders of a new booking (nothing is planned under its key prefix yet)."""
    return notification_plan_many(rows=_reminder_rows(booking, now or timezone.now()))


def reminders_reconcile_for(*, booking: Booking, now: datetime | None = None) -> dict[str, int]:
    """Bring a booking's reminders in line with it: re-timed when it moved, cancelled when it ended.

    An active booking that has not started wants its four reminders; a cancelled, held
    or missed one wants none, so the notifications engine cancels those still planned.
    """
    wanted = _reminder_rows(booking, now or timezone.now()) if booking.status == Booking.Status.BOOKED else []
    return notification_reconcile(prefix=_reminder_prefix(booking), wanted=wanted)


# Reminders are planned when a booking is made; this sweep plans those of bookings
# written in bulk (the seed, an import) and is harmless to run any number of times.
REMINDER_WINDOW = timedelta(hours=48)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Plan the reminders of every active booking that starts within 48 hours; return the new ones."""
    now = now or timezone.now()
    bookings = (
        Booking.objects.active()
        .filter(slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_WINDOW)
        .select_related("slot__schedule", "host", "secretary", "branch")
    )
    rows = [row for booking in bookings for row in _reminder_rows(booking, now)]
    return notification_plan_many(rows=rows)


# Hosts behind the norm are reminded once a month, from this day of the month on.
BEHIND_NORM_FROM_DAY = 15


def behind_norm_remind(*, now: datetime | None = None) -> int:
    """Remind every host behind their region's norm this month (once per host, region and month).

    Behind: held and booked receptions this month together fall short of the norm.
    Regions are read one at a time in their own time zone; a region before the 15th
    of its month is skipped.
    """
    now = now or timezone.now()
    rows = []
    region_ids = Position.objects.current().hosts().values_list("region_id", flat=True).distinct()
    for region in Region.objects.filter(pk__in=region_ids).select_related("reception_policy"):
        local = now.astimezone(zoneinfo.ZoneInfo(region.time_zone))
        if local.day < BEHIND_NORM_FROM_DAY:
            continue
        first = local.date().replace(day=1)
        try:
            norm = region.reception_policy.held_per_month
        except ReceptionPolicy.DoesNotExist:
            norm = ReceptionPolicy().held_per_month
        for row in host_rows(region, first, norm=norm, now=now):
            if row.status != "behind":
                continue
            position = row.positions[0]
            rows.append(
                NotificationRow(
                    row.person.pk,
                    kinds.BEHIND_NORM.name,
                    f"reception.behind_norm:{row.person.pk}:{region.pk}:{first:%Y-%m}",
                    now,
                    {
                        "held": row.held,
                        "open": row.open,
                        "norm": norm,
                        "month": f"{first:%m.%Y}",
                        "region": region.name,
                    },
                    reverse("receptions:host_manage", args=[position.pk]),
                )
            )
    return notification_plan_many(rows=rows)
