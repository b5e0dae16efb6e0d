#!/usr/bin/env python
"""Django's command-line utility, with start-up errors said in one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line
        from django.db import OperationalError

        if not os.environ.get("DATABASE_URL"):
            # No DATABASE_URL: this checkout's embedded PostgreSQL, which settings only name.
            from config.embedded_db import ensure_running

            ensure_running()
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    except OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        sys.exit(f"Database unreachable: {first_line}")


if __name__ == "__main__":
    main()
