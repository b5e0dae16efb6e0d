"""Background work of notifications: thin tasks that call one service."""

import logging

from celery import shared_task

from core.queue import enqueue_on_commit
from notifications import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.deliver_due")
def deliver_due() -> None:
    """Deliver whatever is due: the beat's tick every minute, wake-ups, catch-up after a restart.

    With more than a batch due, one more delivery is enqueued, so a worker's other
    processes (or other workers) share the backlog; each helper asks for at most one more.
    """
    report = services.deliver_due(on_backlog=lambda: enqueue_on_commit(deliver_due))
    if report.delivered or report.emailed or report.email_failures or report.unrenderable:
        logger.info(
            "notifications: %s delivered, %s e-mailed, %s e-mail failures, %s unrenderable",
            report.delivered,
            report.emailed,
            report.email_failures,
            report.unrenderable,
        )
