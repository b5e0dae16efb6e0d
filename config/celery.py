"""The Celery app, its delivery guarantees and its one beat schedule.

Time lives in the database, not in the broker: beat only wakes tasks that claim due
rows, so no task carries a countdown or ETA longer than a minute.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if not settings.REDIS_URL:
    # The file-system broker of `make run` needs its folders before the first message.
    for folder in ("queue", "control"):
        (settings.CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)

app = Celery("pervichka")
app.config_from_object("django.conf:settings", namespace="CELERY")

# At-least-once delivery; the claim on each row makes the second delivery a no-op.
app.conf.update(
    # Acknowledge after the task ran, so a killed worker's task is delivered again.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # Take one message at a time: nothing waits in a dead worker's buffer.
    worker_prefetch_multiplier=1,
    # Redis re-delivers an unacknowledged message after this long; it must exceed the
    # longest task (the national import), or a slow task would run twice at once.
    broker_transport_options={
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": 2 * 3600,
    },
    task_time_limit=3600,
    task_soft_time_limit=3500,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
    beat_schedule_filename=str(settings.CELERY_DATA_DIR / "beat-schedule"),
)

app.conf.beat_schedule = {
    # Receptions: produce each host's slots for the coming weeks from their hours.
    # Idempotent (a partial unique index), so a missed or doubled run changes nothing.
    "receptions-slots-generate": {
        "task": "receptions.tasks.slots_generate",
        "schedule": crontab(minute=5),
    },
}

app.autodiscover_tasks()
