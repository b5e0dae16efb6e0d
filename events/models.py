"""Party events of a territory, the people expected at them, their answers and attendance.

An event belongs to one unit of the tree: a region, a local branch or a primary branch,
filled down like a position (region always; local branch for a local or primary event;
primary branch for a primary event), so the unit is the deepest column filled. Its
expected list is frozen from the tree at publication (events/services.py) and kept in
line with secretary changes before the event; a row is never deleted, only marked
removed with the reason, so the list's history stays readable.
"""

import secrets
import uuid

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import LocalBranch, Person, PrimaryBranch, Region


class EventKind(models.TextChoices):
    PARTY_EVENT = "party_event", _("party event")
    HEAD_MEETING = "head_meeting", _("meeting of the head of the region with activists")
    TRAINING_DAY = "training_day", _("training day")
    OTHER = "other", _("other")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed, waiting for approval")
    PUBLISHED = "published", _("published")
    HELD = "held", _("held, attendance being marked")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# Statuses in which attendance may be marked (the database trigger below holds this).
MARKABLE_STATUSES = [EventStatus.PUBLISHED, EventStatus.HELD]


class EventQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(status=EventStatus.PUBLISHED, starts_at__gt=now or timezone.now())

    def to_close(self, now=None):
        """Events that have ended and are not closed yet (published events past their end too)."""
        return self.filter(status__in=MARKABLE_STATUSES, ends_at__lte=now or timezone.now())


class Event(models.Model):
    """One event of a unit; times are stored in UTC and entered in the region's zone."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="party_events", verbose_name=_("region"))
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_events",
        verbose_name=_("local branch"),
    )
    primary_branch = models.ForeignKey(
        PrimaryBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_events",
        verbose_name=_("primary branch"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind, default=EventKind.PARTY_EVENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    organiser = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="organised_events", verbose_name=_("organiser")
    )
    status = models.CharField(_("status"), max_length=20, choices=EventStatus, default=EventStatus.DRAFT)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    report = models.TextField(_("report"), blank=True)
    # The calendar identity: UID never changes, SEQUENCE rises with every change a
    # calendar should pick up (time, place, cancellation).
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the expected list was last brought in line with the tree.
    expected_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(primary_branch__isnull=True) | Q(local_branch__isnull=False),
                name="event_in_exactly_one_unit",
                violation_error_message=_("An event belongs to one unit: a region, a local or a primary branch."),
            ),
            models.CheckConstraint(
                condition=~Q(place="", online_url=""),
                name="event_has_place_or_link",
                violation_error_message=_("Give a place or an online link."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CANCELLED) | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="event_cancelled_with_reason",
                violation_error_message=_("A cancelled event needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CLOSED) | (Q(closed_at__isnull=False) & ~Q(report="")),
                name="event_closed_with_report",
                violation_error_message=_("Closing an event needs a short report."),
            ),
        ]
        indexes = [
            # The events of a region by date: lists, the region report, the reminder sweep.
            models.Index(fields=["region", "starts_at"], name="event_region_start"),
            # Events of one local branch (a secretary's territory), by date.
            models.Index(fields=["local_branch", "starts_at"], name="event_local_start"),
            # An organiser's events to close on the desk.
            models.Index(fields=["organiser", "status"], name="event_organiser_status"),
            # Periodic sweeps: upcoming published events, ended events not closed.
            models.Index(fields=["status", "starts_at"], name="event_status_start"),
        ]

    # Rules held by composite foreign keys in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "event_local_in_region": _("The local branch belongs to another region."),
        "event_primary_in_local": _("The primary branch belongs to another local branch."),
    }

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    @property
    def unit(self):
        return self.primary_branch or self.local_branch or self.region

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


class Source(models.TextChoices):
    TREE = "tree", _("from the tree")
    HAND = "hand", _("added by hand")
    WALK_IN = "walk_in", _("walk-in")
    # Invited to a head's meeting by its rule: nominated by a local branch, a contest
    # winner, a council member (the line's reason says which).
    INVITED = "invited", _("invited")


class Answer(models.TextChoices):
    WILL_COME = "will_come", _("will come")
    CANNOT = "cannot", _("cannot come")


class CannotReason(models.TextChoices):
    ILLNESS = "illness", _("illness")
    WORK = "work", _("work")
    ANOTHER_EVENT = "another_event", _("another event")
    OTHER = "other", _("other")


class Mark(models.TextChoices):
    CAME = "came", _("came")
    ABSENT = "absent", _("did not come")
    EXCUSED = "excused", _("excused")


# Check-in codes: no 0/O or 1/I, so a code read aloud or typed from a screen is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_check_in_code() -> str:
    """A personal check-in code (32⁸ ≈ 10¹² values): shown to the person, typed or scanned at the door."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ExpectedQuerySet(models.QuerySet):
    def active(self):
        """The rows on the list now (removed ones stay for the record)."""
        return self.filter(removed_at__isnull=True)

    def expected(self):
        """People who were expected (not walk-ins), on the list now."""
        return self.active().exclude(source=Source.WALK_IN)


