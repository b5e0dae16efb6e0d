"""The personnel reserve: pools, nominations, and the frozen evidence of every decision.

A pool (per local branch, region, or the federal level) prepares people for posts. A
nomination moves nominated → included → promoted, or ends excluded or withdrawn; each
move is a decision with who, when and the minutes' number, and freezes the person's
activity record as it was (a Snapshot, which the database never lets change).
"""

from __future__ import annotations

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import LocalBranch, Person, Region, Role


class Level(models.TextChoices):
    LOCAL = "local", _("local branch")
    REGIONAL = "regional", _("region")
    FEDERAL = "federal", _("federal")


class Post(models.TextChoices):
    """What a pool prepares people for."""

    PRIMARY_SECRETARY = "primary_secretary", _("secretary of a primary branch")
    LOCAL_SECRETARY = "local_secretary", _("secretary of a local branch")
    REGIONAL_STAFF = "regional_staff", _("regional staff")
    COUNCIL_CHAIR = "council_chair", _("chair of the regional council")
    COUNCIL_REPRESENTATIVE = "council_representative", _("representative on the regional council")
    MUNICIPAL_DEPUTY = "municipal_deputy", _("candidate for a municipal deputy seat")
    REGIONAL_DEPUTY = "regional_deputy", _("candidate for a regional deputy seat")


# Taking up a position of this role promotes an included member of a pool preparing for the post.
POST_OF_ROLE = {
    Role.PRIMARY_SECRETARY: Post.PRIMARY_SECRETARY,
    Role.LOCAL_SECRETARY: Post.LOCAL_SECRETARY,
    Role.REGIONAL_STAFF: Post.REGIONAL_STAFF,
    Role.MUNICIPAL_DEPUTY: Post.MUNICIPAL_DEPUTY,
    Role.REGIONAL_DEPUTY: Post.REGIONAL_DEPUTY,
}


class Pool(models.Model):
    level = models.CharField(_("level"), max_length=10, choices=Level)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="reserve_pools", verbose_name=_("region")
    )
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserve_pools",
        verbose_name=_("local branch"),
    )
    title = models.CharField(_("title"), max_length=200)
    posts = ArrayField(models.CharField(max_length=30, choices=Post), verbose_name=_("posts it prepares for"))
    year = models.PositiveSmallIntegerField(_("year"))
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reserve_pools_owned", verbose_name=_("owner")
    )
    is_open = models.BooleanField(_("open"), default=True)
    review_on = models.DateField(_("yearly review"), help_text=_("The owner is reminded on this day."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("reserve pool")
        verbose_name_plural = _("reserve pools")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="federal", region__isnull=True, local_branch__isnull=True)
                | Q(level="regional", region__isnull=False, local_branch__isnull=True)
                | Q(level="local", region__isnull=False, local_branch__isnull=False),
                name="reserve_pool_unit_matches_level",
                violation_error_message=_("A pool's unit must match its level."),
            ),
            models.CheckConstraint(
                condition=Q(posts__len__gt=0),
                name="reserve_pool_has_posts",
                violation_error_message=_("Name at least one post the pool prepares for."),
            ),
        ]
        indexes = [
            # A region's pools (the pool list of its staff).
            models.Index(fields=["region", "-year"], name="reserve_pool_region_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("reserve:pool", kwargs={"pk": self.pk})


class Readiness(models.TextChoices):
    NOW = "now", _("ready now")
    SOON = "soon", _("in 1–2 years")
    LATER = "later", _("later")


class Status(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    INCLUDED = "included", _("included")
    PROMOTED = "promoted", _("promoted")
    EXCLUDED = "excluded", _("excluded")
    WITHDRAWN = "withdrawn", _("withdrawn")


ACTIVE_STATUSES = [Status.NOMINATED, Status.INCLUDED]
# The moves the database allows (trigger in migration 0002); every other status is final.
MOVES = {
    Status.NOMINATED: [Status.INCLUDED, Status.EXCLUDED, Status.WITHDRAWN],
    Status.INCLUDED: [Status.PROMOTED, Status.EXCLUDED, Status.WITHDRAWN],
}


class Nomination(models.Model):
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("pool"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reserve_nominations", verbose_name=_("person")
    )
    nominated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("nominated by"))
    reason = models.TextField(_("why"))
    readiness = models.CharField(_("readiness"), max_length=10, choices=Readiness, default=Readiness.SOON)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NOMINATED)
    # The last decision (each is also frozen in a snapshot with its number).
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_ref = models.CharField(_("decision (minutes number)"), max_length=100, blank=True)
    exclusion_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)
    # Rises with every decision: a decision taken on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pool", "person"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="reserve_one_active_nomination",
                violation_error_message=_("This person is already nominated to this pool."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.EXCLUDED) | ~Q(exclusion_reason=""),
                name="reserve_exclusion_has_reason",
                violation_error_message=_("Say why the person is excluded."),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.NOMINATED) | (~Q(decision_ref="") & Q(decided_at__isnull=False)),
                name="reserve_decision_has_reference",
                violation_error_message=_("A decision needs its reference (the minutes number)."),
            ),
        ]
        indexes = [
            # A person's nominations (their own page, the promotion hook).
            models.Index(fields=["person", "status"], name="reserve_nomination_person"),
            # A pool's ranking: its active nominations.
            models.Index(fields=["pool", "status"], name="reserve_nomination_pool"),
        ]

    sql_constraint_messages = {
        "reserve_pool_closed": _("The pool is closed: nobody can be nominated to it."),
        "reserve_status_moves": _(
            "This decision is not allowed: a promoted, excluded or withdrawn nomination is final."
        ),
    }

    def __str__(self) -> str:
        return f"{self.person} — {self.pool}"

    def get_absolute_url(self) -> str:
        return reverse("reserve:nomination", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def next_statuses(self) -> list[str]:
        return [str(status) for status in MOVES.get(Status(self.status), [])]


class Snapshot(models.Model):
    """A nomination's record frozen at one decision: never changed, never deleted (a trigger refuses)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("nomination")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status)
    readiness = models.CharField(_("readiness"), max_length=10, choices=Readiness)
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decision_ref = models.CharField(_("decision (minutes number)"), max_length=100, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    record = models.JSONField(_("record"))

    class Meta:
        ordering = ["nomination", "version"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            # Two decisions taken at once on one version: the second insert fails here.
            models.UniqueConstraint(
                fields=["nomination", "version"],
                name="reserve_snapshot_version_unique",
                violation_error_message=_("Someone else decided on this nomination first; reload and look again."),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="reserve_snapshot_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} v{self.version}"


class Weights(models.Model):
    """How a region weighs the parts of the ranking score (defaults in reserve.selectors.PARTS)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="reserve_weights")
    weights = models.JSONField(_("weights"), default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")

    def __str__(self) -> str:
        return str(self.region)
