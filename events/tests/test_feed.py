"""A person's events in their private calendar feed (kept by receptions, filled through core.calendar_feed)."""

from django.urls import reverse
from icalendar import Calendar

from events import services
from events.calendars import event_uid, feed_entries
from events.tests.conftest import make_event


def _feed_uids(client_for, client) -> dict:
    secretary = client_for("secretary")
    secretary.post(reverse("receptions:calendar"), {"action": "create"})
    url = secretary.get(reverse("receptions:calendar")).context["feed_url"].removeprefix("http://testserver")
    response = client.get(url)
    assert response.status_code == 200
    return {str(item["UID"]): item for item in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_private_feed_carries_the_persons_events_and_their_cancellation(cast, client_for, client):
    published = make_event(cast)
    cancelled = make_event(cast, title="Отменённое")
    services.event_cancel(event=cancelled, reason="Перенос")
    draft = make_event(cast, published=False, title="Черновик")
    other_region = make_event(cast, local_branch=cast.local_a2, title="Чужое отделение")
    entries = _feed_uids(client_for, client)
    assert event_uid(published) in entries
    assert str(entries[event_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert event_uid(draft) not in entries
    assert event_uid(other_region) not in entries  # the secretary is not on its list


def test_feed_entries_take_one_query(cast, django_assert_num_queries):
    make_event(cast)
    make_event(cast, title="Второе")
    # 1 the person's events (on the list or organised), published or later, from 90 days ago
    with django_assert_num_queries(1):
        assert len(feed_entries(cast.person("secretary"))) == 2
