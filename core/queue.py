"""Enqueue background work without ever turning a broker failure into an error page.

Every task Pervichka enqueues after a write is an optimisation: the row is the truth and a
beat task finds it within a minute (deliveries, reminder plans, import checks). So a
broker that is down or unreachable is logged and the caller carries on; `/healthz` is where
an operator sees the broker is down. Every enqueue in services goes through here.
"""

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any, countdown: float | None = None, **kwargs: Any) -> bool:
    """Send `task(*args, **kwargs)` to the broker now; log and return False when it cannot be sent."""
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except Exception:  # kombu's OperationalError, a socket error, a timeout: the broker, not our data
        logger.warning(
            "enqueue: %s not sent (broker unavailable); the row stays and the beat will pick it up",
            getattr(task, "name", task),
            exc_info=True,
        )
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Enqueue once the current transaction commits (at once outside one); never raise for the broker."""
    transaction.on_commit(lambda: enqueue(task, *args, countdown=countdown, **kwargs))
