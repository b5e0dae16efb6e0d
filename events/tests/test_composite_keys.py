"""An event's local branch lies in its region, its primary branch in its local branch: composite keys."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from branches import services as branch_services
from conftest import FROZEN_AT
from core.db import save_or_explain
from core.testing import run_concurrently
from events import services
from events.models import Event
from events.tests.conftest import make_event


def _event(cast, **units):
    starts_at = FROZEN_AT + timedelta(days=5)
    return Event(
        organiser=cast.person("staff_a"),
        title="Собрание",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        place="Благовещенск",
        **units,
    )


def test_a_local_branch_of_another_region_is_refused_with_a_message(cast):
    with pytest.raises(ValidationError, match="another region"):
        save_or_explain(_event(cast, region=cast.region_a, local_branch=cast.local_b1))


def test_a_primary_branch_of_another_local_branch_is_refused_with_a_message(cast):
    event = _event(cast, region=cast.region_a, local_branch=cast.local_a1, primary_branch=cast.branch_a2)
    with pytest.raises(ValidationError, match="another local branch"):
        save_or_explain(event)


def test_the_database_refuses_moving_an_event_to_another_region(cast):
    event = make_event(cast, local_branch=cast.local_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(region=cast.region_b)


@pytest.mark.django_db(transaction=True)
def test_an_event_created_while_its_local_branch_moves_region_stays_consistent(cast):
    """One of the two wins: either the branch moves and the event is refused, or the event is
    created and the move is refused; never an event whose local branch lies in another region."""
    lonely = branch_services.local_branch_create(region=cast.region_a, name="Тындинское районное")

    def act(which):
        if which == "create":
            starts_at = FROZEN_AT + timedelta(days=5)
            return services.event_create(
                region=cast.region_a,
                local_branch=lonely,
                organiser=cast.person("staff_a"),
                title="Собрание",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                place="Тында",
            )
        with transaction.atomic(), connection.cursor() as cursor:
            move = "UPDATE branches_localbranch SET region_id = %s WHERE id = %s"
            cursor.execute(move, [cast.region_b.pk, lonely.pk])
        return "moved"

    outcomes = run_concurrently(act, ["create", "move"])
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ValidationError | IntegrityError)
    inconsistent = Event.objects.exclude(local_branch__isnull=True).exclude(local_branch__region_id=F("region_id"))
    assert not inconsistent.exists()
