"""Run `manage.py worker` as a process of its own against the test database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on the test database (PostgreSQL), sending
    through the test's mail server; not a test process (TESTING unset), so
    its tasks go through the database queue."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {key: value for key, value in os.environ.items() if key != "TESTING"}
    env |= {
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    return env


def start_worker(*args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", *args],
        cwd=ROOT,
        env=worker_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
