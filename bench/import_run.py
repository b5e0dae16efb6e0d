"""The national import, run in a process of its own so that its peak memory is its own.

Prints one JSON line: rows, validate and apply seconds, the COPY floor, peak RSS.
Everything it writes is rolled back, so the benchmark data stay as seeded.
"""

import io
import json
import resource
import time


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from branches import selectors, services, spreadsheets
    from branches.models import ImportJob
    from core.spreadsheets import csv_content

    # Every branch of the country again, under new numbers: the import creates ~87,000
    # branches, their secretaries and positions.
    rows = []
    for row in selectors.export_rows(None):
        row[2] = row[2] + 100_000
        rows.append(row)
    content = csv_content(spreadsheets.table(rows))
    admin = get_user_model().objects.get(username="admin")

    with transaction.atomic():
        job = ImportJob.objects.create(region=None, created_by=admin, file_name="national.csv", content=content)
        started = time.perf_counter()
        job = services.import_validate(job=job)
        validate_seconds = time.perf_counter() - started
        assert job.status == ImportJob.Status.VALIDATED, job.errors[:3]
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING)
        started = time.perf_counter()
        job = services.import_apply(job=job)
        apply_seconds = time.perf_counter() - started
        assert job.status == ImportJob.Status.DONE, job.errors[:3]
        created = job.summary["create"]

        # The floor: COPY of the same file into a scratch table.
        with connection.cursor() as cursor:
            columns = ", ".join(f"c{n} text" for n in range(len(spreadsheets.KEYS)))
            cursor.execute(f"CREATE TEMP TABLE bench_copy ({columns})")
            started = time.perf_counter()
            text = content.decode("utf-8-sig")
            cursor.cursor.copy_expert(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)", io.StringIO(text)
            )
            copy_seconds = time.perf_counter() - started
        transaction.set_rollback(True)

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": len(rows),
                "created": created,
                "validate_s": validate_seconds,
                "apply_s": apply_seconds,
                "copy_s": copy_seconds,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
