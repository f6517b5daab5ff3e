"""Demo hearing and publication: the next Midtjylland agreement's development
strategy in hearing with a few answers (Aarhus on the page, others recorded
by the secretariat) and the secretariat's comments; the agreement in force
with its steering agreement approved by every council, gathered for
publication, and Viborg's publication address.

Each object is found before it is made: running the seed again changes
nothing."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from agreements.models import CouncilApproval, FrameworkAgreement, Municipality, Region
from hearings import services
from hearings.models import AgreementHearing, Council, DocumentKind

MIDTJYLLAND = 1082

STRATEGY = [
    (
        1,
        "Indledning og formål",
        "Udviklingsstrategien sætter rammen for det fælleskommunale og regionale samarbejde "
        "på det specialiserede social- og undervisningsområde i de kommende to år.",
    ),
    (
        2,
        "Fokusområder",
        "Borgere med komplekse problemstillinger, børn og unge med psykiatriske diagnoser og "
        "sammenhæng mellem tilbud på tværs af kommunegrænser.",
    ),
    (
        3,
        "Kapacitet og tilbudsvifte",
        "Sikre balance mellem udbud og efterspørgsel af pladser og koordinere udviklingen af "
        "nye tilbud til små målgrupper.",
    ),
]

STEERING = [
    (1, "Takstprincipper", "Taksterne beregnes efter den fælles beregningsmodel."),
    (2, "Betalingsmodeller", "Køb af pladser afregnes efter takstoversigten."),
    (3, "Kapacitetsjusteringer", "Justeringer på mere end 10 pladser godkendes i DASSOS."),
]

ANSWERS = [
    # (municipality code, section, answer, the secretariat's comment)
    (
        730,
        2,
        "Randers Kommune foreslår, at fokusområdet om børn og unge udvides til "
        "også at omfatte unge voksne op til 25 år.",
        "Indarbejdet i afsnit 2.",
    ),
    (
        791,
        3,
        "Viborg Kommune ønsker en årlig status på kapaciteten i DASSOS.",
        "Sekretariatet udarbejder en årlig status.",
    ),
    (657, 1, "Herning Kommune bakker op om strategien.", ""),
]


def _secretary() -> User | None:
    return User.objects.filter(username="sekretariat").first()


def seed(today: datetime.date | None = None) -> dict[str, int]:
    secretary = _secretary()
    if secretary is None:
        return {"hearings": 0}
    region = Region.objects.get(code=MIDTJYLLAND)
    created = 0
    upcoming = (
        FrameworkAgreement.objects.filter(region=region, status=FrameworkAgreement.Status.DRAFT)
        .order_by("period_start")
        .first()
    )
    if upcoming and not AgreementHearing.objects.filter(agreement=upcoming).exists():
        _strategy_hearing(secretary, upcoming)
        created += 1
    current = FrameworkAgreement.objects.get(
        region=region, status=FrameworkAgreement.Status.IN_FORCE
    )
    if not AgreementHearing.objects.filter(agreement=current).exists():
        _published_steering_agreement(secretary, current)
        created += 1
    return {"hearings": created}


def _open(secretary: User, agreement, document: str, title: str, sections, days: int):
    hearing = services.hearing_create(
        user=secretary,
        agreement=agreement,
        document=document,
        title=title,
        deadline=timezone.localdate() + datetime.timedelta(days=days),
    )
    for number, heading, text in sections:
        services.section_add(
            user=secretary, hearing=hearing, number=number, title=heading, text=text
        )
    return services.hearing_open(user=secretary, hearing=hearing)


def _strategy_hearing(secretary: User, agreement) -> None:
    hearing = _open(
        secretary,
        agreement,
        DocumentKind.STRATEGY,
        f"Udviklingsstrategi {_years(agreement)}",
        STRATEGY,
        days=12,
    )
    for code, section, text, comment in ANSWERS:
        (answer,) = services.answer_give(
            user=secretary,
            hearing=hearing,
            council=Council(municipality=Municipality.objects.get(code=code)),
            texts={section: text},
            received="email",
        )
        if comment:
            services.answer_comment(user=secretary, answer=answer, comment=comment)
    services.answer_give(
        user=secretary,
        hearing=hearing,
        council=Council(region=agreement.region),
        texts={},
        no_comments=True,
        received="letter",
    )
    aarhus_staff = User.objects.filter(staffed_municipalities__code=751).first()
    if aarhus_staff is not None:
        services.answer_give(
            user=aarhus_staff,
            hearing=hearing,
            council=Council(municipality=Municipality.objects.get(code=751)),
            texts={3: "Aarhus Kommune støtter en fælles kapacitetsanalyse hvert andet år."},
        )


def _published_steering_agreement(secretary: User, agreement) -> None:
    """The agreement in force: its steering agreement heard, approved by
    every council before the period began, gathered, and published by Viborg."""
    hearing = _open(
        secretary,
        agreement,
        DocumentKind.STEERING,
        f"Styringsaftale {_years(agreement)}",
        STEERING,
        days=0,
    )
    for council in hearing.heard_councils():
        services.answer_give(
            user=secretary,
            hearing=hearing,
            council=council,
            texts={},
            no_comments=True,
            received="email",
        )
    services.hearing_conclude(user=secretary, hearing=hearing)
    approved_on = agreement.approved_on or agreement.period_start - datetime.timedelta(days=90)
    for offset, municipality in enumerate(agreement.parties.order_by("name")):
        CouncilApproval.objects.get_or_create(
            agreement=agreement,
            municipality=municipality,
            defaults={"approved_on": approved_on - datetime.timedelta(days=30 - offset)},
        )
    if agreement.regional_council_approves and agreement.region_id:
        CouncilApproval.objects.get_or_create(
            agreement=agreement, region=agreement.region, defaults={"approved_on": approved_on}
        )
    services.document_gather(user=secretary, hearing=hearing)
    services.publication_address_record(
        user=secretary,
        agreement=agreement,
        municipality=Municipality.objects.get(code=791),
        url="https://www.viborg.dk/rammeaftale",
    )


def _years(agreement) -> str:
    """The two years of the agreement as its name writes them: 2027-28."""
    start = agreement.period_start.year
    return f"{start}-{(start + 1) % 100:02d}"
