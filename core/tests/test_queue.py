"""core.queue: a broker failure is logged and the caller carries on; an enqueue after commit waits for it."""

import logging

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError


class FakeTask:
    name = "tests.fake"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.sent: list = []

    def apply_async(self, *, args, kwargs, **options):
        if self.error:
            raise self.error
        self.sent.append((args, kwargs, options))


def test_a_broker_failure_is_logged_not_raised(caplog):
    from core.queue import enqueue

    caplog.set_level(logging.WARNING, logger="core.queue")
    assert enqueue(FakeTask(OperationalError("Error 111 connecting")), 7) is False
    assert "tests.fake not sent (broker unavailable)" in caplog.text


def test_a_sent_task_keeps_its_arguments_and_countdown():
    from core.queue import enqueue

    task = FakeTask()
    assert enqueue(task, 7, countdown=3.5, force=True) is True
    assert task.sent == [((7,), {"force": True}, {"countdown": 3.5})]


@pytest.mark.django_db(transaction=True)
def test_an_enqueue_on_commit_waits_for_the_commit_and_survives_the_broker(caplog):
    from core.queue import enqueue_on_commit

    task, down = FakeTask(), FakeTask(OperationalError("down"))
    with transaction.atomic():
        enqueue_on_commit(task, 1)
        enqueue_on_commit(down, 2)
        assert task.sent == []
    assert task.sent == [((1,), {}, {})]
    with transaction.atomic():
        enqueue_on_commit(task, 3)
        transaction.set_rollback(True)
    assert len(task.sent) == 1
