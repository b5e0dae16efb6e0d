"""Every demo login's desk, at desktop and phone widths, on the seeded demo (screenshots: desk-<login>-<width>.png)."""

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
        page.context.clear_cookies()
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form [type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
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
    # The roles whose work the demo seeds each find something to do. (The juror's contest is
    # still taking entries in the demo, so their desk says plainly that nothing is due: a
    # judging contest for the demo juror is left in issue 18.)
    assert all(counts[login] for login in ("admin", "staff-amur", "staff-karelia", "secretary", "host")), counts
