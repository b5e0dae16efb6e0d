"""The Celery settings that make delivery at-least-once without duplicates."""

from datetime import timedelta

from celery.contrib.django.task import DjangoTask

from config.celery import app
from notifications import tasks


def test_a_task_is_acknowledged_only_after_it_ran_and_requeued_if_its_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_a_worker_takes_one_message_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_redis_waits_longer_than_any_task_before_handing_a_message_out_again():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > app.conf.task_time_limit > app.conf.task_soft_time_limit


def test_tasks_can_be_enqueued_after_commit():
    assert isinstance(tasks.deliver_due, DjangoTask)
    assert hasattr(tasks.deliver_due, "delay_on_commit")


def test_the_beat_delivers_every_minute_and_names_real_tasks():
    entry = app.conf.beat_schedule["notifications-deliver-due"]
    assert entry["task"] == tasks.deliver_due.name
    assert entry["schedule"] == timedelta(minutes=1)
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


def test_no_beat_entry_carries_a_countdown_or_eta():
    for entry in app.conf.beat_schedule.values():
        options = entry.get("options", {})
        assert "eta" not in options
        assert options.get("countdown", 0) <= 60
