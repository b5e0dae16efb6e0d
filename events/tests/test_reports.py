"""Attendance per primary branch of a local branch, and the national report, furthest behind first."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from branches import services as branch_services
from conftest import FROZEN_AT
from events import selectors, services
from events.models import Mark
from events.tests.conftest import make_event


def _held(cast, marks: dict):
    """A region-wide event 10 days after the frozen time, marked as given (person → mark)."""
    event = make_event(cast, starts_at=FROZEN_AT + timedelta(days=10))
    lines = {line.person_id: line.pk for line in event.expected.active() if line.person_id}
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        services.attendance_mark(event=event, marks={lines[p.pk]: m for p, m in marks.items()}, by=None)
    return event


def _second_secretary(cast):
    person = branch_services.person_create(last_name="Вторая", first_name="Вера")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=FROZEN_AT.date())
    return person


def test_attendance_per_primary_branch_furthest_behind_first(cast, django_assert_num_queries):
    second = _second_secretary(cast)
    event = _held(cast, {cast.person("secretary"): Mark.CAME, second: Mark.ABSENT})
    later = event.ends_at + timedelta(days=1)
    # 1 the aggregate by primary branch
    with django_assert_num_queries(1):
        rows = selectors.local_branch_attendance(cast.local_a1, now=later)
    assert [(row.pk, row.duty.attended) for row in rows] == [(cast.branch_a.pk, 1)]
    rows = selectors.local_branch_attendance(cast.local_a2, now=later)
    assert [(row.pk, row.duty.rate) for row in rows] == [(cast.branch_a2.pk, 0)]


def test_the_national_report_puts_the_furthest_behind_first(cast, django_assert_num_queries):
    second = _second_secretary(cast)
    event = _held(cast, {cast.person("secretary"): Mark.CAME, second: Mark.ABSENT})
    later = event.ends_at + timedelta(days=1)
    # One pass over the lines, by local branch; the regions are their sums.
    with django_assert_num_queries(1):
        figures = selectors.national_attendance(now=later)
    assert [(row.pk, row.duty.expected, row.duty.attended) for row in figures.regions] == [(cast.region_a.pk, 2, 1)]
    assert [row.pk for row in figures.local_branches] == [cast.local_a2.pk, cast.local_a1.pk]
    assert figures.local_branches[0].region == cast.region_a.name


def test_the_report_pages(cast, client_for):
    second = _second_secretary(cast)
    event = _held(cast, {cast.person("secretary"): Mark.CAME, second: Mark.EXCUSED})
    with time_machine.travel(event.ends_at + timedelta(days=1), tick=False):
        national = client_for("admin").get(reverse("events:national_report")).content.decode()
        local = client_for("staff_a").get(reverse("events:local_report", args=[cast.local_a2.pk])).content.decode()
    assert cast.local_a2.name in national and cast.region_a.name in national
    assert "№2" in local
