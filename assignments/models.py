"""Assignments (поручения): work a decision gives to regions, local branches or people.

A **directive** is what was decided to be done, by when, from which source (a decision
of the federal or a regional council, a reception's follow-up, regional staff's own
word): the source is named by a key and a label, so this engine imports no domain app.
An **assignment** is the directive addressed to one unit or person; a directive to all
regions fans out to one assignment per region, and an addressee may pass theirs down to
their own units (sub-assignments, `parent`). Each assignment moves
open → reported → accepted or returned (→ reported again); every move is a row of its
history. A measured assignment names a figure the app computes (assignments/figures.py)
and a target instead of a report: its state follows the figure.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import LocalBranch, Person, Region, Role
from core.uploads import DOCUMENT_TYPES, MAX_FILE_BYTES


class Figure(models.Model):
    """A figure an app computes and registers (assignments/figures.py); kept in step at migrate.

    A table, so that "a measured assignment names a known figure" is a foreign key.
    """

    code = models.CharField(_("code"), max_length=64, primary_key=True)
    label = models.CharField(_("figure"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return self.label


class Directive(models.Model):
    """What a decision says must be done, by when: the common part of its assignments."""

    source_key = models.CharField(_("source"), max_length=100, help_text=_("e.g. councils.decision.12"))
    source_label = models.CharField(_("source"), max_length=300)
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    title = models.CharField(_("what must be done"), max_length=300)
    text = models.TextField(_("details"), blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due"))
    issued_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    figure = models.ForeignKey(
        Figure, on_delete=models.PROTECT, null=True, blank=True, related_name="directives", verbose_name=_("figure")
    )
    target = models.DecimalField(_("target"), max_digits=9, decimal_places=2, null=True, blank=True)
    # What kind of work, in its source's own words (e.g. a reception's "request" or "task"), and who
    # carries it out when that is not a person of the app ("the district administration").
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    owner = models.CharField(_("who carries it out"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")),
                name="directive_due_after_issue",
                violation_error_message=_("The due date cannot be before the decision."),
            ),
            models.CheckConstraint(
                condition=Q(figure__isnull=True, target__isnull=True) | Q(figure__isnull=False, target__isnull=False),
                name="directive_figure_with_target",
                violation_error_message=_("A measured assignment names a figure and its target."),
            ),
        ]
        indexes = [
            # The directives of one decision (its session page).
            models.Index(fields=["source_key"], name="directive_by_source"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assignments:directive", kwargs={"pk": self.pk})

    @property
    def is_measured(self) -> bool:
        return self.figure_id is not None


class State(models.TextChoices):
    OPEN = "open", _("open")
    REPORTED = "reported", _("reported")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")
    DROPPED = "dropped", _("dropped")


# Finished: nothing more is expected (accepted, or dropped by who issued it).
FINISHED = (State.ACCEPTED, State.DROPPED)


# The moves the database allows (trigger in migration 0002): an accepted assignment
# changes only by being returned; a measured one is accepted and returned by its figure.
MOVES = {
    (State.OPEN, State.REPORTED),
    (State.RETURNED, State.REPORTED),
    (State.REPORTED, State.ACCEPTED),
    (State.REPORTED, State.RETURNED),
    (State.ACCEPTED, State.RETURNED),
    # Who issued it may drop it (not an accepted one: return it first) and reopen a dropped one.
    (State.OPEN, State.DROPPED),
    (State.REPORTED, State.DROPPED),
    (State.RETURNED, State.DROPPED),
    (State.DROPPED, State.OPEN),
}
MEASURED_MOVES = {(State.OPEN, State.ACCEPTED), (State.RETURNED, State.ACCEPTED)}


class AssignmentQuerySet(models.QuerySet):
    def unfinished(self):
        return self.exclude(state__in=FINISHED)

    def overdue(self, today):
        return self.unfinished().filter(due_on__lt=today)


class Assignment(models.Model):
    """A directive addressed to one region, local branch or person."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("directive")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("passed down from"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("region"))
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("local branch"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments", verbose_name=_("person")
    )
    # The post a person was addressed by ("secretary of a regional branch"), resolved on the day.
    via_post = models.CharField(_("as holder of"), max_length=30, choices=Role, blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    report = models.TextField(_("report"), blank=True)
    value = models.DecimalField(_("figure"), max_digits=9, decimal_places=2, null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # Accepted or dropped: a column the lists' indexes lead with, so "open first, then by due
    # date" reads a page straight from an index instead of sorting a region's every row. Set
    # from the state by a trigger on every insert and update (migration 0005), whatever is written.
    finished = models.BooleanField(_("finished"), default=False, editable=False)

    objects = AssignmentQuerySet.as_manager()

    # The history row of the last move a service made (set by assignments.services._move).
    last_event: "Event | None" = None

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")),
                name="assignment_due_after_issue",
                violation_error_message=_("The due date cannot be before the decision."),
            ),
            # One assignment of a directive per addressee at each level.
            models.UniqueConstraint(
                fields=["directive", "region"],
                condition=Q(local_branch__isnull=True, person__isnull=True),
                name="assignment_one_per_region",
                violation_error_message=_("The region already has this assignment."),
            ),
            models.UniqueConstraint(
                fields=["directive", "local_branch"],
                condition=Q(local_branch__isnull=False, person__isnull=True),
                name="assignment_one_per_local_branch",
                violation_error_message=_("The local branch already has this assignment."),
            ),
            models.UniqueConstraint(
                fields=["directive", "person"],
                condition=Q(person__isnull=False),
                name="assignment_one_per_person",
                violation_error_message=_("The person already has this assignment."),
            ),
        ]
        indexes = [
            # A region's list: what is addressed to it and passed down, unfinished first by due date.
            models.Index(fields=["region", "finished", "due_on", "id"], name="assignment_region_list"),
            # The administrators' list: what was addressed to the regions, unfinished first by due date
            # (a keyset walk of this partial index instead of sorting every assignment of the country).
            models.Index(
                fields=["finished", "due_on", "id"],
                name="assignment_region_level_list",
                condition=Q(parent__isnull=True, local_branch__isnull=True, person__isnull=True),
            ),
            # A directive's dashboard: its assignments by state.
            models.Index(fields=["directive", "state"], name="assignment_directive_state"),
            # A person's and a local branch's lists.
            models.Index(
                fields=["person", "finished", "due_on", "id"],
                name="assignment_person_list",
                condition=Q(person__isnull=False),
            ),
            models.Index(
                fields=["local_branch", "due_on"], name="assignment_local_due", condition=Q(local_branch__isnull=False)
            ),
        ]

    # A rule held by a trigger in SQL only (migration 0002), by its error's constraint name.
    sql_constraint_messages = {
        "assignment_state_moves": _(
            "This change is not allowed: an accepted assignment changes only after it is returned."
        ),
    }

    def __str__(self) -> str:
        return f"{self.directive.title} — {self.addressee}"

    def get_absolute_url(self) -> str:
        return reverse("assignments:assignment", kwargs={"pk": self.pk})

    @property
    def addressee(self) -> str:
        if self.person_id is not None:
            return str(self.person)
        if self.local_branch_id is not None:
            return str(self.local_branch)
        return str(self.region)

    @property
    def is_done(self) -> bool:
        return self.state == State.ACCEPTED

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED

    def is_overdue(self, today) -> bool:
        return not self.is_finished and self.due_on < today


