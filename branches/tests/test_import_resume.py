"""An import whose task was lost (broker down) is picked up by the sweep; an import is applied once."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import ImportJob, PrimaryBranch
from branches.tests.test_import_export import _csv, _row, _upload
from core.testing import broker_unreachable, run_concurrently


@contextmanager
def eager_tasks():
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_the_broker_down_is_saved_and_checked_by_the_sweep(client_for, cast):
    client = client_for("staff_a")
    with broker_unreachable():
        response = client.post(
            reverse("branches:import", args=[cast.region_a.pk]),
            {"file": _upload(_csv([_row(71, name="Потерянная")]), "branches.csv")},
        )
    assert response.status_code == 302  # the upload is saved; its check waits for the sweep
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING
    assert services.imports_resume() == 0  # too fresh: its task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)), eager_tasks():
        assert services.imports_resume() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


@pytest.mark.django_db(transaction=True)
def test_two_applications_of_one_import_at_once_apply_it_once(cast):
    job = services.import_start(
        actor=cast.user("staff_a"), region=cast.region_a, file_name="b.csv", content=_csv([_row(72, name="Одна")])
    )
    services.import_validate(job=job)
    services.import_confirm(job=job)
    outcomes = run_concurrently(lambda _n: services.import_apply(job=job).status, [1, 2, 3])
    # One applies; the others find it locked (or done) and return without touching it.
    assert outcomes.count("done") >= 1 and set(outcomes) <= {"done", "applying"}, outcomes
    assert PrimaryBranch.objects.filter(number=72).count() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
