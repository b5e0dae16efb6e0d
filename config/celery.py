"""The Celery app, its delivery guarantees and its one beat schedule.

Time lives in the database, not in the broker: beat only wakes tasks that claim due
rows, so no task carries a countdown or ETA longer than a minute.
"""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready
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
        # A broker that does not answer is given up on quickly (core.queue logs it and
        # the request carries on), not waited for while a person looks at a spinner.
        "socket_connect_timeout": 2,
    },
    task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
    task_time_limit=3600,
    task_soft_time_limit=3500,
    # When the broker connection drops, stop running tasks whose messages Redis will
    # hand out again, rather than finish them twice.
    worker_cancel_long_running_tasks_on_connection_loss=True,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
    beat_schedule_filename=str(settings.CELERY_DATA_DIR / "beat-schedule"),
)

app.conf.beat_schedule = {
    # Deliver due notifications (inbox, then e-mail) every minute: a reminder is at most
    # a minute late, and the rows it claims make a second beat or a retry harmless.
    # Tests run their worker with a shorter tick (NOTIFICATIONS_TICK_SECONDS).
    "notifications-deliver-due": {
        "task": "notifications.deliver_due",
        "schedule": timedelta(seconds=settings.NOTIFICATIONS_TICK_SECONDS),
    },
    # Branches: once a day, just after midnight, move each person's time zone to the region
    # of the positions held today (terms dated in advance start and end at midnight;
    # the position services set it at once for every other change).
    "branches-person-time-zones": {
        "task": "branches.person_time_zones_refresh",
        "schedule": crontab(hour=0, minute=5),
    },
    # Branches: every minute, queue again an import whose task was lost (the broker was
    # down when it was uploaded or confirmed); the job's status makes a second task a no-op.
    "branches-imports-resume": {
        "task": "branches.imports_resume",
        "schedule": timedelta(minutes=1),
    },
    # Each app adds its planners below, on their own schedule; a planner only inserts
    # rows with notification_plan / notification_plan_many, so running it twice is harmless.
    # Receptions: produce each host's slots for the coming weeks from their hours.
    # Idempotent (a partial unique index), so a missed or doubled run changes nothing.
    "receptions-slots-generate": {
        "task": "receptions.slots_generate",
        "schedule": crontab(minute=5),
    },
    # Receptions: plan the 24- and 2-hour reminders of bookings starting within two days.
    # Bookings made on the site plan theirs at once; this catches the ones written in bulk.
    "receptions-reminders-plan": {
        "task": "receptions.reminders_plan",
        "schedule": crontab(minute="*/15"),
    },
    # Receptions: from the 15th of each month, remind hosts behind their region's norm
    # (one message per host, region and month, by its key).
    "receptions-behind-norm": {
        "task": "receptions.behind_norm_remind",
        "schedule": crontab(hour=2, minute=30),
    },
    # Councils: every hour, plan (and re-time, and cancel) each council's term and vacancy
    # reminders, one task per council; a change to a seat plans its council at once too.
    "councils-reminders": {
        "task": "councils.council_reminders_plan_all",
        "schedule": crontab(minute=20),
    },
    # Assignments: every night, recompute the figure of each measured assignment; its state
    # follows the figure (accepted at the target, returned below it) and its history keeps the value.
    "assignments-measure": {
        "task": "assignments.assignments_measure_all",
        "schedule": crontab(hour=3, minute=10),
    },
    # Assignments: on Monday morning, the week's digest of overdue assignments to each region's
    # staff (one key per region, week and person: a second run plans nothing).
    "assignments-weekly-digest": {
        "task": "assignments.weekly_digest_plan",
        "schedule": crontab(day_of_week=1, hour=4, minute=0),
    },
    # Contests: every hour, bring each open or judged contest's reminders in line with it
    # (drafts before the deadline, unscored entries before judging closes); the services
    # also do it at once after each change, so this catches what changes elsewhere, such
    # as a branch's new secretary.
    "contests-plan-reminders": {
        "task": "contests.plan_reminders",
        "schedule": timedelta(hours=1),
    },
    # Training: each night, assign the required courses to new holders of required posts
    # the services did not see (terms set in advance) and close those of ended terms.
    # Idempotent (one open assignment per person and course is a constraint).
    "training-assignments-sync": {
        "task": "training.assignments_sync",
        "schedule": crontab(hour=1, minute=40),
    },
    # Training: each night, bring each region's course reminders in line (one task per
    # region; notification_reconcile plans, re-times and cancels by key, so it is idempotent).
    "training-reminders": {
        "task": "training.reminders_plan_all",
        "schedule": crontab(hour=2, minute=50),
    },
    # Training: each night, ask the party school's Moodle about everyone not yet done
    # (nothing while TRAINING_MOODLE_URL/TOKEN are unset); a failed run changes nothing
    # and the next night retries.
    "training-moodle-pull": {
        "task": "training.moodle_pull",
        "schedule": crontab(hour=3, minute=10),
    },
    # Mentoring: every day, plan (and re-time, and cancel) each open or running programme's
    # reminders, one task per programme (a new secretary gets their pair's reminders); a
    # change to a pair or a check-in plans its programme at once too.
    "mentorship-reminders": {
        "task": "mentorship.programme_reminders_plan_all",
        "schedule": crontab(hour=3, minute=40),
    },
    # Events: every hour, bring each upcoming published event's expected list in line with
    # the tree (a secretary appointed or ended since publication; the reason is recorded)
    # and its reminders with it, one task per event; opening the event does it too.
    "events-expected-reconcile": {
        "task": "events.expected_reconcile_upcoming",
        "schedule": crontab(minute=35),
    },
    # Events: every ten minutes, move published events that have ended to held.
    "events-hold-ended": {
        "task": "events.events_hold_ended",
        "schedule": timedelta(minutes=10),
    },
}


@worker_ready.connect
def deliver_what_fell_due_while_down(sender, **kwargs):
    """A worker back from an outage delivers at once, without waiting for the next tick."""
    app.send_task("notifications.deliver_due")


app.autodiscover_tasks()
