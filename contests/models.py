"""The yearly contest of primary branches: contests, nominations, the rubric, entries, jurors, scores, results.

A contest is a regional stage (one per region and year) or the federal final (one per
year). Its life is draft → accepting entries → judging → results published → archived;
services.py takes each step. Rules that can live in the database live here: one contest
per year, level and region; dates in order; one live entry per branch and nomination;
a score only by a juror of the entry's nomination, within the criterion's range
(composite foreign keys in migration 0002); attachments of an allowed type and size.
"""

import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import LocalBranch, Person, PrimaryBranch, Region
from core.uploads import DOCUMENT_TYPES, MAX_FILE_BYTES

# The federal final runs on Moscow time; a regional stage on its region's time.
FEDERAL_TIME_ZONE = "Europe/Moscow"

# An attachment is a file checked by its content (core.uploads): images and PDF files, at most 10 MB.
MAX_ATTACHMENT_BYTES = MAX_FILE_BYTES
ALLOWED_ATTACHMENT_TYPES = DOCUMENT_TYPES


class Level(models.TextChoices):
    REGIONAL = "regional", _("regional stage")
    FEDERAL = "federal", _("federal final")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACCEPTING = "accepting", _("accepting entries")
    JUDGING = "judging", _("judging")
    PUBLISHED = "published", _("results published")
    ARCHIVED = "archived", _("archived")


class Method(models.TextChoices):
    MEAN = "mean", _("mean of the jurors' totals")
    MEDIAN = "median", _("median of the jurors' totals")
    ZSCORE = "zscore", _("mean of totals normalised per juror (z-scores)")


class Theme(models.TextChoices):
    """The nominations the party set; the same theme links a regional stage to the final and to the library."""

    PROGRAMME = "programme", _("Carrying out the people's programme")
    MOBILISATION = "mobilisation", _("Mobilising activists")
    MENTORING = "mentoring", _("Mentoring")
    YOUTH = "youth", _("Work with youth")


class ContestQuerySet(models.QuerySet):
    def results_public(self):
        return self.filter(status__in=[Status.PUBLISHED, Status.ARCHIVED])


class Contest(models.Model):
    """One year's contest at one level: a regional stage of one region, or the federal final."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=Level)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("region"),
        help_text=_("Empty for the federal final."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("stage"), max_length=10, choices=Status, default=Status.DRAFT)
    method = models.CharField(_("combining the jurors' scores"), max_length=10, choices=Method, default=Method.MEAN)
    blind = models.BooleanField(
        _("blind judging"), default=False, help_text=_("Jurors do not see the branch or the people behind an entry.")
    )
    entries_open_on = models.DateField(_("entries open on"))
    entries_close_on = models.DateField(_("application deadline"), help_text=_("The last day entries are accepted."))
    judging_close_on = models.DateField(_("judging closes on"), help_text=_("The last day jurors can score."))
    results_on = models.DateField(_("results on"), help_text=_("Results can be published from this day."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    opened_at = models.DateTimeField(_("entries opened"), null=True, blank=True)
    judging_started_at = models.DateTimeField(_("judging started"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-level", "region__code"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            # Never two for the same year, level and region; the federal final has no
            # region, so NULLs must count as equal. Also serves "the final of year Y".
            models.UniqueConstraint(
                fields=["year", "level", "region"],
                nulls_distinct=False,
                name="contest_one_per_year_level_region",
                violation_error_message=_(
                    "There already is a contest for this year at this level (and in this region)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(level=Level.REGIONAL, region__isnull=False) | Q(level=Level.FEDERAL, region__isnull=True),
                name="contest_region_matches_level",
                violation_error_message=_("A regional stage needs a region; the federal final has none."),
            ),
            models.CheckConstraint(
                condition=Q(
                    entries_open_on__lte=F("entries_close_on"),
                    judging_close_on__gt=F("entries_close_on"),
                    results_on__gte=F("judging_close_on"),
                ),
                name="contest_dates_in_order",
                violation_error_message=_(
                    "The dates must follow each other: entries open ≤ application deadline < judging closes ≤ results."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="contest_year_plausible",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="contest_status_known"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="contest_method_known"),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PUBLISHED, Status.ARCHIVED]) | Q(published_at__isnull=False),
                name="contest_published_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", kwargs={"pk": self.pk})

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        if self.level == Level.FEDERAL:
            return _("Contest of primary branches %(year)s: federal final") % {"year": self.year}
        return _("Contest of primary branches %(year)s: regional stage, %(region)s") % {
            "year": self.year,
            "region": self.region.name if self.region else "—",
        }

    @property
    def is_federal(self) -> bool:
        return self.level == Level.FEDERAL

    @property
    def time_zone(self) -> str:
        return FEDERAL_TIME_ZONE if self.is_federal or self.region is None else self.region.time_zone

    def today(self) -> date:
        """Today in the contest's own time zone: every date rule is read there."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))

    @property
    def results_public(self) -> bool:
        return self.status in {Status.PUBLISHED, Status.ARCHIVED}

    @property
    def rubric_editable(self) -> bool:
        return self.status == Status.DRAFT

    def accepts_entries(self, on: date | None = None) -> bool:
        day = on or self.today()
        return self.status == Status.ACCEPTING and self.entries_open_on <= day <= self.entries_close_on

    def accepts_scores(self, on: date | None = None) -> bool:
        day = on or self.today()
        return self.status == Status.JUDGING and day <= self.judging_close_on


