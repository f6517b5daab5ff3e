"""Reminders of the tariff round (templates in templates/tariffs/email/).

Each reminder has a key (round, municipality); a `TariffNotification` row
with that key records it, and the unique key makes sure it goes out once
only — however often the command runs. Each recipient's mail is a row of the
outbox about the reminder, sent by the worker after the transaction commits.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.models import Municipality
from outbox.services import mail_queue, render_mail
from tariffs.models import TariffNotification, TariffRound
from tariffs.queries import not_submitted, round_offers

REMINDER_DAYS = 7


def remind_round(tariff_round: TariffRound, today: datetime.date) -> int:
    """Remind each operating municipality with offers not submitted, once."""
    missing: dict[int, list] = {}
    for offer in not_submitted(round_offers(tariff_round)):
        municipality = offer.provider.operating_municipality_id
        if municipality is not None:
            missing.setdefault(municipality, []).append(offer)
    sent = 0
    municipalities = Municipality.objects.in_bulk(missing)
    for municipality_id, offers in missing.items():
        municipality = municipalities[municipality_id]
        recipients = sorted(
            {user.email for user in municipality.staff.filter(is_active=True) if user.email}
        )
        if _send(tariff_round, municipality, offers, recipients, today):
            sent += 1
    return sent


def _send(tariff_round, municipality, offers, recipients, today) -> bool:
    context = {
        "round": tariff_round,
        "municipality": municipality,
        "offers": offers,
        "days_left": (tariff_round.deadline - today).days,
        "url": settings.SITE_URL.rstrip("/") + reverse("tariffs:mine"),
    }
    subject, text, html = render_mail("tariffs/email/reminder", context)
    try:
        with transaction.atomic():
            reminder = TariffNotification.objects.create(
                key=f"round:{tariff_round.pk}:reminder:{municipality.pk}",
                round=tariff_round,
                recipients=", ".join(recipients),
                subject=subject,
            )
    except IntegrityError:
        return False  # Sent before.
    for recipient in recipients:
        mail_queue(to=recipient, subject=subject, text=text, html=html, concerning=reminder)
    return True


@transaction.atomic
def run_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due: rounds whose deadline is at most REMINDER_DAYS away."""
    today = today or timezone.localdate()
    due = TariffRound.objects.filter(
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=REMINDER_DAYS)
    ).select_related("agreement")
    return sum(remind_round(tariff_round, today) for tariff_round in due)
