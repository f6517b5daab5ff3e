"""E-mails of the capacity workflow (templates in templates/capacity/email/).

Every e-mail has a key (what it is about); a `Notification` row with that key
records it, and the unique key makes sure it goes out once only — however
often the deadline command runs. Each recipient's mail is a row of the outbox,
written in the same transaction and sent by the worker (`outbox`), about the
object it concerns (the consultation, the hearing's member, the adjustment).
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from capacity.models import CapacityAdjustment, Consultation, Hearing, Notification
from outbox.services import mail_queue, render_mail


def _emails(users) -> list[str]:
    return sorted({user.email for user in users if user.email and user.is_active})


def _send(
    *,
    key: str,
    adjustment: CapacityAdjustment,
    template: str,
    recipients,
    context,
    concerning: models.Model | None = None,
):
    context = {
        "adjustment": adjustment,
        "offer": adjustment.offer,
        "url": settings.SITE_URL.rstrip("/") + reverse("capacity:adjustment", args=[adjustment.pk]),
        **context,
    }
    subject, text, html = render_mail(f"capacity/email/{template}", context)
    try:
        with transaction.atomic():
            Notification.objects.create(
                key=key,
                adjustment=adjustment,
                template=template,
                recipients=", ".join(recipients),
                subject=subject,
            )
    except IntegrityError:
        return  # Sent before.
    for recipient in recipients:
        mail_queue(
            to=recipient,
            subject=subject,
            text=text,
            html=html,
            concerning=concerning or adjustment,
        )


def consultation_requested(consultation: Consultation) -> None:
    adjustment = consultation.adjustment
    _send(
        key=f"consultation:{consultation.pk}",
        adjustment=adjustment,
        template="consultation_request",
        recipients=_emails(consultation.municipality.staff.all()),
        context={"municipality": consultation.municipality},
        concerning=consultation,
    )


def hearing_opened(hearing: Hearing) -> None:
    """One mail to each member's address; the mail says who is notified (the
    member counts as notified when the mail server accepted the mail)."""
    members = list(hearing.members.select_related("municipality", "region"))
    for member in members:
        if member.left_out_reason or not member.email:
            continue
        _send(
            key=f"hearing-opened:{hearing.pk}:{member.key}",
            adjustment=hearing.adjustment,
            template="hearing_opened",
            recipients=[member.email],
            context={"hearing": hearing, "member": member, "members": members},
            concerning=member,
        )


def hearing_reminder(hearing: Hearing) -> None:
    missing = hearing.missing_members()
    for member in missing:
        if not member.email:
            continue
        _send(
            key=f"hearing-reminder:{hearing.pk}:{member.key}",
            adjustment=hearing.adjustment,
            template="hearing_reminder",
            recipients=[member.email],
            context={"hearing": hearing, "member": member, "missing": missing},
            concerning=member,
        )


def decision(adjustment: CapacityAdjustment) -> None:
    users = [adjustment.requested_by_user]
    if adjustment.requested_by_municipality is not None:
        users += list(adjustment.requested_by_municipality.staff.all())
    _send(
        key=f"decision:{adjustment.pk}",
        adjustment=adjustment,
        template="decision",
        recipients=_emails(users),
        context={},
    )


def withdrawn(adjustment: CapacityAdjustment, reason: str) -> None:
    """Everyone the adjustment concerns: the operator, the affected
    municipalities and, in a hearing, the body's seat holders."""
    users = [adjustment.requested_by_user]
    if adjustment.requested_by_municipality is not None:
        users += list(adjustment.requested_by_municipality.staff.all())
    for consultation in adjustment.consultations.select_related("municipality"):
        users += list(consultation.municipality.staff.all())
    addresses = set(_emails(users))
    hearing = Hearing.objects.filter(adjustment=adjustment).first()
    if hearing is not None:
        addresses |= set(hearing_addresses(hearing))
    _send(
        key=f"withdrawn:{adjustment.pk}",
        adjustment=adjustment,
        template="withdrawn",
        recipients=sorted(addresses),
        context={"reason": reason},
    )


def hearing_addresses(hearing: Hearing) -> list[str]:
    return sorted({member.email for member in hearing.members.all() if member.email})
