"""Sending the outbox: one mail per transaction.

Each due mail is taken with SELECT … FOR UPDATE SKIP LOCKED (on PostgreSQL;
SQLite has one writer anyway), handed to the mail server, and marked sent in
the same transaction right after the server accepted it. A worker that dies
before the mail server accepted leaves the row waiting for the next worker.
The one window left is between the server's acceptance and the commit (a few
milliseconds): a worker killed exactly then sends that mail again on restart
(at least once, README "Outbox").
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from outbox.models import OutgoingMail

logger = logging.getLogger(__name__)


def _message(mail: OutgoingMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        mail.subject,
        mail.text,
        settings.DEFAULT_FROM_EMAIL,
        [mail.recipient],
        connection=connection,
        headers={"X-Rammeaftale-Mail": str(mail.pk)},
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    if mail.attachment_name:
        message.attach(mail.attachment_name, bytes(mail.attachment), mail.attachment_type)
    return message


def _answer(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def deliver_one(now: datetime.datetime | None = None) -> OutgoingMail | None:
    """Send the next due mail, or None when nothing is due."""
    now = now or timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if mail is None:
            return None
        connection = get_connection(fail_silently=False)
        try:
            connection.send_messages([_message(mail, connection)])
        except Exception as error:  # noqa: BLE001 - any failure is the server's answer
            mail.record_failure(now, _answer(error))
            logger.warning("mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
        else:
            mail.record_sent(timezone.now(), "250 accepted")
            sent = getattr(mail.concerning, "outbox_sent", None)
            if sent is not None:
                sent(mail)
        mail.save(update_fields=["status", "attempts", "next_attempt_at", "last_answer", "sent_at"])
    return mail


def deliver_due(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send what is due, up to `limit` mails; the number sent."""
    sent = 0
    for _ in range(limit):
        mail = deliver_one(now)
        if mail is None:
            break
        sent += mail.is_sent
    return sent
