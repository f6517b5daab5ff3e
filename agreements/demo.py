"""Demo meetings of the Midtjylland bodies and of København's steering group."""

import datetime

from agreements.models import FrameworkAgreement, GoverningBody, Meeting, Municipality

COPENHAGEN_STEERING_GROUP = "Styregruppen for de selvejende tilbud, København"


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
    for agreement in FrameworkAgreement.objects.filter(last_evaluated_on=None):
        days_ago = evaluations.get(agreement.kind, 200)
        agreement.last_evaluated_on = today - datetime.timedelta(days=days_ago)
        agreement.save(update_fields=["last_evaluated_on"])
    return {"meetings": created}


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day
