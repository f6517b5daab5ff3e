"""The worker as a process: killed with SIGKILL in the middle of a batch of
mails and started again, it sends every mail exactly once (the mail
server's received messages are counted). Needs PostgreSQL (row locks)."""

import collections
import signal
import time

import pytest

from agreements.models import Municipality
from outbox.models import OutgoingMail
from tests.worker.processes import start_worker

pytestmark = pytest.mark.postgres


def _wait(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_batch_and_restarted_sends_each_mail_exactly_once(
    transactional_db, reference_data, smtp_server
):
    concerning = Municipality.objects.first()
    for n in range(12):
        OutgoingMail.objects.create(
            recipient=f"medlem{n}@example.dk",
            subject=f"Høring {n}",
            text="Tekst",
            concerning=concerning,
        )
    # The server holds each message a while before accepting it: the worker
    # is killed while the server holds the fifth.
    smtp_server.delay = 0.5
    worker = start_worker("--interval", "0.2")
    try:
        _wait(lambda: smtp_server.started >= 5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    time.sleep(0.6)  # the held message would have been accepted by now
    accepted_before = len(smtp_server.recipients())
    assert 0 < accepted_before < 12
    assert OutgoingMail.objects.filter(status="sent").count() == accepted_before

    smtp_server.delay = 0
    again = start_worker("--once")
    output, _ = again.communicate(timeout=120)
    assert again.returncode == 0, output

    received = collections.Counter(smtp_server.recipients())
    assert received == {f"medlem{n}@example.dk": 1 for n in range(12)}
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
