"""Putting mails in the outbox, and sending a failed one again.

`mail_queue` writes the row in the caller's transaction: the mail exists
exactly when the change that causes it is committed. The worker is told when
that transaction commits (`outbox.tasks.deliver_outbox`); it also looks for
due mails on its own clock, so a lost hint costs a few seconds, never a mail.
"""

from django.conf import settings
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from domain.errors import Refusal
from outbox.models import OutgoingMail


class OutboxError(Refusal):
    pass


def render_mail(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of the triplet `<template>.subject.txt|.txt|.html`,
    in the site's language. A template without an HTML part gives ""."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = ""
    return subject, text, html


def mail_queue(
    *,
    to: str,
    subject: str,
    text: str,
    concerning: models.Model,
    html: str = "",
    attachment: tuple[str, bytes, str] | None = None,
) -> OutgoingMail:
    """One mail to one address, about `concerning`, sent after commit."""
    name, content, mimetype = attachment or ("", b"", "")
    mail = OutgoingMail.objects.create(
        recipient=to,
        subject=subject[:300],
        text=text,
        html=html,
        attachment_name=name,
        attachment=content,
        attachment_type=mimetype,
        concerning=concerning,
    )
    transaction.on_commit(_wake_worker)
    return mail


def _wake_worker() -> None:
    from outbox.tasks import deliver_outbox

    deliver_outbox.enqueue()


@transaction.atomic
def mail_retry(*, user, mail: OutgoingMail) -> OutgoingMail:
    """ "Send igen": a mail that failed goes back in the queue, to be tried at
    once. Only mails about what the user sees."""
    mail = OutgoingMail.objects.filter(pk=mail.pk).visible_to(user).select_for_update().first()
    if mail is None:
        raise OutboxError(_("The e-mail does not exist or concerns something you cannot see."))
    if mail.is_sent:
        raise OutboxError(_("The e-mail was sent %(when)s.") % {"when": mail.sent_at})
    mail.retry(timezone.now())
    mail.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(_wake_worker)
    return mail
