"""The reserve's rules, held by the database.

One active nomination, allowed moves, a final promotion, frozen snapshots.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction

from core.testing import is_deadlock, run_concurrently
from reserve import services
from reserve.models import Nomination, Snapshot, Status
from reserve.tests.conftest import nominated, regional_pool

pytestmark = pytest.mark.django_db


def _include(nomination, ref="Протокол № 7"):
    return services.nomination_decide(
        nomination=nomination, version=nomination.version, status=Status.INCLUDED, by=None, decision_ref=ref
    )


def test_a_second_active_nomination_to_the_same_pool_is_refused(cast, pool):
    nominated(cast, pool)
    with pytest.raises(ValidationError) as refused:
        nominated(cast, pool)
    assert refused.value.code == "reserve_one_active_nomination"


def test_a_person_withdrawn_can_be_nominated_again(cast, pool):
    first = nominated(cast, pool)
    services.nomination_decide(
        nomination=first, version=1, status=Status.WITHDRAWN, by=None, decision_ref="Заявление от 01.09"
    )
    assert nominated(cast, pool).status == Status.NOMINATED


@pytest.mark.django_db(transaction=True)
def test_two_staff_nominating_one_person_at_once_make_one_nomination(cast):
    pool = regional_pool(cast)

    def nominate(_n):
        nominated(cast, pool)
        return "nominated"

    outcomes = run_concurrently(nominate, [1, 2, 3], expected_errors=(ValidationError,))
    assert outcomes.count("nominated") == 1
    for refused in (o for o in outcomes if o != "nominated"):
        assert is_deadlock(refused) or refused.code == "reserve_one_active_nomination"
    assert Nomination.objects.filter(pool=pool).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_one_version_at_once_one_wins_the_other_is_told(cast):
    nomination = nominated(cast)

    def decide(status):
        services.nomination_decide(
            nomination=nomination,
            version=1,
            status=status,
            by=None,
            decision_ref="Протокол № 8",
            reason="Переехал" if status == Status.EXCLUDED else "",
        )
        return "decided"

    outcomes = run_concurrently(decide, [Status.INCLUDED, Status.EXCLUDED], expected_errors=(ValidationError,))
    assert outcomes.count("decided") == 1
    refused = next(o for o in outcomes if o != "decided")
    assert refused.code == "stale"
    assert "уже принял решение" in str(refused.messages[0])
    assert Snapshot.objects.filter(nomination=nomination).count() == 2


def test_a_decision_needs_its_reference(cast):
    nomination = nominated(cast)
    with pytest.raises(ValidationError) as refused:
        _include(nomination, ref="")
    assert refused.value.code == "reserve_decision_has_reference"


def test_an_exclusion_needs_a_reason(cast):
    nomination = nominated(cast)
    with pytest.raises(ValidationError) as refused:
        services.nomination_decide(
            nomination=nomination, version=1, status=Status.EXCLUDED, by=None, decision_ref="Протокол № 9"
        )
    assert refused.value.code == "reserve_exclusion_has_reason"


def test_the_database_refuses_a_move_the_design_does_not_allow(cast):
    nomination = nominated(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=nomination.pk).update(
            status=Status.PROMOTED, decision_ref="x", decided_at=nomination.created_at
        )


def test_a_promoted_nomination_is_final(cast):
    nomination = _include(nominated(cast))
    promoted = services.nomination_decide(
        nomination=nomination, version=2, status=Status.PROMOTED, by=None, decision_ref="Приказ № 1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=promoted.pk).update(readiness="later")
    with pytest.raises(ValidationError) as refused:
        services.nomination_decide(
            nomination=promoted, version=3, status=Status.EXCLUDED, by=None, decision_ref="x", reason="y"
        )
    assert refused.value.code == "reserve_status_moves"


def test_snapshots_never_change(cast):
    nomination = nominated(cast)
    snapshot = nomination.snapshots.get()
    with pytest.raises(InternalError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(record={})
    with pytest.raises(InternalError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).delete()


def test_nobody_is_nominated_to_a_closed_pool(cast, pool):
    services.pool_update(pool=pool, is_open=False)
    with pytest.raises(ValidationError) as refused:
        nominated(cast, pool)
    assert refused.value.code == "reserve_pool_closed"