class Nomination(models.Model):
    """A nomination of one contest: one of the party's themes, with the contest's own description."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("contest")
    )
    theme = models.CharField(_("nomination"), max_length=20, choices=Theme)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["contest_id", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "theme"],
                name="nomination_theme_unique_in_contest",
                violation_error_message=_("The contest already has this nomination."),
            ),
            # Target of the composite foreign keys that keep entries and jurors in the
            # contest of their nomination (migration 0002).
            models.UniqueConstraint(fields=["id", "contest"], name="nomination_id_contest_unique"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="nomination_theme_known"),
        ]

    def __str__(self) -> str:
        return self.get_theme_display()


class Criterion(models.Model):
    """One line of a contest's rubric: a weight and the highest score a juror may give."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("contest"))
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest_id", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "name"],
                name="criterion_name_unique_in_contest",
                violation_error_message=_("The rubric already has a criterion with this name."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100),
                name="criterion_weight_positive",
                violation_error_message=_("A weight must be greater than 0 and at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gte=1, max_score__lte=100),
                name="criterion_max_in_range",
                violation_error_message=_("The maximum score must be between 1 and 100."),
            ),
            # Target of the composite foreign key that keeps a score within its criterion's maximum.
            models.UniqueConstraint(fields=["id", "max_score"], name="criterion_id_max_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    """A person judging one nomination of one contest.

    Conflict of interest: the juror never sees or scores an entry of their own local
    branches, which are `home_local_branch` (set by the administrator) together with
    the local branches of the person's current positions (contests.access.juror_local_branch_ids).
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("contest"))
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="jurors", verbose_name=_("nomination")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="juror_assignments", verbose_name=_("juror")
    )
    home_local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("juror's own local branch"),
        help_text=_("Entries of this local branch are never shown to the juror."),
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)

    class Meta:
        ordering = ["contest_id", "nomination_id", "id"]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "person"],
                name="juror_once_per_nomination",
                violation_error_message=_("This person already judges this nomination."),
            ),
            # Target of the composite foreign key that keeps a score in its juror's nomination.
            models.UniqueConstraint(fields=["id", "nomination"], name="juror_id_nomination_unique"),
        ]
        indexes = [
            # Access: the assignments of the person behind a login ("my judging").
            models.Index(fields=["person", "contest"], name="juror_person_contest"),
        ]

    # A rule held by a composite foreign key in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "juror_nomination_in_contest": _("The nomination belongs to another contest."),
    }

    def __str__(self) -> str:
        return f"{self.person} — {self.nomination}"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Entry(models.Model):
    """A primary branch's best practice entered in one nomination of a contest."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries", verbose_name=_("contest"))
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="entries", verbose_name=_("nomination")
    )
    branch = models.ForeignKey(
        PrimaryBranch, on_delete=models.PROTECT, related_name="contest_entries", verbose_name=_("primary branch")
    )
    title = models.CharField(_("title of the practice"), max_length=300)
    # Sanitised HTML (services.sanitize_practice) and its plain text, which search reads.
    practice = models.TextField(_("the practice"))
    practice_text = models.TextField(_("the practice as plain text"), blank=True)
    activists_involved = models.PositiveIntegerField(_("activists involved"), default=0)
    events_held = models.PositiveIntegerField(_("events held"), default=0)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus, default=EntryStatus.DRAFT)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried",
        verbose_name=_("regional entry"),
        help_text=_("The regional winner this entry of the federal final was carried from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The library's full-text index (Russian; the title weighs more than the text), kept by
    # the trigger entry_search_vector of migration 0006: a trigger rather than a
    # GeneratedField, whose system check needs a database connection.
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["contest_id", "nomination_id", "branch_id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            # One live entry per branch and nomination; a withdrawn one leaves room for a new one.
            models.UniqueConstraint(
                fields=["nomination", "branch"],
                condition=~Q(status=EntryStatus.WITHDRAWN),
                name="entry_one_per_branch_and_nomination",
                violation_error_message=_("The branch has already entered this nomination."),
            ),
            models.CheckConstraint(
                condition=Q(status=EntryStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=EntryStatus.SUBMITTED, submitted_at__isnull=False)
                | Q(status=EntryStatus.WITHDRAWN, withdrawn_at__isnull=False),
                name="entry_status_has_its_time",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="entry_title_present",
                violation_error_message=_("Give the practice a title."),
            ),
            # Target of the composite foreign key that keeps a score in its entry's nomination.
            models.UniqueConstraint(fields=["id", "nomination"], name="entry_id_nomination_unique"),
        ]
        indexes = [
            # Entry lists and results of one contest, per nomination.
            models.Index(fields=["contest", "nomination", "status"], name="entry_contest_nomination"),
            # The library's full-text search (Russian).
            GinIndex(fields=["search"], name="entry_search"),
        ]

    # A rule held by a composite foreign key in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "entry_nomination_in_contest": _("The nomination belongs to another contest."),
    }

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:entry", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.status != EntryStatus.WITHDRAWN


def attachment_path(instance, filename: str) -> str:
    return f"contests/{instance.entry.contest_id}/{instance.entry_id}/{filename}"


class Attachment(models.Model):
    """An image or PDF of an entry, checked by its content; served only through an access-checked view."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("entry"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES),
                name="attachment_at_most_10_mb",
                violation_error_message=_("A file may be at most 10 MB."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=list(ALLOWED_ATTACHMENT_TYPES)),
                name="attachment_type_allowed",
                violation_error_message=_("Only images (JPEG, PNG, WebP, GIF) and PDF files can be attached."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("contests:attachment", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Score(models.Model):
    """One juror's score of one entry on one criterion (0 to the criterion's maximum), with a comment.

    `nomination` and `max_score` repeat what the juror, entry and criterion hold, so that
    composite foreign keys (migration 0002) can hold the rules: the juror judges the
    entry's nomination, and the value stays within the criterion's range.
    """

    # No single-column foreign keys in the database: the composite ones of migration 0002
    # check juror, entry and criterion (and the nomination through them) in three lookups
    # instead of seven per score, which 300,000 scores of a federal final feel.
    juror = models.ForeignKey(
        Juror,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("juror"),
        db_index=False,  # the unique (juror, entry, criterion) leads with it
        db_constraint=False,
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="scores", verbose_name=_("entry"), db_constraint=False
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
        db_index=False,
        db_constraint=False,
    )
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nomination"),
        db_index=False,
        db_constraint=False,
    )
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["juror_id", "entry_id", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            # Also the index of every per-juror read: a juror's sheets, the results' scan per juror.
            models.UniqueConstraint(fields=["juror", "entry", "criterion"], name="score_once_per_juror_and_criterion"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=F("max_score")),
                name="score_within_criterion_range",
                violation_error_message=_("A score must be between 0 and the criterion's maximum."),
            ),
        ]

    # Rules held by composite foreign keys in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "score_by_a_juror_of_the_nomination": _("This juror does not judge the entry's nomination."),
        "score_of_an_entry_of_the_nomination": _("This juror does not judge the entry's nomination."),
        "score_max_of_its_criterion": _("A criterion that has scores cannot change its maximum."),
    }

    def __str__(self) -> str:
        return f"{self.juror} · {self.entry_id} · {self.criterion_id}: {self.value}"


