"""The events section of the region's page (branches.hooks.region_sections)."""

from datetime import timedelta

from django.urls import reverse

from conftest import FROZEN_AT
from core.access import viewer_for
from events import selectors, services
from events.models import Mark
from events.tests.conftest import make_event
from events.tests.test_reports import _held, _second_secretary


def _figures(section):
    return {str(figure.label): figure.value for figure in section.figures}


def test_it_counts_the_years_events_the_heads_meetings_against_the_plan_and_attendance(cast, django_assert_num_queries):
    second = _second_secretary(cast)
    event = _held(cast, {cast.person("secretary"): Mark.CAME, second: Mark.ABSENT})
    make_event(cast, starts_at=event.starts_at + timedelta(days=20), kind="head_meeting", title="Встреча с активом")
    services.head_meeting_plan_set(region=cast.region_a, year=2026, planned=4)
    later = event.ends_at + timedelta(days=1)
    viewer = viewer_for(cast.user("staff_a"))
    # One statement (core.db.fetch_together): the year's events counted with the plan, and
    # the secretaries' duty over 12 months; building the plan itself asks nothing
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a, now=later).run()
    assert _figures(section) == {
        "Events held in 2026": 1,
        "Upcoming events": 1,
        "Heads' meetings held against the plan": "0 of 4",
        "Secretaries' attendance, 12 months": "50%",
    }
    assert section.url == reverse("events:region_report", args=[cast.region_a.pk])
    plan = reverse("events:head_meeting_plan", args=[cast.region_a.pk])
    assert [f.url for f in section.figures if f.url == plan], "staff of the region may set the plan"


def test_an_administrator_gets_no_link_to_the_plan_they_may_not_set(cast):
    services.head_meeting_plan_set(region=cast.region_a, year=2026, planned=2)
    section = selectors.region_section(viewer_for(cast.user("admin")), cast.region_a, now=FROZEN_AT).run()
    plan = reverse("events:head_meeting_plan", args=[cast.region_a.pk])
    assert section.figures and plan not in [figure.url for figure in section.figures]
    assert section.url == reverse("events:region_report", args=[cast.region_a.pk])


def test_it_says_so_when_the_region_has_no_events(cast):
    section = selectors.region_section(viewer_for(cast.user("staff_a")), cast.region_a, now=FROZEN_AT).run()
    assert section.figures == [] and str(section.empty) == "No events this year."


def test_the_region_page_shows_the_section(cast, client_for):
    make_event(cast)
    html = client_for("staff_a").get(reverse("branches:region", args=[cast.region_a.pk])).content.decode()
    assert 'data-testid="region-section-events"' in html
    assert reverse("events:region_report", args=[cast.region_a.pk]) in html


def test_a_plan_without_any_event_this_year_still_shows(cast, django_assert_num_queries):
    services.head_meeting_plan_set(region=cast.region_a, year=2026, planned=3)
    viewer = viewer_for(cast.user("staff_a"))
    with django_assert_num_queries(1):
        section = selectors.region_section(viewer, cast.region_a, now=FROZEN_AT).run()
    assert _figures(section)["Heads' meetings held against the plan"] == "0 of 3"
    assert _figures(section)["Events held in 2026"] == 0
