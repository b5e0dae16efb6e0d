"""Celery tasks are named "<app>.<function>", so a moved module keeps its messages and beat entries."""

from config.celery import app


def test_every_task_is_named_after_its_app_and_function():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "notifications.deliver_due" in ours
    for name, task in ours.items():
        app_label = task.run.__module__.split(".")[0]
        assert name == f"{app_label}.{task.run.__name__}", task.run.__module__
