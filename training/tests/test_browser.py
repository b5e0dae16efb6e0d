"""In Chromium: staff upload the platform's export, resolve an unmatched row, the report changes,
and the secretary's desk shows the course done."""

import pytest
from playwright.sync_api import expect

from training.tests.factories import PLATFORM_COURSE_ID, export_csv, secretary_assignment

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run the upload's check and application in-process, after the commit as in production."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_staff_upload_resolve_and_the_secretary_sees_the_course_done(login_page, live_server, cast, screenshot):
    secretary_assignment(cast)
    region = f"{live_server.url}/training/regions/{cast.region_a.pk}/"
    page = login_page("staff_a")
    page.goto(region)
    expect(page.get_by_test_id("total-completed")).to_have_text("0")
    screenshot("training-region-before")

    page.locator(f'a[href="/training/regions/{cast.region_a.pk}/upload/"]').click()
    content = export_csv(
        [
            {"user": "u-100", "name": "Секретарёва С. И.", "course": PLATFORM_COURSE_ID, "completed": "10.09.2026"},
            {"user": "u-200", "name": "Неизвестный", "course": PLATFORM_COURSE_ID, "progress": "30"},
        ]
    )
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.locator("main form [type=submit]").click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "validated")
    expect(page.get_by_test_id("unmatched")).to_have_text("2")
    screenshot("training-upload-preview")
    page.locator("#run-status form [type=submit]").click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "done")

    page.goto(f"{region}unmatched/")
    row = page.locator("[data-testid=unmatched] tbody tr", has_text="u-100")
    row.locator("select[name=person]").select_option(label="Секретарёва Светлана Ивановна")
    row.locator("[type=submit]").click()
    expect(page.locator("[data-testid=unmatched] tbody")).not_to_contain_text("u-100")
    screenshot("training-unmatched")

    page.goto(region)
    expect(page.get_by_test_id("total-completed")).to_have_text("1")
    screenshot("training-region-after")

    page.context.clear_cookies()
    page = login_page("secretary")
    page.goto(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text("Школа секретаря")
    page.goto(f"{live_server.url}/training/")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot("training-mine-phone")
    response = page.goto(region)  # the region's report is for its staff
    assert response is not None and response.status == 404
