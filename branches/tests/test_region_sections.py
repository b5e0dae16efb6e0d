"""The region's page with every app's section (branches.hooks.region_sections), in a stable order.

The trunk does not import the apps (core/tests/test_floors.py); its tests may, to fill them.
"""

from datetime import date

import pytest
from django.urls import reverse

from branches import hooks
from branches import services as branch_services

ORDER = ["events", "training", "mentorship", "assignments", "reserve"]


@pytest.fixture
def every_app(cast):
    """A little of each app in region A: an upcoming event and a plan, the course, a pair, a decision, a pool."""
    from assignments import services as assignments
    from assignments.tests.helpers import issue
    from events import services as events
    from events.tests.conftest import make_event
    from mentorship.tests.conftest import active_pair, running_programme
    from reserve.models import Readiness
    from reserve.tests.conftest import nominated
    from training.tests.factories import secretary_assignment

    make_event(cast)
    events.head_meeting_plan_set(region=cast.region_a, year=2026, planned=4)
    secretary_assignment(cast)
    mentee = branch_services.person_create(last_name="Заречнова", first_name="Зоя")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=mentee, starts_on=date(2020, 1, 1))
    active_pair(running_programme(cast.region_a), cast.branch_a, cast.branch_a2)
    issue(to=assignments.Addressees(regions=(cast.region_a,)))
    nominated(cast, readiness=Readiness.NOW)


def test_every_app_shows_its_section_in_a_stable_order(cast, client_for, every_app):
    response = client_for("staff_a").get(reverse("branches:region", args=[cast.region_a.pk]))
    sections = response.context["sections"]
    assert [section.app for section in sections] == ORDER
    assert all(section.figures for section in sections)
    html = response.content.decode()
    positions = [html.index(f'data-testid="region-section-{app}"') for app in ORDER]
    assert positions == sorted(positions)
    assert "Предстоящие мероприятия" in html and "Поручения региону" in html  # the Russian catalogue


def test_the_order_does_not_follow_the_order_of_registration(cast):
    registered = list(hooks._region_sections)
    try:
        hooks._region_sections.clear()
        for order, _module, section in reversed(registered):
            hooks.register_region_section(section, order=order)
            hooks.register_region_section(section, order=order)  # a second ready() adds nothing
        assert hooks._region_sections == registered
    finally:
        hooks._region_sections[:] = registered


def test_the_page_with_every_section_runs_a_fixed_number_of_queries(
    cast, client_for, every_app, django_assert_num_queries
):
    client = client_for("staff_a")
    url = reverse("branches:region", args=[cast.region_a.pk])
    client.get(url)
    # 1-9 the trunk's page (test_branch_pages.py); events: 10 the year's events with the
    # plan, 11 the secretaries' duty; training: 12 the course, 13 secretaries in post, 14
    # their assignments by status; mentoring: 15 the programmes with pairs counted, 16 the
    # active pairs' last check-ins; assignments: 17 the region's by state; reserve: 18 the
    # open pools with nominations counted, 19 the trunk's term ends (one more per council
    # post a pool serves)
    with django_assert_num_queries(19):
        response = client.get(url)
    assert len(response.context["sections"]) == len(ORDER)


def test_staff_of_another_region_still_get_404(cast, client_for, every_app):
    assert client_for("staff_b").get(reverse("branches:region", args=[cast.region_a.pk])).status_code == 404
    for role in ("secretary", "host", "juror"):
        assert client_for(role).get(reverse("branches:region", args=[cast.region_a.pk])).status_code == 404
