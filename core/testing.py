"""Test helpers shared by every app: the URL × role table row."""

from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

ALL_LOGGED_IN = frozenset({"staff_a", "staff_b", "secretary", "host", "juror", "admin"})


@dataclass(frozen=True)
class AccessRow:
    """What each role of the cast gets from one named URL.

    `ok` roles get `ok_status`; the anonymous visitor gets `anonymous` (302 to the
    login page for protected pages); every other role gets `denied` (404 for another
    region's object, 403 for a page the role may not open at all).
    `kwargs` builds the URL arguments from the cast.
    """

    name: str
    ok: frozenset[str]
    denied: int = 403
    anonymous: int = 302
    ok_status: int = 200
    method: str = "get"
    kwargs: Callable = field(default=lambda cast: {})
    # Exceptions to the rule above, e.g. {"secretary": 403}: may read the branch, not change it.
    overrides: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if role in self.overrides:
            return self.overrides[role]
        if role in self.ok:
            return self.ok_status
        if role == "anonymous":
            return self.anonymous
        return self.denied


def access_rows() -> list[AccessRow]:
    """Every row of the URL × role table, gathered from each app's `tests/access_rows.py`.

    The one source for the access test (core/tests/test_url_matrix.py) and for the
    benchmark's every-page scenario (bench/pages.py), so a new page is in both at once.
    """
    import importlib

    from django.apps import apps

    rows = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.access_rows")
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROWS)
    return rows


def run_concurrently(action: Callable, arguments: list, *, expected_errors=(Exception,)) -> list:
    """Run `action(argument)` in one thread per argument, all released at the same instant.

    Returns, in no particular order, each call's result or the exception it raised
    (unexpected ones too, so that a test sees them instead of losing a thread).
    Each thread closes its own database connection. For tests marked
    `django_db(transaction=True)`, so that the threads see each other's commits.
    """
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(arguments))
    outcomes = []
    lock = threading.Lock()

    def run(argument):
        try:
            barrier.wait(timeout=30)
            outcome = action(argument)
        except expected_errors as error:
            outcome = error
        except Exception as error:  # reported to the test, which fails on it
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def is_deadlock(outcome) -> bool:
    """True for PostgreSQL's "deadlock detected": two inserts that each wait for the other's
    uncommitted row under an exclusion constraint; the database refuses one of them."""
    cause = getattr(outcome, "__cause__", None)
    return getattr(cause, "pgcode", None) == "40P01"


@contextmanager
def broker_unreachable(port: int = 1):
    """Point the Celery app at a closed port on loopback for the duration (the broker is down).

    The app keeps a pool of broker connections and a pool of producers; both are dropped on
    the way in and out, so the next enqueue connects to the URL in force.
    """
    from config.celery import app

    def reset_pools():
        app._pool = None
        with suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = original
        reset_pools()
