"""Settings of the Celery worker that test_worker.py starts in a subprocess.

The real settings, with SMTP replaced by a file (the one thing outside the machine)
and a queue of the test's own on the shared Redis.
"""

import os

from config.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "notifications.testing.FileOutboxBackend",
        "OPTIONS": {
            "path": os.environ["PERVICHKA_TEST_OUTBOX"],
            "delay": os.environ.get("PERVICHKA_TEST_SMTP_DELAY", "0"),
            "stall_after": os.environ.get("PERVICHKA_TEST_SMTP_STALL_AFTER"),
        },
    }
}
CELERY_TASK_DEFAULT_QUEUE = os.environ["PERVICHKA_TEST_QUEUE"]
NOTIFICATIONS_TICK_SECONDS = float(os.environ.get("PERVICHKA_TEST_TICK", "60"))
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("PERVICHKA_TEST_BATCH", "500"))
NOTIFICATIONS_EMAIL_LEASE_SECONDS = float(os.environ.get("PERVICHKA_TEST_EMAIL_LEASE", "600"))
