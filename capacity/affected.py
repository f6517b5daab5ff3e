"""R3: which municipalities are affected by an adjustment of an offer.

The one place that reads individual contracts: a municipality buys places in
the offer when it acts or pays for an active individual contract under a
standard contract for the offer.
"""

import datetime

from django.db.models import QuerySet

from agreements.models import Municipality
from providers.models import Offer


def municipalities_buying_places(offer: Offer, on: datetime.date | None = None) -> QuerySet:
    from contracts.models import IndividualContract

    contracts = IndividualContract.objects.active(on=on).filter(offer=offer)
    ids = {
        pk
        for pair in contracts.values_list("acting_municipality_id", "paying_municipality_id")
        for pk in pair
        if pk is not None
    }
    return Municipality.objects.filter(pk__in=ids)