class Event(models.Model):
    """One move of an assignment: who made it and when (or the figure at a check)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="events", verbose_name=_("assignment")
    )
    state = models.CharField(_("state"), max_length=10, choices=State)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    value = models.DecimalField(_("figure"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["assignment", "at", "pk"]
        verbose_name = _("assignment event")
        verbose_name_plural = _("assignment history")
        indexes = [
            # The history of one assignment, in order.
            models.Index(fields=["assignment", "at"], name="assignment_event_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.state}"


ZERO = Decimal(0)


# The files of one report: images and PDF files checked by their content (core.uploads).
MAX_REPORT_FILES = 5


def report_file_path(instance, filename: str) -> str:
    return f"assignments/{instance.assignment_id}/{filename}"


class ReportFile(models.Model):
    """A file sent with a report (a photo, a scanned protocol), kept with the history row of that report;
    served only through an access-checked view."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="files", verbose_name=_("assignment")
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="files", verbose_name=_("report"))
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["assignment_id", "id"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_FILE_BYTES),
                name="report_file_at_most_10_mb",
                violation_error_message=_("A file may be at most 10 MB."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=list(DOCUMENT_TYPES)),
                name="report_file_type_allowed",
                violation_error_message=_("Only images (JPEG, PNG, WebP, GIF) and PDF files can be attached."),
            ),
        ]
        indexes = [
            # The files of one assignment's history (its page).
            models.Index(fields=["assignment", "event"], name="report_file_by_event"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assignments:file", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
