"""Staff publish an event; a secretary answers "cannot, illness"; the organiser marks attendance
on a phone-sized page and closes the event."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

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


def test_the_organiser_checks_a_person_in_by_qr_on_a_phone(login_page, live_server, cast, screenshot):
    """The camera cannot be tested: the scanner's script loads without errors, the vendored decoder
    reads the QR image the person is shown, and what it read is posted as the scanner posts it."""
    now = timezone.now()
    starts_at = now - timedelta(minutes=10)
    event = make_event(cast, published=False, starts_at=starts_at)
    services.event_publish(event=event, now=starts_at - timedelta(days=2))
    line = event.expected.get(person=cast.person("secretary"))

    page = login_page("secretary")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.get_by_test_id("check-in-qr")).to_be_visible()
    qr = page.get_by_test_id("check-in-qr").get_attribute("src")
    screenshot("events-own-qr-phone")
    page.context.clear_cookies()

    errors: list[str] = []
    page = login_page("staff_a")
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/events/{event.pk}/check-in/")
    scanner = page.get_by_test_id("scanner")
    expect(scanner).to_have_attribute("data-scanner-ready", re.compile("jsqr|barcode-detector"))
    read = page.evaluate(
        """async (src) => {
            const image = new Image();
            image.src = src;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext("2d");
            context.fillStyle = "#fff";
            context.fillRect(0, 0, canvas.width, canvas.height);
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
            const found = window.jsQR(pixels.data, pixels.width, pixels.height);
            return found && found.data;
        }""",
        qr,
    )
    assert read == line.check_in_code
    screenshot("events-check-in-phone")
    with page.expect_request(lambda request: request.method == "POST") as posted:
        page.evaluate(
            """(code) => document.querySelector("[data-scanner]")
                .dispatchEvent(new CustomEvent("scanner:found", {detail: code}))""",
            read,
        )
    assert read not in posted.value.url
    assert f"code={read}" in (posted.value.post_data or "")
    expect(page.locator(".alert-success")).to_contain_text(cast.person("secretary").full_name)
    line.refresh_from_db()
    assert (line.mark, line.checked_in_at is not None) == (Mark.CAME, True)
    assert errors == []


def test_the_check_in_page_at_desktop_width(login_page, live_server, cast, screenshot):
    now = timezone.now()
    event = make_event(cast, published=False, starts_at=now - timedelta(minutes=10))
    services.event_publish(event=event, now=now - timedelta(days=2))
    page = login_page("staff_a")
    page.goto(f"{live_server.url}/events/{event.pk}/check-in/")
    expect(page.get_by_test_id("scanner")).to_have_attribute("data-scanner-ready", re.compile("."))
    expect(page.locator("[data-scanner-start]")).to_be_visible()
    screenshot("events-check-in-desktop")


def test_staff_set_a_heads_meeting_to_take_nominations_and_a_local_secretary_nominates_on_a_phone(
    login_page, live_server, cast, screenshot
):
    from django.contrib.auth import get_user_model

    from conftest import PASSWORD
    from events.tests.conftest import local_secretary

    event = make_event(cast, published=False, kind="head_meeting", title="Встреча главы региона с активом")
    page = login_page("staff_a")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("a[href$='/invitation/']")
    page.check("input[name=rule][value=nominated]")
    page.fill("input[name=per_local_branch]", "2")
    due = timezone.localtime(event.starts_at - timedelta(days=2), ZoneInfo(cast.region_a.time_zone))
    page.fill("input[name=nominations_due]", due.strftime("%Y-%m-%dT%H:%M"))
    screenshot("events-invitation-rule")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("invitation")).to_be_visible()
    page.click("a[href$='/publish/']")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("status")).to_be_visible()
    page.context.clear_cookies()

    person = local_secretary(cast, cast.local_a1)
    user = get_user_model().objects.create_user(username="local-secretary", password=PASSWORD)
    person.user = user
    person.save(update_fields=["user"])
    page = login_page_as(page, live_server, "local-secretary")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.click("a[href$='/nominate/']")
    page.select_option("select[name=primary_branch]", str(cast.branch_a.pk))
    page.fill("input[name=last_name]", "Активистова")
    page.fill("input[name=first_name]", "Алина")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("nominated")).to_contain_text("Активистова")
    screenshot("events-nominate-phone")
    assert event.expected.filter(source="invited", local_branch=cast.local_a1).count() == 1


def login_page_as(page, live_server, username):
    from conftest import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_region_report_shows_the_plan_and_leads_to_a_local_branch(
    login_page, live_server, cast, screenshot, viewport
):
    page = login_page("staff_a")
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/events/plan/")
    page.fill("input[name=planned]", "6")
    page.click("main form [type=submit]")
    expect(page.get_by_test_id("head-meetings")).to_contain_text("6")
    expect(page.get_by_test_id("without-invited")).to_contain_text(cast.local_a2.name)
    screenshot(f"events-region-report-{'phone' if viewport else 'desktop'}")
    page.goto(f"{live_server.url}/local-branches/{cast.local_a1.pk}/events/report/")
    expect(page.locator("h1")).to_contain_text(cast.local_a1.name)
    screenshot(f"events-local-report-{'phone' if viewport else 'desktop'}")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_national_report_and_a_question_made_an_assignment(login_page, live_server, cast, screenshot, viewport):
    from events.tests.conftest import make_question

    question = make_question(cast)
    page = login_page("admin")
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/events/report/")
    expect(page.locator("h1")).to_be_visible()
    screenshot(f"events-national-report-{'phone' if viewport else 'desktop'}")
    page.context.clear_cookies()

    page = login_page("staff_a")
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{question.event.get_absolute_url()}")
    page.click("[data-testid=questions] a[href$='/assign/']")
    page.select_option("select[name=owner]", str(cast.person("staff_a").pk))
    page.fill("input[name=due_on]", "2026-12-01")
    screenshot(f"events-question-assign-{'phone' if viewport else 'desktop'}")
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/assignments/" in url)
    page.goto(f"{live_server.url}{question.event.get_absolute_url()}")
    expect(page.get_by_test_id("assignment-link")).to_be_visible()
