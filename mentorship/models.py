"""Mentoring between primary branches, and the youth track.

A programme (one region, or federal) runs for a year between two dates. A pair joins a
mentor primary branch and a mentee: another primary branch, or on the youth track a young
activist. The people of a pair are never stored: they are the branches' secretaries on
the day (branches.Position), so a change of secretary moves the pair's people and leaves
the pair alone; the pair's history shows the change (selectors.pair_history).
"""

from datetime import date

import pgtrigger
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import DateRange, Person, PrimaryBranch, Region

DEFAULT_CHECK_IN_DAYS = 30
DEFAULT_CAPACITY = 3
DEFAULT_MONTHS = 6
# The youth track: a young activist is at most this old in the year they are marked.
YOUNG_CADRE_MAX_AGE = 35


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for pairs")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


# Each status may move only to the next one (a draft may not jump to running).
PROGRAMME_NEXT = {
    ProgrammeStatus.DRAFT: ProgrammeStatus.OPEN,
    ProgrammeStatus.OPEN: ProgrammeStatus.RUNNING,
    ProgrammeStatus.RUNNING: ProgrammeStatus.CLOSED,
}


class Programme(models.Model):
    """A mentoring programme of one region (or a federal one, without a region) for a year."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentoring_programmes",
        verbose_name=_("region"),
        help_text=_("Empty: a federal programme."),
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=ProgrammeStatus, default=ProgrammeStatus.DRAFT)
    pair_months = models.PositiveSmallIntegerField(_("usual length of a pair, months"), default=DEFAULT_MONTHS)
    check_in_days = models.PositiveSmallIntegerField(
        _("a check-in expected every, days"), default=DEFAULT_CHECK_IN_DAYS
    )
    capacity = models.PositiveSmallIntegerField(_("mentees per mentor branch, at most"), default=DEFAULT_CAPACITY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="mentoring_programme_ends_after_start",
                violation_error_message=_("A programme must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(check_in_days__gte=1, check_in_days__lte=365)
                & Q(capacity__gte=1, capacity__lte=20)
                & Q(pair_months__gte=1, pair_months__lte=36),
                name="mentoring_programme_figures_plausible",
                violation_error_message=_(
                    "A check-in is expected every 1 to 365 days, a mentor takes 1 to 20 mentees, "
                    "and a pair lasts 1 to 36 months."
                ),
            ),
            models.UniqueConstraint(
                fields=["region", "year", "title"],
                name="mentoring_programme_title_unique",
                nulls_distinct=False,
                violation_error_message=_("A programme with this title already exists for the year."),
            ),
        ]
        indexes = [
            # The programmes of one region (its staff's list), newest first.
            models.Index(fields=["region", "-year"], name="mentoring_programme_region"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mentorship:programme", kwargs={"pk": self.pk})

    @property
    def is_federal(self) -> bool:
        return self.region_id is None

    @property
    def next_status(self) -> str | None:
        return PROGRAMME_NEXT.get(ProgrammeStatus(self.status))

    @property
    def takes_pairs(self) -> bool:
        return self.status in {ProgrammeStatus.OPEN, ProgrammeStatus.RUNNING}


class YoungCadre(models.Model):
    """A young activist of a primary branch, marked for the youth track; only the year of birth is kept."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="young_cadre", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        PrimaryBranch, on_delete=models.PROTECT, related_name="young_cadres", verbose_name=_("primary branch")
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    marked_on = models.DateField(_("marked on"), default=timezone.localdate)

    class Meta:
        ordering = ["person__last_name"]
        verbose_name = _("young activist")
        verbose_name_plural = _("young activists")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900, birth_year__lte=2100),
                name="young_cadre_birth_year_plausible",
                violation_error_message=_("Enter a year of birth such as 2004."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.birth_year})"


class Focus(models.TextChoices):
    REQUESTS = "requests", _("voters' requests")
    MOBILISING = "mobilising", _("mobilising activists")
    YOUTH = "youth", _("youth work")
    REPORTING = "reporting", _("reporting")
    OTHER = "other", _("other")


