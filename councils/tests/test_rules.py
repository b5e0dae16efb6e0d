"""The rules of a council hold in the database, and come back as clear messages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from branches import services as branch_services
from core.db import save_or_explain
from core.testing import is_deadlock, run_concurrently
from councils import selectors, services
from councils.models import CouncilSeat, SeatRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language; these tests read their English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def council(cast):
    return services.council_for(cast.region_a)


def _person(name="Представителев"):
    return branch_services.person_create(last_name=name, first_name="Иван")


def _representative(council, local_branch, starts_on, **extra):
    return services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=local_branch,
        person=extra.pop("person", None) or _person(),
        starts_on=starts_on,
        **extra,
    )


# Policy -----------------------------------------------------------------------


def test_every_region_has_a_council_and_fetching_it_twice_gives_the_same_one(cast):
    assert services.council_for(cast.region_a) == services.council_for(cast.region_a)
    assert services.council_for(cast.region_b) != services.council_for(cast.region_a)


def test_policy_defaults_give_one_year_to_a_representative_and_five_to_the_chair(council, cast):
    representative = _representative(council, cast.local_a1, date(2025, 9, 1))
    chair = services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person(), starts_on=date(2025, 9, 1))
    assert representative.ends_on == date(2026, 9, 1)
    assert chair.ends_on == date(2030, 9, 1)


def test_a_term_starting_on_29_february_runs_through_28_february(council, cast):
    """Its last day is 28 February of a common year; the next term starts on 1 March."""
    representative = _representative(council, cast.local_a1, date(2024, 2, 29))
    chair = services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person(), starts_on=date(2024, 2, 29))
    assert representative.ends_on == date(2025, 3, 1)
    assert chair.ends_on == date(2029, 3, 1)
    assert services.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_policy_change_applies_from_its_date_and_approved_terms_keep_their_end(council, cast):
    before = _representative(council, cast.local_a1, date(2025, 1, 10))
    services.policy_update(
        council=council, applies_from=date(2025, 6, 1), representative_years=2, chair_years=4, deputy_chair_years=3
    )
    after = _representative(council, cast.local_a2, date(2025, 6, 1))
    chair = services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person(), starts_on=date(2025, 7, 1))
    before.refresh_from_db()
    assert before.ends_on == date(2026, 1, 10)
    assert after.ends_on == date(2027, 6, 1)
    assert chair.ends_on == date(2029, 7, 1)
    assert selectors.policy_on(council, date(2025, 5, 31)).representative_years == 1


def test_an_explicit_end_date_overrides_the_policy(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1), ends_on=date(2025, 7, 1))
    assert seat.ends_on == date(2025, 7, 1)


def test_two_policies_from_the_same_day_are_refused(council):
    services.policy_update(
        council=council, applies_from=date(2025, 6, 1), representative_years=2, chair_years=4, deputy_chair_years=3
    )
    with pytest.raises(ValidationError, match="already applies from this date"):
        services.policy_update(
            council=council, applies_from=date(2025, 6, 1), representative_years=1, chair_years=5, deputy_chair_years=5
        )


def test_a_term_of_eleven_years_is_refused_by_the_database(council):
    with pytest.raises(ValidationError, match="from 1 to 10 years"):
        services.policy_update(
            council=council, applies_from=date(2025, 6, 1), representative_years=11, chair_years=5, deputy_chair_years=5
        )


# Seats ------------------------------------------------------------------------


def test_two_overlapping_representatives_of_one_local_branch_are_refused(council, cast):
    _representative(council, cast.local_a1, date(2025, 1, 1), person=_person("Первый"))
    with pytest.raises(ValidationError, match="Первый Иван already holds this seat"):
        _representative(council, cast.local_a1, date(2025, 6, 1))


def test_the_database_refuses_overlapping_representatives_even_bypassing_the_check(council, cast):
    _representative(council, cast.local_a1, date(2025, 1, 1))
    overlapping = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_a1,
        person=_person(),
        starts_on=date(2025, 6, 1),
        ends_on=date(2026, 6, 1),
    )
    with pytest.raises(ValidationError, match="already has a representative for these dates"):
        save_or_explain(overlapping)


def test_terms_that_meet_end_to_start_do_not_overlap(council, cast):
    first = _representative(council, cast.local_a1, date(2025, 1, 1))
    second = _representative(council, cast.local_a1, first.ends_on)
    assert second.starts_on == first.ends_on


def test_two_overlapping_chairs_are_refused_by_the_database(council, cast):
    services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person(), starts_on=date(2025, 1, 1))
    chair = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.CHAIR,
        person=_person("Второй"),
        starts_on=date(2028, 1, 1),
        ends_on=date(2033, 1, 1),
    )
    with pytest.raises(ValidationError, match="already has a chair for these dates"):
        save_or_explain(chair)


def test_chairs_of_two_councils_do_not_collide(cast):
    for region in (cast.region_a, cast.region_b):
        services.seat_appoint(
            council=services.council_for(region), role=SeatRole.CHAIR, person=_person(), starts_on=date(2025, 1, 1)
        )
    assert CouncilSeat.objects.filter(role=SeatRole.CHAIR).count() == 2


def test_a_representative_of_a_local_branch_of_another_region_is_refused(council, cast):
    with pytest.raises(ValidationError, match="belongs to another region"):
        _representative(council, cast.local_b1, date(2025, 1, 1))


def test_the_database_refuses_a_local_branch_of_another_region(council, cast):
    stray = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_b1,
        person=_person(),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 1, 1),
    )
    with pytest.raises(IntegrityError, match="council_seat_local_in_region"), transaction.atomic():
        stray.save()


def test_the_database_refuses_a_seat_whose_region_is_not_its_council_s(council, cast):
    """Changing the repeated region to match the stray local branch does not get round the rule."""
    stray = CouncilSeat(
        council=council,
        region=cast.region_b,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_b1,
        person=_person(),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 1, 1),
    )
    with pytest.raises(IntegrityError, match="council_seat_council_in_region"), transaction.atomic():
        stray.save()


def test_a_term_ending_before_it_starts_is_refused(council, cast):
    with pytest.raises(ValidationError, match="must end after it starts"):
        _representative(council, cast.local_a1, date(2025, 5, 1), ends_on=date(2025, 4, 30))
    backwards = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.CHAIR,
        person=_person(),
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 5, 1),
    )
    with pytest.raises(ValidationError, match="must end after it starts"):
        save_or_explain(backwards)


def test_a_chair_speaks_for_no_local_branch(council, cast):
    seat = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.CHAIR,
        local_branch=cast.local_a1,
        person=_person(),
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError, match="the chair and the deputy chair do not"):
        save_or_explain(seat)


def test_a_decision_of_another_council_cannot_approve_a_seat(council, cast):
    other = services.council_for(cast.region_b)
    meeting = services.meeting_create(council=other, held_on=date(2025, 1, 1), agenda="Отчёт")
    seat = services.seat_appoint(council=other, role=SeatRole.CHAIR, person=_person(), starts_on=date(2024, 1, 1))
    services.attendance_record(meeting=meeting, present=[seat])
    decision = services.decision_record(meeting=meeting, number="1", text="Утвердить")
    with pytest.raises(ValidationError, match="taken by another council"):
        _representative(council, cast.local_a1, date(2025, 1, 1), decision=decision)
    stray = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.CHAIR,
        person=_person(),
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 1),
        decision=decision,
    )
    with pytest.raises(ValidationError, match="taken by another council"):
        save_or_explain(stray)


def test_reappointing_starts_the_new_term_the_day_the_old_one_ends(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    new = services.seat_reappoint(seat=seat, decision_number="12", decision_date=date(2025, 12, 20))
    assert (new.person, new.starts_on, new.ends_on) == (seat.person, date(2026, 1, 1), date(2027, 1, 1))
    assert new.decision_label == "№12 of 12/20/2025"  # English date order: the tests speak English


def test_reappointing_early_ends_the_old_term_that_day(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    new = services.seat_reappoint(seat=seat, starts_on=date(2025, 10, 1))
    seat.refresh_from_db()
    assert seat.ends_on == date(2025, 10, 1)
    assert new.ends_on == date(2026, 10, 1)


def test_ending_a_term_early_needs_a_reason_and_an_earlier_day(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="reason"):
        services.seat_end(seat=seat, ends_on=date(2025, 6, 1), reason=" ")
    with pytest.raises(ValidationError, match="before the term ends"):
        services.seat_end(seat=seat, ends_on=date(2026, 2, 1), reason="переезд")
    services.seat_end(seat=seat, ends_on=date(2025, 6, 1), reason="переезд")
    seat.refresh_from_db()
    assert (seat.ends_on, seat.end_reason) == (date(2025, 6, 1), "переезд")


# Meetings ---------------------------------------------------------------------


def test_a_decision_needs_more_than_half_of_the_filled_seats(council, cast):
    local_a3 = branch_services.local_branch_create(region=cast.region_a, name="Тындинское")
    seats = [_representative(council, local, date(2025, 1, 1)) for local in (cast.local_a1, cast.local_a2, local_a3)]
    seats.append(
        services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person(), starts_on=date(2025, 1, 1))
    )
    meeting = services.meeting_create(council=council, held_on=date(2025, 3, 1), agenda="Повестка")
    with pytest.raises(ValidationError, match="Record the attendance first"):
        services.decision_record(meeting=meeting, number="1", text="Решили")
    services.attendance_record(meeting=meeting, present=seats[:2])  # 2 of 4: exactly half
    with pytest.raises(ValidationError, match="No quorum: 2 of 4"):
        services.decision_record(meeting=meeting, number="1", text="Решили")
    services.attendance_record(meeting=meeting, present=seats[:3])
    decision = services.decision_record(meeting=meeting, number="1", text="Решили")
    assert decision.council == council
    meeting.refresh_from_db()
    assert (meeting.seats_filled, meeting.has_quorum) == (4, True)


def test_attendance_comes_from_the_seats_filled_on_the_day(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    meeting = services.meeting_create(council=council, held_on=date(2024, 12, 1), agenda="Повестка")
    with pytest.raises(ValidationError, match="did not hold a seat on the day"):
        services.attendance_record(meeting=meeting, present=[seat])


def test_attendance_is_fixed_once_decisions_are_taken(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    meeting = services.meeting_create(council=council, held_on=date(2025, 3, 1), agenda="Повестка")
    services.attendance_record(meeting=meeting, present=[seat])
    services.decision_record(meeting=meeting, number="1", text="Решили")
    with pytest.raises(ValidationError, match="can no longer change"):
        services.attendance_record(meeting=meeting, present=[])


def test_a_decision_number_is_unique_within_its_meeting(council, cast):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    meeting = services.meeting_create(council=council, held_on=date(2025, 3, 1), agenda="Повестка")
    services.attendance_record(meeting=meeting, present=[seat])
    services.decision_record(meeting=meeting, number="1", text="Решили")
    with pytest.raises(ValidationError, match="already recorded at the meeting"):
        services.decision_record(meeting=meeting, number="1", text="Ещё раз")


# Concurrency ------------------------------------------------------------------


def _race(action, people) -> list:
    """Run `action(person)` for each person at the same instant; "appointed" or the refusal's code."""
    outcomes = run_concurrently(action, people, expected_errors=(ValidationError,))
    return sorted(outcome.code if isinstance(outcome, ValidationError) else "appointed" for outcome in outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_appointments_to_one_seat_one_wins_the_other_is_told(cast):
    """Two staff members appoint a representative of the same local branch at the same moment."""
    council = services.council_for(cast.region_a)
    people = [_person(f"Кандидат{n}") for n in range(2)]

    def appoint(person):
        _representative(council, cast.local_a1, date(2025, 2, 1), person=person)

    assert _race(appoint, people) == ["appointed", "taken"]
    assert CouncilSeat.objects.filter(local_branch=cast.local_a1).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_that_skip_the_lock_still_hit_the_exclusion_constraint(cast):
    """Even without the service's lock and check, the database refuses the second chair."""
    council = services.council_for(cast.region_a)
    people = [_person(f"Обходчик{n}") for n in range(2)]

    def insert(person):
        seat = CouncilSeat(
            council=council,
            region=cast.region_a,
            role=SeatRole.CHAIR,
            person=person,
            starts_on=date(2025, 2, 1),
            ends_on=date(2030, 2, 1),
        )
        with transaction.atomic():
            save_or_explain(seat)

    # Refused by the exclusion constraint, or, when both inserts checked at once, by a
    # deadlock abort (exclusion checks wait on each other's uncommitted rows).
    outcomes = run_concurrently(insert, people, expected_errors=(ValidationError,))
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert getattr(refused[0], "code", None) == "council_seat_one_chair" or is_deadlock(refused[0])
    assert CouncilSeat.objects.filter(council=council, role=SeatRole.CHAIR).count() == 1
