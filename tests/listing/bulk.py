"""Many rows at once (bulk_create), for the tests of bounded lists."""

import datetime
import itertools
from decimal import Decimal

from capacity.models import CapacityAdjustment
from contracts.models import IndividualContract, StandardContract
from providers.models import Offer, Tariff
from tests.conftest import DEMO_CPR_CHILD

_batch = itertools.count(1)


def individual_contracts(
    standard: StandardContract, count: int, *, prefix: str = "IK-B", **fields
) -> list[IndividualContract]:
    """`count` individual contracts under `standard` (signed unless told),
    numbered `<prefix>0000`…, starting on consecutive days of 2025."""
    rows = []
    for index in range(count):
        values = {
            "standard_contract": standard,
            "provider_id": standard.provider_id,
            "offer_id": standard.offer_id,
            "number": f"{prefix}{index:04d}",
            "status": IndividualContract.Status.SIGNED,
            "citizen_name": f"Borger {index:04d}",
            "citizen_cpr": DEMO_CPR_CHILD,
            "custody": IndividualContract.Custody.JOINT,
            "municipality_contact": "Rådgiver",
            "provider_contact": "Pædagog",
            "acting_municipality": standard.authority,
            "paying_municipality": standard.authority,
            "scope": "Døgnophold.",
            "frequency": "Dagligt.",
            "starts_on": datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 300),
            "expected_duration": "2 år",
            "follow_up": "Hver 3. måned.",
            "price": Decimal("2150.50"),
            "price_unit": "day",
        }
        rows.append(IndividualContract(**(values | fields)))
    return IndividualContract.objects.bulk_create(rows)


def offers(provider, count: int, **fields) -> list[Offer]:
    batch = next(_batch)
    rows = [
        Offer(
            provider=provider,
            name=f"Afdeling {batch}-{index:04d}",
            legal_basis=Offer.LegalBasis.SEL_108,
            target_group=Offer.TargetGroup.ADULTS_INTELLECTUAL,
            specialisation_level=2,
            approved_places=index,
            opened_on=datetime.date(2010, 1, 1),
            **fields,
        )
        for index in range(count)
    ]
    return Offer.objects.bulk_create(rows)


def tariffs(offers_: list[Offer], *, year: int = 2026) -> list[Tariff]:
    return Tariff.objects.bulk_create(
        Tariff(offer=offer, year=year, unit=Tariff.Unit.DAY, amount=Decimal(1000 + index))
        for index, offer in enumerate(offers_)
    )


def adjustments(offer: Offer, count: int, user, **fields) -> list[CapacityAdjustment]:
    """`count` approval-free increases of one place, requested by the offer's operator."""
    rows = [
        CapacityAdjustment(
            offer=offer,
            requested_by_municipality=offer.provider.operating_municipality,
            requested_by_user=user,
            kind=CapacityAdjustment.Kind.INCREASE,
            places_before=offer.approved_places,
            change=1,
            effective_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=index),
            reason="Efterspørgsel.",
            requires_approval=False,
            approval_threshold=10,
            route=CapacityAdjustment.Route.NONE,
            **fields,
        )
        for index in range(count)
    ]
    return CapacityAdjustment.objects.bulk_create(rows)
