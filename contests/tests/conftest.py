"""A contest of the cast's region A (Amur) and a clock to walk it through its stages.

The dates lie in the year after the suite's frozen "now" (conftest.FROZEN_AT). Every
step is taken through the services, as the pages take them.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import time_machine

from branches import services as branch_services
from branches.models import Role
from conftest import FROZEN_AT
from contests import services
from contests.models import Contest, Criterion, Level, Method, Nomination, Theme

YEAR = FROZEN_AT.year + 1
DATES = {
    "entries_open_on": date(YEAR, 3, 1),
    "entries_close_on": date(YEAR, 3, 15),
    "judging_close_on": date(YEAR, 4, 10),
    "results_on": date(YEAR, 4, 15),
}
BEFORE_OPENING = date(YEAR, 2, 20)
ACCEPTING = date(YEAR, 3, 5)
JUDGING = date(YEAR, 3, 20)
RESULTS = date(YEAR, 4, 16)
NEXT_YEAR = date(YEAR + 1, 1, 2)


def at(day: date) -> datetime:
    """03:00 UTC: the same calendar day in Moscow (06:00) and in Amur (12:00)."""
    return datetime.combine(day, time(3), tzinfo=UTC)


class Clock:
    def __init__(self, traveller):
        self.traveller = traveller

    def go(self, day: date) -> None:
        self.traveller.move_to(at(day))


@pytest.fixture
def clock():
    """Frozen time, starting before the contest opens; `clock.go(day)` moves it."""
    with time_machine.travel(at(BEFORE_OPENING), tick=False) as traveller:
        yield Clock(traveller)


@dataclass
class World:
    """The Amur regional stage and shortcuts through its life, all through services."""

    cast: object
    clock: Clock
    contest: Contest

    def nomination(self, theme: str = Theme.MENTORING) -> Nomination:
        return self.contest.nominations.get(theme=theme)

    def criteria(self) -> list[Criterion]:
        return list(self.contest.criteria.all())

    def open(self):
        self.clock.go(ACCEPTING)
        self.contest = services.contest_open(actor=self.cast.user("staff_a"), contest=self.contest)
        return self.contest

    def enter(self, *, branch=None, theme=Theme.MENTORING, title="Наставничество", submit=True, role="secretary"):
        branch = branch or self.cast.branch_a
        entry = services.entry_create(
            actor=self.cast.user(role),
            contest=self.contest,
            branch=branch,
            nomination=self.nomination(theme),
            title=title,
            practice="Опытные секретари помогают новым.",
            activists_involved=5,
        )
        if submit:
            entry = services.entry_submit(actor=self.cast.user(role), entry=entry)
        return entry

    def assign(self, role="juror", *, themes=(Theme.MENTORING,), home=None):
        return services.juror_assign(
            actor=self.cast.user("staff_a"),
            contest=self.contest,
            person=self.cast.person(role),
            nominations=[self.nomination(theme) for theme in themes],
            home_local_branch=home,
        )

    def start_judging(self):
        self.clock.go(JUDGING)
        self.contest = services.contest_start_judging(actor=self.cast.user("staff_a"), contest=self.contest)
        return self.contest

    def score(self, juror, entry, values, role="juror"):
        sheet = {criterion.pk: (value, "") for criterion, value in zip(self.criteria(), values, strict=True)}
        return services.score_sheet_save(actor=self.cast.user(role), juror=juror, entry=entry, scores=sheet)

    def publish(self):
        self.clock.go(RESULTS)
        self.contest = services.contest_publish(actor=self.cast.user("staff_a"), contest=self.contest)
        return self.contest


@pytest.fixture
def world(cast, clock):
    """A draft regional stage of Amur, created by its regional staff, with the default rubric."""
    contest = services.contest_create(
        actor=cast.user("staff_a"), year=YEAR, level=Level.REGIONAL, region=cast.region_a, method=Method.MEAN, **DATES
    )
    return World(cast, clock, contest)


@pytest.fixture
def second_secretary(cast):
    """A login for the secretary of branch_a2 (vacant in the cast), in local branch A2."""
    from django.contrib.auth import get_user_model

    from conftest import _password_hash

    user = get_user_model().objects.create(username="secretary-2", password=_password_hash(), last_name="Вторая")
    person = branch_services.person_create(last_name="Вторая", first_name="Вера", user=user, email="v@example.org")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=date(2020, 1, 1))
    cast.users["secretary_2"], cast.people["secretary_2"] = user, person
    return user


@pytest.fixture
def second_juror(cast):
    """A second juror with a login and no position."""
    from django.contrib.auth import get_user_model

    from conftest import _password_hash

    user = get_user_model().objects.create(username="juror-2", password=_password_hash(), last_name="Второй")
    person = branch_services.person_create(last_name="Второй", first_name="Юрий", user=user)
    cast.users["juror_2"], cast.people["juror_2"] = user, person
    return user


def give_local_position(cast, role: str, local_branch) -> None:
    """Give a cast member a position in a local branch (a juror who heads one, say)."""
    branch_services.position_create(
        person=cast.person(role), role=Role.LOCAL_HEAD, local_branch=local_branch, starts_on=date(2020, 1, 1)
    )


@pytest.fixture
def entrant(cast):
    """Make a new branch of region A with a secretary who can log in: `entrant("sec-3", 3)` → the branch."""
    from django.contrib.auth import get_user_model

    from conftest import _password_hash

    def make(username: str, number: int, *, local_branch=None):
        branch = branch_services.branch_create(
            local_branch=local_branch or cast.local_a2, number=number, name=f"Ветка {number}", members_count=10
        )
        user = get_user_model().objects.create(username=username, password=_password_hash(), last_name=username)
        person = branch_services.person_create(last_name=username, first_name="Секретарь", user=user)
        branch_services.secretary_appoint(branch=branch, person=person, starts_on=date(2020, 1, 1))
        cast.users[username], cast.people[username] = user, person
        return branch

    return make
