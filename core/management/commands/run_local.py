"""`make run`: migrate, seed the demo once, serve the web app with a worker and beat.

Ctrl-C (or SIGTERM) stops every process this command started, and the embedded
PostgreSQL when it was started for this run.
"""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command

from core.demo import DEMO_PASSWORD, demo_logins, demo_seeded


def site_url_for(addr: str) -> str:
    """The address a run on `addr` ("host:port" or "port") is reached at; 0.0.0.0 is this machine's name."""
    host, _colon, port = addr.rpartition(":")
    host = host or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:
        host = socket.gethostname()
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run Pervichka on this machine: web server, Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        embedded = not os.environ.get("DATABASE_URL")
        env = {
            **os.environ,
            "DATABASE_URL": settings.DATABASE_URL,
            "DEBUG": os.environ.get("DEBUG", "true"),
            # Links in e-mails and calendar files point where this run is really served.
            "SITE_URL": os.environ.get("SITE_URL") or site_url_for(addr),
        }
        call_command("migrate", interactive=False, verbosity=0)
        if demo_seeded():
            self.stdout.write("Demo data found: reusing it.")
        else:
            self.stdout.write("Seeding the demo data (once)...")
            call_command("seed_demo", scale="demo", seed=1)
        self._print_logins(addr)

        children = [
            subprocess.Popen([sys.executable, "manage.py", "runserver", addr, "--noreload"], env=env),
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat",
                 "--concurrency", "1", "--loglevel", "INFO"],
                env=env,
            ),
        ]  # fmt: skip

        def stop(signum, frame):
            raise KeyboardInterrupt

        # Explicit for both: a shell that starts us in the background ignores SIGINT.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("\nStopping...")
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            if embedded:
                from django.db import connections

                connections.close_all()
                from config.embedded_db import stop as stop_postgres

                stop_postgres()
            self.stdout.write("Stopped.")

    def _print_logins(self, addr):
        self.stdout.write(self.style.SUCCESS(f"\nPervichka: http://{addr}/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in demo_logins():
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write("Press Ctrl-C to stop.\n")
