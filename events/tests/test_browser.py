"""Staff publish an event; a secretary answers "cannot, illness"; the organiser marks attendance
on a phone-sized page and closes the event."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services
from events.models import Answer, EventStatus, Mark
from events.tests.conftest import make_event

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_staff_create_and_publish_an_event(login_page, live_server, cast, screenshot):
    page = login_page("staff_a")
    page.goto(f"{live_server.url}/events/new/")
    page.fill("input[name=title]", "Форум первичных отделений")
    page.select_option("select[name=local_branch]", str(cast.local_a1.pk))
    page.fill("input[name=starts_at]", "2026-10-02T18:00")
    page.fill("input[name=ends_at]", "2026-10-02T20:00")
    page.fill("input[name=place]", "Благовещенск, Дом культуры")
    screenshot("events-create")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("status")).to_be_visible()
    page.click("a[href$='/publish/']")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("lines")).to_contain_text(cast.person("secretary").full_name)
    screenshot("events-published")
    event = cast.region_a.party_events.get()
    assert event.status == EventStatus.PUBLISHED


def test_a_secretary_answers_cannot_because_of_illness(login_page, live_server, cast, screenshot):
    event = make_event(cast)
    page = login_page("secretary")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("a[href$='/answer/']")
    page.check("input[name=answer][value=cannot]")
    page.select_option("select[name=cannot_reason]", "illness")
    screenshot("events-answer-phone")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("own-answer")).to_be_visible()
    line = event.expected.get(person=cast.person("secretary"))
    assert (line.answer, line.cannot_reason) == (Answer.CANNOT, "illness")


def test_the_organiser_marks_attendance_on_a_phone_and_closes_the_event(login_page, live_server, cast, screenshot):
    now = timezone.now()
    starts_at = now - timedelta(hours=2, minutes=10)
    event = make_event(cast, published=False, starts_at=starts_at)
    services.event_publish(event=event, now=starts_at - timedelta(days=2))
    line = event.expected.get(person=cast.person("secretary"))
    page = login_page("staff_a")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/events/{event.pk}/attendance/")
    expect(page.get_by_test_id("attendance-form")).to_be_visible()
    page.click(f"label[for=mark-{line.pk}-came]")
    screenshot("events-attendance-phone")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("attendance-counts")).to_contain_text("1")
    page.goto(f"{live_server.url}/events/{event.pk}/close/")
    page.fill("textarea[name=report]", "Обсудили план работы на квартал.")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("status")).to_be_visible()
    screenshot("events-closed-phone")
    event.refresh_from_db()
    line.refresh_from_db()
    assert (event.status, line.mark) == (EventStatus.CLOSED, Mark.CAME)


def test_a_heads_meeting_collects_a_question_and_answers_it(login_page, live_server, cast, screenshot):
    event = make_event(cast, kind="head_meeting", title="Встреча главы региона с активом")
    page = login_page("secretary")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("a[href$='/questions/new/']")
    page.fill("textarea[name=text]", "Когда отремонтируют дорогу в Заречный?")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("questions")).to_contain_text("дорогу в Заречный")
    page.context.clear_cookies()

    page = login_page("staff_a")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("[data-testid=questions] a[href*='/event-questions/']")
    page.check("input[name=selected]")
    page.fill("textarea[name=answer]", "Ремонт запланирован на май.")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("answer")).to_contain_text("Ремонт запланирован на май.")
    screenshot("events-head-meeting-questions")
    assert event.questions.get().answer == "Ремонт запланирован на май."
