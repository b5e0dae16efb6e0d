import re

import pytest
from playwright.sync_api import expect

from conftest import nav_go

pytestmark = pytest.mark.browser


def test_staff_search_create_appoint_and_export(login_page, live_server, cast, screenshot):
    page = login_page("staff_a")
    nav_go(page, "Отделения")
    expect(page.get_by_test_id("total")).to_contain_text("2")

    page.get_by_label("Номер или название").fill("заречн")
    expect(page.locator("#results tbody tr")).to_have_count(1, timeout=15_000)  # a loaded machine answers slowly
    expect(page.locator("#results tbody")).to_contain_text("Заречная")
    expect(page).to_have_url(re.compile(r"q=%D0%B7"))  # the filter is in the address, so it can be shared
    screenshot("branch-list-search")

    page.get_by_role("link", name="Новое отделение").click()
    page.get_by_label("Местное отделение").select_option(label="Благовещенское городское")
    page.get_by_label("Номер").fill("80")
    page.get_by_label("Название").fill("Голиковка")
    page.get_by_label("Населённый пункт").fill("Благовещенск")
    page.get_by_label("Членов").fill("12")
    page.get_by_label("Активистов").fill("3")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("h1")).to_contain_text("№80 «Голиковка»")
    expect(page.get_by_test_id("current-secretary")).to_contain_text("вакант")

    page.get_by_role("link", name="Назначить секретаря").click()
    page.get_by_label("Фамилия").fill("Новикова")
    page.get_by_label("Имя").fill("Нина")
    page.get_by_label("Телефон").fill("8 914 555-44-33")
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_test_id("current-secretary")).to_contain_text("Новикова Нина")
    screenshot("branch-detail")

    nav_go(page, "Отделения")
    with page.expect_download() as download:
        page.get_by_role("link", name="Экспорт XLSX").click()
    assert download.value.suggested_filename == "branches-28.xlsx"


def test_a_secretary_sees_their_branch_and_not_another(login_page, live_server, cast, screenshot):
    page = login_page("secretary")
    nav_go(page, "Моё отделение")
    expect(page.locator("h1")).to_contain_text("№1 «Центральная»")
    screenshot("secretary-branch")
    response = page.goto(f"{live_server.url}/branches/{cast.branch_b.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("Страница не найдена")
