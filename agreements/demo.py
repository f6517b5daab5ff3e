"""Demo meetings and users' seats for the Midtjylland bodies, the next
Midtjylland agreement on its way through the councils, and the region's
annual cycle; the meetings of København's steering group."""

import datetime

from django.contrib.auth.models import User

from agreements.models import (
    BodyRepresentative,
    CouncilApproval,
    CycleKind,
    CycleStep,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
    Region,
)
from agreements.services import annual_cycle_generate

MIDTJYLLAND = 1082

DEMO_PASSWORD = "rammeaftale-demo"  # noqa: S105 - demo logins, printed by make run

# The region's annual cycle (årshjul) as the secretariat would enter it:
# (title, kind, yearly, year offset, month, day).
CYCLE = [
    ("Udkast til udviklingsstrategi drøftes i DASSOS", CycleKind.STRATEGY, False, -1, 3, 1),
    ("Takstgruppen udarbejder styringsaftalen", CycleKind.STEERING, False, -1, 5, 1),
    ("Rammeaftalen i høring i kommuner og region", CycleKind.HEARING, False, -1, 6, 15),
    ("Godkendelse i de 19 byråd og Regionsrådet", CycleKind.COUNCIL_APPROVAL, False, -1, 10, 15),
    ("Takstindberetning for det kommende år", CycleKind.TARIFFS, True, 0, 9, 1),
    ("Årlig evaluering af rammeaftalen", CycleKind.EVALUATION, True, 0, 11, 1),
]

COPENHAGEN_STEERING_GROUP = "Styregruppen for de selvejende tilbud, København"


def secretary_for(agreement) -> User:
    """The demo secretary of the secretariat that administers `agreement`."""
    return User.objects.filter(secretariats=agreement.secretariat_id).order_by("pk").first()


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or datetime.date.today()
    created = 0
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    committee = GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE)
    # København's agreement (000) is run by a steering group of the
    # Socialforvaltning and the self-governing providers.
    steering, was_created = GoverningBody.objects.get_or_create(
        name=COPENHAGEN_STEERING_GROUP,
        defaults={
            "kind": GoverningBody.Kind.AD_HOC,
            "agreement": FrameworkAgreement.objects.get(kind="municipal", municipality__code=101),
            "tasks": "Følger samarbejdet mellem Socialforvaltningen og de selvejende tilbud.",
            "meets": "2 gange årligt",
        },
    )
    if was_created:
        steering.members.add(Municipality.objects.get(code=101))
    # Quarterly DASSOS meetings, two committee meetings and one of the
    # steering group around today.
    for body, offsets in ((dassos, (-80, 10, 100, 190)), (committee, (-40, 45)), (steering, (30,))):
        for offset in offsets:
            day = _weekday(today + datetime.timedelta(days=offset))
            if Meeting.objects.filter(
                body=body, date__range=(day, day + datetime.timedelta(6))
            ).exists():
                continue
            Meeting.objects.create(
                body=body,
                date=day,
                location="Københavns Rådhus" if body == steering else "Viborg Rådhus, mødelokale 1",
                agenda_note="Kapacitetsjusteringer, takster og status på rammeaftalens udviklingsområder.",
            )
            created += 1
    # R9: each agreement was last evaluated at its yearly meeting; Midtjylland's
    # next evaluation falls within the coming months.
    evaluations = {"regional": 300, "municipal": 120}
    for agreement in FrameworkAgreement.objects.filter(
        last_evaluated_on=None, status=FrameworkAgreement.Status.IN_FORCE
    ):
        days_ago = evaluations.get(agreement.kind, 200)
        agreement.last_evaluated_on = today - datetime.timedelta(days=days_ago)
        agreement.save(update_fields=["last_evaluated_on"])
    return {
        "meetings": created,
        "seats": _seats(dassos, committee),
        **_next_agreement(today),
        **_annual_cycle(),
    }


def _next_agreement(today: datetime.date) -> dict[str, int]:
    """The next Midtjylland agreement, starting within the coming months, with
    the approvals of the first councils recorded and the rest still missing."""
    region = Region.objects.get(code=MIDTJYLLAND)
    current = FrameworkAgreement.objects.get(region=region, status="in_force")
    starts = (today + datetime.timedelta(days=60)).replace(day=1)
    agreement, created = FrameworkAgreement.objects.get_or_create(
        region=region,
        status=FrameworkAgreement.Status.DRAFT,
        defaults={
            "name": f"Rammeaftale {starts.year}-{str(starts.year + 1)[-2:]} for Midtjylland",
            "kind": FrameworkAgreement.Kind.REGIONAL,
            "period_start": starts,
            "period_end": starts.replace(year=starts.year + 2) - datetime.timedelta(days=1),
            "regional_council_approves": True,
            # Prepared by the secretariat of the agreement in force.
            "secretariat": current.secretariat,
        },
    )
    if created:
        agreement.parties.set(Municipality.objects.filter(region=region))
        approved = Municipality.objects.filter(region=region).order_by("name")[:12]
        for offset, municipality in enumerate(approved):
            CouncilApproval.objects.create(
                agreement=agreement,
                municipality=municipality,
                approved_on=today - datetime.timedelta(days=40 - offset),
                reference=f"Byrådsmøde, punkt {offset + 3}",
            )
    return {"agreements": int(created)}


def _annual_cycle() -> dict[str, int]:
    region = Region.objects.get(code=MIDTJYLLAND)
    steps = 0
    for title, kind, yearly, offset, month, day in CYCLE:
        _step, created = CycleStep.objects.get_or_create(
            region=region,
            title=title,
            defaults={
                "kind": kind,
                "recurs_yearly": yearly,
                "year_offset": offset,
                "month": month,
                "day": day,
            },
        )
        steps += created
    deadlines = 0
    for agreement in FrameworkAgreement.objects.filter(region=region).exclude(
        status=FrameworkAgreement.Status.EXPIRED
    ):
        deadlines += len(annual_cycle_generate(agreement=agreement))
    return {"cycle steps": steps, "cycle deadlines": deadlines}


def _seats(*bodies: GoverningBody) -> int:
    """R4: every member of the approving bodies — each municipality and the
    region — has a representative with an address, most without a login."""
    created = 0
    for body in bodies:
        for member, seat in body.members_with_seats():
            if seat is not None:
                continue
            party = member.party
            slug = f"{party.code}"
            BodyRepresentative.objects.create(
                body=body,
                municipality=member.municipality,
                region=member.region,
                name=f"Direktør for {party.name}",
                email=f"{body.kind}.{slug}@medlem.example",
            )
            created += 1
    return created


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day
