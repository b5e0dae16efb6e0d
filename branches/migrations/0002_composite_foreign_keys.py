"""Keep every row in the region of its local branch, in the database.

Django has no composite foreign keys, so these are plain SQL. With MATCH SIMPLE a
row whose local or primary branch is NULL (a regional position) is not checked.
"""

from django.db import migrations

FOREIGN_KEYS = [
    ("branches_primarybranch", "primary_branch_local_in_region", "local_branch_id, region_id",
     "branches_localbranch", "id, region_id"),
    ("branches_position", "position_local_in_region", "local_branch_id, region_id",
     "branches_localbranch", "id, region_id"),
    ("branches_position", "position_primary_in_local", "primary_branch_id, local_branch_id",
     "branches_primarybranch", "id, local_branch_id"),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("branches", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) "
            f"REFERENCES {target} ({target_columns}) DEFERRABLE INITIALLY DEFERRED",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target, target_columns in FOREIGN_KEYS
    ]
