"""Demo and national data for training: the secretaries' course, assigned to everyone in post.

About 60% have completed it (a platform account and an uploaded completion each), some
are in progress, some overdue. The Amur secretary of №1 (login `secretary`) has it open,
due in a month. `training/data/demo-export.csv` is a platform export to upload as
`staff-amur`: it completes №1's course and others, and holds one user nobody is linked
to (to resolve on the "unmatched" page). Platform user ids are `<region code>-<branch number>`.
"""

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from training import services
from training.models import (
    AssignmentStatus,
    CompletionRecord,
    CourseAssignment,
    PlatformAccount,
    Source,
    SyncRun,
)

BATCH = 5000


def platform_user_id(position: Any) -> str:
    return f"{position.region.code}-{position.primary_branch.number:05d}"


def seed(scale_name: str, rng: random.Random) -> dict:
    """Create the course, assign it to everyone in post, and give it a plausible history."""
    services.course_create(
        code="secretary-101",
        title="Школа секретаря первичного отделения",
        link="https://vpsh.example.org/course/view.php?id=101",
        platform_course_id="101",
        days_allowed=90,
    )
    services.assignments_sync()
    today = timezone.localdate()
    assignments = list(
        CourseAssignment.objects.select_related("position__region", "position__primary_branch").order_by("pk")
    )
    run = SyncRun.objects.create(source=Source.UPLOAD, status=SyncRun.Status.RUNNING, file_name="history.csv")
    accounts, records = [], []
    for assignment in assignments:
        position: Any = assignment.position  # assigned by a post, so never empty here
        is_demo_secretary = position.region.code == "28" and position.primary_branch.number == 1
        assignment.assigned_on = today - timedelta(days=rng.randint(0, 240))
        assignment.due_on = assignment.assigned_on + timedelta(days=90)
        if is_demo_secretary:
            assignment.assigned_on, assignment.due_on = today - timedelta(days=60), today + timedelta(days=30)
        roll = rng.random()
        in_demo_export = position.region.code == "28" and position.primary_branch.number <= 60
        if rng.random() < 0.95 or in_demo_export:
            accounts.append(
                PlatformAccount(platform_user_id=platform_user_id(position), person_id=assignment.person_id)
            )
        else:
            continue  # a few never logged in to the platform
        if is_demo_secretary or roll >= 0.62:
            if roll >= 0.85 and not is_demo_secretary:
                assignment.status, assignment.progress = AssignmentStatus.IN_PROGRESS, rng.randint(10, 90)
            continue
        done_on = min(today, assignment.assigned_on + timedelta(days=rng.randint(3, 130)))
        completed_at = datetime.combine(done_on, time(rng.randint(6, 20), rng.randint(0, 59)), tzinfo=UTC)
        records.append(
            CompletionRecord(
                source=Source.UPLOAD,
                platform_user_id=platform_user_id(position),
                course_id=assignment.course_id,
                progress=100,
                completed_at=completed_at,
                score=rng.randint(60, 100),
                certificate_code=f"ВПШ-{position.region.code}-{position.primary_branch.number}",
                raw={"seed": True},
                sync_run=run,
            )
        )
        assignment.status, assignment.progress = AssignmentStatus.COMPLETED, 100
        assignment.completed_at, assignment.closed_on = completed_at, done_on
    PlatformAccount.objects.bulk_create(accounts, batch_size=BATCH)
    CompletionRecord.objects.bulk_create(records, batch_size=BATCH)
    completion_of = dict(CompletionRecord.objects.filter(sync_run=run).values_list("platform_user_id", "pk"))
    for assignment in assignments:
        if assignment.status == AssignmentStatus.COMPLETED:
            assignment.completion_id = completion_of[platform_user_id(assignment.position)]
    _write_history(assignments)
    run.status, run.finished_at, run.counts = (
        SyncRun.Status.DONE,
        timezone.now(),
        {"rows": len(records), "new": len(records)},
    )
    run.save()
    return {"assignments": len(assignments), "completed": len(records), "accounts": len(accounts)}


def _write_history(assignments: list[CourseAssignment]) -> None:
    """Write the drawn dates and outcomes in one UPDATE ... FROM unnest(...) (linear in the rows;
    Django's bulk_update builds a CASE WHEN per column whose cost grows with the square of a batch)."""
    table = connection.ops.quote_name(CourseAssignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS a SET assigned_on = v.assigned_on, due_on = v.due_on, status = v.status,
                progress = v.progress, completed_at = v.completed_at, completion_id = v.completion_id,
                closed_on = v.closed_on
            FROM unnest(%s::bigint[], %s::date[], %s::date[], %s::text[], %s::smallint[], %s::timestamptz[],
                        %s::bigint[], %s::date[])
                AS v(id, assigned_on, due_on, status, progress, completed_at, completion_id, closed_on)
            WHERE a.id = v.id
            """,
            [
                [a.pk for a in assignments],
                [a.assigned_on for a in assignments],
                [a.due_on for a in assignments],
                [a.status for a in assignments],
                [a.progress for a in assignments],
                [a.completed_at for a in assignments],
                [a.completion_id for a in assignments],
                [a.closed_on for a in assignments],
            ],
        )
