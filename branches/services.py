"""Every write to the branch tree, its people and their positions."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pghistory
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches import hooks, spreadsheets
from branches.models import (
    LOCAL_ROLES,
    POST_ROLES,
    REGIONAL_ROLES,
    SINGLE_HOLDER_ROLES,
    ImportChange,
    ImportJob,
    LocalBranch,
    Person,
    PersonalDataAccess,
    Position,
    PrimaryBranch,
    Region,
    Role,
    SecretaryEndReason,
)
from core.db import constraint_message, message_for, save_or_explain
from core.queue import enqueue, enqueue_on_commit
from core.uploads import MB, ErrorList, UploadLimits, UploadRefused

# Marks "the caller did not say which position it expected to replace".
UNSET = object()


def normalize_phone(raw: str) -> str:
    """Return a Russian phone number as +7XXXXXXXXXX, or raise ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 7 or len(str(number.national_number)) != 10:
        raise ValidationError(_("Enter a Russian phone number, for example +7 914 123-45-67."), code="phone")
    return f"+7{number.national_number}"


# People -----------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    phone: str = "",
    email: str = "",
    birth_year: int | None = None,
    user=None,
) -> Person:
    person = Person(
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        phone=normalize_phone(phone),
        email=email.strip().lower(),
        birth_year=birth_year,
        user=user,
    )
    return save_or_explain(person)


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    if "phone" in fields:
        fields["phone"] = normalize_phone(fields["phone"])
    for name, value in fields.items():
        setattr(person, name, value)
    return save_or_explain(person)


