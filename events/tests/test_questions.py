"""Questions to a head's meeting: asked by a branch, grouped, answered back to the branch."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches import services as branch_services
from events import services
from events.tests.conftest import make_event, make_question


def test_a_branch_asks_and_the_answer_goes_to_its_group(cast):
    question = make_question(cast)
    event = question.event
    second_secretary = branch_services.person_create(last_name="Вторая", first_name="Вера")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=second_secretary, starts_on=date(2024, 1, 1))
    services.event_expected_reconcile(event=event)
    duplicate = services.question_ask(line=event.expected.get(person=second_secretary), text="Дорога в Заречный?")
    services.question_answer(question=duplicate, duplicate_of=question)
    answered = services.question_answer(question=question, selected=True, answer="Ремонт в мае.")
    duplicate.refresh_from_db()
    assert answered.selected
    assert (answered.answer, duplicate.answer) == ("Ремонт в мае.", "Ремонт в мае.")


def test_questions_close_when_the_meeting_starts(cast):
    event = make_event(cast, kind="head_meeting")
    line = event.expected.get(person=cast.person("secretary"))
    with time_machine.travel(event.starts_at), pytest.raises(ValidationError, match="until the meeting starts"):
        services.question_ask(line=line, text="Поздно?")


def test_the_page_shows_the_questions_to_the_organiser_and_own_to_the_asker(cast, client_for):
    question = make_question(cast)
    staff_page = client_for("staff_a").get(question.event.get_absolute_url()).content.decode()
    assert question.text in staff_page
    assert reverse("events:question_answer", args=[question.pk]) in staff_page
    own_page = client_for("secretary").get(question.event.get_absolute_url()).content.decode()
    assert question.text in own_page
    assert reverse("events:question_answer", args=[question.pk]) not in own_page


def test_an_answer_cannot_be_recorded_without_text(cast):
    from events.models import Question

    question = make_question(cast)
    from core.db import explain_violations

    with pytest.raises(ValidationError, match="Write the answer"), explain_violations():
        Question.objects.filter(pk=question.pk).update(answered_at=question.created_at + timedelta(days=1))


def test_a_question_becomes_an_assignment_of_its_owner_once(cast):
    from assignments.models import Assignment

    question = make_question(cast)
    due = date(2026, 12, 1)
    directive = services.question_assign(
        question=question,
        owner=cast.person("staff_a"),
        title="Узнать сроки ремонта дороги",
        due_on=due,
        by=cast.person("staff_a"),
    )
    assignment = Assignment.objects.get(directive=directive)
    assert (assignment.person, assignment.due_on, assignment.region) == (cast.person("staff_a"), due, cast.region_a)
    assert directive.source_url == question.event.get_absolute_url()
    with pytest.raises(ValidationError, match="already an assignment"):
        services.question_assign(question=question, owner=cast.person("staff_a"), title="Ещё раз", due_on=due, by=None)


def test_the_organiser_makes_an_assignment_from_the_question_page(cast, client_for):
    question = make_question(cast)
    client = client_for("staff_a")
    url = reverse("events:question_assign", args=[question.pk])
    response = client.post(
        url, {"owner": cast.person("staff_a").pk, "title": "Узнать сроки ремонта", "due_on": "2026-12-01"}
    )
    assert response.status_code == 302
    page = client.get(question.event.get_absolute_url()).content.decode()
    assert 'data-testid="assignment-link"' in page
