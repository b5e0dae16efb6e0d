"""The pages of events, driven through the test client, with their query counts pinned."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from branches import services as branch_services
from conftest import FROZEN_AT
from events import selectors, services
from events.models import Answer, EventStatus, Mark
from events.tests.conftest import make_event


@pytest.fixture
def crowd(cast):
    """Twenty more branches of local branch A1, each with a secretary."""
    for number in range(10, 30):
        branch = branch_services.branch_create(local_branch=cast.local_a1, number=number, name=f"Ветка {number}")
        person = branch_services.person_create(last_name=f"Секретарь{number}", first_name="Иван")
        branch_services.secretary_appoint(branch=branch, person=person, starts_on=date(2024, 1, 1))


def test_staff_create_an_event_in_the_regions_zone_and_publish_it(client_for, cast):
    client = client_for("staff_a")
    response = client.post(
        reverse("events:create"),
        {
            "kind": "party_event",
            "title": "Форум первичных отделений",
            "local_branch": cast.local_a1.pk,
            "starts_at": "2026-09-25T18:00",
            "ends_at": "2026-09-25T20:00",
            "place": "Благовещенск",
        },
    )
    event = cast.region_a.party_events.get()
    assert response.url == event.get_absolute_url()
    # 18:00 in Blagoveshchensk (UTC+9) is 09:00 UTC.
    assert event.starts_at == datetime(2026, 9, 25, 9, 0, tzinfo=UTC)
    assert event.status == EventStatus.DRAFT
    client.post(reverse("events:publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.expected.filter(person=cast.person("secretary")).exists()


def test_a_primary_branch_number_makes_an_event_of_that_branch(client_for, cast):
    client_for("staff_a").post(
        reverse("events:create"),
        {
            "kind": "training_day",
            "title": "Учёба",
            "primary_number": 2,
            "starts_at": "2026-09-25T18:00",
            "ends_at": "2026-09-25T20:00",
            "online_url": "https://example.org/room",
        },
    )
    event = cast.region_a.party_events.get()
    assert (event.local_branch, event.primary_branch) == (cast.local_a2, cast.branch_a2)


def test_the_secretary_answers_cannot_with_illness(client_for, cast, event):
    client = client_for("secretary")
    response = client.post(reverse("events:answer", args=[event.pk]), {"answer": "cannot"})
    assert response.context["form"].errors["cannot_reason"]
    client.post(reverse("events:answer", args=[event.pk]), {"answer": "cannot", "cannot_reason": "illness"})
    line = event.expected.get(person=cast.person("secretary"))
    assert (line.answer, line.cannot_reason) == (Answer.CANNOT, "illness")


def test_the_attendance_list_saves_every_mark_in_one_request_and_closing_follows(client_for, cast, crowd):
    event = make_event(cast, local_branch=cast.local_a1)
    lines = list(event.expected.filter(person__isnull=False))
    client = client_for("staff_a")
    with time_machine.travel(event.starts_at + timedelta(minutes=30), tick=False):
        data = {f"mark-{line.pk}": Mark.CAME for line in lines}
        data[f"mark-{lines[0].pk}"] = Mark.ABSENT
        client.post(reverse("events:attendance", args=[event.pk]), data)
    assert event.expected.filter(mark=Mark.CAME).count() == len(lines) - 1
    with time_machine.travel(event.ends_at + timedelta(hours=1), tick=False):
        # A new login: staff sessions time out while the clock travels.
        client_for("staff_a").post(reverse("events:close", args=[event.pk]), {"report": "Обсудили план на квартал."})
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED


def test_the_list_of_events_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    for day in range(30):
        make_event(cast, starts_at=FROZEN_AT + timedelta(days=day + 1), title=f"Событие {day}")
    client = client_for("secretary")
    url = reverse("events:list")
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 a page of visible
    # events with their units
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["page"].rows) == selectors.PAGE_SIZE


def test_the_attendance_page_runs_a_fixed_number_of_queries(client_for, cast, crowd, django_assert_num_queries):
    event = make_event(cast, local_branch=cast.local_a1)
    client = client_for("staff_a")
    url = reverse("events:attendance", args=[event.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 the event with its
    # units (gate), 5 the lines with people and branches, 6 the counts
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["lines"]) == 21


def test_the_event_page_for_a_secretary_runs_a_fixed_number_of_queries(
    client_for, cast, crowd, django_assert_num_queries
):
    event = make_event(cast, local_branch=cast.local_a1)
    client = client_for("secretary")
    url = reverse("events:detail", args=[event.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 the event (gate),
    # 5 the secretary's own line, 6 the counts
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["own"] is not None


def _held_and_closed(cast, *, came: bool):
    event = make_event(cast, starts_at=FROZEN_AT - timedelta(days=30) + timedelta(days=40))
    line = event.expected.get(person=cast.person("secretary"))
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        services.attendance_mark(event=event, marks={line.pk: Mark.CAME if came else Mark.ABSENT}, by=None)
    return event


def test_the_duty_of_a_secretary_and_the_region_report(cast, django_assert_num_queries):
    first = _held_and_closed(cast, came=True)
    _held_and_closed(cast, came=False)
    later = first.ends_at + timedelta(days=1)
    # 1 the aggregate over the person's lines on held and closed events of 12 months
    with django_assert_num_queries(1):
        duty = selectors.secretary_duty(cast.person("secretary").pk, now=later)
    assert (duty.expected, duty.attended, duty.excused, duty.unexcused) == (2, 1, 0, 1)
    # 1 the aggregate by local branch
    with django_assert_num_queries(1):
        rows = selectors.region_attendance(cast.region_a, now=later)
    assert [(row.name, row.duty.expected, row.duty.attended) for row in rows] == [(cast.local_a1.name, 2, 1)]


def test_the_region_report_page_shows_a_chart(client_for, cast, django_assert_num_queries):
    _held_and_closed(cast, came=True)
    client = client_for("staff_a")
    url = reverse("events:region_report", args=[cast.region_a.pk])
    with time_machine.travel(FROZEN_AT + timedelta(days=12), tick=False):
        client.get(url)
        # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 the region
        # (gate), 5 the aggregate by local branch, 6-8 heads' meetings (the plan, the year's
        # meetings, local branches without an invited activist)
        with django_assert_num_queries(8):
            response = client.get(url)
    assert response.context["chart"]["labels"] == [cast.local_a1.name]
    assert 'data-chart="stacked-bar"' in response.content.decode()


def test_desk_items_for_a_secretary_an_organiser_and_staff(cast, event, django_assert_num_queries):
    from core.access import viewer_for

    secretary = viewer_for(cast.user("secretary"))
    # 1 the next events they are expected at (with the answer) and those they organise that
    # are to close, in one aggregate
    with django_assert_num_queries(1):
        items = selectors.desk_items(secretary)
    assert [item.url for item in items] == [reverse("events:answer", args=[event.pk])]
    staff = viewer_for(cast.user("staff_a"))
    # 1 the same aggregate with the region's proposals and events to close
    with time_machine.travel(event.ends_at + timedelta(hours=30), tick=False), django_assert_num_queries(1):
        items = selectors.desk_items(staff)
    titles = [str(item.title) for item in items]
    assert f"Close: {event.title}" in titles
    assert "Events to close" in titles


def test_the_person_page_of_duty_opens_for_the_secretary(client_for, cast, event):
    response = client_for("secretary").get(reverse("events:person_duty", args=[cast.person("secretary").pk]))
    assert event.title in response.content.decode()


def test_the_attendance_form_names_lines_without_thousand_separators(client_for, cast):
    """Russian formatting writes 11960 as «11 960»: the form's field names must not."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('events_expectedperson', 'id'), 12000)")
    event = make_event(cast)
    line = event.expected.get(person=cast.person("secretary"))
    assert line.pk > 12000
    page = client_for("staff_a").get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert f'name="mark-{line.pk}"' in page