def person_time_zones_refresh(*, person_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Set each person's time zone from their choice or their positions; return how many changed (one UPDATE).

    A zone the person chose (preferences) wins; otherwise the zone is that of the region
    of the most recently started position held today with a region (a federal
    administrator's has none); a person without one gets ""
    (settings.DEFAULT_VIEWER_TIME_ZONE). The position services call it for the person
    whose positions they change; with no ids it runs over everyone, which the daily
    sweep does for terms that start or end on a date set in advance.
    """
    today = today or timezone.localdate()
    zone = Coalesce(
        NullIf(F("chosen_time_zone"), Value("")),
        Subquery(
            Position.objects.current(today)
            .filter(person=OuterRef("pk"), region__isnull=False)
            .order_by("-starts_on", "-pk")
            .values("region__time_zone")[:1]
        ),
        Value(""),
    )
    people = Person.objects.all() if person_ids is None else Person.objects.filter(pk__in=list(person_ids))
    return people.alias(zone=zone).exclude(time_zone=F("zone")).update(time_zone=zone)


@transaction.atomic
def person_preferences_update(*, person: Person, chosen_time_zone: str, language: str) -> Person:
    """Save the zone and language a person chose for their pages and messages ("" = the default)."""
    person.chosen_time_zone = chosen_time_zone
    person.language = language
    save_or_explain(person, fields=["chosen_time_zone", "language"])
    person_time_zones_refresh(person_ids=[person.pk])
    person.refresh_from_db(fields=["time_zone"])
    return person


def personal_data_log(
    *, viewer, action: str, person: Person | None = None, region: Region | int | None = None, detail: str = ""
):
    """Record that `viewer` saw or exported someone else's contact details (in `region`: its staff read it)."""
    if person is not None and person.user_id == viewer.pk:
        return None
    region_id = region.pk if isinstance(region, Region) else region
    return PersonalDataAccess.objects.create(
        viewer=viewer, person=person, region_id=region_id, action=action, detail=detail[:300]
    )


def personal_data_log_many(
    *, viewer, action: str, person_ids, region: Region | int | None = None, detail: str = ""
) -> int:
    """Record one access per person (but the viewer themself) in one INSERT: a page listing many records."""
    from core.access import viewer_for

    own = viewer_for(viewer).person_id  # built once per request already
    region_id = region.pk if isinstance(region, Region) else region
    rows = [
        PersonalDataAccess(viewer=viewer, person_id=person_id, region_id=region_id, action=action, detail=detail[:300])
        for person_id in person_ids
        if person_id != own
    ]
    return len(PersonalDataAccess.objects.bulk_create(rows)) if rows else 0


# The tree ---------------------------------------------------------------------


@transaction.atomic
def local_branch_create(*, region: Region, name: str) -> LocalBranch:
    return save_or_explain(LocalBranch(region=region, name=name.strip()))


@transaction.atomic
def branch_create(
    *,
    local_branch: LocalBranch,
    number: int,
    name: str,
    settlement: str = "",
    address: str = "",
    members_count: int = 0,
    activists_count: int = 0,
    opened_on: date | None = None,
) -> PrimaryBranch:
    if local_branch.closed_on is not None:
        raise ValidationError(_("The local branch is closed."), code="local_closed")
    branch = PrimaryBranch(
        region_id=local_branch.region_id,
        local_branch=local_branch,
        number=number,
        name=name.strip(),
        settlement=settlement.strip(),
        address=address.strip(),
        members_count=members_count,
        activists_count=activists_count,
        opened_on=opened_on,
    )
    return save_or_explain(branch)


BRANCH_EDITABLE = {"local_branch", "number", "name", "settlement", "address", "members_count", "activists_count"}
BRANCH_CONTACT_FIELDS = {"settlement", "address"}


@transaction.atomic
def branch_update(*, branch: PrimaryBranch, **fields) -> PrimaryBranch:
    unknown = set(fields) - BRANCH_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    local_branch = fields.get("local_branch")
    if local_branch is not None and local_branch.region_id != branch.region_id:
        raise ValidationError(message_for("primary_branch_local_in_region"), code="other_region")
    for name, value in fields.items():
        setattr(branch, name, value.strip() if isinstance(value, str) else value)
    return save_or_explain(branch)


@transaction.atomic
def branch_close(*, branch: PrimaryBranch, closed_on: date, reason: str = "") -> PrimaryBranch:
    """Close a branch: it leaves the active lists, and its secretary's term ends that day.

    A secretary appointed on the closing day, or later, never takes office: the term is
    withdrawn (it ends the day it starts, with the reason), and stays in the history.
    """
    branch = PrimaryBranch.objects.select_for_update().get(pk=branch.pk)
    if branch.closed_on is not None:
        raise ValidationError(_("The branch is already closed."), code="closed")
    branch.closed_on = closed_on
    save_or_explain(branch, fields=["closed_on"])
    for position in Position.objects.filter(primary_branch=branch).current_or_future(closed_on):
        if position.starts_on >= closed_on:
            withdrawn = _("appointment withdrawn: the branch closed on %(date)s") % {
                "date": formats.date_format(closed_on)
            }
            position_end(position=position, ends_on=position.starts_on, reason=withdrawn)
        else:
            position_end(position=position, ends_on=closed_on, reason=reason or _("branch closed"))
    return branch


# Positions --------------------------------------------------------------------


@transaction.atomic
def position_create(
    *,
    person: Person,
    role: str,
    starts_on: date,
    region: Region | None = None,
    local_branch: LocalBranch | None = None,
    primary_branch: PrimaryBranch | None = None,
    ends_on: date | None = None,
    decision: str = "",
) -> Position:
    """Give a person a role in a unit; the unit's parents are filled in from the unit."""
    if primary_branch is not None:
        local_branch = primary_branch.local_branch
    if local_branch is not None:
        region = local_branch.region
    position = Position(
        person=person,
        role=role,
        region=region,
        local_branch=local_branch,
        primary_branch=primary_branch,
        starts_on=starts_on,
        ends_on=ends_on,
        decision=decision.strip(),
    )
    save_or_explain(position)
    person_time_zones_refresh(person_ids=[position.person_id])
    hooks.positions_taken([position])
    return position


@transaction.atomic
def position_end(*, position: Position, ends_on: date, reason: str = "") -> Position:
    """End a term on `ends_on` (the first day it is no longer held)."""
    if position.ends_on is not None and position.ends_on <= ends_on:
        raise ValidationError(_("This term has already ended."), code="ended")
    position.ends_on = ends_on
    position.end_reason = reason[:200]
    save_or_explain(position, fields=["ends_on", "end_reason"])
    person_time_zones_refresh(person_ids=[position.person_id])
    hooks.positions_ended([position])
    return position


@transaction.atomic
def secretary_appoint(
    *,
    branch: PrimaryBranch,
    person: Person,
    starts_on: date | None = None,
    decision: str = "",
    replacing=UNSET,
) -> Position:
    """Make `person` the secretary of `branch` from `starts_on`, ending the previous term that day.

    Steps, safe under concurrency:
    1. lock the branch row, so appointments to one branch run one after another;
    2. read the secretary in office on `starts_on`; when the caller says which
       position it meant to replace (`replacing`, None for a vacancy) and another
       appointment got there first, refuse instead of silently replacing that one;
    3. end the previous term and insert the new one; the exclusion constraint
       `position_one_primary_secretary_at_a_time` is the last word on overlaps.
    """
    starts_on = starts_on or timezone.localdate()
    branch = PrimaryBranch.objects.select_for_update().select_related("local_branch").get(pk=branch.pk)
    if branch.closed_on is not None:
        raise ValidationError(_("A closed branch cannot get a secretary."), code="closed")
    current = (
        Position.objects.secretaries().filter(primary_branch=branch).current(starts_on).select_related("person").first()
    )
    if replacing is not UNSET and getattr(replacing, "pk", None) != getattr(current, "pk", None):
        raise ValidationError(
            _("Someone has just changed the secretary of this branch. Reload the page and check before appointing."),
            code="stale",
        )
    if current is not None:
        _replace_holder(current=current, person=person, starts_on=starts_on)
    return position_create(
        person=person, role=Role.PRIMARY_SECRETARY, primary_branch=branch, starts_on=starts_on, decision=decision
    )


def _replace_holder(*, current: Position, person: Person, starts_on: date) -> None:
    """End the term of the one holder of a post on the day `person` takes it over."""
    if current.person_id == person.pk:
        raise ValidationError(_("%(person)s is already the secretary."), params={"person": person}, code="same")
    if current.starts_on >= starts_on:
        raise ValidationError(
            _("The new term must start after the current secretary's term started (%(date)s)."),
            params={"date": current.starts_on},
            code="too_early",
        )
    position_end(position=current, ends_on=starts_on, reason=_("replaced by %(person)s") % {"person": person})


@transaction.atomic
def secretary_appoint_with_person(
    *,
    branch: PrimaryBranch,
    starts_on: date,
    replacing: int | None,
    person: Person | None = None,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    phone: str = "",
    email: str = "",
    birth_year: int | None = None,
    decision: str = "",
    other_posts_confirmed: bool = False,
) -> Position:
    """Appoint an existing person, or a new one created here, in place of position `replacing`.

    `replacing` is the id of the secretary position the user saw (None: a vacancy),
    so an appointment made meanwhile by someone else is not silently overwritten.
    A person who is the secretary of another branch is appointed only when the user
    confirmed it (`other_posts_confirmed`): the warning names the other branches.
    """
    if person is not None and not other_posts_confirmed:
        others = secretary_posts_elsewhere(person=person, branch=branch, on=starts_on)
        if others:
            raise ValidationError(
                _(
                    "%(person)s is already the secretary of %(branches)s. Appointing them here keeps that post; "
                    "tick the confirmation to go ahead."
                )
                % {
                    "person": person.full_name,
                    "branches": ", ".join(f"{p.primary_branch} ({p.region})" for p in others),
                },
                code="other_post",
            )
    if person is None:
        person = person_create(
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            phone=phone,
            email=email,
            birth_year=birth_year,
        )
    expected = Position.objects.filter(pk=replacing).first() if replacing else None
    return secretary_appoint(branch=branch, person=person, starts_on=starts_on, decision=decision, replacing=expected)


@transaction.atomic
def secretary_end(
    *, branch: PrimaryBranch, position: Position, ends_on: date, reason: str, details: str = ""
) -> Position:
    """End the secretary's term on `ends_on` with nobody appointed: the branch becomes vacant that day.

    Steps: 1. lock the branch row (appointments to it wait); 2. check that `position`, the
    term the user saw, is still the branch's secretary and not ended meanwhile; 3. end it.
    """
    branch = PrimaryBranch.objects.select_for_update().get(pk=branch.pk)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.primary_branch_id != branch.pk or position.role != Role.PRIMARY_SECRETARY:
        raise ValueError("not a secretary of this branch")
    return _end_term(
        position=position,
        ends_on=ends_on,
        reason=reason,
        details=details,
        stale=_("Someone has just changed the secretary of this branch. Reload the page and check."),
    )


def _end_term(*, position: Position, ends_on: date, reason: str, details: str, stale: str) -> Position:
    """End a locked term the user saw, with a reason from SecretaryEndReason and optional details."""
    if position.ends_on is not None and position.ends_on <= ends_on:
        raise ValidationError(stale, code="stale")
    if ends_on < position.starts_on:
        raise ValidationError(
            _("The term cannot end before it started (%(date)s).") % {"date": formats.date_format(position.starts_on)},
            code="before_start",
        )
    label = str(SecretaryEndReason(reason).label) if reason in SecretaryEndReason.values else str(reason)
    text = f"{label}: {details.strip()}" if details.strip() else label
    return position_end(position=position, ends_on=ends_on, reason=text[:200])


# Posts of a regional branch and its local branches ------------------------------


@transaction.atomic
def post_appoint(
    *,
    region: Region,
    role: str,
    starts_on: date,
    local_branch: LocalBranch | None = None,
    person: Person | None = None,
    ends_on: date | None = None,
    decision: str = "",
    replacing: int | object | None = UNSET,
    **new_person,
) -> Position:
    """Give a person (an existing one, or one created here from `new_person`: person_create's fields) a post
    of `region` or of its `local_branch`.

    A post with one holder at a time (the secretary of a local or of the regional branch)
    changes hands as a primary branch's secretary does: the unit's row is locked, the holder
    in office on `starts_on` ends their term that day, and a holder other than the one the
    user saw (`replacing`: that position's id, None for a vacancy) is refused; the exclusion
    constraints have the last word. Other posts (heads, deputies, staff) may have several
    holders at once, but not the same person twice (`position_one_term_per_person_and_post`).
    """
    if role in LOCAL_ROLES:
        if local_branch is None or local_branch.region_id != region.pk:
            raise ValidationError(_("Choose a local branch of %(region)s.") % {"region": region}, code="unit")
    elif role in REGIONAL_ROLES:
        local_branch = None
    else:
        raise ValueError(f"not a post of a regional or local branch: {role}")
    current = None
    if role in SINGLE_HOLDER_ROLES:
        if local_branch is not None:
            local_branch = LocalBranch.objects.select_for_update().get(pk=local_branch.pk)
            if local_branch.closed_on is not None:
                raise ValidationError(_("A closed local branch cannot get a secretary."), code="closed")
            holders = Position.objects.filter(role=role, local_branch=local_branch)
        else:
            Region.objects.select_for_update().filter(pk=region.pk).first()
            holders = Position.objects.filter(role=role, region=region)
        current = holders.current(starts_on).select_related("person").first()
        if replacing is not UNSET and replacing != getattr(current, "pk", None):
            raise ValidationError(
                _("Someone has just changed who holds this post. Reload the page and check before appointing."),
                code="stale",
            )
    if person is None:
        person = person_create(**new_person)
    if current is not None:
        _replace_holder(current=current, person=person, starts_on=starts_on)
    return position_create(
        person=person,
        role=role,
        region=region,
        local_branch=local_branch,
        starts_on=starts_on,
        ends_on=ends_on,
        decision=decision,
    )


@transaction.atomic
def post_end(*, position: Position, ends_on: date, reason: str, details: str = "") -> Position:
    """End the term of a regional or local post the user saw, with nobody appointed in its place."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.role not in POST_ROLES:
        raise ValueError("not a post of a regional or local branch")
    return _end_term(
        position=position,
        ends_on=ends_on,
        reason=reason,
        details=details,
        stale=_("Someone has just changed this post. Reload the page and check."),
    )


def secretary_posts_elsewhere(*, person: Person, branch: PrimaryBranch, on: date) -> list[Position]:
    """The person's secretary posts in other branches held on `on` or later (a warning before appointing)."""
    return list(
        Position.objects.secretaries()
        .current_or_future(on)
        .filter(person=person)
        .exclude(primary_branch=branch)
        .select_related("primary_branch", "region")
    )


# Import -----------------------------------------------------------------------

IMPORT_BATCH = 5000
PROGRESS_EVERY = 2000
# What an import may cost before it is refused (core.uploads): a national list is about
# 87,000 rows of 15 columns and unpacks to about 40 MB; the first 500 errors are kept.
IMPORT_LIMITS = UploadLimits(unpacked_bytes=100 * MB, rows=100_000, cells_per_row=100, seconds=120.0, errors=500)
BRANCH_FIELDS = ["name", "settlement", "address", "members_count", "activists_count", "opened_on"]


@dataclass
class RowPlan:
    row: int
    region_id: int
    local_name: str
    number: int
    fields: dict
    closed_on: date | None
    secretary: dict | None
    branch_id: int | None = None  # the existing branch, found when compared with the database


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: ErrorList = field(default_factory=lambda: ErrorList(limit=IMPORT_LIMITS.errors))
    creates: list[RowPlan] = field(default_factory=list)
    updates: list[tuple[RowPlan, PrimaryBranch, dict]] = field(default_factory=list)
    closures: list[tuple[RowPlan, PrimaryBranch]] = field(default_factory=list)
    new_local_branches: set = field(default_factory=set)
    new_secretaries: list[tuple[RowPlan, Position | None]] = field(default_factory=list)  # (row, current position)
    contact_updates: list[tuple[Person, dict]] = field(default_factory=list)
    unchanged: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # column key → «C «Номер»» as in the file
    preview: list[ImportChange] = field(default_factory=list)  # one line per change, row order
    similar: dict[tuple[int, str], str] = field(default_factory=dict)  # new local branch → existing name

    def summary(self) -> dict:
        return {
            "rows": len(self.rows),
            "create": len(self.creates),
            "update": len(self.updates),
            "close": len(self.closures),
            "unchanged": self.unchanged,
            "local_branches": len(self.new_local_branches),
            "secretaries": len(self.new_secretaries),
            "contacts": len(self.contact_updates),
            "similar": len(self.similar),
            # What a confirmation of new local branches covers ([region id, name]).
            "new_local_branches": [list(key) for key in sorted(self.new_local_branches)],
        }


@transaction.atomic
def import_start(*, actor, region: Region | None, file_name: str, content: bytes) -> ImportJob:
    """Store an upload and queue its check; the preview appears when the check is done."""
    from branches.tasks import import_validate

    job = ImportJob.objects.create(region=region, created_by=actor, file_name=file_name[:200], content=content)
    enqueue_on_commit(import_validate, job.pk)
    return job


def import_validate(*, job: ImportJob) -> ImportJob:
    """Check every row and compare it with the database; store the preview or the errors."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING
    )
    if not claimed:
        return job  # another worker has it, or it was checked already
    job.refresh_from_db()
    plan = _import_plan(job, report_progress=True)
    job.summary = plan.summary()
    job.errors = plan.errors.as_list()
    job.processed_rows = job.total_rows
    job.status = ImportJob.Status.INVALID if plan.errors else ImportJob.Status.VALIDATED
    job.finished_at = timezone.now() if plan.errors else None
    with transaction.atomic():
        if not plan.errors:
            for change in plan.preview:
                change.job = job
            ImportChange.objects.bulk_create(plan.preview, batch_size=IMPORT_BATCH)
        job.save(update_fields=["summary", "errors", "processed_rows", "status", "finished_at"])
    return job


@transaction.atomic
def import_confirm(*, job: ImportJob, local_branches_confirmed: bool = False) -> ImportJob:
    """Queue the application of a checked import (once: a second click changes nothing).

    An import that creates local branches is applied only when the user confirmed them
    (`local_branches_confirmed`): a typo in a district's name must not become a new branch.
    """
    from branches.tasks import import_apply as import_apply_task

    if job.summary.get("local_branches") and not local_branches_confirmed:
        raise ValidationError(
            _("The import creates new local branches: check them in the list and confirm them before applying."),
            code="unconfirmed",
        )
    summary = {**job.summary, "local_branches_confirmed": bool(local_branches_confirmed)}
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
        status=ImportJob.Status.APPLYING, summary=summary
    )
    if not claimed:
        raise ValidationError(_("This import is not ready to be applied."), code="not_ready")
    enqueue_on_commit(import_apply_task, job.pk)
    job.refresh_from_db()
    return job


def import_apply(*, job: ImportJob) -> ImportJob:
    """Apply an import all or nothing; rows that match the database change nothing.

    The plan is computed again inside the transaction, so changes made since the
    preview are taken into account; a row that became invalid fails the whole import.
    Steps: 1. lock the job's row (SKIP LOCKED: a second delivery of the task, or the
    sweep's, returns at once while the first applies); 2. apply and mark it done in the
    same transaction, so an import is applied once however often the task runs.
    """
    try:
        with transaction.atomic(), pghistory.context(user=job.created_by_id, import_job=job.pk):
            locked = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(pk=job.pk, status=ImportJob.Status.APPLYING)
                .first()
            )
            if locked is None:
                return ImportJob.objects.get(pk=job.pk)  # applied, failed, or being applied now
            job = locked
            plan = _import_plan(job, report_progress=False)
            if plan.errors:
                raise ValidationError(plan.errors.items[0]["message"])
            confirmed = job.summary.get("new_local_branches", []) if job.summary.get("local_branches_confirmed") else []
            if not plan.new_local_branches <= {(region_id, name) for region_id, name in confirmed}:
                raise ValidationError(
                    _("The file now creates local branches that were not confirmed. Upload it again to check them.")
                )
            _apply_plan(plan)
            job.status = ImportJob.Status.DONE
            job.summary = plan.summary()
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "summary", "finished_at"])
    except (ValidationError, IntegrityError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else _constraint_text(error)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.APPLYING).update(
            status=ImportJob.Status.FAILED, errors=[{"row": None, "message": str(message)}], finished_at=timezone.now()
        )
    return ImportJob.objects.get(pk=job.pk)


def imports_resume(*, older_than: float = 60.0) -> int:
    """Queue again the imports whose task was lost (the broker was down at upload or confirm).

    Enqueueing is an optimisation (core.queue); the job's status is the truth. A job still
    pending, or applying, a minute after it was created gets its task again: validation
    claims the job (PENDING → VALIDATING) and application locks it, so a second task
    changes nothing. Returns how many were queued.
    """
    from branches.tasks import import_apply as import_apply_task
    from branches.tasks import import_validate

    before = timezone.now() - timedelta(seconds=older_than)
    stale = ImportJob.objects.filter(created_at__lt=before)
    queued = 0
    for pk in stale.filter(status=ImportJob.Status.PENDING).values_list("pk", flat=True):
        queued += enqueue(import_validate, pk)
    for pk in stale.filter(status=ImportJob.Status.APPLYING).values_list("pk", flat=True):
        queued += enqueue(import_apply_task, pk)
    return queued


def _constraint_text(error: IntegrityError) -> str:
    return str(constraint_message(error) or _("The data conflicts with the database."))


def _parse_row(
    number: int, raw: dict, regions: dict, job_region: Region | None
) -> tuple[RowPlan | None, list[tuple[str, str]]]:
    """Turn one spreadsheet row into a RowPlan, or list every problem as (column key, reason)."""
    errors: list[tuple[str, str]] = []

    def read(key: str, parse):
        try:
            return parse()
        except ValidationError as error:
            errors.append((key, error.messages[0]))
            return None

    code = raw.get("region_code", "").strip().zfill(2)
    region = regions.get(code)
    if region is None:
        errors.append(("region_code", _("unknown region code %(code)s") % {"code": code or "—"}))
    elif job_region is not None and region.pk != job_region.pk:
        errors.append(("region_code", _("the branch is in another region (%(code)s)") % {"code": code}))
    local_name = raw.get("local_branch", "").strip()
    if not local_name:
        errors.append(("local_branch", _("the local branch is missing")))
    branch_number = read("number", lambda: _positive_int(raw.get("number", ""), _("number"), required=True))
    name = raw.get("name", "").strip()
    if not name:
        errors.append(("name", _("the name is missing")))
    members = read("members_count", lambda: _positive_int(raw.get("members_count", ""), _("members")))
    activists = read("activists_count", lambda: _positive_int(raw.get("activists_count", ""), _("activists")))
    if members is not None and activists is not None and activists > members:
        errors.append(("activists_count", _("there cannot be more activists than members")))
    opened_on = read("opened_on", lambda: _date(raw.get("opened_on", ""), _("opening date")))
    closed_on = read("closed_on", lambda: _date(raw.get("closed_on", ""), _("closing date")))
    if closed_on and opened_on and closed_on < opened_on:
        errors.append(("closed_on", _("a branch cannot close before it opened")))
    secretary = None
    last, first = raw.get("secretary_last_name", "").strip(), raw.get("secretary_first_name", "").strip()
    if last or first:
        if not last:
            errors.append(("secretary_last_name", _("the secretary needs both a last and a first name")))
        elif not first:
            errors.append(("secretary_first_name", _("the secretary needs both a last and a first name")))
        email = raw.get("secretary_email", "").strip().lower()
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                errors.append(("secretary_email", _("the secretary's e-mail is not valid")))
        phone = read("secretary_phone", lambda: normalize_phone(raw.get("secretary_phone", "")))
        secretary = {
            "last_name": last[:100],
            "first_name": first[:100],
            "patronymic": raw.get("secretary_patronymic", "").strip()[:100],
            "phone": phone or "",
            "email": email,
        }
    if errors or region is None or branch_number is None:
        return None, errors
    fields = {
        "name": name[:200],
        "settlement": raw.get("settlement", "").strip()[:200],
        "address": raw.get("address", "").strip()[:300],
        "members_count": members,
        "activists_count": activists,
        "opened_on": opened_on,
    }
    return RowPlan(number, region.pk, local_name[:200], branch_number, fields, closed_on, secretary), []


def _positive_int(text: str, label, *, required: bool = False) -> int:
    text = text.strip().replace(" ", "").lstrip("№")
    if not text:
        if required:
            raise ValidationError(_("the %(field)s is missing") % {"field": label})
        return 0
    if not text.isdigit() or len(text) > 9:
        raise ValidationError(
            _("the %(field)s must be a whole number, not %(value)s") % {"field": label, "value": text}
        )
    return int(text)


def _date(text: str, label) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValidationError(_("the %(field)s %(value)s is not a date (use 31.12.2025)") % {"field": label, "value": text})


def _import_plan(job: ImportJob, *, report_progress: bool) -> ImportPlan:
    plan = ImportPlan()
    try:
        total, rows, plan.columns = spreadsheets.read_rows(bytes(job.content), job.file_name, IMPORT_LIMITS)
    except UploadRefused as refusal:
        plan.errors.add(None, str(refusal))
        return plan
    except spreadsheets.SpreadsheetError:
        plan.errors.add(
            None,
            _(
                "The file could not be read. Upload an XLSX or CSV file with the columns of the export "
                "(the first row holds the column names)."
            ),
        )
        return plan
    if report_progress:
        ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
        job.total_rows = total
    regions = {region.code: region for region in Region.objects.all()}
    seen = set()
    for index, raw in enumerate(rows, start=2):
        row, errors = _parse_row(index, raw, regions, job.region)
        for key, message in errors:
            plan.errors.add(index, message, column=plan.columns.get(key, ""))
        if row is not None:
            if (row.region_id, row.number) in seen:
                plan.errors.add(
                    index, _("the number %(n)s appears twice") % {"n": row.number}, column=plan.columns["number"]
                )
            seen.add((row.region_id, row.number))
            plan.rows.append(row)
        if report_progress and (index - 1) % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=index - 1)
    if not plan.errors:
        _compare_with_database(plan)
    return plan


def _compare_with_database(plan: ImportPlan) -> None:
    """Sort the rows into creates, updates, closures and secretary changes; list each for the preview."""
    region_ids = {row.region_id for row in plan.rows}
    locals_by_key = {
        (local.region_id, local.name): local for local in LocalBranch.objects.filter(region_id__in=region_ids)
    }
    branches = {
        (branch.region_id, branch.number): branch
        for branch in PrimaryBranch.objects.filter(region_id__in=region_ids).select_related("local_branch")
    }
    secretaries = {
        position.primary_branch_id: position
        for position in Position.objects.secretaries()
        .current()
        .filter(region_id__in=region_ids)
        .select_related("person")
    }
    first_row_of_local: dict[tuple[int, str], int] = {}
    for row in plan.rows:
        title = f"№{row.number} «{row.fields['name']}»"
        local = locals_by_key.get((row.region_id, row.local_name))
        if local is None:
            plan.new_local_branches.add((row.region_id, row.local_name))
            first_row_of_local.setdefault((row.region_id, row.local_name), row.row)
        branch = branches.get((row.region_id, row.number))
        changed = False
        current = None
        if branch is None:
            plan.creates.append(row)
            plan.preview.append(_change(row, ImportChange.Kind.CREATE, title, [("local_branch", "", row.local_name)]))
            changed = True
        else:
            row.branch_id = branch.pk
            current = secretaries.get(branch.pk)
            changes = {name: value for name, value in row.fields.items() if getattr(branch, name) != value}
            if row.fields["opened_on"] is None:
                changes.pop("opened_on", None)  # an empty cell does not erase a known date
            if local is None or local.pk != branch.local_branch_id:
                changes["local_branch"] = row.local_name
            if changes:
                plan.updates.append((row, branch, changes))
                old = {name: getattr(branch, name) for name in changes if name != "local_branch"}
                if "local_branch" in changes:
                    old["local_branch"] = branch.local_branch.name
                plan.preview.append(
                    _change(row, ImportChange.Kind.UPDATE, title, [(k, old[k], v) for k, v in changes.items()])
                )
                changed = True
            if row.closed_on and branch.closed_on is None:
                plan.closures.append((row, branch))
                ended = [("secretary", current.person.full_name, "")] if current else []
                plan.preview.append(
                    _change(row, ImportChange.Kind.CLOSE, title, [("closed_on", "", row.closed_on), *ended])
                )
                changed = True
            elif branch.closed_on is not None and row.closed_on is None:
                plan.errors.add(
                    row.row, _("a closed branch cannot be reopened by import"), column=plan.columns.get("closed_on", "")
                )
        if row.secretary and not row.closed_on:
            person = current.person if current else None
            same = person is not None and (person.last_name, person.first_name, person.patronymic) == (
                row.secretary["last_name"],
                row.secretary["first_name"],
                row.secretary["patronymic"],
            )
            if person is None or not same:
                plan.new_secretaries.append((row, current))
                newcomer = " ".join(
                    part
                    for part in (row.secretary["last_name"], row.secretary["first_name"], row.secretary["patronymic"])
                    if part
                )
                plan.preview.append(
                    _change(
                        row,
                        ImportChange.Kind.SECRETARY,
                        title,
                        [("secretary", person.full_name if person else "", newcomer)],
                    )
                )
                changed = True
            else:
                contacts = {
                    key: row.secretary[key]
                    for key in ("phone", "email")
                    if row.secretary[key] and getattr(person, key) != row.secretary[key]
                }
                if contacts:
                    plan.contact_updates.append((person, contacts))
                    plan.preview.append(
                        _change(
                            row,
                            ImportChange.Kind.CONTACTS,
                            title,
                            [(key, getattr(person, key), value) for key, value in contacts.items()],
                        )
                    )
                    changed = True
        if not changed:
            plan.unchanged += 1
    plan.similar = _similar_local_branches(plan.new_local_branches)
    for key, row_number in first_row_of_local.items():
        plan.preview.append(
            ImportChange(
                row=row_number,
                kind=ImportChange.Kind.LOCAL_BRANCH,
                title=key[1],
                similar_to=plan.similar.get(key, "")[:200],
            )
        )
    plan.preview.sort(key=lambda change: change.row)  # stable: a row's changes keep their order


def _change(row: RowPlan, kind: str, title: str, changes: list[tuple[str, object, object]]) -> ImportChange:
    """One preview line; values become text (dates ISO, the page formats them)."""

    def text(value) -> str:
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, date) else str(value)

    return ImportChange(
        row=row.row,
        kind=kind,
        title=title[:300],
        changes=[{"field": key, "old": text(old), "new": text(new)} for key, old, new in changes],
    )


# Latin letters that look like Cyrillic ones, and ё: a name is compared by its skeleton.
_LOOKALIKES = ("ёaeopcxykmthb", "еаеорсхукмтнв")
# Trigram similarity from which a new local branch's name is flagged as close to an existing one
# ("Свободненское районое" to "Свободненское районное" is 0.75; two different districts are < 0.4).
SIMILAR_NAME = 0.6


def _skeleton(name: str) -> str:
    return name.lower().translate(str.maketrans(*_LOOKALIKES))


def _similar_local_branches(new: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """For each new (region, name), the closest existing local branch name of the region, if close.

    One query: the new names' skeletons against the region's local branches (pg_trgm similarity).
    """
    if not new:
        return {}
    keys = sorted(new)
    skeleton = "translate(lower(l.name), %s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT ON (n.i) n.i, l.name
            FROM unnest(%s::int[], %s::int[], %s::text[]) AS n(i, region_id, skeleton)
            JOIN {LocalBranch._meta.db_table} l ON l.region_id = n.region_id
            WHERE similarity(n.skeleton, {skeleton}) >= %s
            ORDER BY n.i, similarity(n.skeleton, {skeleton}) DESC, l.name
            """,
            [
                list(range(len(keys))),
                [region_id for region_id, _name in keys],
                [_skeleton(name) for _region_id, name in keys],
                *_LOOKALIKES,
                SIMILAR_NAME,
                *_LOOKALIKES,
            ],
        )
        return {keys[index]: name for index, name in cursor.fetchall()}


def _apply_plan(plan: ImportPlan) -> None:
    """Write a checked plan with bulk statements (the constraints still check every row)."""
    today = timezone.localdate()
    new_locals = [LocalBranch(region_id=region_id, name=name) for region_id, name in sorted(plan.new_local_branches)]
    LocalBranch.objects.bulk_create(new_locals, batch_size=IMPORT_BATCH)
    region_ids = {row.region_id for row in plan.rows}
    locals_by_key = {
        (local.region_id, local.name): local.pk for local in LocalBranch.objects.filter(region_id__in=region_ids)
    }
    created = PrimaryBranch.objects.bulk_create(
        [
            PrimaryBranch(
                region_id=row.region_id,
                local_branch_id=locals_by_key[(row.region_id, row.local_name)],
                number=row.number,
                closed_on=row.closed_on,
                **row.fields,
            )
            for row in plan.creates
        ],
        batch_size=IMPORT_BATCH,
    )
    branch_ids = {(branch.region_id, branch.number): branch.pk for branch in created}
    updated = []
    for row, branch, changes in plan.updates:
        for name in changes:
            if name == "local_branch":
                branch.local_branch_id = locals_by_key[(row.region_id, row.local_name)]
            else:
                setattr(branch, name, row.fields[name])
        updated.append(branch)
    PrimaryBranch.objects.bulk_update(updated, ["local_branch", *BRANCH_FIELDS], batch_size=IMPORT_BATCH)
    for row, branch in plan.closures:
        assert row.closed_on is not None, "a closure comes from a row with a closing date"
        branch_close(branch=branch, closed_on=row.closed_on, reason=_("closed by import"))
    for person, contacts in plan.contact_updates:
        for key, value in contacts.items():
            setattr(person, key, value)
    Person.objects.bulk_update([person for person, _contacts in plan.contact_updates], ["phone", "email"])
    ended = []
    for _row, current in plan.new_secretaries:
        if current is not None:
            current.ends_on = today
            current.end_reason = _("replaced by import")
            ended.append(current)
    Position.objects.bulk_update(ended, ["ends_on", "end_reason"], batch_size=IMPORT_BATCH)
    people = Person.objects.bulk_create(
        [Person(**row.secretary) for row, _current in plan.new_secretaries],  # type: ignore[arg-type]
        batch_size=IMPORT_BATCH,
    )
    positions = []
    for (row, _current), person in zip(plan.new_secretaries, people, strict=True):
        branch_id = row.branch_id or branch_ids[(row.region_id, row.number)]
        positions.append(
            Position(
                person=person,
                role=Role.PRIMARY_SECRETARY,
                region_id=row.region_id,
                local_branch_id=locals_by_key[(row.region_id, row.local_name)],
                primary_branch_id=branch_id,
                starts_on=today,
                decision=_("import"),
            )
        )
    Position.objects.bulk_create(positions, batch_size=IMPORT_BATCH)
    hooks.positions_ended(ended)
    hooks.positions_taken(positions)
    person_time_zones_refresh(person_ids=[p.person_id for p in ended] + [person.pk for person in people])
