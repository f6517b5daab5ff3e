"""Acceptance: scripts/two_servers.sh starts PgBouncer (transaction mode), two
gunicorn servers and the worker, writes a document through one server and
reads it through the other, and stops everything it started."""

import socket
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PORTS = {"BOUNCER_PORT": 6441, "PORT_A": 8211, "PORT_B": 8212}


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.postgres
def test_two_servers_through_pgbouncer_share_the_database_and_the_files(
    transactional_db, reference_data
):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    done = subprocess.run(
        ["scripts/two_servers.sh"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin",
            "DATABASE_URL": url,
            "GUNICORN_WORKERS": "1",
            **{name: str(port) for name, port in PORTS.items()},
        },
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "read through http://127.0.0.1:8212" in done.stdout
    assert not any(_listening(port) for port in PORTS.values())
