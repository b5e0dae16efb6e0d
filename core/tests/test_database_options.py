"""The connection options of config/database.py reach PostgreSQL: keepalives both ways, timeouts per process kind."""

import re
from pathlib import Path

import pytest
from django.db import connection

from config.database import KINDS, connection_options, process_kind

ROOT = Path(__file__).resolve().parents[2]


def _show(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_web_options_reach_the_connection():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        assert _show(cursor, "statement_timeout") == "30s"
        assert _show(cursor, "idle_in_transaction_session_timeout") == "1min"
        if not str(connection.settings_dict["HOST"]).startswith("/"):  # keepalives need TCP, not a socket file
            assert _show(cursor, "tcp_keepalives_idle") == "30"
            assert _show(cursor, "tcp_keepalives_interval") == "10"
            assert _show(cursor, "tcp_keepalives_count") == "6"
        assert _show(cursor, "client_connection_check_interval") == "10s"
    client_side = connection.connection.get_dsn_parameters()
    assert (client_side["keepalives"], client_side["keepalives_idle"]) == ("1", "30")
    assert client_side["tcp_user_timeout"] == "90000"


@pytest.mark.django_db
def test_a_statement_past_the_timeout_is_cancelled():
    from django.db import OperationalError, transaction

    with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL statement_timeout = '50ms'")
        c.execute("SELECT pg_sleep(1)")


def test_each_kind_has_its_own_statement_timeout(monkeypatch):
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_WORKER", "120")
    options = {kind: connection_options(kind)["options"] for kind in KINDS}
    assert "-c statement_timeout=30s" in options["web"]
    assert "-c statement_timeout=120s" in options["worker"]
    assert "-c statement_timeout=0s" in options["command"]


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["/srv/.venv/bin/celery", "-A", "config", "worker"], "worker"),
        (["/srv/.venv/lib/python3.13/site-packages/celery/__main__.py", "-A", "config", "beat"], "worker"),
        (["/srv/.venv/bin/gunicorn", "config.wsgi"], "web"),
        (["manage.py", "runserver"], "web"),
        (["manage.py", "migrate"], "command"),
    ],
)
def test_the_kind_is_guessed_from_the_command_line(monkeypatch, argv, kind):
    monkeypatch.delenv("PROCESS_KIND", raising=False)
    assert process_kind(argv) == kind


def test_env_example_lists_the_database_variables():
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    source = (ROOT / "config" / "database.py").read_text()
    read = set(re.findall(r"""env_(?:str|int)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    per_kind = re.findall(r'env_int\(f"([A-Z_]+)_\{name\}"', source)
    read |= {f"{prefix}_{kind.upper()}" for prefix in per_kind for kind in KINDS}
    assert len(read) > 8
    assert read - listed == set()
