"""Demo agendas: the held DASSOS meeting released, decided and its minutes
approved (so the public pages show it); the next one released with a closed
item, a paper and a change after its release; the Forretningsudvalg's held
meeting with an item still to decide (the decision form)."""

import datetime

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import FrameworkAgreement, GoverningBody, Meeting
from meetings import services
from meetings.models import AgendaItem

# A one-page paper for the demo (a minimal valid PDF).
DEMO_PAPER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or datetime.date.today()
    secretariat = User.objects.get(username="sekretariat")
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    midtjylland = FrameworkAgreement.objects.get(region__code=1082, status="in_force")
    items = 0
    held = Meeting.objects.filter(body=dassos, date__lt=today).order_by("-date").first()
    if held is not None and not AgendaItem.objects.filter(meeting=held, adjustment=None).exists():
        services.agenda_sync(meeting=held)
        decided = AgendaItem.objects.filter(
            meeting=held, outcome="", adjustment__status__in=["approved", "rejected"]
        ).select_related("adjustment")
        for item in decided:
            # Decided at the meeting in capacity's demo; the item says the same.
            services.item_decide(
                user=secretariat,
                item=item,
                outcome=item.adjustment.status,
                decision=item.adjustment.decision_grounds,
                today=today,
            )
        services.agenda_send(user=secretariat, meeting=held)
        orientation = services.item_add(
            user=secretariat,
            meeting=held,
            kind=AgendaItem.Kind.ORIENTATION,
            title="Status på rammeaftalens udviklingsområder",
            case_text="Sekretariatet orienterer om arbejdet i ad hoc-grupperne.",
        )
        services.item_decide(
            user=secretariat,
            item=orientation,
            outcome=AgendaItem.Outcome.NOTED,
            decision="Orienteringen blev taget til efterretning.",
            today=today,
        )
        services.minutes_update(
            user=secretariat,
            meeting=held,
            present="Repræsentanter for de 19 kommuner og Region Midtjylland.",
            apologies="Samsø Kommune.",
        )
        services.minutes_approve(user=secretariat, meeting=held, how="next_meeting", today=today)
        items += 1
    coming = Meeting.objects.filter(body=dassos, date__gte=today).order_by("date").first()
    if (
        coming is not None
        and not AgendaItem.objects.filter(meeting=coming, adjustment=None).exists()
    ):
        evaluation = services.item_add(
            user=secretariat,
            meeting=coming,
            kind=AgendaItem.Kind.DECISION,
            title="Årlig evaluering af rammeaftalen",
            case_text="Sekretariatet fremlægger evalueringen af det forløbne år.",
            recommendation="Det indstilles, at DASSOS godkender evalueringen.",
            evaluation_of=midtjylland,
        )
        services.document_add(
            user=secretariat,
            uploaded=SimpleUploadedFile("Evaluering.pdf", DEMO_PAPER),
            title="Evalueringsrapport",
            agenda_item=evaluation,
        )
        services.item_add(
            user=secretariat,
            meeting=coming,
            kind=AgendaItem.Kind.DISCUSSION,
            title="Takstudviklingen",
            case_text="Takstgruppen fremlægger takstudviklingen.",
            tariff_matter="Takstrunden for det kommende år",
        )
        closed = services.item_add(
            user=secretariat,
            meeting=coming,
            kind=AgendaItem.Kind.DECISION,
            title="Lukket punkt: tilbud under skærpet tilsyn",
            case_text="Sagen indeholder oplysninger om enkelte borgere og tilbuddets økonomi.",
            recommendation="Det indstilles, at DASSOS tager orienteringen til efterretning.",
        )
        services.item_close(
            user=secretariat, item=closed, reason=AgendaItem.ClosedReason.BUSINESS_SECRET
        )
        services.document_add(
            user=secretariat,
            uploaded=SimpleUploadedFile("Tilsynsrapport.pdf", DEMO_PAPER),
            title="Tilsynsrapport (fortrolig)",
            agenda_item=closed,
        )
        services.agenda_send(user=secretariat, meeting=coming)
        # A change after the release, listed on the agenda with its time.
        services.item_update(
            user=secretariat,
            item=evaluation,
            recommendation="Det indstilles, at DASSOS godkender evalueringen og dens anbefalinger.",
        )
        items += 3
    committee = GoverningBody.objects.filter(
        kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE, agreement=midtjylland
    ).first()
    undecided = (
        Meeting.objects.filter(body=committee, date__lt=today).order_by("-date").first()
        if committee is not None
        else None
    )
    if undecided is not None and not AgendaItem.objects.filter(meeting=undecided).exists():
        services.item_add(
            user=secretariat,
            meeting=undecided,
            kind=AgendaItem.Kind.DECISION,
            title="Principper for takstberegning i styringsaftalen",
            case_text="Takstgruppen foreslår, at overheadprocenten fastholdes.",
            recommendation="Det indstilles, at Forretningsudvalget godkender principperne.",
        )
        items += 1
    return {"agenda items": items}
