"""`make bench`: build the national demo data in its own database, run every scenario.

    python -m bench                          # national scale, judged against the targets
    python -m bench --quick                  # demo scale, a couple of minutes: proves the suite runs
    python -m bench --only branch_list_page1 # one scenario, by the name the table prints
    python -m bench --only 'page:branches*'  # shell-style patterns, comma-separated

The database is `<database of DATABASE_URL>_bench` (`_bench_quick`) on the server of
DATABASE_URL, or `pervichka_bench` on the embedded PostgreSQL when DATABASE_URL is unset.
A full run builds it anew (the national seed is itself a scenario); an `--only` run reuses
it when it was seeded at the same scale and its migrations match the ones on disk.
The machine's load average is recorded before and after; a load above the core count
makes the figures incomparable, and the bench says so.
"""

import argparse
import importlib.util
import os
import sys
import time

from bench import ROOT


def base_database_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        # Load config/embedded_db.py by path: importing the `config` package would
        # configure Django with the default database before we choose the bench one.
        spec = importlib.util.spec_from_file_location("embedded_db", ROOT / "config" / "embedded_db.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        base = module.ensure_running()
    return base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="demo-scale data; timings are not judged")
    parser.add_argument("--only", default="", help="comma-separated scenario names (as the table prints them)")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew even for --only")
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]

    from bench import load, setup

    before = load.snapshot()
    load.warn(before, "before")
    url = setup.database_url(base_database_url(), quick=args.quick)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    import django

    django.setup()
    from bench import report, scenarios

    selected = scenarios.select(only)  # an unknown name stops here, before any building
    started = time.monotonic()
    seed_seconds = setup.reusable(url, quick=args.quick) if only and not args.rebuild else None
    if seed_seconds is None or "national_seed" in {s.__name__ for s in selected}:
        seed_seconds = setup.build_database(url, quick=args.quick)
    else:
        print(f"bench: reusing {url.rsplit('/', 1)[-1]} (same scale, same migrations)", flush=True)
        setup.collect_static(url)

    results = scenarios.run(selected, quick=args.quick, seed_seconds=seed_seconds, only=only)
    after = load.snapshot()
    report.write(results, quick=args.quick, seconds=time.monotonic() - started, load=(before, after), only=only)
    load.warn(after, "after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
