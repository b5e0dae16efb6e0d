"""The rules that protect branch data hold in the database, and come back as clear messages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from branches import services
from branches.models import Position, PrimaryBranch, Role
from core.testing import is_deadlock, run_concurrently

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language; these tests read their English messages."""
    with translation.override("en"):
        yield


def test_a_number_is_unique_within_its_region(cast):
    with pytest.raises(ValidationError, match="already exists in the region"):
        services.branch_create(local_branch=cast.local_a2, number=1, name="Дубль")


def test_the_same_number_may_exist_in_another_region(cast):
    branch = services.branch_create(local_branch=cast.local_b1, number=1, name="Первая")
    assert branch.region == cast.region_b


def test_activists_cannot_outnumber_members(cast):
    with pytest.raises(ValidationError, match="more activists than members"):
        services.branch_create(local_branch=cast.local_a1, number=5, name="X", members_count=3, activists_count=4)


def test_a_branch_cannot_sit_in_a_local_branch_of_another_region(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrimaryBranch.objects.create(region=cast.region_a, local_branch=cast.local_b1, number=7, name="Чужая")
        connection.check_constraints()


def test_a_term_must_end_after_it_starts(cast):
    with pytest.raises(ValidationError, match="must end after it starts"):
        services.position_create(
            person=cast.person("juror"),
            role=Role.REGIONAL_STAFF,
            region=cast.region_a,
            starts_on=date(2024, 5, 1),
            ends_on=date(2024, 5, 1),
        )


def test_two_secretaries_cannot_overlap_even_bypassing_the_service(cast):
    with pytest.raises(ValidationError, match="already has a secretary"):
        services.position_create(
            person=cast.person("juror"),
            role=Role.PRIMARY_SECRETARY,
            primary_branch=cast.branch_a,
            starts_on=date(2024, 1, 1),
        )


def test_a_role_is_held_in_the_right_kind_of_unit(cast):
    with pytest.raises(ValidationError, match="not held in that kind of unit"):
        services.position_create(person=cast.person("juror"), role=Role.PRIMARY_SECRETARY, starts_on=date(2024, 1, 1))


def test_a_phone_is_stored_as_plus_seven_and_ten_digits(cast):
    person = services.person_create(last_name="Тест", first_name="Тест", phone="8 (914) 123-45-67")
    assert person.phone == "+79141234567"
    with pytest.raises(ValidationError, match="Russian phone number"):
        services.person_create(last_name="Тест", first_name="Тест", phone="12345")


def test_appointing_a_secretary_ends_the_previous_term_that_day(cast):
    new = services.person_create(last_name="Новикова", first_name="Нина")
    position = services.secretary_appoint(branch=cast.branch_a, person=new, starts_on=date(2026, 3, 1))
    previous = Position.objects.get(person=cast.person("secretary"), role=Role.PRIMARY_SECRETARY)
    assert previous.ends_on == date(2026, 3, 1)
    assert position.starts_on == date(2026, 3, 1)
    assert position.ends_on is None


def test_an_appointment_based_on_a_stale_page_is_refused(cast):
    seen = Position.objects.secretaries().current().get(primary_branch=cast.branch_a)
    first = services.person_create(last_name="Первый", first_name="Пётр")
    second = services.person_create(last_name="Второй", first_name="Василий")
    services.secretary_appoint(branch=cast.branch_a, person=first, starts_on=date(2026, 3, 1), replacing=seen)
    with pytest.raises(ValidationError) as error:
        services.secretary_appoint(branch=cast.branch_a, person=second, starts_on=date(2026, 3, 2), replacing=seen)
    assert error.value.code == "stale"


def test_closing_a_branch_ends_its_secretary_s_term(cast):
    services.branch_close(branch=cast.branch_a, closed_on=date(2026, 6, 1))
    position = Position.objects.get(person=cast.person("secretary"), role=Role.PRIMARY_SECRETARY)
    assert position.ends_on == date(2026, 6, 1)
    assert not PrimaryBranch.objects.open().filter(pk=cast.branch_a.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_appointments_to_one_branch_one_wins_the_other_is_told(cast):
    """Two staff members appoint a secretary to the same vacant branch at the same moment."""
    candidates = [services.person_create(last_name=f"Кандидат{n}", first_name="Иван") for n in range(2)]
    outcomes = run_concurrently(
        lambda person: services.secretary_appoint(
            branch=cast.branch_a2, person=person, starts_on=date(2026, 2, 1), replacing=None
        ),
        candidates,
        expected_errors=(ValidationError,),
    )
    assert sorted(getattr(outcome, "code", "appointed") for outcome in outcomes) == ["appointed", "stale"]
    assert Position.objects.secretaries().filter(primary_branch=cast.branch_a2).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_that_skip_the_lock_still_hit_the_exclusion_constraint(cast):
    """Even without the service's row lock, the database refuses the second overlapping secretary.

    It refuses with the exclusion constraint, or, when both inserts checked at once, by
    aborting one as a deadlock (exclusion checks wait on each other's uncommitted rows).
    """
    candidates = [services.person_create(last_name=f"Обходчик{n}", first_name="Иван") for n in range(2)]
    outcomes = run_concurrently(
        lambda person: services.position_create(
            person=person, role=Role.PRIMARY_SECRETARY, primary_branch=cast.branch_a2, starts_on=date(2026, 2, 1)
        ),
        candidates,
        expected_errors=(ValidationError,),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert getattr(refused[0], "code", None) == "position_one_primary_secretary_at_a_time" or is_deadlock(refused[0])
    assert Position.objects.secretaries().filter(primary_branch=cast.branch_a2).count() == 1
