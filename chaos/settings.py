"""Settings of every process `make chaos` starts: the real settings, with short clocks.

The tick, batch and e-mail lease are shortened so that a scenario proves in a minute what
production does in ten; SMTP goes to the recorder on loopback; static files are served
without a manifest (no collectstatic for a throw-away web process). Processes that load
it import the `config` package first (celery -A config, config.wsgi; the suite itself).
"""

import os

from config.settings import *  # noqa: F403

NOTIFICATIONS_TICK_SECONDS = float(os.environ.get("CHAOS_TICK", "5"))
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("CHAOS_BATCH", "100"))
NOTIFICATIONS_EMAIL_LEASE_SECONDS = float(os.environ.get("CHAOS_EMAIL_LEASE", "20"))
CELERY_TASK_DEFAULT_QUEUE = "chaos"
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ.get("CHAOS_SMTP_PORT", "2525")), "timeout": 5},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
