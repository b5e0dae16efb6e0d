"""The whole way of a federal decision: the session, the assignment to every region, Amur passing
it down, a local secretary reporting, acceptance, and the dashboard showing Amur done."""

from datetime import date

import pytest
from playwright.sync_api import expect

from assignments.tests.helpers import local_secretary
from conftest import _password_hash, nav_go
from councils import services as councils
from councils.models import SeatRole

pytestmark = pytest.mark.browser


def _switch(page, login_page, role):
    page.context.clear_cookies()
    return login_page(role)


def test_a_federal_decision_goes_to_every_region_and_amur_carries_it_out(
    login_page, live_server, cast, screenshot, django_user_model
):
    from branches import services as branches

    councils.seat_appoint(
        council=councils.council_for(cast.region_a),
        role=SeatRole.CHAIR,
        person=branches.person_create(last_name="Председателева", first_name="Ольга"),
        starts_on=date(2025, 1, 1),
    )
    secretary = local_secretary(cast.local_a1, last_name="Местная")
    user = django_user_model.objects.create(username="local-secretary", password=_password_hash())
    secretary.user = user
    secretary.save(update_fields=["user"])
    cast.users["local"] = user

    # The administrator records the session, its attendance and a decision, and assigns it to every region.
    page = login_page("admin")
    page.set_default_timeout(8000)
    nav_go(page, "Советы")
    page.get_by_role("link", name="Федеральный совет").click()
    expect(page.get_by_test_id("federal-28")).to_contain_text("Председателева Ольга")
    expect(page.get_by_test_id("federal-10")).to_contain_text("вакантно")
    page.get_by_role("link", name="Новое заседание").click()
    page.locator("input[name=held_on]").fill("2026-09-10")
    page.locator("input[name=place]").fill("Москва")
    page.locator("textarea[name=agenda]").fill("Итоги Года первичных отделений")
    page.locator("input[name=items-0-title]").fill("Итоги года")
    page.locator("input[name=items-0-speaker]").fill("председатель")
    page.locator("input[name=items-1-title]").fill("Лучшие практики")
    page.locator("input[name=items-1-speaker]").fill("победители конкурса")
    page.locator("input[name=items-1-practice_url]").fill("/library/")
    screenshot("federal-session-form")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("federal-session-form-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Создать заседание").click()
    expect(page.locator("h1")).to_contain_text("Заседание №1")
    expect(page.get_by_test_id("agenda-items")).to_contain_text("Лучшие практики")
    expect(page.get_by_test_id("agenda-items").locator("a[href='/library/']")).to_be_visible()
    for box in page.locator("#attendance-form input[type=checkbox]").all():
        box.check()
    page.locator("#attendance-form [type=submit]").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("кворум")
    page.locator("#decision-form textarea[name=text]").fill("Проводить регулярные личные приёмы секретарей")
    page.locator("#decision-form [type=submit]").click()
    screenshot("federal-session-decided")
    page.get_by_role("link", name="Дать поручение").click()
    page.locator("input[name=due_on]").fill("2026-12-01")
    page.locator("#directive-form [type=submit]").click()
    expect(page.get_by_test_id("directive")).to_contain_text("выполнено 0 из 89")
    screenshot("federal-session")

    # Amur's staff pass it down to both local branches.
    page = _switch(page, login_page, "staff_a")
    nav_go(page, "Поручения")
    page.get_by_test_id("assignments").get_by_role("link", name="Проводить регулярные").first.click()
    for box in page.locator("#pass-down-form input[type=checkbox]").all():
        box.check()
    page.locator("#pass-down-form [type=submit]").click()
    expect(page.get_by_test_id("children")).to_contain_text(cast.local_a1.name)
    expect(page.get_by_test_id("children")).to_contain_text(cast.local_a2.name)

    # The secretary of the first local branch reports.
    page = _switch(page, login_page, "local")
    nav_go(page, "Поручения")
    page.get_by_test_id("assignments").get_by_role("link").first.click()
    expect(page.get_by_test_id("addressee")).to_contain_text(cast.local_a1.name)
    page.locator("#report-form textarea").fill("Проведено 3 приёма, 12 секретарей")
    page.locator("#report-form [type=submit]").click()
    expect(page.get_by_test_id("state")).to_contain_text("отчёт сдан")

    # Staff accept it, then report the region's assignment.
    page = _switch(page, login_page, "staff_a")
    nav_go(page, "Поручения")
    page.get_by_test_id("assignments").get_by_role("link", name="Проводить регулярные").first.click()
    page.get_by_test_id("children").get_by_role("link", name=cast.local_a1.name).click()
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_test_id("state")).to_contain_text("принято")
    page.get_by_role("link", name=str(cast.region_a)).click()
    page.locator("#report-form textarea").fill("Приёмы идут во всех местных отделениях")
    page.locator("#report-form [type=submit]").click()
    expect(page.get_by_test_id("state")).to_contain_text("отчёт сдан")
    screenshot("assignment-region")

    # The administrator accepts Amur's report; the dashboard shows Amur done.
    page = _switch(page, login_page, "admin")
    page.goto(f"{live_server.url}/federal-council/sessions/")
    page.get_by_role("link", name="10.09.2026").click()
    page.get_by_test_id("directive").get_by_role("link").click()
    expect(page.get_by_test_id("region-28")).to_have_attribute("data-status", "in_time")
    dashboard = page.url
    page.get_by_test_id("region-28").get_by_role("link").click()
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_test_id("state")).to_contain_text("принято")
    page.goto(dashboard)
    expect(page.get_by_test_id("region-28")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("region-10")).to_have_attribute("data-status", "in_time")
    expect(page.get_by_test_id("totals")).to_contain_text("выполнено: 1")
    screenshot("directive-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("directive-dashboard-phone")


def test_regional_staff_write_an_assignment_to_chosen_local_branches(login_page, live_server, cast, screenshot):
    page = login_page("staff_a")
    page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/assignments/")
    page.get_by_test_id("staff-directive").click()
    page.locator("input[name=title]").fill("Провести собрания секретарей первичных отделений")
    page.locator("input[name=due_on]").fill("2026-12-01")
    page.locator("input[name=to][value=local]").check()
    page.locator(f"input[name=local_branches][value='{cast.local_a2.pk}']").check()
    screenshot("staff-directive-form")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("staff-directive-form-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#staff-directive-form [type=submit]").click()
    expect(page.get_by_test_id("assignments")).to_contain_text("Провести собрания секретарей")
    expect(page.get_by_test_id("assignments")).to_contain_text(cast.local_a2.name)
    screenshot("staff-directive-issued")
