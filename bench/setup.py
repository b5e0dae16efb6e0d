"""Build the benchmark database from nothing: create, migrate, seed (timed), collect static files."""

import os
import subprocess
import sys
import time
from urllib.parse import unquote, urlsplit

import psycopg2

from bench import ROOT


def _connect_maintenance(url: str):
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") if parts.hostname else None
    if host is None and "%2F" in parts.netloc:
        host = unquote(parts.netloc.split("@")[-1])
    connection = psycopg2.connect(
        dbname="postgres", user=parts.username or "postgres", password=parts.password or "", host=host, port=parts.port
    )
    connection.autocommit = True
    return connection


def build_database(url: str, *, quick: bool) -> float:
    """Create the database afresh and seed it; return the seed's wall time in seconds."""
    name = urlsplit(url).path.lstrip("/")
    connection = _connect_maintenance(url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"bench: building {name} ...", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    subprocess.run(
        [*manage, "seed_demo", "--scale", "demo" if quick else "national", "--seed", "1"], env=env, check=True, cwd=ROOT
    )
    seconds = time.monotonic() - started
    subprocess.run(
        [*manage, "shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return seconds
