"""Two phones at one event, and a cancellation racing a mark: what the database decides."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.testing import run_concurrently
from events import services
from events.models import EventStatus, ExpectedPerson, Mark, MarkRecord
from events.tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.real_clock
def test_two_phones_marking_one_person_converge_on_one_mark_and_both_are_recorded(cast):
    from django.utils import timezone

    event = make_event(cast, starts_at=timezone.now() + timedelta(minutes=1))
    line = event.expected.get(person=cast.person("secretary"))
    with time_machine.travel(event.starts_at + timedelta(minutes=5)):
        outcomes = run_concurrently(
            lambda mark: services.attendance_mark(event=event, marks={line.pk: mark}, by=cast.person("staff_a")),
            [Mark.CAME, Mark.EXCUSED],
        )
    assert sorted(outcomes) == [1, 1]
    records = list(MarkRecord.objects.filter(expected=line).order_by("pk").values_list("mark", flat=True))
    assert sorted(records) == [Mark.CAME, Mark.EXCUSED]
    line.refresh_from_db()
    assert line.mark == records[-1]  # the later mark wins


@pytest.mark.real_clock
def test_a_mark_racing_a_cancellation_never_lands_on_a_cancelled_event(cast):
    from django.utils import timezone

    event = make_event(cast, starts_at=timezone.now() + timedelta(minutes=1))
    line = event.expected.get(person=cast.person("secretary"))

    def act(what):
        if what == "cancel":
            return services.event_cancel(event=event, reason="Погода")
        return services.attendance_mark(event=event, marks={line.pk: Mark.CAME}, by=None)

    with time_machine.travel(event.starts_at + timedelta(minutes=5)):
        outcomes = run_concurrently(act, ["cancel", "mark"], expected_errors=(ValidationError,))
    event.refresh_from_db()
    line = ExpectedPerson.objects.get(pk=line.pk)
    if event.status == EventStatus.CANCELLED:
        assert line.mark == ""
        assert any(isinstance(outcome, ValidationError) for outcome in outcomes)
    else:  # the mark came first: the event is held and can no longer be cancelled
        assert line.mark == Mark.CAME
        assert event.status == EventStatus.HELD
