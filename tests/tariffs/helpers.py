"""Factories for the tariff tests: policies, rounds and bases built directly
(the workflow itself is tested through tariffs.services)."""

import datetime
from decimal import Decimal

from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody
from tariffs.models import CalculationBasis, TariffPolicy, TariffRound
from tests.conftest import make_user

# A residential offer of 20 places: 12.100.000 kr. a year at 95 % → 1.744,77 kr. a day.
RESIDENTIAL = {
    "unit": "day",
    "occupancy_kind": "residential",
    "approved_places": 20,
    "opening_days": 365,
    "budgeted_occupancy": Decimal("95.00"),
    "staff_costs": Decimal("9000000.00"),
    "other_operating_costs": Decimal("1500000.00"),
    "overhead_costs": Decimal("735000.00"),
    "rent": Decimal("600000.00"),
    "depreciation": Decimal("165000.00"),
    "regulation": Decimal("100000.00"),
}


def midtjylland() -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(kind="regional", region__code=1082, status="in_force")


def make_policy(agreement: FrameworkAgreement | None = None, **fields) -> TariffPolicy:
    agreement = agreement or midtjylland()
    policy, _ = TariffPolicy.objects.update_or_create(agreement=agreement, defaults=fields)
    return policy


def make_round(user, agreement=None, year: int = 2026, **fields) -> TariffRound:
    defaults = {"deadline": datetime.date.today() + datetime.timedelta(days=30)}
    return TariffRound.objects.create(
        agreement=agreement or midtjylland(), year=year, opened_by=user, **(defaults | fields)
    )


def make_basis(offer, year: int = 2026, agreement=None, **fields) -> CalculationBasis:
    agreement = agreement or midtjylland()
    offer.framework_agreements.add(agreement)
    return CalculationBasis.objects.create(
        offer=offer, year=year, agreement=agreement, **(RESIDENTIAL | fields)
    )


def make_takstgruppe_member(municipality, username: str = "tove"):
    user = make_user(username, first_name="Tove", last_name="Takst", email=f"{username}@x.dk")
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.TARIFF_GROUP, name="Takstgruppen"),
        municipality=municipality,
        user=user,
    )
    return user
