"""The region's page with every app's section, on a desktop and a phone: readable, no sideways
scroll, and axe finds no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from branches.tests.test_region_sections import ORDER, every_app  # noqa: F401 (a fixture)
from core.tests.test_accessibility import _violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_the_region_page_shows_every_apps_figures(login_page, live_server, cast, every_app, screenshot, width):  # noqa: F811
    page = login_page("staff_a")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/regions/{cast.region_a.pk}/")
    page.wait_for_load_state("load")  # the stylesheets applied before measuring
    for app in ORDER:
        expect(page.get_by_test_id(f"region-section-{app}")).to_be_visible()
    events = page.get_by_test_id("region-section-events")
    expect(events).to_contain_text("Предстоящие мероприятия")
    expect(events.get_by_role("link", name="Отчёт о явке")).to_be_visible()
    expect(page.get_by_test_id("region-section-assignments")).to_contain_text("В работе")
    expect(page.get_by_test_id("region-section-reserve")).to_contain_text("Кандидатов в резерве")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the region page scrolls sideways at {width} px ({scroll} px)"
    screenshot(f"region-sections-{width}")
    assert _violations(page) == []

    page.get_by_test_id("region-section-assignments").get_by_role("link", name="1", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Поручения")
