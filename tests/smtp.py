"""A real SMTP server for the tests (aiosmtpd), started and stopped by the test.

`smtp_server` accepts by default; set `refuse` to answer every recipient
with a temporary refusal (451), `delay` to hold each message that long
before accepting it. `received` holds (recipient, message bytes) of every
message the server accepted. `smtp_down` is a port nobody listens on.
"""

import asyncio
import email
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self) -> None:
        self.refuse = False
        self.delay = 0.0
        self.received: list[tuple[str, bytes]] = []
        self.started = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.started += 1
        if self.delay:
            # A client that dies meanwhile cancels this: the message is not accepted.
            await asyncio.sleep(self.delay)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, envelope.content))
        return "250 2.0.0 Accepted"

    def recipients(self) -> list[str]:
        with self.lock:
            return [recipient for recipient, _ in self.received]

    def messages(self) -> list[email.message.Message]:
        with self.lock:
            return [email.message_from_bytes(content) for _, content in self.received]


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture
def smtp_down(settings) -> int:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    return port
