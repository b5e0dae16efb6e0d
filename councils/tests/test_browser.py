import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import nav_go
from councils.models import CouncilSeat, SeatRole

pytestmark = pytest.mark.browser


def test_staff_appoint_a_chair_and_a_representative_then_end_a_term(login_page, live_server, cast, screenshot):
    page = login_page("staff_a")
    nav_go(page, "Совет")
    expect(page.locator("h1")).to_contain_text("Совет первичных отделений")
    expect(page.get_by_test_id("vacancies")).to_have_text("2")
    local_row = page.get_by_test_id(f"seat-{cast.local_a1.pk}")
    expect(local_row).to_contain_text("вакантно")

    # The chair: an existing person of the region, term by the policy.
    page.get_by_test_id("chair").get_by_role("link", name="Назначить").click()
    expect(page.get_by_label("Место")).to_have_value("chair")
    page.wait_for_load_state("load")  # htmx binds the picker at load: typing earlier goes unheard
    page.get_by_label("Человек, уже известный в регионе").fill("депутат")  # the picker searches as one types
    page.get_by_role("button", name=re.compile("Депутатов Дмитрий Олегович")).click()
    page.get_by_label("Номер решения").fill("1")
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_test_id("chair-state")).to_contain_text("Депутатов Дмитрий Олегович")
    expect(page.get_by_role("alert")).to_contain_text("назначен")

    # A representative of the first local branch: a new person, from a month ago.
    local_row.get_by_role("link", name="Назначить").click()
    page.get_by_label("Фамилия").fill("Новикова")
    page.get_by_label("Имя").fill("Нина")
    today = timezone.localdate(timezone=ZoneInfo(cast.region_a.time_zone))  # the staff member's day
    started = today - timedelta(days=30)
    page.get_by_label("Начало полномочий").fill(started.isoformat())
    screenshot("council-appoint-form")
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_test_id("vacancies")).to_have_text("1")
    expect(local_row).not_to_contain_text("вакантно")
    expect(local_row).to_contain_text("Новикова Нина")
    screenshot("council-composition")

    # End her term early: the vacancy returns.
    local_row.get_by_role("link", name="Новикова Нина").click()
    page.get_by_role("link", name="Прекратить досрочно").click()
    page.get_by_label("Причина").fill("сложила полномочия")
    page.get_by_role("button", name="Досрочно прекратить полномочия").click()
    expect(page.get_by_role("alert")).to_contain_text(f"прекращаются {today:%d.%m.%Y}")
    expect(page.get_by_test_id("vacancies")).to_have_text("2")
    expect(local_row).to_contain_text("вакантно")
    expect(page.get_by_test_id("history")).to_contain_text("сложила полномочия")
    screenshot("council-after-ending")

    seat = CouncilSeat.objects.get(role=SeatRole.REPRESENTATIVE)
    assert (seat.starts_on, seat.ends_on, seat.end_reason) == (started, today, "сложила полномочия")


def test_an_administrator_sorts_the_overview_and_opens_a_council(login_page, live_server, cast, screenshot):
    page = login_page("admin")
    nav_go(page, "Советы")
    expect(page.locator("[data-testid=overview] tbody tr")).to_have_count(89)
    page.get_by_role("link", name="Вакантно").click()
    page.get_by_role("link", name="Вакантно").click()  # again: most vacancies first
    first = page.locator("[data-testid=overview] tbody tr").first
    expect(first).to_contain_text("Амурская область")  # 2 vacancies; Karelia has 1
    screenshot("council-overview")
    page.get_by_role("link", name="Амурская область").click()
    expect(page.locator("h1")).to_contain_text("Совет первичных отделений")
    expect(page.get_by_role("link", name="Назначить")).to_have_count(0)  # administrators only look


def test_staff_hold_a_meeting_with_a_quorum_and_record_a_decision(login_page, live_server, cast, screenshot):
    from councils import services

    council = services.council_for(cast.region_a)
    today = timezone.localdate(timezone=ZoneInfo(cast.region_a.time_zone))
    for local, person in ((cast.local_a1, "secretary"), (cast.local_a2, "host")):
        services.seat_appoint(
            council=council,
            role=SeatRole.REPRESENTATIVE,
            local_branch=local,
            person=cast.person(person),
            starts_on=today - timedelta(days=10),
        )
    page = login_page("staff_a")
    nav_go(page, "Совет")
    page.get_by_role("link", name="Заседания").click()
    page.get_by_role("link", name="Новое заседание").click()
    page.get_by_label("Повестка").fill("1. Об утверждении плана работы.")
    page.get_by_role("button", name="Создать заседание").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("Явка ещё не записана")

    page.get_by_label("Секретарёва Светлана Ивановна").check()
    page.get_by_role("button", name="Записать явку").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("Присутствуют 1 из 2 занятых мест")
    expect(page.get_by_test_id("quorum")).to_contain_text("нет кворума")

    page.get_by_label("Депутатов Дмитрий Олегович").check()
    page.get_by_role("button", name="Записать явку").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("кворум есть")
    page.get_by_label("Номер").fill("1")
    page.get_by_label("Текст").fill("Утвердить план работы Совета на год.")
    page.get_by_role("button", name="Записать решение").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("Утвердить план работы")
    expect(page.get_by_role("button", name="Записать явку")).to_have_count(0)  # fixed once decided
    screenshot("council-meeting")


@pytest.mark.parametrize("width", [1366, 390])
def test_an_administrator_appoints_a_federal_council_member_found_by_search(
    login_page, live_server, cast, screenshot, width
):
    page = login_page("admin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/federal-council/appoint/")
    page.wait_for_load_state("load")
    expect(page.locator("main select[name=person]")).to_have_count(0)  # no select of the country's people
    page.get_by_label("Человек").fill("карел")  # any region: an administrator sees the country
    answer = page.get_by_role("button", name=re.compile("Карельский Борис Петрович"))
    expect(answer).to_contain_text("Республика Карелия")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"federal-member-picker-{width}")
    answer.click()
    today = timezone.localdate()
    page.get_by_label("Начало полномочий").fill(today.isoformat())
    page.get_by_label("Окончание полномочий").fill(today.replace(year=today.year + 1).isoformat())
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_role("alert")).to_contain_text("назначен")
    assert CouncilSeat.objects.get(role=SeatRole.MEMBER).person == cast.person("staff_b")
