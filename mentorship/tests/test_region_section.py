"""Mentoring on the region's page (branches.hooks.region_sections)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from core.access import viewer_for
from mentorship import selectors, services
from mentorship.models import Pair
from mentorship.tests.conftest import active_pair, branch_with_secretary, running_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _figures(section):
    return {str(figure.label): figure.value for figure in section.figures}


def test_it_counts_running_programmes_active_stalled_and_well_ended_pairs(cast, django_assert_num_queries):
    programme = running_programme(cast.region_a)
    branches = [branch_with_secretary(cast.local_a1, 20 + n, f"Ветка {n}") for n in range(8)]
    stalled = active_pair(programme, branches[0], branches[1], starts_on=date(2026, 6, 1))
    active_pair(programme, branches[2], branches[3], starts_on=date(2026, 9, 10))  # too early to tell
    completed = active_pair(programme, branches[4], branches[5], starts_on=date(2026, 2, 1))
    services.pair_complete(pair=completed, on=date(2026, 8, 1))
    long_enough = active_pair(programme, branches[6], branches[7], starts_on=date(2026, 2, 1))
    services.pair_end_early(pair=long_enough, reason="Секретарь переехал", on=date(2026, 7, 25))
    too_short = active_pair(programme, branches[6], cast.branch_a2, starts_on=date(2026, 2, 1))
    services.pair_end_early(pair=too_short, reason="Не сложилось", on=date(2026, 3, 1))
    assert sorted(pair.pk for pair in Pair.objects.all() if pair.counts_as_done) == sorted(
        [completed.pk, long_enough.pk]
    )
    viewer = viewer_for(cast.user("staff_a"))
    # One statement: the programmes with their pairs counted, the active pairs' last check-ins
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a, today=date(2026, 9, 16)).run()
    assert _figures(section) == {
        "Programmes running": 1,
        "Active pairs": 2,
        "Pairs that need a check-in": 1,
        "Pairs ended well": 2,
    }
    assert stalled.status == "active"
    assert section.url == reverse("mentorship:list")


def test_it_says_so_when_the_region_has_no_programme(cast, django_assert_num_queries):
    running_programme(cast.region_b)
    viewer = viewer_for(cast.user("staff_a"))
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a).run()
    assert section.figures == [] and str(section.empty) == "No mentoring programmes in the region."


def test_the_region_page_shows_mentoring(cast, client_for):
    running_programme(cast.region_a)
    html = client_for("staff_a").get(reverse("branches:region", args=[cast.region_a.pk])).content.decode()
    assert 'data-testid="region-section-mentorship"' in html
