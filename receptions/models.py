"""Personal receptions: a host's hours produce slots; a secretary books a slot; the host records the outcome.

Times: a schedule holds wall-clock times in its host's region time zone; each slot is
stored as UTC instants computed from them, so a daylight-saving change moves the UTC
instant and keeps the wall-clock time.
"""

import hashlib
import uuid
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import ExpressionWrapper, F, Func, Q, Value
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Person, Position, PrimaryBranch, Region

# A secretary books, moves or cancels at least this long before the reception starts.
NOTICE = timedelta(hours=24)
# The slot list and the periodic task produce slots this many days ahead.
HORIZON_DAYS = 56
MIN_SLOT_MINUTES = 10
MAX_SLOT_MINUTES = 240


class TsTzRange(Func):
    """tstzrange(start, end, '[)'): a slot as a half-open interval of instants."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReceptionPolicy(models.Model):
    """A region's rules: the norm of held receptions per host and the booking limit per secretary.

    A region without a row uses the defaults of the fields.
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="reception_policy", verbose_name=_("region")
    )
    held_per_month = models.PositiveSmallIntegerField(_("norm: held receptions per host per month"), default=1)
    bookings_per_month = models.PositiveSmallIntegerField(_("limit: bookings per secretary per month"), default=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reception norm of a region")
        verbose_name_plural = _("reception norms of regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(held_per_month__gte=1, held_per_month__lte=31),
                name="reception_policy_norm_range",
                violation_error_message=_("The norm is from 1 to 31 receptions a month."),
            ),
            models.CheckConstraint(
                condition=Q(bookings_per_month__gte=1, bookings_per_month__lte=31),
                name="reception_policy_limit_range",
                violation_error_message=_("The limit is from 1 to 31 bookings a month."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.region)


class Schedule(models.Model):
    """Recurring reception hours of one host position, in the host's region time zone.

    `host` repeats `position.person` so that slots can carry it (their overlap rule is
    per person: nobody receives in two places at once).
    """

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        BIWEEKLY = "biweekly", _("every other week")
        MONTHLY = "monthly", _("a given weekday of the month")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="reception_schedules", verbose_name=_("host position")
    )
    host = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reception_schedules", verbose_name=_("host")
    )
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence, default=Recurrence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    week_of_month = models.SmallIntegerField(_("week of the month"), choices=WeekOfMonth, null=True, blank=True)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per secretary"), default=30)
    place = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("the last day, inclusive"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("reception hours")
        verbose_name_plural = _("reception hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="schedule_ends_after_start",
                violation_error_message=_("The hours must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=MIN_SLOT_MINUTES, slot_minutes__lte=MAX_SLOT_MINUTES),
                name="schedule_slot_length_range",
                violation_error_message=_("A reception lasts from 10 minutes to 4 hours."),
            ),
            # At least one slot fits between the start and the end.
            models.CheckConstraint(
                condition=GreaterThanOrEqual(
                    ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=models.DurationField()),
                    ExpressionWrapper(
                        F("slot_minutes") * Value(timedelta(minutes=1)), output_field=models.DurationField()
                    ),
                ),
                name="schedule_one_slot_fits",
                violation_error_message=_("At least one reception must fit between the start and the end."),
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="schedule_weekday_range"),
            models.CheckConstraint(
                condition=Q(recurrence="monthly", week_of_month__isnull=False, week_of_month__in=[1, 2, 3, 4, -1])
                | (~Q(recurrence="monthly") & Q(week_of_month__isnull=True)),
                name="schedule_week_of_month_for_monthly",
                violation_error_message=_("Choose the week of the month for monthly hours (and only for them)."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="schedule_has_place_or_link",
                violation_error_message=_("Give an address or an online link."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="schedule_valid_until_after_from",
                violation_error_message=_("The hours cannot end before they start to be valid."),
            ),
            # Target of the composite foreign key slot (schedule, host) (migration 0002).
            models.UniqueConstraint(fields=["id", "host"], name="schedule_id_host_unique"),
        ]
        indexes = [
            # The host's hours page: schedules of one position.
            models.Index(fields=["position", "valid_from"], name="schedule_position"),
        ]

    def __str__(self) -> str:
        return f"{self.host} — {self.describe()}"

    def describe(self) -> str:
        day = Weekday(self.weekday).label
        if self.recurrence == self.Recurrence.MONTHLY:
            when = _("%(week)s %(day)s of the month") % {
                "week": self.get_week_of_month_display(),
                "day": day,
            }
        elif self.recurrence == self.Recurrence.BIWEEKLY:
            when = _("%(day)s, every other week") % {"day": day}
        else:
            when = _("every %(day)s") % {"day": day}
        return f"{when}, {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def where(self) -> str:
        return self.place or self.online_url

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The host's region time zone, in which the hours are wall-clock times."""
        region = self.position.region
        assert region is not None, "a host's position is regional"
        return zoneinfo.ZoneInfo(region.time_zone)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def occurs_on(self, day: date) -> bool:
        """Whether the hours fall on this calendar day (ignoring days off)."""
        if day.weekday() != self.weekday or not self.is_valid_on(day):
            return False
        if self.recurrence == self.Recurrence.BIWEEKLY:
            # Every other week, counted from the first such weekday on or after valid_from.
            return (day - self.valid_from).days // 7 % 2 == 0
        if self.recurrence == self.Recurrence.MONTHLY:
            if self.week_of_month == self.WeekOfMonth.LAST:
                return (day + timedelta(days=7)).month != day.month
            return (day.day - 1) // 7 + 1 == self.week_of_month
        return True

    def slot_bounds(self, day: date) -> list[tuple[datetime, datetime]]:
        """The slots of one day as UTC instants, from the wall-clock hours in the host's zone.

        Each slot starts at its wall-clock time and lasts `slot_minutes`. A wall-clock
        time that does not exist that day (skipped when the clocks go forward) gives no
        slot; one that occurs twice (when they go back) is taken the first time.
        """
        zone = self.zone
        step = timedelta(minutes=self.slot_minutes)
        start = datetime.combine(day, self.starts_at)
        last_start = datetime.combine(day, self.ends_at) - step
        bounds = []
        while start <= last_start:
            utc_start = start.replace(tzinfo=zone).astimezone(UTC)
            if utc_start.astimezone(zone).replace(tzinfo=None) == start:
                bounds.append((utc_start, utc_start + step))
            start += step
        return bounds


class DayOff(models.Model):
    """A date on which a host does not receive: planned ahead, or a day cancelled at short notice."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        CANCELLED = "cancelled", _("cancelled day")

    # No index of its own: the unique (host, date) leads with it.
    host = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reception_days_off", verbose_name=_("host"), db_index=False
    )
    # The time zone the date is read in: the host position's region, when the day was entered.
    time_zone = models.CharField(_("time zone"), max_length=64)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.DAY_OFF)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day without receptions")
        verbose_name_plural = _("days without receptions")
        constraints = [
            # Also serves "the host's days off from a date" for the slot generator.
            models.UniqueConstraint(
                fields=["host", "date"],
                name="day_off_once_per_host_date",
                violation_error_message=_("This day is already marked as a day without receptions."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.date}: {self.get_kind_display()}"


class SlotQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def free(self):
        """Active slots without a booking that holds them."""
        return self.active().exclude(models.Exists(Booking.objects.holding().filter(slot=models.OuterRef("pk"))))


class Slot(models.Model):
    """One bookable interval of a host, stored in UTC: [starts_at, ends_at)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="slots", verbose_name=_("hours"))
    # No index of its own: the exclusion constraint's GiST index leads with the host.
    host = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reception_slots", verbose_name=_("host"), db_index=False
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            ExclusionConstraint(
                name="slot_no_overlap_per_host",
                expressions=[
                    ("host", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(cancelled_at__isnull=True),
                violation_error_message=_("These hours overlap the host's other reception hours."),
            ),
            # Makes producing slots idempotent (INSERT ... ON CONFLICT DO NOTHING).
            models.UniqueConstraint(
                fields=["schedule", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="slot_once_per_schedule_time",
            ),
            # Target of the composite foreign key booking (slot, host) (migration 0002).
            models.UniqueConstraint(fields=["id", "host"], name="slot_id_host_unique"),
        ]
        indexes = [
            # Free slots of a host from now on, and the host's day.
            models.Index(
                fields=["host", "starts_at"], condition=Q(cancelled_at__isnull=True), name="slot_host_start_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} {formats.date_format(timezone.localtime(self.starts_at), 'SHORT_DATETIME_FORMAT')}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingQuerySet(models.QuerySet):
    def holding(self):
        """Bookings that occupy their slot: every status but cancelled."""
        return self.exclude(status=Booking.Status.CANCELLED)

    def active(self):
        return self.filter(status=Booking.Status.BOOKED)


class Booking(models.Model):
    """A secretary's booking of one slot: booked, then held or missed, or cancelled."""

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("booking status", "booked")
        HELD = "held", pgettext_lazy("booking status", "held")
        MISSED = "missed", pgettext_lazy("booking status", "missed")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "cancelled")

    class CancelledBy(models.TextChoices):
        SECRETARY = "secretary", _("by the secretary")
        HOST = "host", _("by the host")
        DAY = "day", _("the day was cancelled")

    # The calendar UID: stable across moves, so calendars update the entry instead of adding one.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    # No index of their own: (host, status) and (secretary, status) below lead with them.
    host = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="receptions_hosted", verbose_name=_("host"), db_index=False
    )
    secretary = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="reception_bookings",
        verbose_name=_("secretary"),
        db_index=False,
    )
    branch = models.ForeignKey(
        PrimaryBranch, on_delete=models.PROTECT, related_name="reception_bookings", verbose_name=_("primary branch")
    )
    topic = models.CharField(_("topic"), max_length=200)
    questions = models.TextField(_("questions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.BOOKED)
    # The calendar SEQUENCE: rises with every change a calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_by = models.CharField(_("cancelled"), max_length=10, choices=CancelledBy, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=~Q(status="cancelled"),
                name="booking_one_per_slot",
                violation_error_message=_("Someone has just booked this time. Choose another one."),
            ),
            models.UniqueConstraint(
                fields=["secretary", "host"],
                condition=Q(status="booked"),
                name="booking_one_active_per_host",
                violation_error_message=_(
                    "You already have a booking with this host. Move it or cancel it before booking another time."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(host=F("secretary")),
                name="booking_not_with_oneself",
                violation_error_message=_("You cannot book a reception with yourself."),
            ),
            models.CheckConstraint(
                condition=~Q(topic=""),
                name="booking_has_topic",
                violation_error_message=_("Give the topic of the reception."),
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_by__in=["secretary", "host", "day"])
                | (~Q(status="cancelled") & Q(cancelled_by="")),
                name="booking_cancelled_says_by_whom",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["held", "missed"]) | Q(outcome_recorded_at__isnull=True),
                name="booking_outcome_only_after_meeting",
            ),
        ]
        indexes = [
            # A secretary's bookings, their count in a month (the regional limit), and
            # "secretaries not received" (whether a secretary has a held booking).
            models.Index(fields=["secretary", "status"], name="booking_secretary_status"),
            # The regularity report: bookings of the region's hosts.
            models.Index(fields=["host", "status"], name="booking_host_status"),
        ]

    def __str__(self) -> str:
        return f"{self.secretary} → {self.host}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("receptions:booking", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


# Follow-ups of a reception (voters' requests «наказы» and tasks) are assignments of the
# assignments engine: a directive per follow-up with the source key below, addressed to the
# host in the region of the reception, with who carries it out as written ("owner").
FOLLOW_UP_SOURCE = "receptions.booking."


def follow_up_source_key(booking_id: int) -> str:
    return f"{FOLLOW_UP_SOURCE}{booking_id}"


class FollowUpKind(models.TextChoices):
    REQUEST = "request", _("voters' request")
    TASK = "task", _("task")


class FollowUpStatus(models.TextChoices):
    """How the host sees a follow-up; the assignment's state says it in the engine's words."""

    OPEN = "open", pgettext_lazy("follow-up status", "open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")

    @classmethod
    def of_state(cls, state: str) -> "FollowUpStatus":
        return {"accepted": cls.DONE, "dropped": cls.DROPPED}.get(state, cls.OPEN)


class CalendarFeed(models.Model):
    """A private calendar address: only the SHA-256 of its secret token is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_active_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({formats.date_format(timezone.localtime(self.created_at), 'SHORT_DATE_FORMAT')})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
