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
    # 1-4 session, user, viewer, region (test_branch_pages.py); 5 one statement with the
    # trunk's figures and every section's querysets: events (the year's events with the
    # plan, the secretaries' duty), training (the course, secretaries in post, their
    # assignments by status), mentoring (the programmes with pairs counted, the active
    # pairs' last check-ins), assignments (the region's by state), reserve (the open pools
    # with nominations counted, the trunk's term ends by role, each council post's term ends)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["sections"]) == len(ORDER)


def test_staff_of_another_region_still_get_404(cast, client_for, every_app):
    assert client_for("staff_b").get(reverse("branches:region", args=[cast.region_a.pk])).status_code == 404
    for role in ("secretary", "host", "juror"):
        assert client_for(role).get(reverse("branches:region", args=[cast.region_a.pk])).status_code == 404


def test_more_data_in_every_app_adds_no_query(cast, client_for, every_app, django_assert_num_queries):
    """Pools serving both council posts (the old page asked once per council post), more events,
    local branches, programmes, decisions and nominations: still the same five queries."""
    from assignments import services as assignments
    from assignments.tests.helpers import issue
    from events.tests.conftest import make_event
    from mentorship.tests.conftest import running_programme
    from reserve.models import Post, Readiness
    from reserve.selectors import region_demand
    from reserve.tests.conftest import nominated, regional_pool

    client = client_for("staff_a")
    url = reverse("branches:region", args=[cast.region_a.pk])
    client.get(url)
    with django_assert_num_queries(5):
        before = client.get(url)
    for number in range(3):
        local = branch_services.local_branch_create(region=cast.region_a, name=f"Местное {number}")
        branch_services.branch_create(local_branch=local, number=30 + number, name=f"Ветка {number}")
        make_event(cast)
        issue(to=assignments.Addressees(regions=(cast.region_a,)), title=f"Решение {number}")
        running_programme(cast.region_a, title=f"Наставничество {number}")
    chairs = regional_pool(cast, title="Председатели", posts=[Post.COUNCIL_CHAIR])
    regional_pool(cast, title="Представители", posts=[Post.COUNCIL_REPRESENTATIVE, Post.REGIONAL_STAFF])
    nominated(cast, pool=chairs, readiness=Readiness.NOW)
    with django_assert_num_queries(5):
        after = client.get(url)
    reserve = {section.app: section for section in after.context["sections"]}["reserve"]
    assert [figure.value for figure in reserve.figures[:3]] == [3, 2, 2]  # pools, nominations, ready now
    # Posts lacking a candidate: the demand page's verdict, council posts included.
    assert reserve.figures[3].value == sum(row.alert for row in region_demand(cast.region_a))
    assert len(after.context["per_local"]) == len(before.context["per_local"]) + 3
