import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from notifications import services


@pytest.fixture(autouse=True)
def _shipped_regions_after_a_flush(request):
    """Put back the regions a data migration ships, for tests on committed data.

    A transactional test (a real worker, threads, the browser) ends by emptying every
    table, the 89 regions included, and the next such test's cast needs them. Loading
    them again the migration's way is cheaper and sturdier than a serialized rollback,
    which collides with the content types a flush recreates.
    """
    marker = request.node.get_closest_marker("django_db")
    if not ((marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    importlib.import_module("branches.migrations.0003_regions").load_regions(apps, None)


@pytest.fixture
def plan(cast):
    """Plan a general message to a role of the cast: `plan("secretary", "k1", due_in=...)`."""

    def make(role, key, *, due_in=timedelta(minutes=-1), subject="Собрание", body="Приходите.", url="", **extra):
        return services.notification_plan(
            recipient=cast.person(role),
            kind="general.message",
            key=key,
            due_at=timezone.now() + due_in,
            context={"subject": subject, "body": body, **extra},
            url=url,
        )

    return make


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox
