"""The reserve on the region's page (branches.hooks.region_sections): counts only, for its staff."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from branches import services as branch_services
from branches.models import Role
from core.access import viewer_for
from reserve import selectors, services
from reserve.models import Post, Readiness
from reserve.tests.conftest import nominated, regional_pool

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _figures(section):
    return {str(figure.label): figure.value for figure in section.figures}


def _holder(cast, role, ends_on, **unit):
    person = branch_services.person_create(last_name="Срочная", first_name="Анна")
    branch_services.position_create(
        person=person, role=role, region=cast.region_a, starts_on=date(2022, 1, 1), ends_on=ends_on, **unit
    )
    return person


def test_it_counts_pools_nominations_ready_now_and_posts_nobody_is_ready_for(cast, django_assert_num_queries):
    pool = regional_pool(cast, posts=[Post.PRIMARY_SECRETARY])
    nominated(cast, pool=pool, readiness=Readiness.NOW)
    # Ready-now candidates count for every post their pool prepares for (as on the demand page).
    other = regional_pool(cast, title="Аппарат", posts=[Post.LOCAL_SECRETARY, Post.REGIONAL_STAFF])
    later = nominated(cast, pool=pool, person=_holder(cast, Role.REGIONAL_STAFF, None))
    services.nomination_decide(
        nomination=later, version=later.version, status="withdrawn", by=None, decision_ref="Заявление"
    )
    nominated(cast, pool=other, person=cast.person("host"), readiness=Readiness.SOON)
    services.pool_update(pool=regional_pool(cast, title="Закрытый пул"), is_open=False)  # not counted
    # A local secretary's term ends within 12 months and nobody is ready for that post;
    # a primary secretary's ends too, and the demo secretary is ready now for it.
    _holder(cast, Role.LOCAL_SECRETARY, date(2027, 3, 1), local_branch=cast.local_a1)
    _holder(cast, Role.PRIMARY_SECRETARY, date(2027, 1, 1), primary_branch=cast.branch_a2)
    viewer = viewer_for(cast.user("staff_a"))
    # One statement: the open pools with their nominations counted, the trunk's term ends
    # counted by role, the council posts' term ends (one subquery per declared council post)
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a, today=date(2026, 9, 16)).run()
    assert _figures(section) == {
        "Open pools": 2,
        "Active nominations": 2,
        "Ready now": 1,
        "Posts whose term ends, nobody ready": 1,
    }
    lacking = section.figures[-1]
    assert lacking.alert and lacking.url == reverse("reserve:demand", kwargs={"region_pk": cast.region_a.pk})
    # The same verdict as the demand page's.
    assert sum(row.alert for row in selectors.region_demand(cast.region_a, today=date(2026, 9, 16))) == 1


def test_it_says_so_when_the_region_has_no_open_pool(cast):
    section = selectors.region_section(viewer_for(cast.user("staff_a")), cast.region_a).run()
    assert section.figures == [] and str(section.empty) == "No open reserve pools in the region."


def test_nobody_but_the_regions_staff_and_administrators_gets_the_section(cast):
    regional_pool(cast)
    assert selectors.region_section(viewer_for(cast.user("staff_b")), cast.region_a) is None
    assert selectors.region_section(viewer_for(cast.user("admin")), cast.region_a) is not None


def test_the_region_page_shows_the_reserve(cast, client_for):
    nominated(cast, readiness=Readiness.NOW)
    html = client_for("staff_a").get(reverse("branches:region", args=[cast.region_a.pk])).content.decode()
    assert 'data-testid="region-section-reserve"' in html
    assert cast.person("secretary").last_name not in html.split('data-testid="region-section-reserve"')[1]
