"""Rules that span two tables, held by composite foreign keys.

Django has no composite foreign keys, so these are plain SQL (as in branches 0002). They
are checked at once, not deferred, so a service gets the violation at the statement.
- an entry and a juror belong to the contest of their nomination;
- a score is given by a juror of the entry's nomination (juror and entry agree on it);
- a score's maximum is its criterion's maximum, so the check constraint
  `score_within_criterion_range` holds the value within the criterion's range; a
  criterion that has scores cannot change its maximum;
- a result is filed under its entry's nomination.
"""

from django.db import migrations

FOREIGN_KEYS = [
    ("contests_entry", "entry_nomination_in_contest", "nomination_id, contest_id",
     "contests_nomination", "id, contest_id"),
    ("contests_juror", "juror_nomination_in_contest", "nomination_id, contest_id",
     "contests_nomination", "id, contest_id"),
    ("contests_score", "score_by_a_juror_of_the_nomination", "juror_id, nomination_id",
     "contests_juror", "id, nomination_id"),
    ("contests_score", "score_of_an_entry_of_the_nomination", "entry_id, nomination_id",
     "contests_entry", "id, nomination_id"),
    ("contests_score", "score_max_of_its_criterion", "criterion_id, max_score",
     "contests_criterion", "id, max_score"),
    ("contests_result", "result_in_its_entry_nomination", "entry_id, nomination_id",
     "contests_entry", "id, nomination_id"),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("contests", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {target} ({target_columns})",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target, target_columns in FOREIGN_KEYS
    ]
