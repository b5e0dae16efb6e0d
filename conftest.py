"""The fixed cast every test reuses, and the harness around it.

The cast: regional staff of region A and of region B, a primary-branch secretary, a
host (deputy), a juror, a federal administrator and an anonymous visitor. Tests ask
for `cast` and log in as one of them with `client_for(role)` or `login_page(role)`.
"""

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Playwright's sync API keeps an event loop in the test thread; Django then refuses
# synchronous database access there unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = ("staff_a", "staff_b", "secretary", "host", "juror", "admin", "anonymous")
PASSWORD = "correct-horse-42"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Cast:
    users: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic: keep static URLs unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db, django_user_model):
    users = {}
    for role in ROLES:
        if role == "anonymous":
            continue
        users[role] = django_user_model.objects.create_user(
            username=role.replace("_", "-"),
            password=PASSWORD,
            first_name=role.replace("_", " ").title(),
            is_superuser=role == "admin",
            is_staff=role == "admin",
        )
    return Cast(users=users)


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


@pytest.fixture
def assert_max_queries():
    """Pin the number of queries a block runs: `with assert_max_queries(5): ...`.

    On failure it prints every query, so a new N+1 is easy to find.
    """

    @contextmanager
    def check(expected: int, *, exact: bool = True):
        with CaptureQueriesContext(connection) as context:
            yield context
        count = len(context.captured_queries)
        ok = count == expected if exact else count <= expected
        if not ok:
            listing = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(context.captured_queries, 1))
            pytest.fail(f"expected {expected} queries, ran {count}:\n{listing}")

    return check


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
