"""The worker tests run against a real SMTP server (tests/smtp.py)."""

from tests.smtp import smtp_down, smtp_server  # noqa: F401
