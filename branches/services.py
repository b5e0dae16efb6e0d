"""Every write to the branch tree, its people and their positions."""

from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import (
    LocalBranch,
    Person,
    PersonalDataAccess,
    Position,
    PrimaryBranch,
    Region,
    Role,
)
from core.db import raise_for_constraint

CONSTRAINT_MESSAGES = {
    "primary_branch_number_unique_in_region": gettext_lazy(
        "A primary branch with this number already exists in the region."
    ),
    "primary_branch_activists_within_members": gettext_lazy("There cannot be more activists than members."),
    "primary_branch_closed_after_opened": gettext_lazy("A branch cannot close before it opened."),
    "local_branch_name_unique_in_region": gettext_lazy("A local branch with this name already exists in the region."),
    "position_ends_after_start": gettext_lazy("A term must end after it starts."),
    "position_one_primary_secretary_at_a_time": gettext_lazy("The branch already has a secretary for these dates."),
    "position_one_local_secretary_at_a_time": gettext_lazy("The local branch already has a secretary for these dates."),
    "position_one_regional_secretary_at_a_time": gettext_lazy(
        "The regional branch already has a secretary for these dates."
    ),
    "position_unit_matches_role": gettext_lazy("This role is not held in that kind of unit."),
    "primary_branch_local_in_region": gettext_lazy("The local branch belongs to another region."),
    "position_local_in_region": gettext_lazy("The local branch belongs to another region."),
    "position_primary_in_local": gettext_lazy("The primary branch belongs to another local branch."),
    "person_phone_normalised": gettext_lazy("Enter the phone as +7 and ten digits."),
}

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


def _save(instance, *, fields=None):
    """Save inside a savepoint; a violated constraint becomes a ValidationError."""
    try:
        with transaction.atomic():
            instance.save(update_fields=fields)
    except IntegrityError as error:
        raise_for_constraint(error, CONSTRAINT_MESSAGES)
    return instance


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
    return _save(person)


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    if "phone" in fields:
        fields["phone"] = normalize_phone(fields["phone"])
    for name, value in fields.items():
        setattr(person, name, value)
    return _save(person)


def personal_data_log(*, viewer, action: str, person: Person | None = None, region=None, detail: str = ""):
    """Record that `viewer` saw or exported someone else's contact details."""
    if person is not None and person.user_id == viewer.pk:
        return None
    return PersonalDataAccess.objects.create(
        viewer=viewer, person=person, region=region, action=action, detail=detail[:300]
    )


# The tree ---------------------------------------------------------------------


@transaction.atomic
def local_branch_create(*, region: Region, name: str) -> LocalBranch:
    return _save(LocalBranch(region=region, name=name.strip()))


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
    return _save(branch)


BRANCH_EDITABLE = {"local_branch", "number", "name", "settlement", "address", "members_count", "activists_count"}
BRANCH_CONTACT_FIELDS = {"settlement", "address"}


@transaction.atomic
def branch_update(*, branch: PrimaryBranch, **fields) -> PrimaryBranch:
    unknown = set(fields) - BRANCH_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    local_branch = fields.get("local_branch")
    if local_branch is not None and local_branch.region_id != branch.region_id:
        raise ValidationError(CONSTRAINT_MESSAGES["primary_branch_local_in_region"], code="other_region")
    for name, value in fields.items():
        setattr(branch, name, value.strip() if isinstance(value, str) else value)
    return _save(branch)


@transaction.atomic
def branch_close(*, branch: PrimaryBranch, closed_on: date, reason: str = "") -> PrimaryBranch:
    """Close a branch: it leaves the active lists, and its secretary's term ends that day."""
    branch = PrimaryBranch.objects.select_for_update().get(pk=branch.pk)
    if branch.closed_on is not None:
        raise ValidationError(_("The branch is already closed."), code="closed")
    branch.closed_on = closed_on
    _save(branch, fields=["closed_on"])
    for position in Position.objects.filter(primary_branch=branch).current(closed_on):
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
    return _save(position)


@transaction.atomic
def position_end(*, position: Position, ends_on: date, reason: str = "") -> Position:
    """End a term on `ends_on` (the first day it is no longer held)."""
    if position.ends_on is not None and position.ends_on <= ends_on:
        raise ValidationError(_("This term has already ended."), code="ended")
    position.ends_on = ends_on
    position.end_reason = reason[:200]
    return _save(position, fields=["ends_on", "end_reason"])


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
        if current.person_id == person.pk:
            raise ValidationError(_("%(person)s is already the secretary."), params={"person": person}, code="same")
        if current.starts_on >= starts_on:
            raise ValidationError(
                _("The new term must start after the current secretary's term started (%(date)s)."),
                params={"date": current.starts_on},
                code="too_early",
            )
        position_end(position=current, ends_on=starts_on, reason=_("replaced by %(person)s") % {"person": person})
    return position_create(
        person=person, role=Role.PRIMARY_SECRETARY, primary_branch=branch, starts_on=starts_on, decision=decision
    )
