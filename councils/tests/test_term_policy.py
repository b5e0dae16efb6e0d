"""A term longer than the council's policy is refused, or accepted with a recorded reason shown on the council page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from branches import services as branch_services
from core.db import save_or_explain
from councils import services
from councils.models import CouncilSeat, SeatRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(cast):
    return services.council_for(cast.region_a)


def _person(name="Долгосрочный"):
    return branch_services.person_create(last_name=name, first_name="Иван")


def test_a_representative_for_two_years_is_refused_naming_the_policy_end(council, cast):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.seat_appoint(
            council=council,
            role=SeatRole.REPRESENTATIVE,
            local_branch=cast.local_a1,
            person=_person(),
            starts_on=date(2025, 9, 1),
            ends_on=date(2027, 9, 1),
        )
    assert error.value.code == "council_seat_term_within_policy"
    assert "ends on 09/01/2026" in error.value.messages[0]


def test_a_longer_term_with_a_reason_is_kept_and_shown_on_the_council_page(council, cast, client_for):
    seat = services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_a1,
        person=_person(),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 9, 1),
        long_term_reason="Решение конференции о переходном периоде",
    )
    assert seat.long_term_reason
    page = client_for("staff_a").get(reverse("councils:council", args=[cast.region_a.pk])).content.decode()
    assert "дольше нормы: Решение конференции о переходном периоде" in page
    detail = client_for("staff_a").get(reverse("councils:seat", args=[seat.pk])).content.decode()
    assert "Решение конференции о переходном периоде" in detail


def test_a_reason_given_for_a_term_within_the_policy_is_not_kept(council, cast):
    seat = services.seat_appoint(
        council=council,
        role=SeatRole.CHAIR,
        person=_person(),
        starts_on=date(2025, 1, 1),
        long_term_reason="не нужна",
    )
    assert (seat.ends_on, seat.long_term_reason) == (date(2030, 1, 1), "")


def test_the_database_refuses_a_longer_term_without_a_reason_bypassing_the_service(council, cast):
    seat = CouncilSeat(
        council=council,
        region=cast.region_a,
        role=SeatRole.CHAIR,
        person=_person(),
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 2),  # five years and a day
    )
    with translation.override("en"), pytest.raises(ValidationError, match="longer than the council's policy"):
        save_or_explain(seat)
    seat.ends_on = date(2030, 1, 1)
    save_or_explain(seat)  # exactly five years


def test_the_database_counts_a_term_from_29_february_as_the_service_does(council, cast):
    def chair(ends_on, name):
        return CouncilSeat(
            council=council,
            region=cast.region_a,
            role=SeatRole.CHAIR,
            person=_person(name),
            starts_on=date(2024, 2, 29),
            ends_on=ends_on,
        )

    assert services.add_years(date(2024, 2, 29), 5) == date(2029, 3, 1)
    with pytest.raises(ValidationError):
        save_or_explain(chair(date(2029, 3, 2), "Високосный"))
    save_or_explain(chair(date(2029, 3, 1), "Високосная"))


def test_a_policy_of_two_years_allows_a_two_year_representative(council, cast):
    services.policy_update(
        council=council, applies_from=date(2025, 1, 1), representative_years=2, chair_years=5, deputy_chair_years=5
    )
    seat = services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_a1,
        person=_person(),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 9, 1),
    )
    assert seat.long_term_reason == ""


def test_the_appointment_form_asks_for_the_reason(council, cast, client_for):
    url = reverse("councils:seat_appoint", args=[cast.region_a.pk])
    data = {
        "role": SeatRole.REPRESENTATIVE,
        "local_branch": cast.local_a2.pk,
        "last_name": "Формов",
        "first_name": "Фёдор",
        "starts_on": "2025-09-01",
        "ends_on": "2027-09-01",
    }
    client = client_for("staff_a")
    refused = client.post(url, data).content.decode()
    assert "По положению совета" in refused
    assert not CouncilSeat.objects.filter(person__last_name="Формов").exists()
    accepted = client.post(url, {**data, "long_term_reason": "Решение №5"})
    assert accepted.status_code == 302
    assert CouncilSeat.objects.get(person__last_name="Формов").long_term_reason == "Решение №5"
