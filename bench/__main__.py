"""`make bench`: build the national demo data in its own database, run every scenario.

    python -m bench            # national scale, judged against the targets
    python -m bench --quick    # demo scale, a couple of minutes: proves the suite runs

The database is `pervichka_bench` (`pervichka_bench_quick`) on the server of
DATABASE_URL, or on the embedded PostgreSQL when DATABASE_URL is unset. It is built
anew on every run: the national seed is itself a scenario.
"""

import argparse
import importlib.util
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench import ROOT


def bench_database_url(quick: bool) -> str:
    name = "pervichka_bench_quick" if quick else "pervichka_bench"
    base = os.environ.get("DATABASE_URL")
    if not base:
        # Load config/embedded_db.py by path: importing the `config` package would
        # configure Django with the default database before we choose the bench one.
        spec = importlib.util.spec_from_file_location("embedded_db", ROOT / "config" / "embedded_db.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        base = module.ensure_running()
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="demo-scale data; timings are not judged")
    parser.add_argument("--only", default="", help="comma-separated scenario names to run")
    args = parser.parse_args()

    url = bench_database_url(args.quick)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    from bench import setup

    started = time.monotonic()
    seed_seconds = setup.build_database(url, quick=args.quick)

    import django

    django.setup()
    from bench import report, scenarios

    results = scenarios.run_all(
        quick=args.quick,
        seed_seconds=seed_seconds,
        only={name.strip() for name in args.only.split(",") if name.strip()},
    )
    report.write(results, quick=args.quick, seconds=time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
