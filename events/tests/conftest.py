from datetime import UTC, datetime, timedelta

import pytest

from conftest import FROZEN_AT


def make_event(
    cast, *, published=True, local_branch=None, starts_at=None, title="Отчётное собрание секретарей", kind="party_event"
):
    from events import services

    starts_at = starts_at or FROZEN_AT + timedelta(days=5)
    event = services.event_create(
        region=cast.region_a,
        local_branch=local_branch,
        organiser=cast.person("staff_a"),
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="Благовещенск, ул. Ленина, 100",
    )
    if published:
        event = services.event_publish(event=event)
    return event


@pytest.fixture
def event(cast):
    """A published event of the whole Amur region in five days: the secretary and vacant №2 expected."""
    return make_event(cast)


@pytest.fixture
def draft(cast):
    return make_event(cast, published=False, title="Черновик")


START = datetime(2026, 9, 21, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language; these tests read their English messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


def make_question(cast, event=None):
    from events import services

    event = event or make_event(cast, kind="head_meeting", title="Встреча с активом")
    line = event.expected.get(person=cast.person("secretary"))
    return services.question_ask(line=line, text="Когда отремонтируют дорогу в Заречный?")


def make_nominating_meeting(cast, *, per_local_branch=2, due=None, publish=True):
    """A head's meeting of region A in five days; each local branch nominates up to N activists."""
    from events import services

    event = make_event(cast, published=False, kind="head_meeting", title="Встреча главы региона с активом")
    services.invitation_set(
        event=event,
        rule="nominated",
        per_local_branch=per_local_branch,
        nominations_due=due or event.starts_at - timedelta(days=2),
    )
    if publish:
        event = services.event_publish(event=event)
    return event


def local_secretary(cast, local_branch, last_name="Местная"):
    """A secretary of a local branch (not in the cast): the one who nominates its activists."""
    from branches import services as branch_services
    from branches.models import Role
    from conftest import TERM_START

    person = branch_services.person_create(last_name=last_name, first_name="Людмила")
    branch_services.position_create(
        person=person,
        role=Role.LOCAL_SECRETARY,
        region=local_branch.region,
        local_branch=local_branch,
        starts_on=TERM_START,
    )
    return person
