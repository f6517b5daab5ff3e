"""Shortcuts for capacity tests: a request through the service, as Aarhus' staff."""

import datetime

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
