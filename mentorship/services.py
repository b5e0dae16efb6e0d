"""Every write of mentoring: programmes, young activists, pairs, goals, check-ins, reminders."""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Person, PrimaryBranch, Region
from core.db import save_or_explain
from mentorship.models import (
    PAIR_NEXT,
    PROGRAMME_NEXT,
    YOUNG_CADRE_MAX_AGE,
    CheckIn,
    Goal,
    GoalStatus,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Track,
    YoungCadre,
)


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# Programmes --------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    region: Region | None,
    title: str,
    year: int,
    starts_on: date,
    ends_on: date,
    pair_months: int = 6,
    check_in_days: int = 30,
    capacity: int = 3,
) -> Programme:
    return save_or_explain(
        Programme(
            region=region,
            title=title,
            year=year,
            starts_on=starts_on,
            ends_on=ends_on,
            pair_months=pair_months,
            check_in_days=check_in_days,
            capacity=capacity,
        )
    )


@transaction.atomic
def programme_advance(*, programme: Programme) -> Programme:
    """Move the programme to its next status: draft → open → running → closed."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    following = PROGRAMME_NEXT.get(ProgrammeStatus(programme.status))
    if following is None:
        raise ValidationError(_("The programme is closed."), code="closed")
    programme.status = following
    save_or_explain(programme, fields=["status"])
    _reminders_replan_on_commit(programme)
    return programme


# Young activists --------------------------------------------------------------


@transaction.atomic
def young_cadre_mark(*, person: Person, branch: PrimaryBranch, birth_year: int, on: date | None = None) -> YoungCadre:
    """Mark a person of a branch as a young activist for the youth track (only the year of birth is kept)."""
    on = on or timezone.localdate()
    if on.year - birth_year > YOUNG_CADRE_MAX_AGE:
        raise ValidationError(
            _("A young activist is at most %(age)s years old.") % {"age": YOUNG_CADRE_MAX_AGE}, code="too_old"
        )
    return save_or_explain(YoungCadre(person=person, branch=branch, birth_year=birth_year, marked_on=on))


# Pairs ------------------------------------------------------------------------


@transaction.atomic
def pair_propose(
    *,
    programme: Programme,
    mentor_branch: PrimaryBranch,
    mentee_branch: PrimaryBranch | None = None,
    mentee_cadre: YoungCadre | None = None,
    focus: str = "other",
    starts_on: date,
    ends_on: date | None = None,
    practice_id: int | None = None,
    practice_title: str = "",
    reasons: str = "",
) -> Pair:
    """Propose a pair in a programme, within the mentor's capacity.

    Steps, safe when two members of staff pair at once:
    1. lock the programme row, so every proposal in the programme runs one after another;
    2. count the mentor's live (proposed or active) pairs; refuse at the capacity;
    3. insert: the constraints (not itself, one pair per mentee over the dates) and the
       trigger (inside the programme's dates and region) are the last word.
    """
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not programme.takes_pairs:
        raise ValidationError(_("The programme does not take pairs now."), code="not_open")
    taken = Pair.objects.live().filter(programme=programme, mentor_branch=mentor_branch).count()
    if taken >= programme.capacity:
        raise ValidationError(
            _("%(branch)s already mentors %(count)s branches: the programme's limit.")
            % {"branch": mentor_branch, "count": taken},
            code="capacity",
        )
    ends_on = ends_on or min(add_months(starts_on, programme.pair_months), programme.ends_on)
    pair = save_or_explain(
        Pair(
            programme=programme,
            track=Track.YOUTH if mentee_cadre else Track.BRANCHES,
            mentor_branch=mentor_branch,
            mentee_branch=mentee_branch,
            mentee_cadre=mentee_cadre,
            focus=focus,
            starts_on=starts_on,
            ends_on=ends_on,
            planned_ends_on=ends_on,
            practice_id=practice_id,
            practice_title=practice_title[:300],
            reasons=reasons[:500],
        )
    )
    _reminders_replan_on_commit(programme)
    return pair


def _move(pair: Pair, status: str) -> Pair:
    pair = Pair.objects.select_for_update().select_related("programme").get(pk=pair.pk)
    if status not in PAIR_NEXT.get(PairStatus(pair.status), []):
        raise ValidationError(
            _("A pair that is %(status)s cannot become %(next)s.")
            % {"status": pair.get_status_display(), "next": PairStatus(status).label},
            code="status",
        )
    pair.status = status
    return pair


@transaction.atomic
def pair_accept(*, pair: Pair) -> Pair:
    """Start a proposed pair: both sides are told (the reminders plan says so)."""
    pair = _move(pair, PairStatus.ACTIVE)
    save_or_explain(pair, fields=["status"])
    _reminders_replan_on_commit(pair.programme)
    return pair


@transaction.atomic
def pair_decline(*, pair: Pair, reason: str = "") -> Pair:
    pair = _move(pair, PairStatus.DECLINED)
    pair.end_reason = reason
    save_or_explain(pair, fields=["status", "end_reason"])
    _reminders_replan_on_commit(pair.programme)
    return pair


@transaction.atomic
def pair_complete(*, pair: Pair, on: date | None = None) -> Pair:
    pair = _move(pair, PairStatus.COMPLETED)
    pair.ended_on = on or timezone.localdate()
    save_or_explain(pair, fields=["status", "ended_on"])
    _reminders_replan_on_commit(pair.programme)
    return pair


@transaction.atomic
def pair_end_early(*, pair: Pair, reason: str, on: date | None = None) -> Pair:
    """End an active pair with a reason; its dates shrink to the days it ran, so the mentee may be paired again."""
    pair = _move(pair, PairStatus.ENDED)
    on = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError(_("Say why the pair ended early."), code="no_reason")
    pair.end_reason, pair.ended_on = reason.strip(), on
    fields = ["status", "end_reason", "ended_on"]
    if on < pair.ends_on:
        pair.ends_on = max(on, pair.starts_on + timedelta(days=1))
        fields.append("ends_on")
    save_or_explain(pair, fields=fields)
    _reminders_replan_on_commit(pair.programme)
    return pair


# Goals and check-ins ------------------------------------------------------------


@transaction.atomic
def goal_add(*, pair: Pair, text: str, due_on: date | None = None, figure: str = "") -> Goal:
    return save_or_explain(Goal(pair=pair, text=text, due_on=due_on, figure=figure))


@transaction.atomic
def goal_set_status(*, goal: Goal, status: str) -> Goal:
    goal.status = GoalStatus(status)
    return save_or_explain(goal, fields=["status"])


@transaction.atomic
def check_in_record(
    *, pair: Pair, held_on: date, kind: str, notes: str = "", next_step: str = "", recorded_by: Person | None = None
) -> CheckIn:
    """Record a check-in of an active pair (either side, or staff); the next reminder moves with it."""
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(_("Check-ins are recorded for active pairs."), code="not_active")
    if held_on < pair.starts_on or held_on > timezone.localdate():
        raise ValidationError(_("A check-in lies between the pair's start and today."), code="date")
    check_in = save_or_explain(
        CheckIn(pair=pair, held_on=held_on, kind=kind, notes=notes, next_step=next_step, recorded_by=recorded_by)
    )
    _reminders_replan_on_commit(pair.programme)
    return check_in


# Reminders --------------------------------------------------------------------


def _due_at(zone: str, day: date) -> datetime:
    from mentorship.selectors import REMINDER_HOUR

    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(zone))


def _reminders_replan_on_commit(programme: Programme) -> None:
    from mentorship.tasks import programme_reminders_plan as plan_task

    plan_task.delay_on_commit(programme.pk)


@transaction.atomic
def programme_reminders_plan(*, programme: Programme, today: date | None = None) -> dict:
    """Bring the programme's pending reminders in line with its pairs; safe to run any number of times.

    Steps: work out every reminder the live pairs call for (selectors.programme_reminders:
    a new pair to both sides, a check-in due, 14 days before the end, the closing
    questionnaire at the end, to the secretaries on the day); hand them to
    notification_reconcile under the programme's key prefix, which plans new keys,
    re-times moved ones (a check-in recorded) and cancels those no longer wanted.
    """
    from mentorship import selectors
    from notifications.services import NotificationRow, notification_reconcile

    zone = programme.region.time_zone if programme.region is not None else settings.DEFAULT_VIEWER_TIME_ZONE
    today = today or timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    return notification_reconcile(
        prefix=f"mentoring.{programme.pk}.",
        wanted=[
            NotificationRow(r.person_id, r.kind, r.key, _due_at(zone, r.due_on), r.context, r.url)
            for r in selectors.programme_reminders(programme, today)
        ],
    )


def programme_reminders_plan_all() -> int:
    """Queue the planning of every open or running programme's reminders (one task each)."""
    from mentorship.tasks import programme_reminders_plan as plan_task

    ids = list(
        Programme.objects.filter(status__in=[ProgrammeStatus.OPEN, ProgrammeStatus.RUNNING]).values_list(
            "pk", flat=True
        )
    )
    for programme_id in ids:
        plan_task.delay(programme_id)
    return len(ids)