class Result(models.Model):
    """An entry's result, frozen when the contest's results are published."""

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="result", verbose_name=_("entry")
    )
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="results", verbose_name=_("contest"))
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="results", verbose_name=_("nomination"), db_index=False
    )
    jurors = models.PositiveSmallIntegerField(_("jurors"))
    mean = models.DecimalField(_("mean"), max_digits=10, decimal_places=4, null=True)
    median = models.DecimalField(_("median"), max_digits=10, decimal_places=4, null=True)
    zscore = models.DecimalField(_("z-score"), max_digits=10, decimal_places=4, null=True)
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=4, null=True)
    lowest = models.DecimalField(_("lowest total"), max_digits=10, decimal_places=4, null=True)
    highest = models.DecimalField(_("highest total"), max_digits=10, decimal_places=4, null=True)
    spread = models.DecimalField(_("standard deviation"), max_digits=10, decimal_places=4, null=True)
    rank = models.PositiveIntegerField(_("rank"))
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        ordering = ["contest_id", "nomination_id", "rank"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            # Also serves the results page: one nomination's ranking in order.
            models.UniqueConstraint(fields=["nomination", "rank"], name="result_rank_unique_in_nomination"),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1, place__lte=3, place=F("rank"), score__isnull=False),
                name="result_place_is_a_top_three_rank",
            ),
        ]
        indexes = [
            # The library: the placed entries of every published contest.
            models.Index(fields=["contest"], condition=Q(place__isnull=False), name="result_placed"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.rank}"
