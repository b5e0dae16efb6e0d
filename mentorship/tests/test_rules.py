"""The rules of mentoring, held by the database: constraints, the trigger, the capacity lock."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from branches import services as branch_services
from core.db import save_or_explain
from core.testing import is_deadlock, run_concurrently
from mentorship import selectors, services
from mentorship.models import Pair, PairStatus
from mentorship.tests.conftest import PAIR_START, active_pair, branch_with_secretary, running_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_branch_cannot_mentor_itself(cast, programme):
    with pytest.raises(ValidationError, match="cannot mentor itself"):
        services.pair_propose(
            programme=programme, mentor_branch=cast.branch_a, mentee_branch=cast.branch_a, starts_on=PAIR_START
        )


def test_the_database_refuses_a_second_pair_for_a_mentee_over_the_same_dates(cast, programme, mentee):
    other = branch_with_secretary(cast.local_a1, 3, "Третья")
    active_pair(programme, cast.branch_a, mentee)
    with pytest.raises(ValidationError, match="already has a mentor"):
        services.pair_propose(
            programme=programme, mentor_branch=other, mentee_branch=mentee, starts_on=date(2026, 10, 1)
        )
    # Straight into the table, past the service: the exclusion constraint still refuses.
    with pytest.raises(IntegrityError):
        Pair.objects.create(
            programme=programme,
            mentor_branch=other,
            mentee_branch=mentee,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 1),
            planned_ends_on=date(2026, 11, 1),
        )


def test_a_pair_ended_early_leaves_room_for_a_new_one_after_it(cast, programme, mentee):
    other = branch_with_secretary(cast.local_a1, 3, "Третья")
    pair = active_pair(programme, cast.branch_a, mentee)
    pair = services.pair_end_early(pair=pair, reason="Секретарь переехал", on=date(2026, 9, 10))
    assert pair.ends_on == date(2026, 9, 10)
    assert not pair.counts_as_done  # 9 days of a planned four months
    assert pair.planned_ends_on == date(2026, 12, 31)
    again = services.pair_propose(
        programme=programme, mentor_branch=other, mentee_branch=mentee, starts_on=date(2026, 9, 10)
    )
    assert again.status == PairStatus.PROPOSED


def test_a_pair_lies_inside_its_programme_and_region(cast, programme, mentee):
    with pytest.raises(ValidationError, match="inside its programme's dates"):
        services.pair_propose(
            programme=programme,
            mentor_branch=cast.branch_a,
            mentee_branch=mentee,
            starts_on=PAIR_START,
            ends_on=date(2027, 3, 1),
        )
    with pytest.raises(ValidationError, match="programme's region"):
        services.pair_propose(
            programme=programme, mentor_branch=cast.branch_b, mentee_branch=mentee, starts_on=PAIR_START
        )


def test_a_pair_s_usual_length_is_cut_at_the_programme_s_end(cast, programme, mentee):
    pair = services.pair_propose(
        programme=programme, mentor_branch=cast.branch_a, mentee_branch=mentee, starts_on=date(2026, 9, 1)
    )
    assert pair.ends_on == date(2026, 12, 31)


def test_capacity_refuses_one_mentee_too_many(cast):
    programme = running_programme(cast.region_a, capacity=1)
    first = branch_with_secretary(cast.local_a1, 3, "Третья")
    second = branch_with_secretary(cast.local_a1, 4, "Четвёртая")
    services.pair_propose(programme=programme, mentor_branch=cast.branch_a, mentee_branch=first, starts_on=PAIR_START)
    with pytest.raises(ValidationError) as refused:
        services.pair_propose(
            programme=programme, mentor_branch=cast.branch_a, mentee_branch=second, starts_on=PAIR_START
        )
    assert refused.value.code == "capacity"


@pytest.mark.django_db(transaction=True)
def test_two_staff_pairing_one_mentor_at_once_cannot_exceed_its_capacity(cast):
    programme = running_programme(cast.region_a, capacity=1)
    mentees = [branch_with_secretary(cast.local_a1, 10 + n, f"Подопечная{n}") for n in range(3)]

    def pair_with(mentee):
        services.pair_propose(
            programme=programme, mentor_branch=cast.branch_a, mentee_branch=mentee, starts_on=PAIR_START
        )
        return "paired"

    outcomes = run_concurrently(pair_with, mentees, expected_errors=(ValidationError,))
    codes = sorted(o.code if isinstance(o, ValidationError) else o for o in outcomes)
    assert codes == ["capacity", "capacity", "paired"]
    assert Pair.objects.filter(mentor_branch=cast.branch_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_that_skip_the_lock_still_hit_the_exclusion_constraint(cast):
    programme = running_programme(cast.region_a)
    mentors = [branch_with_secretary(cast.local_a1, 20 + n, f"Наставница{n}") for n in range(2)]

    def insert(mentor):
        save_or_explain(
            Pair(
                programme=programme,
                mentor_branch=mentor,
                mentee_branch=cast.branch_a2,
                starts_on=PAIR_START,
                ends_on=date(2026, 12, 1),
                planned_ends_on=date(2026, 12, 1),
            )
        )
        return "inserted"

    outcomes = run_concurrently(insert, mentors, expected_errors=(ValidationError, IntegrityError))
    assert outcomes.count("inserted") == 1
    refused = next(o for o in outcomes if o != "inserted")
    assert is_deadlock(refused) or getattr(refused, "code", None) == "mentoring_pair_one_per_mentee_branch"
    assert Pair.objects.filter(mentee_branch=cast.branch_a2).count() == 1


def test_a_change_of_secretary_keeps_the_pair_and_moves_its_people(cast, programme, mentee):
    pair = active_pair(programme, cast.branch_a, mentee)
    row = selectors.pair_rows(Pair.objects.filter(pk=pair.pk), date(2026, 9, 16))[0]
    assert row.mentor_secretary == cast.person("secretary")
    newcomer = branch_services.person_create(last_name="Новикова", first_name="Нина")
    branch_services.secretary_appoint(branch=cast.branch_a, person=newcomer, starts_on=date(2026, 9, 16))

    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    row = selectors.pair_rows(Pair.objects.filter(pk=pair.pk), date(2026, 9, 16))[0]
    assert row.mentor_secretary == newcomer
    history = [event.text for event in selectors.pair_history(pair, [])]
    assert any("Новикова" in text and "goes on" in text for text in history)


def test_the_youth_track_pairs_a_secretary_with_a_young_activist(cast, programme):
    young = branch_services.person_create(last_name="Молодцова", first_name="Мария")
    cadre = services.young_cadre_mark(person=young, branch=cast.branch_a2, birth_year=2004)
    pair = services.pair_propose(
        programme=programme, mentor_branch=cast.branch_a, mentee_cadre=cadre, starts_on=PAIR_START
    )
    assert pair.track == "youth"
    assert pair.mentee_label == "Молодцова Мария"
    with pytest.raises(ValidationError, match="at most 35"):
        services.young_cadre_mark(
            person=branch_services.person_create(last_name="Старцев", first_name="Олег"),
            branch=cast.branch_a2,
            birth_year=1970,
        )


def test_statuses_move_only_forward(cast, programme, mentee):
    pair = services.pair_propose(
        programme=programme, mentor_branch=cast.branch_a, mentee_branch=mentee, starts_on=PAIR_START
    )
    with pytest.raises(ValidationError):
        services.pair_complete(pair=pair)
    declined = services.pair_decline(pair=pair, reason="Не подходит")
    assert declined.status == PairStatus.DECLINED
    with pytest.raises(ValidationError):
        services.pair_accept(pair=declined)


def test_health_from_days_since_the_last_check_in(cast, programme, mentee, time_machine):
    pair = active_pair(programme, cast.branch_a, mentee)
    rows = selectors.pair_rows(Pair.objects.filter(pk=pair.pk), date(2026, 9, 16))
    assert rows[0].health == "too_early"
    rows = selectors.pair_rows(Pair.objects.filter(pk=pair.pk), date(2026, 10, 15))
    assert rows[0].health == "needs_check_in"
    services.check_in_record(pair=pair, held_on=date(2026, 9, 15), kind="call")
    rows = selectors.pair_rows(Pair.objects.filter(pk=pair.pk), date(2026, 10, 15))
    assert rows[0].health == "on_track"


def test_stalled_pairs_come_first(cast, programme, mentee):
    other = branch_with_secretary(cast.local_a1, 3, "Третья")
    early = active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    stalled = active_pair(programme, cast.branch_a, other, starts_on=date(2026, 6, 1))
    rows = selectors.pair_rows(Pair.objects.filter(programme=programme), date(2026, 9, 16))
    assert [r.pair.pk for r in rows] == [stalled.pk, early.pk]
