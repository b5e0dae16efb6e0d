from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services


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
