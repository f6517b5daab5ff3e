"""Demo meetings and users' seats for the Midtjylland bodies."""

import datetime

from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody, Meeting


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or datetime.date.today()
    created = 0
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    committee = GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE)
    # Quarterly DASSOS meetings and two committee meetings around today.
    for body, offsets in ((dassos, (-80, 10, 100, 190)), (committee, (-40, 45))):
        for offset in offsets:
            day = _weekday(today + datetime.timedelta(days=offset))
            if Meeting.objects.filter(
                body=body, date__range=(day, day + datetime.timedelta(6))
            ).exists():
                continue
            Meeting.objects.create(
                body=body,
                date=day,
                location="Viborg Rådhus, mødelokale 1",
                agenda_note="Kapacitetsjusteringer, takster og status på rammeaftalens udviklingsområder.",
            )
            created += 1
    # R9: each agreement was last evaluated at its yearly meeting; Midtjylland's
    # next evaluation falls within the coming months.
    evaluations = {"regional": 300, "municipal": 120}
    for agreement in FrameworkAgreement.objects.filter(last_evaluated_on=None):
        days_ago = evaluations.get(agreement.kind, 200)
        agreement.last_evaluated_on = today - datetime.timedelta(days=days_ago)
        agreement.save(update_fields=["last_evaluated_on"])
    return {"meetings": created, "seats": _seats(dassos, committee)}


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
