"""The demo: Amur's year of events, an open past event for the staff, an upcoming one for the secretary."""

import random

import pytest

from events.models import EventStatus

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_amur_secretary_an_upcoming_event_and_the_staff_one_to_close():
    from branches import demo as branches_demo
    from branches.data.regions import ensure_regions
    from branches.models import Person, Region
    from core.access import viewer_for
    from events import demo, selectors

    if not Region.objects.exists():
        ensure_regions(Region)
    rng = random.Random(1)
    branches_demo.seed("demo", rng)
    counts = demo.seed("demo", rng)
    assert counts["events"] > 300

    secretary = Person.objects.get(user__username="secretary")
    items = selectors.desk_items(viewer_for(secretary.user))
    assert any("/answer/" in item.url for item in items)
    staff = Person.objects.get(user__username="staff-amur")
    titles = [str(item.title) for item in selectors.desk_items(viewer_for(staff.user))]
    assert "Events to close" in titles
    amur = Region.objects.get(code="28")
    rows = selectors.region_attendance(amur)
    assert len(rows) == 29
    assert amur.party_events.filter(status=EventStatus.CLOSED).count() >= 29 * 12
    meetings = selectors.head_meetings(amur)
    assert (meetings.planned, meetings.held >= 1) == (6, True)
    assert 0 < len(meetings.without_invited) < 29  # most local branches had a seat, a few did not
    nominating = amur.party_events.get(invitation__rule="nominated")
    assert nominating.expected.filter(source="invited").exists()
    assert nominating.questions.exists()


def test_the_national_year_freezes_the_lists_in_one_statement_as_the_tree_gives_them(cast):
    """The set-based seed lists what publishing would list: the secretaries and the vacant branches."""
    from datetime import timedelta

    from django.utils import timezone

    from events import demo
    from events.models import Event

    local_day = timezone.localdate() - timedelta(days=1)
    count, lines = demo._national_year(cast.region_a, cast.person("staff_a"), local_day, random.Random(1))
    assert count == 2 * 12 + 4
    events = Event.objects.filter(region=cast.region_a)
    assert set(events.values_list("status", flat=True)) == {EventStatus.CLOSED}
    regional = events.filter(local_branch__isnull=True).first()
    got = {(line.primary_branch_id, line.person_id) for line in regional.expected.all()}
    assert got == {(cast.branch_a.pk, cast.person("secretary").pk), (cast.branch_a2.pk, None)}
    assert lines == 4 * 2 + 12 * 1 + 12 * 1
    assert all(line.mark for line in regional.expected.filter(person__isnull=False))
