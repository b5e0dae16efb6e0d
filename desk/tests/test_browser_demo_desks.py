"""Every demo login's desk, at desktop and phone widths, on the seeded demo (screenshots: desk-<login>-<width>.png)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)


def test_every_demo_login_reads_its_desk_at_1366_and_390(page, live_server, screenshot):
    from branches.data.regions import ensure_regions
    from branches.models import Region
    from councils.services import councils_create_missing

    if not Region.objects.exists():  # a transactional test before this one flushed them (and their councils)
        ensure_regions(Region)
        councils_create_missing()
    call_command("seed_demo", scale="demo", seed=1, verbosity=0)
    counts = {}
    for username, _description in DEMO_ACCOUNTS:
        _log_in(page, live_server, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}{reverse('desk:home')}")
            desk = page.get_by_test_id("desk")
            expect(desk).to_be_visible()
            counts[username] = desk.locator("li").count()
            if not counts[username]:
                expect(page.get_by_test_id("desk-empty")).to_have_text("Сейчас от вас ничего не требуется.")
            page.wait_for_load_state("load")  # the stylesheets applied before measuring
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{username}'s desk scrolls sideways at {width} px ({scroll} px)"
            screenshot(f"desk-{username}-{width}")
    # Every demo login finds something to do (the juror: Karelia's stage is being judged).
    assert all(counts[login] for login, _description in DEMO_ACCOUNTS), counts

    # The two main tasks the demo once left impossible, from the desk on.
    # The juror scores: the desk leads to Karelia's entries, each still to score.
    _log_in(page, live_server, "juror")
    page.get_by_test_id("desk").get_by_role("link", name=re.compile("Заявки на оценку")).click()
    worklist = page.get_by_test_id("worklist")
    expect(worklist.locator("tbody tr")).to_have_count(12)
    worklist.get_by_role("link").first.click()
    expect(page.locator("main form")).to_be_visible()
    screenshot("demo-juror-score-sheet")
    # The Karelia secretary books a free time with a host who serves №80 «Голиковка».
    _log_in(page, live_server, "secretary-80")
    page.get_by_test_id("desk").get_by_role("link", name=re.compile("Приём не назначен")).click()
    hosts = page.get_by_test_id("hosts")
    expect(hosts.locator("tbody tr").first).not_to_contain_text("нет свободного")
    hosts.locator("tbody tr").first.get_by_role("link").click()
    page.get_by_role("link", name="Записаться").first.click()
    page.get_by_label("Тема").fill("Ремонт клуба в Голиковке")
    page.get_by_role("button", name="Записаться").click()
    expect(page.get_by_test_id("booking-status")).to_contain_text("записан")
    screenshot("demo-secretary-80-booked")


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
