from datetime import date

import pytest

from branches import services as branch_services
from mentorship import services

PROGRAMME_START = date(2026, 1, 1)
PROGRAMME_END = date(2026, 12, 31)
PAIR_START = date(2026, 9, 1)  # a fortnight before conftest's FROZEN_AT (16 September 2026)


def running_programme(region, **extra):
    programme = services.programme_create(
        region=region,
        title=extra.pop("title", "Наставничество 2026"),
        year=2026,
        starts_on=PROGRAMME_START,
        ends_on=PROGRAMME_END,
        **extra,
    )
    services.programme_advance(programme=programme)
    return services.programme_advance(programme=programme)


def branch_with_secretary(local_branch, number, name, *, members=20, user=None):
    branch = branch_services.branch_create(
        local_branch=local_branch, number=number, name=name, settlement="Благовещенск", members_count=members
    )
    person = branch_services.person_create(last_name=f"Секретарь{number}", first_name="Пётр", user=user)
    branch_services.secretary_appoint(branch=branch, person=person, starts_on=date(2020, 1, 1))
    return branch


@pytest.fixture
def programme(cast):
    return running_programme(cast.region_a)


@pytest.fixture
def mentee(cast):
    """Branch №2 «Заречная» of region A, with a secretary of its own."""
    person = branch_services.person_create(last_name="Заречнова", first_name="Зоя")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=date(2020, 1, 1))
    return cast.branch_a2


def active_pair(programme, mentor, mentee, starts_on=PAIR_START, **extra):
    pair = services.pair_propose(
        programme=programme, mentor_branch=mentor, mentee_branch=mentee, starts_on=starts_on, **extra
    )
    return services.pair_accept(pair=pair)
