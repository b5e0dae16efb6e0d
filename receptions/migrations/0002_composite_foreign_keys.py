"""Keep a slot's host equal to its hours' host, and a booking's host equal to its slot's host.

The overlap rule of slots and the "one active booking per secretary and host" rule
both read the repeated `host` column, so the database keeps it honest. Django has
no composite foreign keys, so these are plain SQL (as in branches 0002).
"""

from django.db import migrations

FOREIGN_KEYS = [
    ("receptions_slot", "slot_host_of_schedule", "schedule_id, host_id", "receptions_schedule", "id, host_id"),
    ("receptions_booking", "booking_host_of_slot", "slot_id, host_id", "receptions_slot", "id, host_id"),
]


class Migration(migrations.Migration):
    dependencies = [("receptions", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) "
            f"REFERENCES {target} ({target_columns}) DEFERRABLE INITIALLY DEFERRED",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target, target_columns in FOREIGN_KEYS
    ]
