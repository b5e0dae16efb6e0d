"""The council of primary branches of each region: its seats, terms, meetings and decisions.

A seat is one term of one person in one place of the council (the chair, the deputy
chair, or the representative of a local branch), as the half-open range
[starts_on, ends_on). Vacancies and expiring terms are derived from the terms, never
stored (councils/selectors.py).
"""

from datetime import date

import pghistory
import pgtrigger
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from branches.models import DateRange, LocalBranch, Person, Region

# Term lengths when a council has no policy of its own (the party's charter).
DEFAULT_REPRESENTATIVE_YEARS = 1
DEFAULT_CHAIR_YEARS = 5


def quorum_reached(*, present: int, seats_filled: int | None) -> bool:
    """More than half of the seats filled on the day are present."""
    if not seats_filled:
        return False
    return present * 2 > seats_filled


class CouncilLevel(models.TextChoices):
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")


class CouncilQuerySet(models.QuerySet):
    def regional(self):
        return self.filter(level=CouncilLevel.REGIONAL)

    def federal(self):
        return self.filter(level=CouncilLevel.FEDERAL)


class Council(models.Model):
    """A council of primary branches: one per regional branch, and the one federal council.

    The federal council has no region. Its members are the chairs of the regional
    councils on the day (derived from their seats, never a second list) and the members
    administrators appoint (seats of the federal council with the role "member").
    Sessions and decisions of both levels are the same models below.
    """

    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel, default=CouncilLevel.REGIONAL)
    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="council", verbose_name=_("region")
    )
    created_on = models.DateField(_("created on"), default=timezone.localdate)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["level", "region__code"]
        verbose_name = _("council of primary branches")
        verbose_name_plural = _("councils of primary branches")
        constraints = [
            # Target of the composite foreign keys that keep seats, meetings and
            # decisions in the region of their council (migration 0002).
            models.UniqueConstraint(fields=["id", "region"], name="council_id_region_unique"),
            # The target of a seat's (council, level) composite key (migration 0007).
            models.UniqueConstraint(fields=["id", "level"], name="council_id_level_unique"),
            models.CheckConstraint(
                condition=Q(level=CouncilLevel.REGIONAL, region__isnull=False)
                | Q(level=CouncilLevel.FEDERAL, region__isnull=True),
                name="council_region_by_level",
                violation_error_message=_("A regional council has a region; the federal council has none."),
            ),
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level=CouncilLevel.FEDERAL),
                name="council_one_federal",
                violation_error_message=_("There is one federal council."),
            ),
        ]

    def __str__(self) -> str:
        if self.is_federal:
            return str(_("Federal council of primary branches"))
        assert self.region is not None
        return str(_("Council of primary branches, %(region)s") % {"region": self.region.name})

    def get_absolute_url(self) -> str:
        if self.is_federal:
            return reverse("councils:federal")
        return reverse("councils:council", kwargs={"region_pk": self.region_id})

    @property
    def is_federal(self) -> bool:
        return self.level == CouncilLevel.FEDERAL

    @property
    def meetings_url(self) -> str:
        if self.is_federal:
            return reverse("councils:federal_sessions")
        return reverse("councils:meetings", kwargs={"region_pk": self.region_id})


