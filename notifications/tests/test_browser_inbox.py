import pytest
from playwright.sync_api import expect

from notifications import services

pytestmark = pytest.mark.browser


@pytest.fixture
def two_messages(cast, plan):
    plan("secretary", "council:1:session", subject="Заседание совета в пятницу", body="Повестка: выборы председателя.")
    plan("secretary", "contest:2026:open", subject="Открыт приём заявок на конкурс", url="/notifications/preferences/")
    services.deliver_due()


def test_a_secretary_reads_her_messages_and_the_badge_counts_down(login_page, live_server, screenshot, two_messages):
    page = login_page("secretary")
    badge = page.locator("#unread-badge")
    expect(badge).to_contain_text("2")

    page.get_by_test_id("inbox-link").click()
    expect(page.locator("h1")).to_have_text("Уведомления")
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    screenshot("notifications-inbox")

    # Mark as read without a reload: the row and the badge change in place.
    council = rows.filter(has_text="Заседание совета")
    council.get_by_role("button", name="Отметить прочитанным").click()
    expect(council.get_by_text("Прочитано")).to_be_visible()
    expect(badge).to_contain_text("1")

    # "Go to it" marks the other one read and leads to what it is about.
    rows.filter(has_text="Открыт приём заявок").get_by_role("link", name="Перейти").click()
    expect(page.locator("h1")).to_have_text("Настройки e-mail")
    expect(page.locator("#unread-badge")).to_be_hidden()
    screenshot("notifications-preferences")


def test_the_inbox_fits_a_phone(login_page, live_server, screenshot, two_messages):
    page = login_page("secretary")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_test_id("notification")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("notifications-inbox-phone")
