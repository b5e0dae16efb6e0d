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


def test_staff_read_an_import_preview_and_confirm_new_local_branches(login_page, live_server, cast, screenshot):
    from branches.tests.test_import_export import _csv, _row
    from config.celery import app

    content = _csv(
        [
            _row(1, name="Центральная-2", settlement="Благовещенск", secretary=("Новикова", "Нина", "")),
            _row(2, name="Заречная", local="Свободненское районное", settlement="Свободный", members_count="25",
                 activists_count="0", closed_on="01.03.2025"),
            _row(60, name="Опечатка", local="Благовещенскoе городское"),  # a Latin «o»
        ]
    )  # fmt: skip
    app.conf.task_always_eager = True
    try:
        page = login_page("staff_a")
        page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/import/")
        page.get_by_label("Файл").set_input_files({"name": "branches.csv", "mimeType": "text/csv", "buffer": content})
        page.get_by_role("button", name="Проверить файл").click()
        expect(page.locator("#import-status")).to_have_attribute("data-status", "validated", timeout=15_000)
        changes = page.get_by_test_id("changes")
        expect(changes).to_contain_text("Центральная-2")
        expect(changes.locator("del").first).to_have_text("Центральная")
        expect(changes).to_contain_text("Секретарёва Светлана Ивановна")
        expect(page.get_by_test_id("new-local-branches")).to_contain_text("1 новое местное отделение")
        screenshot("import-preview")

        page.get_by_test_id("change-kinds").get_by_role("link", name=re.compile("Новое местное")).click()
        expect(page.get_by_test_id("similar")).to_contain_text("Благовещенское городское")
        expect(page.get_by_test_id("mixed-scripts")).to_contain_text("латинские и русские буквы")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_load_state("load")  # the stylesheets applied before measuring
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
        screenshot("import-preview-phone")

        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_label(re.compile("Я проверил")).check()
        page.get_by_role("button", name="Применить изменения").click()
        expect(page.locator("#import-status")).to_have_attribute("data-status", "done", timeout=15_000)
        expect(page.get_by_role("heading", name="Что изменено")).to_be_visible()
    finally:
        app.conf.task_always_eager = False


def test_staff_end_a_secretary_s_term_without_a_successor_on_a_phone(login_page, live_server, cast, screenshot):
    page = login_page("staff_a")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/branches/{cast.branch_a.pk}/")
    page.get_by_role("link", name="Прекратить полномочия без преемника").click()
    expect(page.locator("main")).to_contain_text("станет вакантным")
    page.get_by_label("Причина").select_option(label="по собственному желанию")
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("secretary-end-phone")
    page.get_by_role("button", name="Прекратить полномочия").click()
    expect(page.get_by_test_id("current-secretary")).to_contain_text("вакант")
    expect(page.locator(".alert-success")).to_contain_text("вакантно с")


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_read_the_personal_data_log_from_their_region_page(login_page, live_server, cast, screenshot, width):
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/branches/{cast.branch_a.pk}/")  # logs a view of the secretary's contacts
    nav_go(page, "Мой регион")
    page.get_by_role("link", name="Журнал доступа к персональным данным").click()
    expect(page.get_by_test_id("data-log")).to_contain_text("Секретарёва Светлана Ивановна")
    page.get_by_text("Фильтры").click()
    page.get_by_label("Чьи данные (фамилия)").fill("нет такой")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("main")).to_contain_text("Таких обращений нет.")
    page.go_back()
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"data-log-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_appoint_a_person_from_another_region_found_by_phone(login_page, live_server, cast, screenshot, width):
    from django.utils import timezone

    from branches import services

    karelian = services.person_create(last_name="Карелова", first_name="Кира", phone="+79110000001")
    services.secretary_appoint(branch=cast.branch_b, person=karelian, starts_on=timezone.localdate())
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/branches/{cast.branch_a2.pk}/secretary/")
    picker = page.get_by_label("Человек, уже известный в регионе")
    picker.fill("карел")
    expect(page.locator("[data-picker-results]")).to_contain_text("Никого не нашлось")
    picker.fill("8 911 000-00-01")
    answer = page.get_by_role("button", name=re.compile("Карелова Кира"))
    expect(answer).to_contain_text("найден по точному контакту")
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"person-picker-{width}")
    answer.click()
    page.get_by_role("button", name="Назначить").click()
    expect(page.locator("main")).to_contain_text("уже секретарь")  # she still holds №80 in Karelia
    page.get_by_label(re.compile("Всё равно назначить")).check()
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_test_id("current-secretary")).to_contain_text("Карелова Кира")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_secretary_chooses_the_time_zone_of_their_pages(login_page, live_server, cast, screenshot, width):
    page = login_page("secretary")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/preferences/")
    expect(page.locator("main")).to_contain_text("МСК+6 (UTC+9)")
    page.get_by_label("Часовой пояс моих страниц и сообщений").select_option(value="Europe/Moscow")
    screenshot(f"preferences-{width}")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".alert-success")).to_contain_text("московское время (UTC+3)")
    expect(page.get_by_test_id("shown-zone")).to_contain_text("московское время", use_inner_text=False)
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_appoint_a_local_secretary_and_a_municipal_deputy_from_the_posts_page(
    login_page, live_server, cast, screenshot, width
):
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/")
    page.get_by_role("link", name="Руководители и депутаты").click()
    unit = page.locator("tbody", has_text="Свободненское районное")
    expect(unit).to_contain_text("вакантно")
    unit.get_by_role("link", name="Назначить").click()
    expect(page.locator("h1")).to_contain_text("секретарь местного отделения, Свободненское районное")
    page.get_by_label("Фамилия").fill("Свободная")
    page.get_by_label("Имя").fill("Вера")
    page.get_by_label("Решение").fill("протокол № 7")
    page.get_by_role("button", name="Назначить").click()
    expect(page.locator(".alert-success")).to_contain_text("Свободная Вера: секретарь местного отделения")
    expect(page.locator("tbody", has_text="Свободненское районное")).to_contain_text("протокол № 7")

    page.get_by_role("link", name="Новая должность").click()
    page.get_by_label("Должность").select_option(label="Муниципальный депутат")
    page.get_by_label("Местное отделение").select_option(label="Благовещенское городское")
    page.get_by_label("Фамилия").fill("Думская")
    page.get_by_label("Имя").fill("Дарья")
    page.get_by_role("button", name="Назначить").click()
    expect(page.locator("tbody", has_text="Благовещенское городское")).to_contain_text("Думская Дарья")
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"posts-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_page_size_in_use_is_shown_and_kept_when_a_filter_changes(login_page, live_server, cast, screenshot, width):
    from branches import services

    for number in range(100, 130):  # 32 open branches in region A; those from 100 have no secretary
        services.branch_create(local_branch=cast.local_a1, number=number, name=f"Ветка {number}")
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    nav_go(page, "Отделения")
    page.wait_for_load_state("load")
    size = page.locator("#id_size")
    expect(size).to_have_value("50")  # the size in use, shown though the address names none
    expect(page.locator("#results tbody tr")).to_have_count(32)
    size.select_option("10")
    expect(page.locator("#results tbody tr")).to_have_count(10, timeout=15_000)
    expect(page).to_have_url(re.compile(r"size=10"))
    page.locator("#id_secretary").select_option("no")
    expect(page).to_have_url(re.compile(r"secretary=no"), timeout=15_000)
    expect(page.locator("#results tbody tr")).to_have_count(10, timeout=15_000)  # 31 vacant, still ten a page
    expect(size).to_have_value("10")
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator("#id_size")).to_have_value("10")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"branch-list-size-{width}")
