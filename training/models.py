"""The secretaries' online course: courses, who must take them, and the completions the platform reports."""

from datetime import date

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Person, Position, Region, Role


def default_required_roles() -> list[str]:
    return [Role.PRIMARY_SECRETARY.value]


class Course(models.Model):
    """One version of a course on the party school's platform; a new version is a new row."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link on the platform"), blank=True)
    # Moodle's course id, for the pull and for matching uploaded and pushed rows.
    platform_course_id = models.CharField(_("course id on the platform"), max_length=40, blank=True)
    required_roles = ArrayField(
        models.CharField(max_length=32, choices=Role),
        default=default_required_roles,
        verbose_name=_("required for posts"),
    )
    days_allowed = models.PositiveSmallIntegerField(_("days allowed after taking up the post"), default=90)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for months"), null=True, blank=True, help_text=_("Empty: a completion never expires.")
    )
    is_active = models.BooleanField(_("assigned to new holders"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="course_code_version_unique",
                violation_error_message=_("This version of the course already exists."),
            ),
            models.CheckConstraint(
                condition=Q(days_allowed__gte=1),
                name="course_days_allowed_positive",
                violation_error_message=_("Allow at least one day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def valid_until(self, completed_on: date) -> date | None:
        return None if self.validity_months is None else add_months(completed_on, self.validity_months)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    WAIVED = "waived", _("waived")
    LEFT_POST = "left_post", _("left the post")


OPEN_STATUSES = [AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS]


class CourseAssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        """Open past their due date (derived, never stored)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class CourseAssignment(models.Model):
    """A person must take a course by a date, because of the post that required it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="course_assignments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    # The post that required it (its branch places the assignment in the tree for reports).
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="course_assignments"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=AssignmentStatus, default=AssignmentStatus.ASSIGNED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completion = models.ForeignKey(
        "CompletionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    waiver_reason = models.CharField(_("reason for the waiver"), max_length=300, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CourseAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status__in=OPEN_STATUSES),
                name="assignment_one_open_per_person_course",
                violation_error_message=_("This person already has this course to take."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.WAIVED) | ~Q(waiver_reason=""),
                name="assignment_waiver_has_reason",
                violation_error_message=_("A waiver needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="assignment_completed_has_time",
                violation_error_message=_("A completed course needs its completion time."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="assignment_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("assigned_on")),
                name="assignment_due_after_assigned",
                violation_error_message=_("The due date cannot come before the assignment."),
            ),
        ]
        indexes = [
            # Reports: a region's assignments of one course, by status.
            models.Index(fields=["region", "course", "status"], name="assignment_region_course"),
            # The person's own list, the desk and the person page.
            models.Index(fields=["person", "status"], name="assignment_person_status"),
            # Closing the assignments of an ended post.
            models.Index(fields=["position"], name="assignment_position"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open() and self.due_on < (today or timezone.localdate())


class PlatformAccount(models.Model):
    """Who a user id of the school's platform is here: the only way rows are matched to people."""

    platform_user_id = models.CharField(_("user id on the platform"), max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="platform_accounts")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")
        indexes = [
            # The Moodle pull: the platform ids of the people it asks about.
            models.Index(fields=["person"], name="platform_account_person"),
        ]

    def __str__(self) -> str:
        return f"{self.platform_user_id} → {self.person}"


class Source(models.TextChoices):
    UPLOAD = "upload", _("file upload")
    MOODLE = "moodle", _("Moodle pull")
    PUSH = "push", _("platform push")


class SyncRun(models.Model):
    """One exchange with the platform: an uploaded file (checked, then applied), a pull or a push."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        VALIDATING = "validating", _("checking")
        INVALID = "invalid", _("has errors")
        VALIDATED = "validated", _("ready to apply")
        APPLYING = "applying", _("applying")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=10, choices=Source)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    content = models.BinaryField(default=b"")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        indexes = [
            # "Data as of": the last successful run.
            models.Index(fields=["status", "-finished_at"], name="sync_run_status_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("training:import_detail", kwargs={"pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.APPLYING, self.Status.RUNNING}


class CompletionRecord(models.Model):
    """What the platform said about one user and one course at one time: append-only, deduplicated."""

    source = models.CharField(_("source"), max_length=10, choices=Source)
    platform_user_id = models.CharField(_("user id on the platform"), max_length=64)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completion_records")
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    certificate_code = models.CharField(_("certificate"), max_length=100, blank=True)
    certificate_url = models.URLField(_("certificate link"), blank=True)
    raw = models.JSONField(_("as received"), default=dict)
    sync_run = models.ForeignKey(SyncRun, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "platform_user_id", "course", "completed_at"],
                nulls_distinct=False,
                name="completion_record_unique",
                violation_error_message=_("This completion has already been recorded."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="completion_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            ),
        ]
        indexes = [
            # Applying records to people: a platform user's records of a course.
            models.Index(fields=["platform_user_id", "course"], name="completion_user_course"),
        ]
        triggers = [
            pgtrigger.Protect(name="completion_record_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.platform_user_id} · {self.course} · {self.progress}%"
