import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from conftest import PASSWORD, SCREENSHOTS, nav_go
from receptions.models import Booking
from receptions.tests.factories import book, free_slot, make_secretaries, weekly_hours

pytestmark = pytest.mark.browser


@pytest.fixture
def log_in(browser, live_server, cast):
    """Open a separate browser window logged in as a role, so several people can act in turn."""
    contexts = []

    def open_as(role):
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", cast.user(role).username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form [type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _ics(download) -> Calendar:
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    calendar.validate()
    return calendar


def test_a_secretary_books_moves_and_cancels_the_host_records_an_outcome_staff_see_it(log_in, cast, live_server):
    # A week ago the host published Wednesday hours and another secretary booked today's reception.
    with time_machine.travel(timezone.now() - timedelta(days=7)):
        schedule = weekly_hours(cast)
        (neighbour,) = make_secretaries(cast.local_a2, 1)
        held = book(cast, slot=free_slot(schedule), secretary=neighbour, topic="Остановка у школы")
    assert held.slot.starts_at < timezone.now()

    staff = log_in("staff_a")
    nav_go(staff, "Приёмы")
    host_row = staff.locator(f"[data-testid=report-hosts] tr[data-host='{cast.person('host').pk}']")
    expect(host_row).to_contain_text("в графике")

    secretary = log_in("secretary")
    nav_go(secretary, "Приёмы")
    secretary.get_by_role("link", name="Депутатов Дмитрий Олегович").click()
    screenshot_of(secretary, "receptions-free-times")
    secretary.get_by_role("link", name="Записаться").first.click()
    secretary.get_by_label("Тема").fill("Ремонт дороги на ул. Лесной")
    secretary.get_by_label("Вопросы").fill("Когда начнутся работы?")
    secretary.get_by_role("button", name="Записаться").click()
    expect(secretary.locator(".alert-success")).to_contain_text("Вы записаны на приём")
    expect(secretary.get_by_test_id("booking-status")).to_contain_text("записан")
    screenshot_of(secretary, "receptions-booked")
    booking = Booking.objects.get(secretary=cast.person("secretary"))

    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Добавить в календарь (.ics)").click()
    (event,) = _ics(download.value).events
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"{booking.uid}@pervichka", 0)

    secretary.get_by_role("link", name="Перенести").click()
    secretary.get_by_label("Новое время").select_option(index=2)
    secretary.get_by_role("button", name="Перенести").click()
    expect(secretary.locator(".alert-success")).to_contain_text("Приём перенесён")
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Добавить в календарь (.ics)").click()
    (moved,) = _ics(download.value).events
    assert (str(moved["UID"]), moved["SEQUENCE"]) == (str(event["UID"]), 1)
    assert moved.start != event.start

    secretary.get_by_role("link", name="Отменить").click()
    secretary.get_by_role("button", name="Отменить приём").click()
    expect(secretary.get_by_test_id("booking-status")).to_contain_text("отменён")
    screenshot_of(secretary, "receptions-cancelled")

    host = log_in("host")
    nav_go(host, "Мои приёмы")
    expect(host.get_by_test_id("awaiting-outcome")).to_contain_text("Остановка у школы")
    screenshot_of(host, "receptions-host")
    host.get_by_test_id("awaiting-outcome").get_by_role("link", name="Записать итог").click()
    host.get_by_label("состоялся", exact=True).check()
    host.get_by_label("Итог").fill("Жители просят светофор; направлен запрос в ГИБДД.")
    row = host.get_by_test_id("follow-up-forms").locator("tbody tr").first
    row.locator("select[name$='-kind']").select_option("request")
    row.locator("input[name$='-text']").fill("Светофор у школы №5")
    row.locator("input[name$='-owner']").fill("Помощник депутата")
    row.locator("input[name$='-due_on']").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    screenshot_of(host, "receptions-outcome-form")
    host.get_by_role("button", name="Сохранить итог").click()
    expect(host.get_by_test_id("outcome")).to_contain_text("светофор")
    expect(host.get_by_test_id("follow-ups")).to_contain_text("Светофор у школы №5")
    # The follow-up is an assignment: the host's list of open follow-ups, on a desktop and on a phone.
    host.goto(f"{live_server.url}/receptions/hosts/{schedule.position_id}/manage/")
    host.get_by_test_id("host-follow-ups").click()
    expect(host.get_by_test_id("assignments")).to_contain_text("Светофор у школы №5")
    host.set_viewport_size({"width": 1366, "height": 900})
    screenshot_of(host, "receptions-follow-ups")
    host.set_viewport_size({"width": 390, "height": 844})
    expect(host.get_by_test_id("assignments")).to_contain_text("Светофор у школы №5")
    screenshot_of(host, "receptions-follow-ups-phone")
    host.set_viewport_size({"width": 1280, "height": 900})

    staff.reload()
    expect(host_row).to_contain_text("норма выполнена")
    expect(host_row).to_contain_text(re.compile(r"\b1\b"))
    screenshot_of(staff, "receptions-report")


def screenshot_of(page, name):
    """Save screenshots/<name>.png: the `screenshot` fixture photographs the default page, not these windows."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_read_the_region_s_voters_requests_overdue_first(login_page, live_server, cast, screenshot, width):
    from django.urls import reverse

    from receptions import services

    with time_machine.travel(timezone.now() - timedelta(days=14)):
        booking = book(cast)
    ended = booking.slot.ends_at + timedelta(minutes=5)
    with time_machine.travel(ended):
        later = services.FollowUpInput(
            kind="task", text="Собрать подписи", owner="Секретарь первички", due_on=ended.date() + timedelta(days=60)
        )
        late = services.FollowUpInput(
            kind="request", text="Отсыпать дорогу на ул. Лесной", owner="Администрация района", due_on=ended.date()
        )
        services.booking_outcome_record(booking=booking, status="held", follow_ups=[later, late])
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse('receptions:report', args=[cast.region_a.pk])}")
    page.get_by_test_id("region-follow-ups").click()
    rows = page.get_by_test_id("assignments").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Отсыпать дорогу на ул. Лесной")
    expect(rows.first).to_contain_text("просрочен")
    expect(rows.first.get_by_test_id("owner")).to_have_text("Администрация района")
    expect(rows.nth(1)).to_contain_text("Секретарь первички")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"region-voters-requests-{width}")
