"""The fixed cast every test reuses, and the harness around it.

The cast: regional staff of region A and of region B, a primary-branch secretary, a
host (deputy), a juror, a federal administrator and an anonymous visitor. Tests ask
for `cast` and log in as one of them with `client_for(role)` or `login_page(role)`.
"""

import functools
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

# Playwright's sync API keeps an event loop in the test thread; Django then refuses
# synchronous database access there unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = ("staff_a", "staff_b", "secretary", "host", "juror", "admin", "anonymous")
PASSWORD = "correct-horse-42"
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    """Without DATABASE_URL, start this checkout's embedded PostgreSQL (settings only name it)."""
    if not os.environ.get("DATABASE_URL"):
        from config.embedded_db import ensure_running

        ensure_running()


@dataclass
class Cast:
    """The fixed cast and the small world it lives in (built through services).

    Region A is Amur (28) with local branches A1 and A2; region B is Karelia (10)
    with local branch B1 and branch №80 «Голиковка». The secretary runs branch_a
    (№1 in A1); the host is a deputy of the Amur regional parliament.
    """

    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    region_a: object = None
    region_b: object = None
    local_a1: object = None
    local_a2: object = None
    local_b1: object = None
    branch_a: object = None
    branch_a2: object = None
    branch_b: object = None

    def user(self, role: str):
        return self.users.get(role)

    def person(self, role: str):
        return self.people.get(role)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic: keep static URLs unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_region_choices():
    """Each test builds its regions (a flush gives them new ids): forget the cached choices."""
    from branches.selectors import region_choices_forget

    region_choices_forget()
    yield
    region_choices_forget()


# Every cast member's term started here, so "today" in any test is inside it.
TERM_START = date(2020, 1, 1)

# "Now" in every test that does not travel elsewhere: a Wednesday, 09:00 in Moscow and
# 15:00 in Blagoveshchensk, so no outcome depends on the day the suite happens to run.
FROZEN_AT = datetime(2026, 9, 16, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(request):
    """Stop the clock at FROZEN_AT for the test; fixtures and tests that travel go on from there.

    Browser tests start at FROZEN_AT too, but their clock runs (the live server answers
    while Chromium waits). Chromium keeps cookies by its own, real clock; Django's cookies
    carry Max-Age, which Chromium prefers to Expires, so a server clock behind or ahead
    of the real one logs no one out. Tests marked `real_clock` (a real Celery worker in
    another process) keep the real clock.
    """
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(FROZEN_AT, tick=request.node.get_closest_marker("browser") is not None):
        yield


@functools.cache
def _password_hash() -> str:
    """Hash the cast's password once (Argon2 is slow on purpose), then reuse it."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def build_cast(user_model) -> Cast:
    from branches import services
    from branches.data.regions import ensure_regions
    from branches.models import Region, Role

    if not Region.objects.exists():  # a transactional test before this one flushed them (and their councils)
        from councils.services import councils_create_missing

        ensure_regions(Region)
        councils_create_missing()
    cast = Cast()
    cast.region_a = Region.objects.get(code="28")
    cast.region_b = Region.objects.get(code="10")
    cast.local_a1 = services.local_branch_create(region=cast.region_a, name="Благовещенское городское")
    cast.local_a2 = services.local_branch_create(region=cast.region_a, name="Свободненское районное")
    cast.local_b1 = services.local_branch_create(region=cast.region_b, name="Петрозаводское городское")
    cast.branch_a = services.branch_create(
        local_branch=cast.local_a1, number=1, name="Центральная", settlement="Благовещенск", members_count=40
    )
    cast.branch_a2 = services.branch_create(
        local_branch=cast.local_a2, number=2, name="Заречная", settlement="Свободный", members_count=25
    )
    cast.branch_b = services.branch_create(
        local_branch=cast.local_b1, number=80, name="Голиковка", settlement="Петрозаводск", members_count=31
    )
    names = {
        "staff_a": ("Аппаратова", "Анна", "Сергеевна"),
        "staff_b": ("Карельский", "Борис", "Петрович"),
        "secretary": ("Секретарёва", "Светлана", "Ивановна"),
        "host": ("Депутатов", "Дмитрий", "Олегович"),
        "juror": ("Жюрина", "Жанна", "Андреевна"),
        "admin": ("Федоров", "Фёдор", "Фёдорович"),
    }
    for role, (last, first, patronymic) in names.items():
        user = user_model.objects.create(
            username=role.replace("_", "-"),
            password=_password_hash(),
            first_name=first,
            last_name=last,
            email=f"{role}@example.org",
            is_superuser=role == "admin",
            is_staff=role == "admin",
        )
        cast.users[role] = user
        cast.people[role] = services.person_create(
            last_name=last, first_name=first, patronymic=patronymic, email=user.email, user=user
        )
    start = TERM_START
    services.position_create(
        person=cast.people["staff_a"], role=Role.REGIONAL_STAFF, region=cast.region_a, starts_on=start
    )
    services.position_create(
        person=cast.people["staff_b"], role=Role.REGIONAL_STAFF, region=cast.region_b, starts_on=start
    )
    services.secretary_appoint(branch=cast.branch_a, person=cast.people["secretary"], starts_on=start)
    services.position_create(
        person=cast.people["host"], role=Role.REGIONAL_DEPUTY, region=cast.region_a, starts_on=start
    )
    services.position_create(person=cast.people["admin"], role=Role.FEDERAL_ADMIN, starts_on=start)
    return cast


@pytest.fixture
def cast(db, django_user_model):
    return build_cast(django_user_model)


@pytest.fixture
def client_for(cast, client):
    """Return a Django test client logged in as the given role (or anonymous)."""

    def make(role: str):
        from django.test import Client

        browser = Client()
        if role != "anonymous":
            browser.force_login(cast.user(role))
        return browser

    return make


# Browser tests ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 900}}


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def screenshot(page):
    """Save the page as screenshots/<name>.png (git-ignored) to look at after a run."""

    def take(name: str):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


def nav_go(page, name: str) -> None:
    """Follow a link of the top navigation, opening its menu first when the link sits in one."""
    nav = page.locator("#main-nav")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():  # a phone: the bar itself is folded
            toggler.click()
        # A folded menu's links are hidden, and hidden elements have no role: find it by its text.
        menu = nav.locator(".dropdown", has=page.locator(f'a:text-is("{name}")'))
        menu.locator("[data-bs-toggle=dropdown]").click()
    link.click()
    # Until the load event the deferred scripts (htmx) have not bound the page: typing into a
    # filter before then would go unheard.
    page.wait_for_load_state("load")


@pytest.fixture
def login_page(page, live_server, cast):
    """Return a function that logs the page in as a role through the real form."""

    def login(role: str):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", cast.user(role).username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form [type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return login


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads made by tests (contest attachments) land in a temporary folder, never in media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
