import importlib
import random
import time

from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction

from branches.models import PrimaryBranch

# Each app with demo data has `<app>/demo.py` with `seed(scale, rng) -> dict`; they run in this order.
SEEDED_APPS = [
    "branches",
    "councils",
    "receptions",
    "contests",
    "notifications",
    "events",
    "training",
    "mentorship",
    "assignments",
    "reserve",
]


class Command(BaseCommand):
    help = "Create the demo data (deterministic for a given --seed) on an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        if PrimaryBranch.objects.exists():
            raise CommandError("The database already has branches; seed_demo only fills an empty one.")
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            # Foreign keys checked at each statement's end, not all at the commit: a deferred
            # check waits in a queue, and each per-row trigger's subtransaction (pgtrigger's
            # ignore test) costs time in proportion to that queue, which at national scale
            # holds millions of checks. Same checks, same rows, each made right away.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            written: dict[str, int] = {}
            for app in SEEDED_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                app_started = time.monotonic()
                counts = module.seed(scale, rng)
                figures = ", ".join(f"{name} {count}" for name, count in counts.items())
                seconds = time.monotonic() - app_started
                analysed = time.monotonic()
                written = _analyse_written(written)
                self.stdout.write(
                    f"  {app}: {figures} ({seconds:.1f} s; statistics {time.monotonic() - analysed:.1f} s)"
                )
            committing = time.monotonic()
        self.stdout.write(f"  commit: {time.monotonic() - committing:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({scale}, seed {seed}) in {time.monotonic() - started:.1f} s.")
        )


# A table that got at least this many rows written by an app has its statistics refreshed.
ANALYSE_FROM_ROWS = 1000


def _analyse_written(before: dict[str, int]) -> dict[str, int]:
    """ANALYZE the tables the last app wrote many rows to; return the counts written so far.

    The seed is one transaction, which autovacuum cannot see into: without this a later app's
    queries are planned as if those tables were empty (the reserve's count over 1.5 M expected
    lines ran for minutes instead of seconds). ANALYZE inside the transaction samples its own
    rows; the transaction's counts per table come from pg_stat_xact_user_tables.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT relid::regclass::text, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        written = dict(cursor.fetchall())
        tables = [name for name, rows in written.items() if rows - before.get(name, 0) >= ANALYSE_FROM_ROWS]
        if tables:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    return written
