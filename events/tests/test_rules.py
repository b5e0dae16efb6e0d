"""The expected list, answers, attendance and closing: the rules, the database's last word."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from branches import services as branch_services
from conftest import FROZEN_AT
from core.db import explain_violations
from events import services
from events.models import Answer, EventStatus, ExpectedPerson, Mark, MarkRecord, Source
from events.tests.conftest import make_event


def _lines(event):
    return {(line.primary_branch_id, line.person_id) for line in event.expected.active()}


def test_publishing_freezes_the_secretaries_and_lists_a_vacant_branch_as_vacant(cast, event):
    assert event.status == EventStatus.PUBLISHED
    assert _lines(event) == {(cast.branch_a.pk, cast.person("secretary").pk), (cast.branch_a2.pk, None)}
    vacant = event.expected.get(primary_branch=cast.branch_a2)
    assert vacant.is_vacant
    assert "vacant" in vacant.display_name


def test_an_event_of_a_local_branch_expects_only_its_branches(cast):
    event = make_event(cast, local_branch=cast.local_a2)
    assert _lines(event) == {(cast.branch_a2.pk, None)}


def test_only_secretaries_whose_term_covers_the_event_date_are_expected(cast):
    newcomer = branch_services.person_create(last_name="Новикова", first_name="Нина")
    day = (FROZEN_AT + timedelta(days=10)).date()
    branch_services.secretary_appoint(branch=cast.branch_a2, person=newcomer, starts_on=day)
    before = make_event(cast, starts_at=FROZEN_AT + timedelta(days=5))
    after = make_event(cast, starts_at=FROZEN_AT + timedelta(days=12))
    assert (cast.branch_a2.pk, None) in _lines(before)
    assert (cast.branch_a2.pk, newcomer.pk) in _lines(after)


def test_the_list_follows_a_secretary_change_between_publication_and_the_event_with_reasons(cast, event):
    successor = branch_services.person_create(last_name="Преемникова", first_name="Полина")
    newcomer = branch_services.person_create(last_name="Новикова", first_name="Нина")
    today = FROZEN_AT.date()
    branch_services.secretary_appoint(branch=cast.branch_a, person=successor, starts_on=today + timedelta(days=1))
    branch_services.secretary_appoint(branch=cast.branch_a2, person=newcomer, starts_on=today + timedelta(days=2))

    change = services.event_expected_reconcile(event=event)

    assert change == services.ListChange(added=2, removed=2)
    assert _lines(event) == {(cast.branch_a.pk, successor.pk), (cast.branch_a2.pk, newcomer.pk)}
    gone = {line.display_name: line.removed_reason for line in event.expected.filter(removed_at__isnull=False)}
    assert gone[cast.person("secretary").full_name] == "Another secretary was appointed."
    assert any("appointed" in reason for name, reason in gone.items() if "vacant" in name)
    assert event.expected.get(person=successor).reason == "Secretary since publication."
    # Running it again changes nothing.
    assert services.event_expected_reconcile(event=event) == services.ListChange(0, 0)


def test_an_event_that_has_started_keeps_its_list(cast, event):
    branch_services.position_end(
        position=cast.person("secretary").positions.get(), ends_on=FROZEN_AT.date() + timedelta(days=1)
    )
    with time_machine.travel(event.starts_at + timedelta(minutes=5)):
        assert services.event_expected_reconcile(event=event) == services.ListChange(0, 0)
    assert (cast.branch_a.pk, cast.person("secretary").pk) in _lines(event)


def test_a_person_is_on_a_list_only_once(cast, event):
    with pytest.raises(ValidationError, match="already on the event"):
        services.expected_add(event=event, person=cast.person("secretary"), reason="Докладчик")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpectedPerson.objects.create(event=event, person=cast.person("secretary"), source=Source.HAND, reason="x")


def test_people_added_by_hand_need_a_reason_and_are_told(cast, event):
    line = services.expected_add(event=event, person=cast.person("host"), reason="Докладчик")
    assert line.source == Source.HAND
    with pytest.raises(ValidationError, match="Say why"):
        services.expected_add(event=event, person=cast.person("juror"), reason="")
    keys = {row.key for row in services.event_reminders_wanted(event)}
    assert f"event.{event.pk}.published.{cast.person('host').pk}" in keys


def test_an_answer_cannot_needs_a_reason(cast, event):
    line = event.expected.get(person=cast.person("secretary"))
    with pytest.raises(ValidationError, match="why you cannot"):
        services.answer_give(line=line, answer=Answer.CANNOT)
    line = services.answer_give(line=line, answer=Answer.CANNOT, cannot_reason="illness")
    assert line.answer == Answer.CANNOT


def test_answers_close_when_the_event_starts(cast, event):
    line = event.expected.get(person=cast.person("secretary"))
    with time_machine.travel(event.starts_at), pytest.raises(ValidationError, match="until the event starts"):
        services.answer_give(line=line, answer=Answer.WILL_COME)


def test_an_event_ends_after_it_starts(cast):
    with pytest.raises(ValidationError, match="end after it starts"):
        services.event_create(
            region=cast.region_a,
            organiser=cast.person("staff_a"),
            title="x",
            starts_at=FROZEN_AT + timedelta(days=1),
            ends_at=FROZEN_AT + timedelta(days=1),
            place="здесь",
        )


def test_an_event_belongs_to_one_unit(cast, event):
    from events.models import Event

    with pytest.raises(ValidationError, match="one unit"), explain_violations():
        Event.objects.filter(pk=event.pk).update(local_branch=None, primary_branch=cast.branch_a)


def test_attendance_is_marked_after_the_start_and_recorded(cast, event):
    line = event.expected.get(person=cast.person("secretary"))
    with pytest.raises(ValidationError, match="started"):
        services.attendance_mark(event=event, marks={line.pk: Mark.CAME}, by=cast.person("staff_a"))
    with time_machine.travel(event.starts_at + timedelta(minutes=10)):
        assert services.attendance_mark(event=event, marks={line.pk: Mark.CAME}, by=cast.person("staff_a")) == 1
        assert services.attendance_mark(event=event, marks={line.pk: Mark.CAME}, by=cast.person("staff_a")) == 0
    line.refresh_from_db()
    event.refresh_from_db()
    assert line.mark == Mark.CAME
    assert event.status == EventStatus.HELD
    assert MarkRecord.objects.filter(expected=line).count() == 1


def test_the_database_refuses_attendance_on_a_cancelled_event(cast, event):
    services.event_cancel(event=event, reason="Карантин")
    line = event.expected.get(person=cast.person("secretary"))
    with pytest.raises(ValidationError, match="cancelled or closed"), services.marks_explained():
        ExpectedPerson.objects.filter(pk=line.pk).update(mark=Mark.CAME)
    with pytest.raises(ValidationError, match="cancelled or closed"):
        services.attendance_mark(event=event, marks={line.pk: Mark.CAME}, by=None)


def test_closing_needs_every_expected_person_marked_and_a_report(cast, event):
    line = event.expected.get(person=cast.person("secretary"))
    with time_machine.travel(event.ends_at + timedelta(hours=1)):
        with pytest.raises(ValidationError, match="1 not marked"):
            services.event_close(event=event, report="Прошло")
        services.attendance_mark(event=event, marks={line.pk: Mark.EXCUSED}, by=cast.person("staff_a"))
        with pytest.raises(ValidationError, match="short report"):
            services.event_close(event=event, report="  ")
        closed = services.event_close(event=event, report="Обсудили итоги.")
    assert closed.status == EventStatus.CLOSED


def test_a_cancelled_event_needs_a_reason(cast, event):
    with pytest.raises(ValidationError, match="needs a reason"):
        services.event_cancel(event=event, reason="")


def test_walk_ins_are_recorded_as_came(cast, event):
    with time_machine.travel(event.starts_at + timedelta(minutes=1)):
        line = services.walk_in_record(event=event, by=cast.person("staff_a"), name="Гость Иванов")
    assert (line.source, line.mark) == (Source.WALK_IN, Mark.CAME)


def test_the_calendar_file_keeps_its_uid_and_raises_its_sequence(cast, event):
    from events.calendars import event_ics, event_uid

    first = event_ics(event).decode()
    assert f"UID:{event_uid(event)}" in first
    assert "SEQUENCE:0" in first
    event = services.event_update(event=event, place="Дом культуры")
    second = event_ics(event).decode()
    assert f"UID:{event_uid(event)}" in second
    assert "SEQUENCE:1" in second
    event = services.event_cancel(event=event, reason="Карантин")
    third = event_ics(event).decode()
    assert "SEQUENCE:2" in third
    assert "METHOD:CANCEL" in third


def test_a_local_branch_proposes_and_staff_approve(cast):
    event = make_event(cast, published=False, local_branch=cast.local_a1)
    event = services.event_propose(event=event)
    assert event.status == EventStatus.PROPOSED
    event = services.event_publish(event=event)
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None


def test_start_of_term_boundary(cast):
    """A secretary whose term ends on the event's date (the first day no longer held) is not expected."""
    position = cast.person("secretary").positions.get()
    branch_services.position_end(position=position, ends_on=date(2026, 9, 21))
    event = make_event(cast, starts_at=FROZEN_AT + timedelta(days=5))  # 21 September in Amur
    assert (cast.branch_a.pk, None) in _lines(event)
