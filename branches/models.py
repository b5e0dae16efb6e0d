"""The party's tree (region → local branch → primary branch), people and their positions."""

import re
import zoneinfo
from datetime import date

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.search import Folded


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def language_choices():
    return settings.LANGUAGES


class DateRange(Func):
    """daterange(start, end, '[)'): a term as a half-open range; no end means open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", _("Central")
    NORTHWESTERN = "northwestern", _("Northwestern")
    SOUTHERN = "southern", _("Southern")
    NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
    VOLGA = "volga", _("Volga")
    URAL = "ural", _("Ural")
    SIBERIAN = "siberian", _("Siberian")
    FAR_EASTERN = "far_eastern", _("Far Eastern")


class Region(models.Model):
    """A regional branch: one per subject of the federation, shipped as data."""

    code = models.CharField(_("subject code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)
    federal_district = models.CharField(_("federal district"), max_length=20, choices=FederalDistrict)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("branches:region", kwargs={"pk": self.pk})

    def today(self) -> date:
        """Today's date in the region's own time zone (for work done without a viewer)."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))


@pghistory.track(level=pgtrigger.Statement)
class LocalBranch(models.Model):
    """A local (district or city) branch inside a region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="local_branches", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("local branch")
        verbose_name_plural = _("local branches")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="local_branch_name_unique_in_region",
                violation_error_message=_("A local branch with this name already exists in the region."),
            ),
            # Target of the composite foreign keys that keep a primary branch and a
            # position in the same region as their local branch (migration 0002).
            models.UniqueConstraint(fields=["id", "region"], name="local_branch_id_region_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PrimaryBranchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


@pghistory.track(level=pgtrigger.Statement)
class PrimaryBranch(models.Model):
    """A primary branch ("первичка"): the party's grass-roots unit, e.g. №80 «Голиковка»."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="primary_branches", verbose_name=_("region")
    )
    local_branch = models.ForeignKey(
        LocalBranch, on_delete=models.PROTECT, related_name="primary_branches", verbose_name=_("local branch")
    )
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    settlement = models.CharField(_("settlement"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    activists_count = models.PositiveIntegerField(_("activists"), default=0)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = PrimaryBranchQuerySet.as_manager()

    class Meta:
        ordering = ["region", "number"]
        verbose_name = _("primary branch")
        verbose_name_plural = _("primary branches")
        constraints = [
            # Serves lookups and keyset pages by (region, number) as well.
            models.UniqueConstraint(
                fields=["region", "number"],
                name="primary_branch_number_unique_in_region",
                violation_error_message=_("A primary branch with this number already exists in the region."),
            ),
            models.UniqueConstraint(fields=["id", "local_branch"], name="primary_branch_id_local_unique"),
            models.CheckConstraint(
                condition=Q(activists_count__lte=F("members_count")),
                name="primary_branch_activists_within_members",
                violation_error_message=_("There cannot be more activists than members."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="primary_branch_closed_after_opened",
                violation_error_message=_("A branch cannot close before it opened."),
            ),
        ]
        indexes = [
            # Branch list of one local branch, in number order.
            models.Index(fields=["local_branch", "number"], name="primary_branch_local_number"),
            # Search, ё and е alike (core.search.filter_folded): TRANSLATE(UPPER(col), 'Ё', 'Е') LIKE '%Q%'.
            GinIndex(OpClass(Folded("name"), name="gin_trgm_ops"), name="primary_branch_name_trgm"),
            GinIndex(OpClass(Folded("settlement"), name="gin_trgm_ops"), name="primary_branch_settlement_trgm"),
            # Branch list sorted by name, or by members (largest first), keyset pages.
            models.Index(fields=["name", "id"], name="primary_branch_name_id"),
            models.Index(fields=["-members_count", "id"], name="primary_branch_members_id"),
        ]

    # Rules held by composite foreign keys in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "primary_branch_local_in_region": _("The local branch belongs to another region."),
    }

    def __str__(self) -> str:
        return f"№{self.number} «{self.name}»"

    def get_absolute_url(self) -> str:
        return reverse("branches:branch", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@pghistory.track(level=pgtrigger.Statement)
class Person(models.Model):
    """A party member or official; may be linked to a login."""

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("+7 and ten digits"))
    email = models.EmailField(_("e-mail"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    # Kept by the position services (person_time_zones_refresh): the zone of the region of
    # the most recently started current position with a region; empty means
    # settings.DEFAULT_VIEWER_TIME_ZONE. Messages to the person are written in it.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, editable=False, validators=[validate_time_zone]
    )
    # The zone the person chose for their pages and messages (their preferences); empty:
    # follow the newest post. person_time_zones_refresh makes it the `time_zone` above.
    chosen_time_zone = models.CharField(
        _("chosen time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language of messages"),
        max_length=8,
        choices=language_choices,
        blank=True,
        help_text=_("Empty: the site's language."),
    )

    class Meta:
        ordering = ["last_name", "first_name", "patronymic"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+7[0-9]{10}$"),
                name="person_phone_normalised",
                violation_error_message=_("Enter the phone as +7 and ten digits."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
        ]
        indexes = [
            # The person picker and the access log, ё and е alike (core.search.filter_folded).
            GinIndex(OpClass(Folded("last_name"), name="gin_trgm_ops"), name="person_last_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("branches:person", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


class Role(models.TextChoices):
    PRIMARY_SECRETARY = "primary_secretary", _("secretary of a primary branch")
    LOCAL_SECRETARY = "local_secretary", _("secretary of a local branch")
    LOCAL_HEAD = "local_head", _("executive head of a local branch")
    REGIONAL_SECRETARY = "regional_secretary", _("secretary of a regional branch")
    REGIONAL_HEAD = "regional_head", _("executive head of a regional branch")
    REGIONAL_STAFF = "regional_staff", _("regional staff")
    DUMA_DEPUTY = "duma_deputy", _("deputy of the State Duma")
    REGIONAL_DEPUTY = "regional_deputy", _("deputy of the regional parliament")
    MUNICIPAL_DEPUTY = "municipal_deputy", _("municipal deputy")
    FEDERAL_ADMIN = "federal_admin", _("federal administrator")


# The unit a role is held in, which decides the columns a position must fill.
PRIMARY_ROLES = [Role.PRIMARY_SECRETARY]
LOCAL_ROLES = [Role.LOCAL_SECRETARY, Role.LOCAL_HEAD, Role.MUNICIPAL_DEPUTY]
REGIONAL_ROLES = [
    Role.REGIONAL_SECRETARY,
    Role.REGIONAL_HEAD,
    Role.REGIONAL_STAFF,
    Role.DUMA_DEPUTY,
    Role.REGIONAL_DEPUTY,
]
# The posts of a regional branch and its local branches (the region's posts page): every role
# but a primary branch's secretary (its branch page appoints them) and the administrator.
POST_ROLES = [*REGIONAL_ROLES, *LOCAL_ROLES]
# Roles whose holders receive secretaries of their territory for personal receptions.
HOST_ROLES = [
    Role.REGIONAL_SECRETARY,
    Role.REGIONAL_HEAD,
    Role.LOCAL_SECRETARY,
    Role.LOCAL_HEAD,
    Role.DUMA_DEPUTY,
    Role.REGIONAL_DEPUTY,
    Role.MUNICIPAL_DEPUTY,
]
# At most one holder at any instant, per unit: the unit's column, and the message for an overlap.
SINGLE_HOLDER_ROLES = {
    Role.PRIMARY_SECRETARY: ("primary_branch", _("The branch already has a secretary for these dates.")),
    Role.LOCAL_SECRETARY: ("local_branch", _("The local branch already has a secretary for these dates.")),
    Role.REGIONAL_SECRETARY: ("region", _("The regional branch already has a secretary for these dates.")),
}


class SecretaryEndReason(models.TextChoices):
    """Why a secretary leaves without a successor (the branch page offers these)."""

    RESIGNATION = "resignation", pgettext_lazy("end of term", "resignation")
    ILLNESS = "illness", pgettext_lazy("end of term", "illness")
    EXPULSION = "expulsion", pgettext_lazy("end of term", "expulsion from the party")
    DEATH = "death", pgettext_lazy("end of term", "death")
    OTHER = "other", pgettext_lazy("end of term", "other")


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        """Positions held on the given date (today by default): start ≤ day < end."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day), starts_on__lte=day)

    def current_or_future(self, on=None):
        """Positions held on the given date (today by default) or starting after it: day < end."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))

    def secretaries(self):
        return self.filter(role=Role.PRIMARY_SECRETARY)

    def hosts(self):
        """Positions whose holders receive secretaries for personal receptions."""
        return self.filter(role__in=HOST_ROLES)


@pghistory.track(level=pgtrigger.Statement)
class Position(models.Model):
    """A person holding a role in a unit for a term [starts_on, ends_on).

    The unit columns are filled down to the unit's level: a primary-branch secretary
    has region, local branch and primary branch; a regional deputy only the region
    (their territory); a federal administrator none.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32, choices=Role)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="positions", verbose_name=_("region")
    )
    local_branch = models.ForeignKey(
        LocalBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("local branch"),
    )
    primary_branch = models.ForeignKey(
        PrimaryBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("primary branch"),
    )
    starts_on = models.DateField(_("start of term"))
    ends_on = models.DateField(_("end of term"), null=True, blank=True, help_text=_("first day no longer held"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            # A term ending the day it starts is an appointment withdrawn before it took
            # effect (the branch closed that day): it holds no day, and must say why.
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gt=F("starts_on"))
                | (Q(ends_on=F("starts_on")) & ~Q(end_reason="")),
                name="position_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=PRIMARY_ROLES, primary_branch__isnull=False, local_branch__isnull=False)
                    | Q(role__in=LOCAL_ROLES, primary_branch__isnull=True, local_branch__isnull=False)
                    | Q(role__in=REGIONAL_ROLES, primary_branch__isnull=True, local_branch__isnull=True)
                )
                & Q(region__isnull=False)
                | Q(
                    role=Role.FEDERAL_ADMIN,
                    region__isnull=True,
                    local_branch__isnull=True,
                    primary_branch__isnull=True,
                ),
                name="position_unit_matches_role",
                violation_error_message=_("This role is not held in that kind of unit."),
            ),
            *[
                ExclusionConstraint(
                    name=f"position_one_{role.value}_at_a_time",
                    expressions=[
                        (unit, RangeOperators.EQUAL),
                        (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                    ],
                    condition=Q(role=role),
                    violation_error_message=message,
                )
                for role, (unit, message) in SINGLE_HOLDER_ROLES.items()
            ],
            # A post with several holders (heads, deputies, staff) is held once by one person:
            # no second, overlapping term of the same person in the same post and unit.
            *[
                ExclusionConstraint(
                    name=f"position_one_term_per_person_and_{level}_post",
                    expressions=[
                        ("person", RangeOperators.EQUAL),
                        ("role", RangeOperators.EQUAL),
                        (unit, RangeOperators.EQUAL),
                        (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                    ],
                    condition=Q(role__in=[role for role in roles if role not in SINGLE_HOLDER_ROLES]),
                    violation_error_message=_("The person already holds this post for these dates."),
                )
                for level, unit, roles in (
                    ("local", "local_branch", LOCAL_ROLES),
                    ("regional", "region", REGIONAL_ROLES),
                )
            ],
        ]
        indexes = [
            # Access: the current positions of one login's person, on every request.
            models.Index(fields=["person", "starts_on"], name="position_person_start"),
            # The secretary of each branch on a branch list page.
            models.Index(
                fields=["primary_branch", "starts_on"],
                condition=Q(role=Role.PRIMARY_SECRETARY),
                name="position_secretary_by_branch",
            ),
            # Region dashboards and host lists: positions of one role in one region.
            models.Index(fields=["region", "role", "starts_on"], name="position_region_role"),
        ]

    # Rules held by composite foreign keys in SQL only (migration 0002), by constraint name.
    sql_constraint_messages = {
        "position_local_in_region": _("The local branch belongs to another region."),
        "position_primary_in_local": _("The primary branch belongs to another local branch."),
    }

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)

    @property
    def unit(self):
        return self.primary_branch or self.local_branch or self.region


class PersonalDataAccess(models.Model):
    """One view or export of someone else's contact details (Federal Law 152-FZ asks for a log).

    Append-only: a trigger makes the database refuse any UPDATE or DELETE of a row, whoever
    asks (the admin shows the log read-only), and a person with logged accesses cannot be
    deleted. (TRUNCATE, which only a test's flush runs, is no row operation.)
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_accesses"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="data_accesses")
    # The region whose data were seen (the branch's, the one where the viewer reached the
    # person, the exported one): its staff read the access in the log.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [
            # "Who looked at this person" in the admin and the log page.
            models.Index(fields=["person", "-at"], name="pd_access_person_at"),
            # The log page of regional staff: their region's accesses, newest first, keyset pages.
            models.Index(fields=["region", "-at", "-id"], name="pd_access_region_at"),
            # The administrator's log page, newest first, keyset pages.
            models.Index(fields=["-at", "-id"], name="pd_access_at"),
        ]
        triggers = [
            pgtrigger.Protect(name="pd_access_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        when = formats.date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{self.viewer} {self.get_action_display()} {self.person or self.region} {when}"


class ImportJob(models.Model):
    """One upload of a branch list: validated into a preview, then applied all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        VALIDATING = "validating", _("checking")
        INVALID = "invalid", _("has errors")
        VALIDATED = "validated", _("ready to apply")
        APPLYING = "applying", _("applying")
        DONE = "done", _("applied")
        FAILED = "failed", _("failed")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )  # empty: a national import by a federal administrator
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    # The file itself, so that any worker machine can read it without shared storage.
    content = models.BinaryField()
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("branches:import_detail", kwargs={"pk": self.pk})

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.APPLYING}


class ImportChange(models.Model):
    """One line of an import's preview: a branch created, changed, closed, a secretary who changes.

    Written when the file is checked, so a national preview is paged from the database
    (keyset on row) instead of being recomputed; `changes` holds the field, old → new.
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("new branch")
        UPDATE = "update", _("changes to a branch")
        CLOSE = "close", _("closure of a branch")
        SECRETARY = "secretary", _("change of secretary")
        CONTACTS = "contacts", _("secretary's contacts")
        LOCAL_BRANCH = "local_branch", _("new local branch")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    row = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("change"), max_length=12, choices=Kind)
    title = models.CharField(_("branch"), max_length=300)
    # [{"field": key of CHANGE_FIELDS, "old": text, "new": text}], dates as ISO text.
    changes = models.JSONField(default=list, blank=True)
    # A new local branch whose name is close to this existing one (a typo, a Latin letter).
    similar_to = models.CharField(_("similar to"), max_length=200, blank=True)

    class Meta:
        ordering = ["row", "id"]
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        indexes = [
            # The preview of one import, all changes in row order, keyset pages.
            models.Index(fields=["job", "row", "id"], name="import_change_job_row"),
            # The preview filtered to one kind of change.
            models.Index(fields=["job", "kind", "row", "id"], name="import_change_job_kind_row"),
        ]

    # The columns a change can name, and their labels on the preview.
    CHANGE_FIELDS = {
        "local_branch": _("local branch"),
        "name": _("name"),
        "settlement": _("settlement"),
        "address": _("address"),
        "members_count": _("members"),
        "activists_count": _("activists"),
        "opened_on": _("opened on"),
        "closed_on": _("closed on"),
        "secretary": _("secretary"),
        "phone": _("phone"),
        "email": _("e-mail"),
    }
    DATE_FIELDS = frozenset({"opened_on", "closed_on"})

    def __str__(self) -> str:
        return f"{self.row}: {self.get_kind_display()} {self.title}"

    @property
    def mixes_scripts(self) -> bool:
        """A name with Latin and Cyrillic letters both (a Latin «о» typed in a Russian name)."""
        return bool(re.search("[A-Za-z]", self.title) and re.search("[А-Яа-яЁё]", self.title))

    def items(self) -> list[tuple[str, str, str]]:
        """(label, old, new) for each changed field, dates in the page's language."""
        result = []
        for change in self.changes:
            key, old, new = change["field"], change.get("old", ""), change.get("new", "")
            if key in self.DATE_FIELDS:
                old, new = (formats.date_format(date.fromisoformat(v)) if v else "" for v in (old, new))
            result.append((str(self.CHANGE_FIELDS.get(key, key)), old, new))
        return result
