"""How each kind of process talks to PostgreSQL: keepalives both ways and a statement timeout.

A network partition leaves connections half-open: without keepalives the client waits on a
dead socket and the server keeps the session (and its locks) for hours (Linux's default
keepalive starts after two hours). So both ends probe an idle connection and give up on a
silent one within about a minute and a half, the client also when its own writes go
unacknowledged (tcp_user_timeout), and the server checks during a long query that the
client is still there (client_connection_check_interval). A session idle inside a
transaction is ended so that its row locks return.

The statement timeout suits the process: a web request never waits half a minute on one
statement; a worker's statements (an import of a region, a national reconcile) may take
minutes; management commands (migrations, the demo seed) are not limited.
"""

import sys
from pathlib import Path

from config.env import env_int, env_str

KINDS = ("web", "worker", "command")
# Seconds; 0 means no limit.
STATEMENT_TIMEOUT_DEFAULTS = {"web": 30, "worker": 600, "command": 0}
IDLE_IN_TRANSACTION_DEFAULTS = {"web": 60, "worker": 600, "command": 0}
_WEB_COMMANDS = {"runserver", "run_local"}


def process_kind(argv: list[str] | None = None) -> str:
    """The kind of this process: PROCESS_KIND when set, else guessed from how it was started."""
    kind = env_str("PROCESS_KIND", "")
    if kind:
        if kind not in KINDS:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"PROCESS_KIND: expected one of {', '.join(KINDS)}, got {kind!r}")
        return kind
    argv = sys.argv if argv is None else argv
    program = Path(argv[0]) if argv else Path()
    if "celery" in program.parts:  # `celery -A config worker|beat`, `python -m celery ...`
        return "worker"
    if program.name in {"gunicorn", "uvicorn", "daphne"}:
        return "web"
    if program.name == "manage.py" and len(argv) > 1 and argv[1] in _WEB_COMMANDS:
        return "web"
    if "pytest" in program.parts or program.name in {"pytest", "py.test"}:
        return "web"  # tests run what requests run
    return "command"


def connection_options(kind: str) -> dict:
    """libpq connection options for a process of `kind` (see the module's docstring)."""
    name = kind.upper()
    statement = env_int(f"DB_STATEMENT_TIMEOUT_{name}", STATEMENT_TIMEOUT_DEFAULTS[kind])
    idle = env_int(f"DB_IDLE_IN_TRANSACTION_TIMEOUT_{name}", IDLE_IN_TRANSACTION_DEFAULTS[kind])
    keepalive_idle = env_int("DB_KEEPALIVES_IDLE", 30, minimum=1)
    keepalive_interval = env_int("DB_KEEPALIVES_INTERVAL", 10, minimum=1)
    keepalive_count = env_int("DB_KEEPALIVES_COUNT", 6, minimum=1)
    server = {
        "statement_timeout": f"{statement}s",
        "idle_in_transaction_session_timeout": f"{idle}s",
        "tcp_keepalives_idle": keepalive_idle,
        "tcp_keepalives_interval": keepalive_interval,
        "tcp_keepalives_count": keepalive_count,
        "client_connection_check_interval": f"{keepalive_interval}s",
    }
    return {
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5, minimum=1),
        "keepalives": 1,
        "keepalives_idle": keepalive_idle,
        "keepalives_interval": keepalive_interval,
        "keepalives_count": keepalive_count,
        # Give up on a connection whose sent data stays unacknowledged this long (milliseconds).
        "tcp_user_timeout": 1000 * (keepalive_idle + keepalive_interval * keepalive_count),
        "options": " ".join(f"-c {key}={value}" for key, value in server.items()),
    }
