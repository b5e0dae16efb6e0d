"""The decisions addressed to a region, on its page (branches.hooks.region_sections)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from assignments import selectors, services
from assignments.models import Assignment, State
from assignments.tests.helpers import issue
from core.access import viewer_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _figures(section):
    return {str(figure.label): figure.value for figure in section.figures}


def _of_region_a(cast, title, **extra):
    directive = issue(to=services.Addressees(regions=(cast.region_a, cast.region_b)), title=title, **extra)
    return Assignment.objects.get(directive=directive, region=cast.region_a)


def test_it_counts_what_the_region_was_given_in_work_overdue_reported_and_accepted(cast, django_assert_num_queries):
    staff = cast.person("staff_a")
    in_time = _of_region_a(cast, "В срок")
    services.assignment_pass_down(assignment=in_time, local_branches=[cast.local_a1, cast.local_a2], by=staff)
    _of_region_a(cast, "Просрочено", due_on=date(2026, 9, 10))
    reported = _of_region_a(cast, "Отчитались")
    services.assignment_report(assignment=reported, by=staff, report="Сделано")
    accepted = _of_region_a(cast, "Принято")
    services.assignment_report(assignment=accepted, by=staff, report="Сделано")
    services.assignment_accept(assignment=accepted, by=None)
    dropped = _of_region_a(cast, "Снято")
    services.assignment_settle(assignment=dropped, to=State.DROPPED, by=None)
    viewer = viewer_for(cast.user("staff_a"))
    # One statement: the aggregate over the region's own assignments
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a, today=date(2026, 9, 16)).run()
    assert _figures(section) == {
        "In work": 2,
        "Overdue": 1,
        "Reported, awaiting acceptance": 1,
        "Accepted": 1,
    }
    url = reverse("assignments:region", kwargs={"region_pk": cast.region_a.pk})
    assert section.url == url and {figure.url for figure in section.figures} == {url}


def test_it_says_so_when_nothing_is_addressed_to_the_region(cast):
    issue(to=services.Addressees(regions=(cast.region_b,)))
    section = selectors.region_section(viewer_for(cast.user("admin")), cast.region_a).run()
    assert section.figures == [] and str(section.empty) == "No decisions are addressed to the region."


def test_the_region_page_shows_the_decisions(cast, client_for):
    _of_region_a(cast, "В срок")
    html = client_for("admin").get(reverse("branches:region", args=[cast.region_a.pk])).content.decode()
    assert 'data-testid="region-section-assignments"' in html
    assert reverse("assignments:region", kwargs={"region_pk": cast.region_a.pk}) in html
