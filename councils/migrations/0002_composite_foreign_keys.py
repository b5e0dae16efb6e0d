"""Keep every seat, meeting and decision in the region of its council, in the database.

Django has no composite foreign keys, so these are plain SQL (as in branches 0002).
They are checked at once, not deferred: a service turns the violation into a message
while the request is still running. With MATCH SIMPLE a row whose local branch or
decision is NULL (a chair; a decision typed in by number) is not checked.
"""

from django.db import migrations

FOREIGN_KEYS = [
    ("councils_councilseat", "council_seat_council_in_region", "council_id, region_id",
     "councils_council", "id, region_id"),
    ("councils_councilseat", "council_seat_local_in_region", "local_branch_id, region_id",
     "branches_localbranch", "id, region_id"),
    ("councils_councilseat", "council_seat_decision_of_council", "decision_id, council_id",
     "councils_councildecision", "id, council_id"),
    ("councils_councildecision", "council_decision_meeting_of_council", "meeting_id, council_id",
     "councils_councilmeeting", "id, council_id"),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {target} ({target_columns})",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target, target_columns in FOREIGN_KEYS
    ]
