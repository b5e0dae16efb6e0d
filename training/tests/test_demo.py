"""The demo: the Amur secretary has the course open with its due date; the demo export updates the report."""

import random
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from training import selectors, services
from training.models import AssignmentStatus, CourseAssignment, SyncRun

pytestmark = pytest.mark.django_db

DEMO_EXPORT = Path(__file__).resolve().parents[1] / "data" / "demo-export.csv"


def test_the_demo_secretary_has_the_course_and_the_demo_export_completes_it():
    from branches import demo as branches_demo
    from branches.data.regions import ensure_regions
    from branches.models import Region
    from training import demo

    if not Region.objects.exists():
        ensure_regions(Region)
    rng = random.Random(1)
    branches_demo.seed("demo", rng)
    counts = demo.seed("demo", rng)
    assert 0.5 < counts["completed"] / counts["assignments"] < 0.7

    secretary = get_user_model().objects.get(username="secretary").person
    mine = CourseAssignment.objects.get(person=secretary)
    assert mine.status == AssignmentStatus.ASSIGNED and mine.due_on > mine.assigned_on

    amur = Region.objects.get(code="28")
    course = selectors.main_course()
    assert course is not None
    before = selectors.region_report(amur, course)["total"]
    staff = get_user_model().objects.get(username="staff-amur")
    run = services.upload_start(actor=staff, region=amur, file_name="demo-export.csv", content=DEMO_EXPORT.read_bytes())
    services.upload_validate(run=run)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.VALIDATED, run.errors
    assert run.counts["unmatched"] >= 1  # 28-99999, and the rows of vacant branches
    services.upload_confirm(run=run)
    run = services.upload_apply(run=run)
    assert run.status == SyncRun.Status.DONE
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.COMPLETED
    assert "28-99999" in {row["platform_user_id"] for row in selectors.unmatched_users(region=amur)}
    after = selectors.region_report(amur, course)["total"]
    assert after.completed > before.completed
