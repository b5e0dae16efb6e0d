"""A whole contest in Chromium: an administrator opens it, two secretaries enter, two jurors
score, the administrator publishes, and the winner's practice is in the library."""

import re

import pytest
from playwright.sync_api import expect

from conftest import nav_go
from contests.models import Theme
from contests.tests.conftest import ACCEPTING, JUDGING, RESULTS

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _as(page, login_page, role):
    page.context.clear_cookies()
    return login_page(role)


def _open_contest(page, contest):
    nav_go(page, "Конкурсы")
    page.get_by_role("link", name=contest.name).click()
    expect(page.locator("h1")).to_contain_text(contest.name)


def _enter(page, *, title, practice):
    page.get_by_role("link", name="Подать заявку").click()
    page.get_by_label("Номинация").select_option(label="Наставничество")
    page.get_by_label("Название практики").fill(title)
    page.get_by_label("Описание практики").fill(practice)
    page.get_by_label("Вовлечено активистов").fill("12")
    page.get_by_label("Проведено мероприятий").fill("8")
    page.get_by_label("Охвачено жителей").fill("450")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("черновик")
    page.get_by_label("Добавить файл").set_input_files(
        files=[{"name": "отчёт.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("отчёт.pdf")
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("подана")


def _score(page, contest, title, values, screenshot=None):
    _open_contest(page, contest)
    page.get_by_role("link", name="Заявки на оценку").click()
    page.get_by_role("link", name=title).click()
    for field, value in zip(page.locator("input[name^=value_]").all(), values, strict=True):
        field.fill(str(value))
    page.locator("textarea[name^=comment_]").first.fill("Хорошая практика")
    if screenshot:
        screenshot("contest-score-sheet")
    page.get_by_role("button", name="Сохранить оценки").click()
    expect(page.get_by_text("Оценки сохранены.")).to_be_visible()


def test_a_whole_contest_from_opening_to_the_library(
    page, login_page, live_server, cast, world, second_secretary, second_juror, screenshot
):
    contest = world.contest
    # The jury: the cast's juror belongs to local branch A1, so never sees branch_a's entry.
    world.assign("juror", home=cast.local_a1)
    world.assign("juror_2")

    world.clock.go(ACCEPTING)
    _as(page, login_page, "admin")
    nav_go(page, "Конкурсы")
    screenshot("contest-list")
    _open_contest(page, contest)
    page.get_by_test_id("step-button").click()
    expect(page.get_by_test_id("step-consequences")).to_contain_text("Амурская область")
    screenshot("contest-step-confirm")
    page.get_by_test_id("step-confirm").click()
    expect(page.get_by_test_id("contest-status")).to_have_text("приём заявок")
    screenshot("contest-opened")

    _as(page, login_page, "secretary")
    _open_contest(page, contest)
    _enter(page, title="Школа секретаря", practice="Раз в квартал секретари собираются и разбирают трудные случаи.")
    screenshot("contest-entry")

    _as(page, login_page, "secretary_2")
    _open_contest(page, contest)
    _enter(
        page,
        title="Наставники для новых секретарей",
        practice="Опытные секретари закреплены за новыми.\n\nЗа год наставничество прошли 12 секретарей.",
    )

    world.clock.go(JUDGING)
    _as(page, login_page, "admin")
    _open_contest(page, contest)
    page.get_by_test_id("step-button").click()
    expect(page.get_by_test_id("step-consequences")).to_contain_text("жюри получает поданные заявки: 2")
    page.get_by_test_id("step-confirm").click()
    expect(page.get_by_test_id("contest-status")).to_have_text("оценка")
    page.get_by_role("link", name="Заявки", exact=True).click()
    expect(page.get_by_test_id("branches-entered")).to_have_text("2")
    screenshot("contest-entries")

    _as(page, login_page, "juror")
    _open_contest(page, contest)
    page.get_by_role("link", name="Заявки на оценку").click()
    expect(page.get_by_test_id("worklist")).not_to_contain_text("Школа секретаря")  # conflict of interest
    _score(page, contest, "Наставники для новых секретарей", [9, 9, 8, 9, 5], screenshot)
    expect(page.get_by_test_id("my-progress")).to_contain_text("1 из 1")
    screenshot("contest-juror-list")

    _as(page, login_page, "juror_2")
    _score(page, contest, "Школа секретаря", [6, 5, 6, 5, 3])
    _score(page, contest, "Наставники для новых секретарей", [8, 9, 9, 8, 4])
    expect(page.get_by_test_id("my-progress")).to_contain_text("2 из 2")

    world.clock.go(RESULTS)
    _as(page, login_page, "admin")
    _open_contest(page, contest)
    page.get_by_role("link", name="Работа жюри").click()
    expect(page.get_by_test_id("progress")).to_contain_text("100%")
    screenshot("contest-progress")
    _open_contest(page, contest)
    page.get_by_test_id("step-button").click()
    expect(page.get_by_test_id("step-consequences")).to_contain_text("Секретари отделений-участников (2)")
    page.get_by_test_id("step-confirm").click()
    expect(page.get_by_test_id("contest-status")).to_have_text("итоги опубликованы")
    page.get_by_role("link", name="Итоги").first.click()
    winners = page.get_by_test_id(f"results-{Theme.MENTORING}")
    expect(winners.locator("tbody tr").first).to_contain_text("Наставники для новых секретарей")
    expect(page.get_by_test_id("formulas")).to_be_visible()
    screenshot("contest-results")
    page.get_by_role("link", name="Версия для печати").click()
    expect(page.get_by_role("button", name="Печать")).to_be_visible()
    screenshot("contest-results-print")

    _as(page, login_page, "host")
    nav_go(page, "Библиотека")
    page.get_by_label("Поиск").fill("наставнику")
    expect(page).to_have_url(re.compile(r"q=%D0%BD"))
    library = page.get_by_test_id("library")
    expect(library).to_contain_text("Наставники для новых секретарей")
    expect(library).to_contain_text("1 место")
    screenshot("contest-library-search")
    page.get_by_role("link", name="Наставники для новых секретарей").click()
    expect(page.get_by_test_id("practice")).to_contain_text("За год наставничество прошли 12 секретарей.")
    screenshot("contest-library")


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_pick_a_juror_by_searching_not_from_a_list(login_page, live_server, cast, world, screenshot, width):
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/contests/{world.contest.pk}/jurors/new/")
    page.wait_for_load_state("load")  # htmx binds the picker at load: typing earlier goes unheard
    picker = page.get_by_label("Член жюри")
    picker.fill("жюр")  # the cast's juror holds no post in Amur: not offered for its regional stage
    expect(page.locator("[data-picker-results]")).to_contain_text("Никого не нашлось")
    picker.fill("депут")
    answer = page.get_by_role("button", name=re.compile("Депутатов Дмитрий Олегович"))
    expect(answer).to_contain_text("Амурская область")  # the post that tells namesakes apart
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"juror-picker-{width}")
    answer.click()
    page.locator("input[name=nominations]").first.check()
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_role("alert")).to_contain_text("Депутатов Дмитрий Олегович")
    assert world.contest.jurors.get().person == cast.person("host")
