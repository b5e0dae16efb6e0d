"""The course on the region's page (branches.hooks.region_sections): the report's total row."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services as branch_services
from core.access import viewer_for
from training import selectors, services
from training.tests.factories import link, secretary_assignment
from training.tests.test_push import BODY, SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _figures(section):
    return {str(figure.label): figure.value for figure in section.figures}


def test_it_counts_secretaries_in_post_completed_and_overdue(cast, settings, time_machine, django_assert_num_queries):
    settings.TRAINING_PUSH_SECRET = SECRET
    secretary_assignment(cast)
    link(cast)
    services.push_receive(body=BODY, signature=services.push_signature(BODY, SECRET))
    second = branch_services.person_create(last_name="Вторая", first_name="Вера")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=second, starts_on=date(2026, 9, 1))
    time_machine.move_to(timezone.now() + timedelta(days=100))
    viewer = viewer_for(cast.user("staff_a"))
    # One statement: the course, secretaries in post, their assignments counted by status
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a).run()
    assert _figures(section) == {
        "Secretaries in post": 2,
        "Completed the course": "1 (50%)",
        "Taking it, in time": 0,
        "Overdue": 1,
    }
    report = reverse("training:region", kwargs={"region_pk": cast.region_a.pk})
    assert section.url == report and {figure.url for figure in section.figures} == {report}
    assert [figure.alert for figure in section.figures] == [False, False, False, True]


def test_it_says_so_when_there_is_no_course(cast):
    section = selectors.region_section(viewer_for(cast.user("staff_a")), cast.region_a).run()
    assert section.figures == [] and str(section.empty) == "No course yet."


def test_the_region_page_shows_the_course(cast, client_for):
    secretary_assignment(cast)
    html = client_for("admin").get(reverse("branches:region", args=[cast.region_a.pk])).content.decode()
    assert 'data-testid="region-section-training"' in html
    assert reverse("training:region", kwargs={"region_pk": cast.region_a.pk}) in html