class TermPolicy(models.Model):
    """How long terms approved from `applies_from` on last; earlier terms keep their end date."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="policies", verbose_name=_("council"))
    applies_from = models.DateField(_("applies to terms starting from"))
    representative_years = models.PositiveSmallIntegerField(
        _("term of a representative, years"), default=DEFAULT_REPRESENTATIVE_YEARS
    )
    chair_years = models.PositiveSmallIntegerField(_("term of the chair, years"), default=DEFAULT_CHAIR_YEARS)
    deputy_chair_years = models.PositiveSmallIntegerField(
        _("term of the deputy chair, years"), default=DEFAULT_CHAIR_YEARS
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["council", "-applies_from"]
        verbose_name = _("term policy")
        verbose_name_plural = _("term policies")
        constraints = [
            # Serves "the policy in force on a date": the latest applies_from ≤ date.
            models.UniqueConstraint(
                fields=["council", "applies_from"],
                name="term_policy_one_per_date",
                violation_error_message=_("A policy already applies from this date; choose another date."),
            ),
            models.CheckConstraint(
                condition=Q(representative_years__gte=1, representative_years__lte=10)
                & Q(chair_years__gte=1, chair_years__lte=10)
                & Q(deputy_chair_years__gte=1, deputy_chair_years__lte=10),
                name="term_policy_years_plausible",
                violation_error_message=_("A term lasts from 1 to 10 years."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.applies_from}"

    def years_for(self, role: str) -> int:
        return {
            SeatRole.CHAIR: self.chair_years,
            SeatRole.DEPUTY_CHAIR: self.deputy_chair_years,
            SeatRole.REPRESENTATIVE: self.representative_years,
        }[SeatRole(role)]


class CouncilMeeting(models.Model):
    """A session of a council, regional or federal: agenda, who came (from the seats filled that day), decisions."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("council"))
    # Sessions are numbered per council, in order (the minutes say "session № 7").
    number = models.PositiveIntegerField(_("session number"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"))
    guests = models.TextField(_("invited guests"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # How many seats were filled on the day, fixed when the attendance is recorded:
    # the quorum is more than half of them, as the minutes say.
    seats_filled = models.PositiveSmallIntegerField(_("seats filled"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.UniqueConstraint(fields=["id", "council"], name="council_meeting_id_council_unique"),
            models.UniqueConstraint(
                fields=["council", "number"],
                name="council_meeting_number_unique",
                violation_error_message=_("The council already has a session with this number."),
            ),
        ]
        indexes = [
            # The meetings of one council, newest first.
            models.Index(fields=["council", "-held_on"], name="council_meeting_by_date"),
        ]

    def __str__(self) -> str:
        return str(
            _("Session №%(number)s of %(date)s")
            % {"number": self.number, "date": formats.date_format(self.held_on, "SHORT_DATE_FORMAT")}
        )

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", kwargs={"pk": self.pk})

    @property
    def has_quorum(self) -> bool:
        """The attendance recorded reaches the quorum (uses an annotated `present` when there is one)."""
        present = getattr(self, "present", None)
        if present is None:
            present = self.attendance.count()
        return quorum_reached(present=present, seats_filled=self.seats_filled)


class AgendaItem(models.Model):
    """One item of a session's agenda, with who speaks to it (a best practice presented, say)."""

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("session")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=500)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)
    # A best practice presented: the page of the contest library it comes from.
    practice_url = models.CharField(_("best practice (library link)"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
                violation_error_message=_("The agenda already has an item in this place."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class CouncilDecision(models.Model):
    """A decision recorded at a meeting; a seat may name it as the one that approved it."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("council"))
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.CharField(_("number"), max_length=30)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        constraints = [
            # A decision's number is unique within its meeting ("№ 3 of 12.03.2025").
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="council_decision_number_unique",
                violation_error_message=_("A decision with this number is already recorded at the meeting."),
            ),
            models.UniqueConstraint(fields=["id", "council"], name="council_decision_id_council_unique"),
        ]

    # A rule held by a composite foreign key in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "council_decision_meeting_of_council": _("The meeting belongs to another council."),
    }

    def __str__(self) -> str:
        return str(
            _("Decision №%(number)s of %(date)s")
            % {"number": self.number, "date": formats.date_format(self.meeting.held_on, "SHORT_DATE_FORMAT")}
        )


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
    REPRESENTATIVE = "representative", _("representative")
    # An appointed member of the federal council (its regional chairs are derived).
    MEMBER = "member", _("appointed member")


# A term longer than the council's policy needs a recorded reason: the trigger below reads the
# policy in force on the term's start (the latest applies_from ≤ start, or the charter's
# defaults). The limit is computed as services.add_years does: a term from 29 February
# runs through 28 February, so (start − 1 day + years) + 1 day.
SEAT_TERM_RULE_SQL = f"""
DECLARE
    years integer;
BEGIN
    IF NEW.role = '{SeatRole.MEMBER.value}' OR NEW.long_term_reason <> '' THEN
        RETURN NEW;
    END IF;
    SELECT CASE NEW.role
               WHEN '{SeatRole.CHAIR.value}' THEN p.chair_years
               WHEN '{SeatRole.DEPUTY_CHAIR.value}' THEN p.deputy_chair_years
               ELSE p.representative_years
           END
      INTO years
      FROM councils_termpolicy p
     WHERE p.council_id = NEW.council_id AND p.applies_from <= NEW.starts_on
     ORDER BY p.applies_from DESC
     LIMIT 1;
    IF years IS NULL THEN
        years := CASE NEW.role WHEN '{SeatRole.REPRESENTATIVE.value}' THEN {DEFAULT_REPRESENTATIVE_YEARS}
                               ELSE {DEFAULT_CHAIR_YEARS} END;
    END IF;
    IF NEW.ends_on > ((NEW.starts_on - 1) + make_interval(years => years))::date + 1 THEN
        RAISE EXCEPTION 'term longer than the council''s policy without a reason'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'council_seat_term_within_policy';
    END IF;
    RETURN NEW;
END;
"""


class CouncilSeatQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Terms held on the given date (today by default): start ≤ day < end."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gt=day)

    def representatives(self):
        return self.filter(role=SeatRole.REPRESENTATIVE)


# The table also has a column `council_level`, generated from the role in SQL (migration 0007) and
# unknown to Django: the composite key that keeps appointed members on the federal council uses it.
@pghistory.track(level=pgtrigger.Statement)
class CouncilSeat(models.Model):
    """One term of one person in one place of a council, approved by a decision."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="seats", verbose_name=_("council"))
    # The council's region, repeated so that the database can check that a
    # representative speaks for a local branch of that region (migration 0002);
    # empty for the appointed members of the federal council.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    role = models.CharField(_("seat"), max_length=20, choices=SeatRole)
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("local branch"),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="council_seats", verbose_name=_("person"))
    starts_on = models.DateField(_("start of term"))
    ends_on = models.DateField(_("end of term"), help_text=_("first day no longer held"))
    # The decision that approved the term: one recorded here, or (for decisions taken
    # before this app) a number and a date as written on paper.
    decision = models.ForeignKey(
        CouncilDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_seats",
        verbose_name=_("decision"),
    )
    decision_number = models.CharField(_("decision number"), max_length=30, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending early"), max_length=200, blank=True)
    # Why the term runs longer than the council's policy allows (empty: it does not).
    long_term_reason = models.CharField(_("reason for a term longer than the policy"), max_length=200, blank=True)

    objects = CouncilSeatQuerySet.as_manager()

    class Meta:
        ordering = ["council", "role", "local_branch", "-starts_on"]
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="council_seat_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(role=SeatRole.REPRESENTATIVE, local_branch__isnull=False)
                | Q(role__in=[SeatRole.CHAIR, SeatRole.DEPUTY_CHAIR, SeatRole.MEMBER], local_branch__isnull=True),
                name="council_seat_local_branch_for_representatives",
                violation_error_message=_(
                    "A representative speaks for a local branch; the chair and the deputy chair do not."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role=SeatRole.MEMBER, region__isnull=True)
                | (~Q(role=SeatRole.MEMBER) & Q(region__isnull=False)),
                name="council_seat_members_are_federal",
                violation_error_message=_(
                    "Appointed members sit on the federal council; regional seats have a region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(decision_number="", decision_date__isnull=True),
                name="council_seat_one_kind_of_decision",
                violation_error_message=_("Choose a recorded decision or type its number and date, not both."),
            ),
            ExclusionConstraint(
                name="council_seat_one_representative_per_local_branch",
                expressions=[
                    ("local_branch", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role=SeatRole.REPRESENTATIVE),
                violation_error_message=_("The local branch already has a representative for these dates."),
            ),
            ExclusionConstraint(
                name="council_seat_one_chair",
                expressions=[
                    ("council", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role=SeatRole.CHAIR),
                violation_error_message=_("The council already has a chair for these dates."),
            ),
            ExclusionConstraint(
                name="council_seat_one_term_per_member",
                expressions=[
                    ("council", RangeOperators.EQUAL),
                    ("person", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role=SeatRole.MEMBER),
                violation_error_message=_("This person is already an appointed member for these dates."),
            ),
            ExclusionConstraint(
                name="council_seat_one_deputy_chair",
                expressions=[
                    ("council", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role=SeatRole.DEPUTY_CHAIR),
                violation_error_message=_("The council already has a deputy chair for these dates."),
            ),
        ]
        indexes = [
            # The council page and the federal overview: the terms of one council by date.
            models.Index(fields=["council", "ends_on"], name="council_seat_council_end"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="council_seat_term_rule",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=SEAT_TERM_RULE_SQL,
            ),
        ]

    # Rules held in SQL only, by constraint name: composite foreign keys (migration 0002),
    # and the term's length against the policy (the trigger above).
    sql_constraint_messages = {
        "council_seat_term_within_policy": _(
            "The term is longer than the council's policy allows: shorten it, or record the reason."
        ),
        "council_seat_council_in_region": _("The seat belongs to the council of another region."),
        "council_seat_level_of_council": _(
            "Appointed members sit on the federal council only; a regional council has a chair, "
            "a deputy chair and representatives."
        ),
        "council_seat_local_in_region": _("The local branch belongs to another region."),
        "council_seat_decision_of_council": _("The decision was taken by another council."),
    }

    def __str__(self) -> str:
        return f"{self.person} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("councils:seat", kwargs={"pk": self.pk})

    @property
    def place(self) -> str:
        """The chair, the deputy chair, or the local branch a representative speaks for."""
        if self.role == SeatRole.REPRESENTATIVE and self.local_branch is not None:
            return str(_("representative of %(local)s") % {"local": self.local_branch.name})
        return str(self.get_role_display())

    @property
    def decision_label(self) -> str:
        if self.decision is not None:
            return str(self.decision)
        if self.decision_number or self.decision_date:
            parts = []
            if self.decision_number:
                parts.append(f"№{self.decision_number}")
            if self.decision_date:
                parts.append(
                    str(_("of %(date)s") % {"date": formats.date_format(self.decision_date, "SHORT_DATE_FORMAT")})
                )
            return " ".join(parts)
        return ""

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day < self.ends_on


class Attendance(models.Model):
    """A seat's holder was present at a meeting (absent holders have no row)."""

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    seat = models.ForeignKey(CouncilSeat, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("seat"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                name="attendance_once_per_seat",
                violation_error_message=_("This seat is already marked present."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.seat}"
