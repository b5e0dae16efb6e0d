import re

import pytest
from playwright.sync_api import expect

from conftest import nav_go
from reserve.models import Nomination, Status
from reserve.tests.conftest import regional_pool

pytestmark = pytest.mark.browser

DAYS_AS_SECRETARY = re.compile("дней секретарём первичного отделения", re.IGNORECASE)


def test_staff_nominate_include_see_the_evidence_appoint_and_see_the_nomination_promoted(
    login_page, live_server, cast, screenshot
):
    regional_pool(cast, title="Резерв секретарей Приамурья")
    page = login_page("staff_a")
    nav_go(page, "Резерв")
    page.get_by_role("link", name="Резерв секретарей Приамурья").click()
    page.get_by_role("link", name="Выдвинуть").click()
    page.wait_for_load_state("load")  # htmx binds the picker at load: typing earlier goes unheard
    page.locator("[name=person_q]").fill("Секретарёва")  # the person picker searches as one types
    page.get_by_role("button", name=re.compile("Секретарёва Светлана Ивановна")).click()
    page.locator("[name=readiness]").select_option("now")
    page.locator("[name=reason]").fill("Шесть лет секретарём, курс пройден")
    page.get_by_role("button", name="Выдвинуть").click()
    expect(page.get_by_test_id("nomination-status")).to_contain_text("выдвинут")

    # Include with the minutes number: version 2 freezes the record beside the live one.
    page.locator("[name=status]").select_option("included")
    page.locator("[name=decision_ref]").fill("Протокол № 7")
    page.get_by_role("button", name="Записать решение").click()
    expect(page.get_by_role("alert")).to_contain_text("Решение записано")
    expect(page.get_by_test_id("nomination-status")).to_contain_text("включён")
    expect(page.get_by_test_id("snapshots")).to_contain_text("Протокол № 7")
    expect(page.get_by_test_id("frozen-record")).to_contain_text(DAYS_AS_SECRETARY)
    screenshot("reserve-nomination")

    # The pool's ranking shows the formula and the parts, never a bare number.
    page.get_by_role("link", name="Резерв секретарей Приамурья").click()
    expect(page.get_by_test_id("formula")).to_contain_text("стаж секретаря")
    expect(page.get_by_test_id("ranking")).to_contain_text("Секретарёва Светлана Ивановна")
    screenshot("reserve-pool")

    # Appointed secretary of a local branch from the region's posts page: the nomination is promoted.
    page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/posts/")
    page.locator("tbody", has_text="Свободненское районное").get_by_role("link", name="Назначить").click()
    page.wait_for_load_state("load")  # htmx binds the picker at load: typing earlier goes unheard
    page.locator("[name=person_q]").fill("Секретарёва")  # the person picker searches as one types
    page.get_by_role("button", name=re.compile("Секретарёва Светлана Ивановна")).click()
    page.locator("[name=decision]").fill("Решение бюро № 12")
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_role("alert")).to_contain_text("секретарь местного отделения")
    nomination = Nomination.objects.get(person=cast.person("secretary"))
    assert nomination.status == Status.PROMOTED
    page.goto(f"{live_server.url}{nomination.get_absolute_url()}")
    expect(page.get_by_test_id("nomination-status")).to_contain_text("назначен")
    expect(page.get_by_test_id("snapshots")).to_contain_text("Решение бюро № 12")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("reserve-nomination-phone")
    page.goto(f"{live_server.url}/reserve/{nomination.pool_id}/")
    expect(page.get_by_test_id("ranking")).to_be_visible()
    screenshot("reserve-pool-phone")


def test_the_secretary_sees_her_own_record_and_whether_she_is_nominated(login_page, live_server, cast, screenshot):
    from reserve.tests.conftest import nominated

    nominated(cast)
    page = login_page("secretary")
    nav_go(page, "Мой резерв")
    expect(page.get_by_test_id("my-nominations")).to_contain_text("Резерв Амурской области")
    page.get_by_role("link", name="Мои показатели работы").click()
    expect(page.get_by_test_id("activity-record")).to_contain_text(DAYS_AS_SECRETARY)
    screenshot("reserve-own-record-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("reserve-own-record-390")
