"""The secretariat's dashboard lists the councils that have not yet approved
an agreement starting within 90 days (004), and the annual cycle's deadlines."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import (
    CouncilApproval,
    CycleDeadline,
    FrameworkAgreement,
    Municipality,
    Region,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def next_agreement(secretariat_user, days: int) -> FrameworkAgreement:
    from agreements.models import Secretariat

    region = Region.objects.get(code=1082)
    agreement = FrameworkAgreement.objects.create(
        name=f"Næste rammeaftale om {days} dage",
        kind=FrameworkAgreement.Kind.REGIONAL,
        region=region,
        period_start=TODAY + datetime.timedelta(days=days),
        regional_council_approves=True,
        secretariat=Secretariat.objects.filter(members=secretariat_user).first(),
    )
    agreement.parties.set(Municipality.objects.filter(region=region))
    return agreement


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_lists_the_councils_still_to_approve(client, secretariat_user):
    agreement = next_agreement(secretariat_user, 30)
    for municipality in Municipality.objects.filter(region__code=1082).exclude(name="Skive"):
        CouncilApproval.objects.create(
            agreement=agreement, municipality=municipality, approved_on=TODAY
        )

    page = dashboard(client, secretariat_user)

    assert "2 byråd har endnu ikke godkendt den" in page
    assert "<td>Skive</td>" in page
    assert "<td>Region Midtjylland</td>" in page
    assert "<td>Aarhus</td>" not in page


def test_an_agreement_starting_in_91_days_is_not_listed_yet(client, secretariat_user):
    next_agreement(secretariat_user, 91)

    assert "Næste rammeaftale om 91 dage begynder" not in dashboard(client, secretariat_user)


def test_another_secretariats_agreement_is_not_listed(
    client, copenhagen_secretary, secretariat_user
):
    next_agreement(secretariat_user, 30)

    assert "Næste rammeaftale om 30 dage begynder" not in dashboard(client, copenhagen_secretary)


def test_the_annual_cycles_deadlines_within_90_days(client, secretariat_user, midtjylland):
    for days, title in ((10, "Takstindberetning"), (200, "Høring om udviklingsstrategien")):
        CycleDeadline.objects.create(
            agreement=midtjylland,
            title=title,
            kind="tariffs",
            due_on=TODAY + datetime.timedelta(days=days),
        )

    page = dashboard(client, secretariat_user)

    assert "Takstindberetning" in page
    assert "Høring om udviklingsstrategien" not in page


def test_the_dashboard_stays_within_19_queries_with_councils_and_deadlines(
    client, secretariat_user, midtjylland
):
    client.force_login(secretariat_user)
    next_agreement(secretariat_user, 30)
    CycleDeadline.objects.create(
        agreement=midtjylland, title="Evaluering", kind="evaluation", due_on=TODAY
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:dashboard"))
    for days in (40, 50, 60):
        next_agreement(secretariat_user, days)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portal:dashboard"))

    # One of them counts the contracts waiting for an archiving decision; one each
    # the running hearings of the framework agreement and the municipalities not
    # yet published; one the undelivered mails.
    assert len(few) == len(many) <= 19
