"""The administrators' list walks a partial index at national scale (EXPLAIN)."""

import pytest
from django.db import connection

from assignments.models import Assignment
from assignments.selectors import LIST_KEY, _listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_assignments(cast):
    """3,000 directives, each addressed to both regions and passed down to both local branches of A
    (12,000 assignments, a third of them region-level), written in two statements and analysed."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO assignments_directive
                (source_key, source_label, source_url, title, text, issued_on, due_on, kind, owner, created_at)
            SELECT 'bench.' || n, 'Решение', '', 'Поручение ' || n, '', DATE '2026-01-01',
                   DATE '2026-01-01' + (n %% 300), '', '', now()
            FROM generate_series(1, 3000) AS n
            """,
            [],
        )
        cursor.execute(
            """
            INSERT INTO assignments_assignment
                (directive_id, region_id, local_branch_id, via_post, issued_on, due_on, state, report, changed_at,
                 finished)
            SELECT d.id, unit.region_id, unit.local_branch_id, '', d.issued_on, d.due_on,
                   CASE WHEN d.id %% 3 = 0 THEN 'accepted' ELSE 'open' END, '', now(), false
            FROM assignments_directive d
            CROSS JOIN (VALUES (%s, NULL::bigint), (%s, NULL), (%s, %s), (%s, %s)) AS unit(region_id, local_branch_id)
            WHERE d.source_key LIKE 'bench.%%'
            """,
            [
                cast.region_a.pk,
                cast.region_b.pk,
                cast.region_a.pk,
                cast.local_a1.pk,
                cast.region_a.pk,
                cast.local_a2.pk,
            ],
        )
        cursor.execute("ANALYZE assignments_assignment")


def test_the_administrators_list_walks_the_region_level_index(cast, many_assignments):
    region_level = Assignment.objects.filter(parent__isnull=True, local_branch__isnull=True, person__isnull=True)
    assert region_level.count() == 6000
    page = _listed(region_level).order_by(*LIST_KEY.order_by())[:51]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "assignment_region_level_list" in plan, plan
    assert "Sort" not in plan.split("SubPlan")[0], plan  # the page comes in index order, unsorted
