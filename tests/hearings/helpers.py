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
