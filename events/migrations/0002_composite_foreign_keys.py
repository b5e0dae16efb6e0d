"""Keep an event's local branch inside its region, and its primary branch inside its local branch.

Django has no composite foreign keys, so these are plain SQL (as in branches 0002). They
are checked at once, not deferred, so core.db.save_or_explain turns a violation into the
message in Event.sql_constraint_messages while the request runs. With MATCH SIMPLE an
event of a whole region (no local branch) or of a whole local branch (no primary
branch) is not checked by the key that names the empty column. The same keys refuse
moving a local branch to another region while it has events.
"""

from django.db import migrations

FOREIGN_KEYS = [
    ("events_event", "event_local_in_region", "local_branch_id, region_id",
     "branches_localbranch", "id, region_id"),
    ("events_event", "event_primary_in_local", "primary_branch_id, local_branch_id",
     "branches_primarybranch", "id, local_branch_id"),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("branches", "0006_person_time_zone_language")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {target} ({target_columns})",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target, target_columns in FOREIGN_KEYS
    ]
