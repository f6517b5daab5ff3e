"""GET /sundhed/: the database, the storage and the worker's heartbeat; no
login, no session, no personal data. And the logs: JSON a line, with the
request id, never a CPR number."""

import datetime
import io
import json
import logging
import subprocess
import sys

from django.utils import timezone

from rammeaftale.log import JsonFormatter
from tests.worker.processes import ROOT
from worker.models import Heartbeat


def _beat(ago: datetime.timedelta = datetime.timedelta(0)) -> None:
    Heartbeat.objects.create(worker="w1", beat_at=timezone.now() - ago)


def test_all_well_answers_200_without_a_session_or_personal_data(db, client):
    _beat()
    response = client.get("/sundhed/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "fejl": [],
        "checks": {"database": "ok", "storage": "ok", "worker": "ok"},
    }
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_a_worker_without_a_recent_heartbeat_answers_503_naming_the_worker(db, client, settings):
    _beat(ago=datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS + 5))
    response = client.get("/sundhed/")
    assert response.status_code == 503
    assert response.json()["fejl"] == ["worker"]


def test_no_heartbeat_at_all_is_a_failed_worker(db, client):
    assert client.get("/sundhed/").json()["fejl"] == ["worker"]


def test_an_unreachable_database_answers_503_naming_the_database():
    """A server whose database does not answer (nothing listens on the port)."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/sundhed/', HTTP_HOST='localhost');"
        "print(r.status_code, json.dumps(r.json()), bool(r.cookies))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "rammeaftale.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/rammeaftale",
            "LOG_LEVEL": "CRITICAL",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, rest = done.stdout.strip().splitlines()[-1].split(" ", 1)
    body, cookies = rest.rsplit(" ", 1)
    assert status == "503", done.stdout + done.stderr
    assert "database" in json.loads(body)["fejl"]
    assert cookies == "False"


def test_log_lines_are_json_with_the_request_id_and_no_cpr_number(db, client):
    handler = next(
        h for h in logging.getLogger("django").handlers if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        response = client.get("/findes-ikke/0101901234/", HTTP_X_REQUEST_ID="req-42")
    finally:
        handler.setStream(old)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the 404 is logged"
    assert all(line["request_id"] == "req-42" for line in lines)
    assert "0101901234" not in stream.getvalue()
    assert any("Not Found" in line["message"] for line in lines)


def test_a_request_without_an_id_gets_a_new_one(db, client):
    first = client.get("/sundhed/")["X-Request-ID"]
    second = client.get("/sundhed/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
