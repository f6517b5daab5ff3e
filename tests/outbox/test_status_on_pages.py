"""Where a mail matters its status is shown: the invitation on the user's
page, the reminders on the tariff round's page (the secretariat's only)."""

import datetime

from django.urls import reverse

from accounts import services as account_services
from outbox.delivery import deliver_due
from outbox.models import OutgoingMail
from tariffs.notifications import run_reminders
from tests.conftest import make_offer, make_user
from tests.tariffs.helpers import make_round, make_takstgruppe_member, midtjylland


def test_the_invitation_shows_its_mail_waiting_then_sent(
    client, secretariat_user, provider, smtp_server
):
    smtp_server.refuse = True
    target = account_services.user_invite(
        user=secretariat_user,
        email="ny@bosted.dk",
        first_name="Ny",
        last_name="Leder",
        provider=provider,
    )
    deliver_due()
    client.force_login(secretariat_user)
    page = client.get(reverse("accounts:user", args=[target.pk])).content.decode()
    assert "venter, prøves igen" in page and "451" in page

    smtp_server.refuse = False
    mail = OutgoingMail.objects.get(recipient="ny@bosted.dk")
    assert deliver_due(now=mail.next_attempt_at) == 1
    page = client.get(reverse("accounts:user", args=[target.pk])).content.decode()
    assert "e-mailen: sendt" in page
    assert smtp_server.recipients() == ["ny@bosted.dk"]


def test_the_rounds_reminders_show_their_status_to_the_secretariat_only(
    client, secretariat_user, aarhus, randers, smtp_server
):
    offer = make_offer(name="Fjordglimt")  # operated by Aarhus
    offer.framework_agreements.add(midtjylland())
    aarhus.staff.add(make_user("bodil", email="bodil@aarhus.dk"))
    tariff_round = make_round(
        secretariat_user, deadline=datetime.date.today() + datetime.timedelta(days=5)
    )
    assert run_reminders() == 1
    deliver_due()
    assert smtp_server.recipients() == ["bodil@aarhus.dk"]

    client.force_login(secretariat_user)
    page = client.get(reverse("tariffs:round", args=[tariff_round.pk])).content.decode()
    assert "bodil@aarhus.dk – sendt" in page

    client.force_login(make_takstgruppe_member(randers))
    page = client.get(reverse("tariffs:round", args=[tariff_round.pk]))
    assert page.status_code == 200
    assert "bodil@aarhus.dk" not in page.content.decode()
