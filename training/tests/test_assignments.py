"""Assignment by post: taking up a required post assigns, leaving it closes, the catch-up is idempotent."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from branches import services as branches
from core.testing import run_concurrently
from training import services
from training.models import AssignmentStatus, CourseAssignment
from training.tests.factories import course, secretary_assignment

pytestmark = pytest.mark.django_db


def test_appointing_a_secretary_assigns_the_course_due_after_the_days_allowed(cast):
    the_course = course(days_allowed=90)
    person = branches.person_create(last_name="Новикова", first_name="Нина")
    today = timezone.localdate()
    branches.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=today)
    assignment = CourseAssignment.objects.get(person=person)
    assert assignment.course == the_course
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert assignment.due_on == today + timedelta(days=90)
    assert assignment.region == cast.region_a


def test_a_post_the_course_does_not_require_assigns_nothing(cast):
    course()
    person = branches.person_create(last_name="Штатный", first_name="Иван")
    branches.position_create(person=person, role="regional_staff", region=cast.region_a, starts_on=date(2026, 1, 1))
    assert not CourseAssignment.objects.filter(person=person).exists()


def test_ending_the_post_before_completion_closes_the_assignment_as_left_the_post(cast):
    assignment = secretary_assignment(cast)
    position = assignment.position
    branches.position_end(position=position, ends_on=timezone.localdate(), reason="ушла")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.LEFT_POST
    assert assignment.closed_on == timezone.localdate()


def test_a_replacement_closes_the_old_secretarys_course_and_assigns_the_new_one(cast):
    old = secretary_assignment(cast)
    newcomer = branches.person_create(last_name="Сменщица", first_name="Ольга")
    branches.secretary_appoint(branch=cast.branch_a, person=newcomer, starts_on=timezone.localdate())
    old.refresh_from_db()
    assert old.status == AssignmentStatus.LEFT_POST
    assert CourseAssignment.objects.open().filter(person=newcomer).count() == 1


def test_the_catch_up_assigns_everyone_in_post_once(cast):
    course()
    first = services.assignments_sync()
    second = services.assignments_sync()
    assert first["assigned"] == 1  # the cast's one secretary
    assert second == {"assigned": 0, "closed": 0}
    assignment = CourseAssignment.objects.get(person=cast.person("secretary"))
    assert assignment.due_on == timezone.localdate() + timedelta(days=90)  # nobody starts overdue


def test_a_person_with_a_valid_completion_is_not_assigned_again(cast):
    assignment = secretary_assignment(cast)
    CourseAssignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.COMPLETED, completed_at=timezone.now(), closed_on=timezone.localdate()
    )
    # The secretary moves to another branch: a new required post, the same course still valid.
    branches.position_end(position=assignment.position, ends_on=timezone.localdate(), reason="перевод")
    branches.secretary_appoint(branch=cast.branch_a2, person=cast.person("secretary"), starts_on=timezone.localdate())
    assert CourseAssignment.objects.filter(person=cast.person("secretary")).count() == 1


def test_an_expired_completion_is_assigned_again(cast):
    assignment = secretary_assignment(cast)
    assignment.course.validity_months = 12
    assignment.course.save()
    CourseAssignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.COMPLETED,
        completed_at=timezone.now() - timedelta(days=400),
        closed_on=timezone.localdate(),
    )
    assert services.assignments_sync()["assigned"] == 1


def test_a_waiver_needs_a_reason_in_the_database(cast):
    assignment = secretary_assignment(cast)
    with pytest.raises(IntegrityError, match="assignment_waiver_has_reason"), transaction.atomic():
        CourseAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.WAIVED)
    with pytest.raises(ValidationError, match="причина"):
        services.assignment_waive(assignment=assignment, reason="   ", actor=cast.user("staff_a"))
    services.assignment_waive(assignment=assignment, reason="по болезни", actor=cast.user("staff_a"))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WAIVED


def test_two_open_assignments_of_one_course_are_refused_by_the_database(cast):
    assignment = secretary_assignment(cast)
    with pytest.raises(IntegrityError, match="assignment_one_open_per_person_course"), transaction.atomic():
        CourseAssignment.objects.create(
            person=assignment.person,
            course=assignment.course,
            assigned_on=assignment.assigned_on,
            due_on=assignment.due_on,
        )


def test_overdue_is_derived_from_the_due_date(cast, time_machine):
    assignment = secretary_assignment(cast)
    assert not CourseAssignment.objects.overdue().exists()
    time_machine.move_to(timezone.now() + timedelta(days=91))
    assert list(CourseAssignment.objects.overdue()) == [assignment]


@pytest.mark.django_db(transaction=True)
def test_two_catch_ups_at_once_leave_one_open_assignment(cast):
    course()
    outcomes = run_concurrently(lambda _n: services.assignments_sync(), [1, 2, 3, 4])
    assert all(isinstance(outcome, dict) for outcome in outcomes), outcomes
    assert CourseAssignment.objects.open().filter(person=cast.person("secretary")).count() == 1