class Track(models.TextChoices):
    BRANCHES = "branches", _("branch with branch")
    YOUTH = "youth", _("secretary with a young activist")


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    ENDED = "ended", _("ended early")
    DECLINED = "declined", _("declined")


# Pairs that hold a mentor's place and a mentee's dates.
LIVE_STATUSES = [PairStatus.PROPOSED, PairStatus.ACTIVE]
# A pair that ran (even when ended early) takes its dates; a declined one never did.
HOLDING_STATUSES = [PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED]
PAIR_NEXT = {
    PairStatus.PROPOSED: [PairStatus.ACTIVE, PairStatus.DECLINED],
    PairStatus.ACTIVE: [PairStatus.COMPLETED, PairStatus.ENDED],
}


class PairQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def of_branch(self, branch_ids):
        """Pairs in which one of these branches mentors or is mentored."""
        return self.filter(Q(mentor_branch_id__in=branch_ids) | Q(mentee_branch_id__in=branch_ids))


# The rules that read another table, checked by the trigger below (BEFORE INSERT OR UPDATE).
PAIR_RULES_SQL = """
DECLARE
    programme RECORD;
BEGIN
    SELECT region_id, starts_on, ends_on INTO programme
      FROM mentorship_programme WHERE id = NEW.programme_id;
    IF NEW.starts_on < programme.starts_on OR NEW.ends_on > programme.ends_on THEN
        RAISE EXCEPTION 'pair outside its programme''s dates'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mentoring_pair_within_programme';
    END IF;
    IF programme.region_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM branches_primarybranch b
         WHERE b.id IN (NEW.mentor_branch_id, NEW.mentee_branch_id,
                        (SELECT c.branch_id FROM mentorship_youngcadre c WHERE c.id = NEW.mentee_cadre_id))
           AND b.region_id <> programme.region_id
    ) THEN
        RAISE EXCEPTION 'pair outside its programme''s region'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mentoring_pair_in_programme_region';
    END IF;
    RETURN NEW;
END;
"""


