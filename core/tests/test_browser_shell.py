import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_user_logs_in_switches_language_and_logs_out(login_page, live_server, screenshot):
    page = login_page("secretary")
    expect(page.locator("h1")).to_contain_text("Добро пожаловать")
    screenshot("home-ru")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="EN").click()
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("h1")).to_contain_text("Log in to Pervichka")


def test_the_shell_fits_a_phone(page, live_server, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/login/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot("login-phone")


@pytest.mark.parametrize("role", ["admin", "staff_a", "staff_b", "secretary", "host", "juror"])
def test_the_navigation_fits_on_one_line_at_1366_px_in_russian(login_page, page, role, screenshot):
    page.set_viewport_size({"width": 1366, "height": 800})
    login_page(role)
    nav = page.locator("nav.navbar")
    assert nav.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert nav.evaluate("element => element.getBoundingClientRect().height") < 80  # one row
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(f"navigation-{role}-1366")


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_the_navigation_folds_behind_a_button_below_the_desktop_width(login_page, page, role, screenshot):
    page.set_viewport_size({"width": 991, "height": 800})  # Bootstrap's lg breakpoint is 992 px
    login_page(role)
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 991
    toggler.click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # unfolded, not still folding out
    assert page.evaluate("document.documentElement.scrollWidth") <= 991
    screenshot(f"navigation-{role}-991-open")