MARK_TRIGGER_FUNC = """
    IF NEW.mark <> '' AND (TG_OP = 'INSERT' OR NEW.mark IS DISTINCT FROM OLD.mark) THEN
        -- FOR SHARE waits for a cancellation or a closing in progress and reads its result.
        IF NOT EXISTS (
            SELECT 1 FROM events_event
            WHERE id = NEW.event_id AND status IN ('published', 'held')
            FOR SHARE
        ) THEN
            RAISE EXCEPTION 'attendance on an event that is not open'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'expected_mark_on_open_event';
        END IF;
    END IF;
    RETURN NEW;
"""


QUOTA_TRIGGER_FUNC = """
        -- FOR UPDATE on the meeting's invitation: two secretaries' nominations for one
        -- meeting run one after the other, so the count below sees the other's row.
        SELECT per_local_branch INTO quota FROM events_meetinginvitation
        WHERE event_id = NEW.event_id AND rule = 'nominated'
        FOR UPDATE;
        IF quota IS NULL THEN
            RAISE EXCEPTION 'nomination on a meeting without nominations'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'expected_nominations_within_quota';
        END IF;
        IF (
            SELECT count(*) FROM events_expectedperson
            WHERE event_id = NEW.event_id AND local_branch_id = NEW.local_branch_id
              AND nominated_by_id IS NOT NULL AND removed_at IS NULL AND id <> NEW.id
        ) >= quota THEN
            RAISE EXCEPTION 'more nominations than the quota'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'expected_nominations_within_quota';
        END IF;
        RETURN NEW;
"""
QUOTA_TRIGGER = "expected_nominations_within_quota"
QUOTA_TRIGGER_MESSAGE = _("Your local branch has nominated as many activists as the meeting allows.")


# The trigger below raises a check violation under this name; it is not a pg_constraint, so
# events/services.py turns it into this message itself (core.db knows constraints only).
MARK_TRIGGER = "expected_mark_on_open_event"
MARK_TRIGGER_MESSAGE = _("Attendance is marked only on a published or held event, not a cancelled or closed one.")


