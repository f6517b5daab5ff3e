"""Shortcuts for capacity tests: a request through the service, as Aarhus' staff."""

import datetime

from agreements.models import Meeting
from capacity import services
from capacity.models import CapacityAdjustment

PAST = datetime.date(2026, 1, 1)


def request(user, offer, kind="increase", places=5, effective_on=PAST, reason="Behov"):
    return services.adjustment_request(
        user=user,
        offer=offer,
        kind=kind,
        places=places,
        effective_on=effective_on,
        reason=reason,
        # Asked for before it takes effect: a past date is refused.
        today=min(effective_on, datetime.date.today()),
    )


def consult_all(user, adjustment: CapacityAdjustment, on=PAST) -> None:
    for municipality in services.missing_consultations(adjustment):
        services.consultation_record(
            user=user,
            adjustment=adjustment,
            municipality=municipality,
            contacted_on=on,
            method="email",
        )


def approve_at_meeting(secretariat_user, adjustment):
    meeting, _ = Meeting.objects.get_or_create(
        body_id=adjustment.offer.framework_agreements.get().bodies.get(kind="dassos").pk,
        date=datetime.date.today(),
    )
    services.adjustment_route_to_meeting(
        user=secretariat_user, adjustment=adjustment, meeting=meeting
    )
    return services.adjustment_record_meeting_decision(
        user=secretariat_user, adjustment=adjustment, approved=True, grounds="Enig"
    )
