"""gunicorn's settings for Rammeaftale. gunicorn reads this file from the
working directory (`gunicorn rammeaftale.wsgi`); name it with `-c` elsewhere.

The application, its URL configuration and every view are loaded once, in the
master process, before the workers are forked: WeasyPrint's import (Pango,
fonts) costs most of a second per process, and the forked workers share what
was loaded. Command-line options and GUNICORN_CMD_ARGS override these.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
preload_app = True
timeout = 30


def when_ready(server) -> None:
    """Runs in the master after the application is loaded, before any worker
    is forked: resolving the URL configuration imports every view, and with
    them WeasyPrint."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