class ExpectedPerson(models.Model):
    """One line of an event's list: an expected secretary, a vacant branch, a person added by hand, a walk-in.

    The answer and the attendance mark are columns of the line, so there is one of each
    per person per event by construction; every mark is also written to MarkRecord.
    """

    # The three keys below need no index of their own: the unique (event, person) and the
    # indexes (person, event) and (primary_branch, event) lead with them. A national year is
    # 1.5 million lines, and every index is paid for on each of them.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="expected", verbose_name=_("event"), db_index=False
    )
    # Empty for a vacant branch (listed as vacant) and for a walk-in known by name only.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expected_at_events",
        verbose_name=_("person"),
        db_index=False,
    )
    # The branch whose secretary is expected (empty for people added by hand and walk-ins).
    primary_branch = models.ForeignKey(
        PrimaryBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expected_at_events",
        verbose_name=_("primary branch"),
        db_index=False,
    )
    # The local branch an invited activist speaks for (a head's meeting gives every local
    # branch a seat over a year: the region report counts these).
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invited_to_events",
        verbose_name=_("local branch"),
    )
    # Who nominated an invited activist (a local branch's secretary), when the rule is nomination.
    nominated_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nominated by")
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("a walk-in not in the registry"))
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.TREE)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer, blank=True)
    cannot_reason = models.CharField(_("reason"), max_length=20, choices=CannotReason, blank=True)
    answer_note = models.CharField(_("note"), max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    mark = models.CharField(_("attendance"), max_length=10, choices=Mark, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    # The personal code shown in the person's app; checking in with it marks them as came.
    check_in_code = models.CharField(_("check-in code"), max_length=16, default=new_check_in_code, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ExpectedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("expected person")
        verbose_name_plural = _("expected people")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="expected_person_once",
                violation_error_message=_("This person is already on the event's list."),
            ),
            models.UniqueConstraint(
                fields=["event", "primary_branch"],
                condition=Q(person__isnull=True, removed_at__isnull=True),
                name="expected_vacancy_once",
                violation_error_message=_("This branch is already listed as vacant."),
            ),
            # Serves the check-in lookup: a code is looked up within its event only.
            models.UniqueConstraint(
                fields=["event", "check_in_code"],
                name="expected_check_in_code_unique",
                violation_error_message=_("This check-in code is already in use; try again."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(primary_branch__isnull=False) | ~Q(name=""),
                name="expected_names_someone",
                violation_error_message=_("Choose a person or type the walk-in's name."),
            ),
            models.CheckConstraint(
                condition=Q(source=Source.TREE) | ~Q(reason=""),
                name="expected_added_with_reason",
                violation_error_message=_("Say why this person is added."),
            ),
            models.CheckConstraint(
                condition=~Q(answer=Answer.CANNOT) | ~Q(cannot_reason=""),
                name="expected_cannot_with_reason",
                violation_error_message=_("Say why you cannot come."),
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""),
                name="expected_removed_with_reason",
                violation_error_message=_("Say why the line is removed."),
            ),
        ]
        indexes = [
            # The region report: local branches whose activists were invited in the last 12 months.
            models.Index(
                fields=["local_branch", "event"], condition=Q(source="invited"), name="expected_invited_local_event"
            ),
            # A person's events and duty figures over 12 months.
            models.Index(fields=["person", "event"], name="expected_person_event"),
            # The region report: lines by branch.
            models.Index(fields=["primary_branch", "event"], name="expected_branch_event"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="expected_mark_on_open_event",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=MARK_TRIGGER_FUNC,
            ),
            pgtrigger.Trigger(
                name="expected_nominations_within_quota",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(
                    new__nominated_by__isnull=False, new__removed_at__isnull=True, new__local_branch__isnull=False
                ),
                func=QUOTA_TRIGGER_FUNC,
                declare=[("quota", "integer")],
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        if self.name:
            return self.name
        return str(_("vacant: %(branch)s") % {"branch": self.primary_branch})

    @property
    def is_vacant(self) -> bool:
        return self.person_id is None and self.source == Source.TREE


class MarkRecord(models.Model):
    """Every attendance mark ever given: two phones marking one line both leave a record."""

    expected = models.ForeignKey(
        ExpectedPerson, on_delete=models.CASCADE, related_name="mark_records", verbose_name=_("line")
    )
    mark = models.CharField(_("attendance"), max_length=10, choices=Mark)
    marked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("marked by")
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected", "marked_at", "pk"]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")

    def __str__(self) -> str:
        return f"{self.expected}: {self.mark}"


class Question(models.Model):
    """A question a primary branch sends before a head's meeting; the organiser selects, groups and answers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event"))
    primary_branch = models.ForeignKey(
        PrimaryBranch, on_delete=models.PROTECT, related_name="event_questions", verbose_name=_("primary branch")
    )
    asked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    text = models.TextField(_("question"))
    # A duplicate points at the question that stands for its group; the answer is given there.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("same as"),
    )
    selected = models.BooleanField(_("selected for the meeting"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="question_answered_with_text",
                violation_error_message=_("Write the answer."),
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("pk")),
                name="question_not_its_own_duplicate",
                violation_error_message=_("A question cannot be a duplicate of itself."),
            ),
        ]
        indexes = [
            # The questions of one branch (its inbox of answers).
            models.Index(fields=["primary_branch", "created_at"], name="question_branch_created"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class InvitationRule(models.TextChoices):
    NOMINATED = "nominated", _("each local branch nominates activists")
    CONTEST_WINNERS = "contest_winners", _("the winners of the contest of a year")
    COUNCIL_MEMBERS = "council_members", _("the members of the regional council")
    BY_HAND = "by_hand", _("chosen by hand")


class MeetingInvitation(models.Model):
    """Who is invited to a head's meeting besides the secretaries of the territory, by which rule.

    Nominations: each local branch's secretary nominates up to `per_local_branch` activists
    of their primary branches until `nominations_due` (the database trigger on the lines
    holds the quota). Contest winners (of `year`) and council members are resolved when
    the meeting is published, through sources registered in events.invitations (the
    domain apps that know them are not imported here). By hand: the organiser adds people.
    """

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="invitation", verbose_name=_("event")
    )
    rule = models.CharField(_("who is invited"), max_length=20, choices=InvitationRule, default=InvitationRule.BY_HAND)
    per_local_branch = models.PositiveSmallIntegerField(_("activists per local branch"), null=True, blank=True)
    nominations_due = models.DateTimeField(_("nominations until"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("contest year"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule="nominated")
                | Q(per_local_branch__gte=1, per_local_branch__lte=20, nominations_due__isnull=False),
                name="invitation_nominations_complete",
                violation_error_message=_("Nominations need a number of activists (1 to 20) and a deadline."),
            ),
            models.CheckConstraint(
                condition=~Q(rule="contest_winners") | Q(year__gte=2000, year__lte=2100),
                name="invitation_contest_year",
                violation_error_message=_("Choose the year of the contest whose winners are invited."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_rule_display()}"


class HeadMeetingPlan(models.Model):
    """How many meetings of the head with activists a region plans in a year."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="head_meeting_plans", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.PositiveSmallIntegerField(_("meetings planned"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "-year"]
        verbose_name = _("plan of head's meetings")
        verbose_name_plural = _("plans of head's meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="head_meeting_plan_once_a_year",
                violation_error_message=_("The region already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(planned__lte=366) & Q(year__gte=2000, year__lte=2100),
                name="head_meeting_plan_plausible",
                violation_error_message=_("Plan at most one meeting a day, for a year between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.year}"
