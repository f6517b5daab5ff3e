"""The outbox against a real SMTP server (aiosmtpd): retries with back-off,
exactly one delivery per mail, and a hearing that opens whatever the mail
server does (R2/R4: a member is notified when the server accepted the mail)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from capacity.models import Hearing, HearingMember
from outbox.delivery import deliver_due
from outbox.models import RETRY_AFTER, OutgoingMail
from tests.capacity.helpers import request

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def opened(
    client,
    secretariat_user,
    municipality_user,
    capacity_offer,
    dassos,
    django_capture_on_commit_callbacks,
):
    """Open a hearing of DASSOS's 20 members on its page; the response."""

    def open_hearing():
        adjustment = request(municipality_user, capacity_offer, places=12)
        client.force_login(secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("capacity:open_hearing", args=[adjustment.pk]), {"body": dassos.pk}
            )
        return adjustment, response

    return open_hearing


def test_a_refusing_then_accepting_server_gets_each_of_twenty_mails_exactly_once(
    client, opened, smtp_server
):
    smtp_server.refuse = True
    adjustment, response = opened()
    assert response.status_code == 302
    hearing = Hearing.objects.get(adjustment=adjustment)
    mails = OutgoingMail.objects.filter(hearing_member__hearing=hearing)
    assert mails.count() == 20
    assert set(mails.values_list("status", "attempts")) == {("waiting", 1)}
    assert "451" in mails.first().last_answer
    assert not HearingMember.objects.filter(hearing=hearing, notified_at__isnull=False).exists()
    assert smtp_server.received == []

    # Before the first back-off has passed nothing is tried again.
    assert deliver_due(now=timezone.now() + MINUTE / 2) == 0
    smtp_server.refuse = False
    assert deliver_due(now=timezone.now() + 2 * MINUTE) == 20
    assert deliver_due(now=timezone.now() + 3 * MINUTE) == 0

    members = list(hearing.members.all())
    assert sorted(smtp_server.recipients()) == sorted(m.email for m in members)
    assert len(set(smtp_server.recipients())) == 20
    assert all(m.notified_at is not None for m in members)
    assert set(mails.values_list("status", flat=True)) == {"sent"}

    page = client.get(reverse("capacity:adjustment", args=[adjustment.pk]))
    assert "Alle medlemmer har fået besked pr. e-mail." in page.content.decode()
    for member in members:
        assert member.email in page.content.decode()


def test_with_the_server_down_the_hearing_opens_and_the_mails_fail_visibly(
    client, opened, smtp_down, secretariat_user
):
    adjustment, response = opened()
    assert response.status_code == 302
    hearing = Hearing.objects.get(adjustment=adjustment)
    assert hearing.adjustment.status == "in_hearing"
    mails = OutgoingMail.objects.filter(hearing_member__hearing=hearing)
    assert mails.count() == 20

    # Each retry after its back-off, until the mails are given up.
    now = timezone.now()
    for wait in RETRY_AFTER:
        now += wait + MINUTE
        assert deliver_due(now=now) == 0
    assert set(mails.values_list("status", "attempts")) == {("failed", 5)}
    assert not mails.filter(sent_at__isnull=False).exists()
    assert not HearingMember.objects.filter(hearing=hearing, notified_at__isnull=False).exists()
    assert not hearing.all_notified()

    page = client.get(reverse("capacity:adjustment", args=[adjustment.pk])).content.decode()
    assert "Alle medlemmer har fået besked pr. e-mail." not in page

    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert len(dashboard.context["undelivered_mails"].rows) == 10
    assert dashboard.context["undelivered_mails"].total == 20
    assert reverse("portal:mail_retry", args=[mails.first().pk]) in dashboard.content.decode()


def test_send_again_puts_a_failed_mail_back_and_the_server_then_gets_it(
    client, opened, smtp_down, settings, django_capture_on_commit_callbacks
):
    adjustment, _ = opened()
    mail = OutgoingMail.objects.filter(hearing_member__hearing__adjustment=adjustment).first()
    OutgoingMail.objects.filter(pk=mail.pk).update(status="failed", attempts=5)

    from aiosmtpd.controller import Controller

    from tests.smtp import Recorder, free_port  # a server comes up again

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:mail_retry", args=[mail.pk]))
    finally:
        controller.stop()
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == "sent"
    assert recorder.recipients() == [mail.recipient]
    assert HearingMember.objects.get(pk=mail.object_id).notified_at == mail.sent_at


def test_another_secretariat_neither_sees_nor_sends_again_the_mails(
    client, opened, smtp_down, copenhagen_secretary
):
    adjustment, _ = opened()
    mail = OutgoingMail.objects.filter(hearing_member__hearing__adjustment=adjustment).first()
    OutgoingMail.objects.update(status="failed", attempts=5)
    client.force_login(copenhagen_secretary)
    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.context["undelivered_mails"].total == 0
    assert client.post(reverse("portal:mail_retry", args=[mail.pk])).status_code == 404
    mail.refresh_from_db()
    assert mail.status == "failed"


def test_a_municipality_cannot_send_a_mail_again(client, opened, smtp_down, municipality_user):
    adjustment, _ = opened()
    mail = OutgoingMail.objects.filter(hearing_member__hearing__adjustment=adjustment).first()
    client.force_login(municipality_user)
    assert client.post(reverse("portal:mail_retry", args=[mail.pk])).status_code == 404


def test_the_retries_back_off_one_five_thirty_minutes_and_two_hours_then_give_up():
    mail = OutgoingMail(recipient="a@example.dk")
    now = timezone.now()
    expected = [MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE]
    for attempt, wait in enumerate(expected, start=1):
        mail.record_failure(now, "451 later")
        assert (mail.status, mail.attempts, mail.next_attempt_at) == (
            "waiting",
            attempt,
            now + wait,
        )
    mail.record_failure(now, "451 later")
    assert (mail.status, mail.attempts) == ("failed", 5)
