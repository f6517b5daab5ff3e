"""Hearings of the Midtjylland agreement for the tests."""

import datetime

from django.utils import timezone

from hearings import services
from hearings.models import AgreementHearing, Council

SECTIONS = [
    (1, "Indledning", "Rammeaftalens formål og parter."),
    (2, "Kapacitet og udvikling", "Udbud og efterspørgsel af pladser."),
    (3, "Styring og takster", "Takstprincipper og betalingsmodeller."),
]


def open_hearing(user, agreement, *, sections=SECTIONS, days: int = 14) -> AgreementHearing:
    hearing = services.hearing_create(
        user=user,
        agreement=agreement,
        document="strategy",
        title="Udviklingsstrategi 2027-28",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
    )
    # Added out of order: the note orders by number.
    for number, title, text in reversed(sections):
        services.section_add(user=user, hearing=hearing, number=number, title=title, text=text)
    return services.hearing_open(user=user, hearing=hearing)


def council(municipality=None, region=None) -> Council:
    return Council(municipality=municipality, region=region)


def approve_everywhere(agreement, *, last=None) -> datetime.date:
    """Every council's approval of `agreement`, the last on `last`."""
    from agreements.models import CouncilApproval

    last = last or timezone.localdate() - datetime.timedelta(days=5)
    parties = list(agreement.parties.order_by("name"))
    for offset, municipality in enumerate(parties):
        CouncilApproval.objects.create(
            agreement=agreement,
            municipality=municipality,
            approved_on=last - datetime.timedelta(days=len(parties) - offset),
        )
    if agreement.regional_council_approves:
        CouncilApproval.objects.create(
            agreement=agreement, region=agreement.region, approved_on=last
        )
    return last


def concluded_hearing(user, agreement, **kwargs) -> AgreementHearing:
    """An open hearing concluded after its deadline day."""
    hearing = open_hearing(user, agreement, **kwargs)
    AgreementHearing.objects.filter(pk=hearing.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    hearing.refresh_from_db()
    return services.hearing_conclude(user=user, hearing=hearing)
