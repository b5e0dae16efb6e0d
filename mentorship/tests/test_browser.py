from datetime import date

import pytest
from playwright.sync_api import expect

from branches import services as branch_services
from conftest import PASSWORD, _password_hash, nav_go
from mentorship.models import Pair, PairStatus
from mentorship.tests.conftest import running_programme

pytestmark = pytest.mark.browser


def _mentee_secretary(cast, django_user_model):
    """Branch №2 «Заречная» gets a secretary with a login of her own."""
    user = django_user_model.objects.create(username="secretary-2", password=_password_hash())
    person = branch_services.person_create(last_name="Заречнова", first_name="Зоя", user=user)
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=date(2020, 1, 1))
    return user


def _log_in_as(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def test_staff_take_a_suggestion_both_secretaries_see_the_pair_and_a_check_in_puts_it_on_track(
    login_page, live_server, cast, django_user_model, screenshot
):
    programme = running_programme(cast.region_a, title="Амурское наставничество")
    _mentee_secretary(cast, django_user_model)

    # Staff: from the programme to the suggestions for branch №2, and take the first.
    page = login_page("staff_a")
    nav_go(page, "Наставничество")
    page.get_by_role("link", name="Амурское наставничество").click()
    page.get_by_role("link", name="Подобрать наставника").click()
    page.wait_for_url("**/suggestions/")
    page.get_by_label("Подопечное отделение").select_option(label="№2 «Заречная»")
    page.get_by_role("button", name="Подобрать наставников").click()
    page.wait_for_url(lambda url: url.endswith(f"/suggestions/?mentee={cast.branch_a2.pk}"))
    first = page.get_by_test_id("suggestions").locator("li").first
    expect(first).to_contain_text("№1 «Центральная»")
    expect(first).to_contain_text("свободно мест: 3 из 3")
    screenshot("mentoring-suggestions")
    first.get_by_role("button", name="Создать пару с этим наставником").click()
    expect(page.get_by_test_id("pair-status")).to_contain_text("предложена")
    page.get_by_role("button", name="Запустить пару").click()
    expect(page.get_by_test_id("pair-status")).to_contain_text("работает")
    expect(page.get_by_test_id("health")).to_contain_text("рано судить")
    expect(page.get_by_test_id("mentor-person")).to_contain_text("Секретарёва Светлана Ивановна")
    expect(page.get_by_test_id("mentee-person")).to_contain_text("Заречнова Зоя")
    pair = Pair.objects.get(programme=programme)
    assert pair.status == PairStatus.ACTIVE and "то же" not in pair.reasons

    # The mentor's secretary finds the pair among her own and records a call.
    _log_in_as(page, live_server, "secretary")
    nav_go(page, "Наставничество")
    page.get_by_test_id("pairs").get_by_role("link", name="№1 «Центральная»").click()
    page.get_by_role("link", name="Записать встречу").click()
    page.locator("[name=kind]").select_option("call")
    page.locator("[name=notes]").fill("Обсудили, как организовать приём граждан")
    page.locator("[name=next_step]").fill("Совместный приём в октябре")
    page.get_by_role("button", name="Записать встречу").click()
    expect(page.get_by_role("alert")).to_contain_text("Встреча записана")
    expect(page.get_by_test_id("health")).to_contain_text("в графике")
    expect(page.get_by_test_id("check-ins")).to_contain_text("Совместный приём в октябре")
    screenshot("mentoring-pair")

    # The mentee's secretary sees the pair and its next check-in on her desk.
    _log_in_as(page, live_server, "secretary-2")
    expect(page.get_by_test_id("desk")).to_contain_text("следующая встреча до")
    page.get_by_test_id("desk").get_by_role("link", name="Наставничество: №1 «Центральная» → №2 «Заречная»").click()
    expect(page.get_by_test_id("health")).to_contain_text("в графике")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("mentoring-pair-phone")
