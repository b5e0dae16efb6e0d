"""The benchmark database: build it from nothing (create, migrate, seed timed, collect static
files), or reuse the one already there when it was seeded at the same scale and its applied
migrations are exactly the migrations on disk (`--only` runs; a full run always rebuilds,
since the seed is itself a scenario)."""

import os
import subprocess
import sys
import time
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2

from bench import ROOT

# A table of the benchmark's own (no model, no migration): what was seeded, when, how fast.
MARKER = "bench_seed"


def database_url(base: str, *, quick: bool) -> str:
    """`<database of DATABASE_URL>_bench` (`_bench_quick`) on the same server: each
    engineer's database gets a benchmark database of its own."""
    parts = urlsplit(base)
    name = (parts.path.strip("/") or "pervichka") + ("_bench_quick" if quick else "_bench")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str, dbname: str):
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") if parts.hostname else None
    if host is None and "%2F" in parts.netloc:
        host = unquote(parts.netloc.split("@")[-1])
    connection = psycopg2.connect(
        dbname=dbname, user=parts.username or "postgres", password=parts.password or "", host=host, port=parts.port
    )
    connection.autocommit = True
    return connection


def migrations_on_disk() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def reusable(url: str, *, quick: bool) -> float | None:
    """The seed seconds of a database that may be reused as it is, or None (absent, another
    scale, an unfinished build, or migrations that differ from the ones on disk)."""
    name = urlsplit(url).path.lstrip("/")
    try:
        connection = _connect(url, name)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER])
            if not cursor.fetchone()[0]:
                return None
            cursor.execute(f"SELECT scale, seed_seconds FROM {MARKER}")
            row = cursor.fetchone()
            if row is None or row[0] != ("demo" if quick else "national"):
                return None
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    finally:
        connection.close()
    if applied != migrations_on_disk():
        print("bench: the benchmark database's migrations differ from the ones on disk: rebuilding", flush=True)
        return None
    return float(row[1])


def collect_static(url: str) -> None:
    """The pages render through the manifest storage: its files must be collected in this checkout
    (a reused database may come from another checkout, whose collected files are not here)."""
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )


def build_database(url: str, *, quick: bool) -> float:
    """Create the database afresh and seed it; return the seed's wall time in seconds."""
    name = urlsplit(url).path.lstrip("/")
    connection = _connect(url, "postgres")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"bench: building {name} ...", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    collect_static(url)
    started = time.monotonic()
    subprocess.run(
        [*manage, "seed_demo", "--scale", "demo" if quick else "national", "--seed", "1"], env=env, check=True, cwd=ROOT
    )
    seconds = time.monotonic() - started
    connection = _connect(url, name)
    with connection.cursor() as cursor:
        # Every secretary gets an e-mail address, so that the national reminder goes out by mail
        # to all of them (the seed gives addresses to the demo logins only).
        cursor.execute(
            """
            UPDATE branches_person SET email = 'person-' || id || '@bench.invalid'
            WHERE email = '' AND id IN (SELECT person_id FROM branches_position WHERE role = 'primary_secretary')
            """
        )
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(f"CREATE TABLE {MARKER} (scale text, seed_seconds float, built_at timestamptz DEFAULT now())")
        cursor.execute(
            f"INSERT INTO {MARKER} (scale, seed_seconds) VALUES (%s, %s)", ["demo" if quick else "national", seconds]
        )
    connection.close()
    return seconds