class Pair(models.Model):
    """A mentor branch and its mentee (a branch, or a young activist) in a programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="pairs", verbose_name=_("programme")
    )
    track = models.CharField(_("track"), max_length=10, choices=Track, default=Track.BRANCHES)
    mentor_branch = models.ForeignKey(
        PrimaryBranch, on_delete=models.PROTECT, related_name="mentoring_as_mentor", verbose_name=_("mentor branch")
    )
    mentee_branch = models.ForeignKey(
        PrimaryBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentoring_as_mentee",
        verbose_name=_("mentee branch"),
    )
    mentee_cadre = models.ForeignKey(
        YoungCadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairs",
        verbose_name=_("young activist"),
    )
    focus = models.CharField(_("focus"), max_length=12, choices=Focus, default=Focus.OTHER)
    # The contest library practice the pair builds on: a snapshot of its id and title, so
    # that mentoring keeps no key into contests (the floors keep domain apps apart).
    practice_id = models.PositiveIntegerField(_("practice"), null=True, blank=True)
    practice_title = models.CharField(_("practice it builds on"), max_length=300, blank=True)
    starts_on = models.DateField(_("start"))
    # The end of the pair's dates (the range the exclusion constraint holds): the planned
    # end, moved earlier when the pair ends early so that the mentee may be paired again.
    ends_on = models.DateField(_("end"))
    planned_ends_on = models.DateField(_("planned end"))
    status = models.CharField(_("status"), max_length=10, choices=PairStatus, default=PairStatus.PROPOSED)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Why staff chose this mentor (the suggestion's reasons, when they took one).
    reasons = models.CharField(_("why this mentor"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "mentor_branch", "pk"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor_branch=F("mentee_branch")) | Q(mentee_branch__isnull=True),
                name="mentoring_pair_not_itself",
                violation_error_message=_("A branch cannot mentor itself."),
            ),
            models.CheckConstraint(
                condition=Q(track=Track.BRANCHES, mentee_branch__isnull=False, mentee_cadre__isnull=True)
                | Q(track=Track.YOUTH, mentee_branch__isnull=True, mentee_cadre__isnull=False),
                name="mentoring_pair_mentee_matches_track",
                violation_error_message=_("A branch pair needs a mentee branch; a youth pair a young activist."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="mentoring_pair_ends_after_start",
                violation_error_message=_("A pair must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PairStatus.ENDED) | ~Q(end_reason=""),
                name="mentoring_pair_ended_with_reason",
                violation_error_message=_("Say why the pair ended early."),
            ),
            ExclusionConstraint(
                name="mentoring_pair_one_per_mentee_branch",
                expressions=[
                    ("programme", RangeOperators.EQUAL),
                    ("mentee_branch", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_STATUSES, mentee_branch__isnull=False),
                violation_error_message=_("This branch already has a mentor in the programme for these dates."),
            ),
            ExclusionConstraint(
                name="mentoring_pair_one_per_young_cadre",
                expressions=[
                    ("programme", RangeOperators.EQUAL),
                    ("mentee_cadre", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_STATUSES, mentee_cadre__isnull=False),
                violation_error_message=_("This young activist already has a mentor in the programme for these dates."),
            ),
        ]
        indexes = [
            # A mentor's live pairs in a programme: the capacity count under the lock, suggestions.
            models.Index(fields=["programme", "mentor_branch", "status"], name="mentoring_pair_mentor"),
            # "My pairs" of a secretary: pairs of their branch as mentee.
            models.Index(fields=["mentee_branch", "status"], name="mentoring_pair_mentee"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="mentoring_pair_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=PAIR_RULES_SQL,
            ),
        ]

    # Rules the trigger above holds (they read the programme and the branches), by name.
    sql_constraint_messages = {
        "mentoring_pair_within_programme": _("A pair must lie inside its programme's dates."),
        "mentoring_pair_in_programme_region": _("Both sides of a pair must belong to the programme's region."),
    }

    def __str__(self) -> str:
        return f"{self.mentor_branch} → {self.mentee_label}"

    def get_absolute_url(self) -> str:
        return reverse("mentorship:pair", kwargs={"pk": self.pk})

    @property
    def mentee_label(self) -> str:
        if self.mentee_cadre is not None:
            return str(self.mentee_cadre.person)
        return str(self.mentee_branch)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def counts_as_done(self) -> bool:
        """Completed, or ended early after running its course: at least three quarters of its planned length."""
        if self.status == PairStatus.COMPLETED:
            return True
        if self.status != PairStatus.ENDED or self.ended_on is None:
            return False
        planned = (self.planned_ends_on - self.starts_on).days
        return (self.ended_on - self.starts_on).days * 4 >= planned * 3


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    MET = "met", _("met")
    DROPPED = "dropped", _("dropped")


class Figure(models.TextChoices):
    NONE = "", _("none")
    RECEPTIONS = "receptions", _("receptions booked")
    ATTENDANCE = "attendance", _("event attendance rate")
    CONTEST = "contest", _("contest entry submitted")


class Goal(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals", verbose_name=_("pair"))
    text = models.CharField(_("goal"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus, default=GoalStatus.OPEN)
    figure = models.CharField(_("measured by"), max_length=12, choices=Figure, blank=True, default=Figure.NONE)

    class Meta:
        ordering = ["pair", "due_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class CheckInKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    CALL = "call", _("call")
    JOINT_EVENT = "joint_event", _("joint event")


class CheckIn(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("pair"))
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=CheckInKind, default=CheckInKind.MEETING)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pair", "-held_on", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            # The last check-in of each pair (health), newest first.
            models.Index(fields=["pair", "-held_on"], name="mentoring_checkin_last"),
        ]

    def __str__(self) -> str:
        return f"{self.pair}: {self.held_on}"


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    NEEDS_CHECK_IN = "needs_check_in", _("needs a check-in")
    TOO_EARLY = "too_early", _("too early to tell")


def health_of(*, starts_on: date, last_check_in: date | None, interval_days: int, today: date) -> Health:
    """On track: a check-in within the interval. Needs one: none for longer. Too early: younger than one interval."""
    if last_check_in is not None and (today - last_check_in).days <= interval_days:
        return Health.ON_TRACK
    if (today - starts_on).days <= interval_days and last_check_in is None:
        return Health.TOO_EARLY
    return Health.NEEDS_CHECK_IN
