"""Demo capacity adjustments in every state, a running e-mail hearing and a
meeting with capacity items on its agenda.

Every adjustment is made through capacity/services.py, as the people who
would take each step, and is keyed by its offer and reason: running the seed
again finds it and changes nothing.
"""

import datetime

from django.contrib.auth.models import User

from agreements.demo import secretary_for
from agreements.models import GoverningBody, Meeting, Municipality
from capacity import services
from capacity.models import CapacityAdjustment
from providers.models import Offer

# offer name, kind, places, effective (days from today), reason, the state to reach
ADJUSTMENTS = [
    (
        "Opholdsstedet Egely – Botilbud",
        "increase",
        12,
        60,
        "Venteliste på 9 borgere; udvidelse med en ny bogruppe.",
        "requested",
    ),
    (
        "Socialpsykiatrien – Bostøtte",
        "decrease",
        14,
        45,
        "Faldende efterspørgsel de seneste to år.",
        "in_hearing",
    ),
    (
        "Bøgelund – Dagtilbud",
        "closure",
        None,
        90,
        "Dagtilbuddet samles i kommunens nye center; tilbuddet lukkes.",
        "on_agenda",
    ),
    (
        "Specialområde Autisme – Kvindekrisecenter",
        "increase",
        15,
        30,
        "Regionens plan for flere pladser til kvinder med autisme.",
        "approved",
    ),
    (
        "Bo- og Naboskab – Herberg",
        "decrease",
        20,
        20,
        "Ombygning reducerer antallet af værelser.",
        "rejected",
    ),
    (
        "Fjordglimt – Behandlingstilbud",
        "increase",
        4,
        -30,
        "Fire nye behandlingspladser efter ombygning.",
        "carried_out",
    ),
    (
        "Skovhuset – Kvindekrisecenter",
        "decrease",
        3,
        10,
        "Midlertidig reduktion under renovering (trukket tilbage).",
        "withdrawn",
    ),
    # København's secretariat has a request of its own.
    (
        "Kofoeds Skole – Botilbud",
        "increase",
        4,
        75,
        "Fire værelser mere i det nye bofællesskab.",
        "requested",
    ),
    # Two approval-free steps of 6 on one offer within 12 months: the warning.
    (
        "Opholdsstedet Egely – Dagtilbud",
        "increase",
        6,
        -60,
        "Seks pladser mere i dagtilbuddet.",
        "carried_out",
    ),
    (
        "Opholdsstedet Egely – Dagtilbud",
        "increase",
        6,
        30,
        "Yderligere seks pladser i dagtilbuddet.",
        "requested",
    ),
]


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or datetime.date.today()
    created = 0
    for name, kind, places, effective, reason, state in ADJUSTMENTS:
        offer = Offer.objects.filter(name__endswith=name).order_by("pk").first()
        if offer is None or CapacityAdjustment.objects.filter(offer=offer, reason=reason).exists():
            continue
        _reach(offer, kind, places, today + datetime.timedelta(effective), reason, state, today)
        created += 1
    return {"capacity_adjustments": created}


def _operator_user(offer: Offer) -> User:
    """A user of the operating municipality (the demo's 'kommune' for Aarhus),
    or the secretariat on the operator's behalf."""
    municipality = offer.provider.operating_municipality
    if municipality is not None:
        staff = municipality.staff.order_by("pk").first()
        if staff is not None:
            return staff
    return _secretary(offer)


def _secretary(offer: Offer) -> User:
    """The demo secretary of the secretariat whose agreement covers the offer."""
    return secretary_for(offer.framework_agreements.order_by("pk").first())


def _reach(offer, kind, places, effective_on, reason, state, today) -> None:
    secretariat = _secretary(offer)
    operator = _operator_user(offer)
    adjustment = services.adjustment_request(
        user=operator,
        offer=offer,
        kind=kind,
        places=places,
        effective_on=effective_on,
        reason=reason,
        # The demo's history: asked for before it took effect.
        today=min(today, effective_on),
    )
    if not adjustment.consultations.exists():
        # No demo contracts in this offer: the secretariat names two buyers.
        # (Egely's Botilbud has demo contracts: Randers pays for a place.)
        for code in (730, 791, 657):
            municipality = Municipality.objects.get(code=code)
            if municipality.pk != adjustment.requested_by_municipality_id:
                services.adjustment_add_affected_municipality(
                    user=secretariat, adjustment=adjustment, municipality=municipality
                )
            if adjustment.consultations.count() == 2:
                break
    contacted = today - datetime.timedelta(days=20)
    missing = services.missing_consultations(adjustment)
    # The request still to route keeps one municipality unheard: R3 shows.
    for municipality in missing[1:] if state == "requested" else missing:
        services.consultation_record(
            user=operator,
            adjustment=adjustment,
            municipality=municipality,
            contacted_on=contacted,
            method="email",
            answer="agrees",
            today=today,
        )
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    committee = GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE)
    if state == "in_hearing":
        opened = today - datetime.timedelta(days=9)
        hearing = services.hearing_open(
            user=secretariat, adjustment=adjustment, body=dassos, today=opened
        )
        member = User.objects.filter(username="dassos").first()
        if member is not None:
            services.hearing_answer(
                user=member,
                hearing=hearing,
                municipality=member.body_seats.get(body=dassos).municipality,
                answer="support",
                comment="Randers støtter justeringen.",
                today=opened + datetime.timedelta(days=2),
            )
    elif state == "on_agenda":
        meeting = Meeting.objects.filter(body=dassos, date__gte=today).order_by("date").first()
        services.adjustment_route_to_meeting(
            user=secretariat, adjustment=adjustment, meeting=meeting, today=today
        )
    elif state in ("approved", "rejected"):
        body = committee if state == "approved" else dassos
        meeting = Meeting.objects.filter(body=body, date__lt=today).order_by("-date").first()
        services.adjustment_route_to_meeting(
            user=secretariat,
            adjustment=adjustment,
            meeting=meeting,
            today=meeting.date - datetime.timedelta(days=14),
        )
        services.adjustment_record_meeting_decision(
            user=secretariat,
            adjustment=adjustment,
            approved=state == "approved",
            grounds=(
                "Forretningsudvalget godkender på vegne af DASSOS."
                if state == "approved"
                else "Behovet for pladserne er fortsat til stede i kommunerne."
            ),
            today=today,
        )
    elif state == "carried_out":
        services.adjustment_carry_out(user=secretariat, adjustment=adjustment, today=today)
    elif state == "withdrawn":
        services.adjustment_withdraw(user=operator, adjustment=adjustment)
