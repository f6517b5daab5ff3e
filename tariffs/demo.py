"""Demo tariffs: the steering agreement of Midtjylland with its PL indices,
approved calculation bases for last year and this year behind the demo
offers' tariffs, a submitted basis that breaks the occupancy rule, this
year's round, a member of the Takstgruppe, and a closed offer whose closure
costs are divided among its buyers.

Each object is found by its natural key before it is made: running the seed
again changes nothing.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from agreements.demo import DEMO_PASSWORD
from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody, Municipality
from contracts.models import GeneralPart, IndividualContract, InterventionType, StandardContract
from contracts.reference import ensure_intervention_types
from providers.demo import demo_cvr
from providers.models import Offer, Provider, Tariff
from tariffs import services
from tariffs.models import (
    AddOnService,
    CalculationBasis,
    CostShare,
    PriceIndex,
    TariffPolicy,
    TariffRound,
    default_occupancy_kind,
)

TAKSTGRUPPE_USER = ("takst", "Tove", "Takst")
FLAGGED_OFFER = "Opholdsstedet Egely – Botilbud"
CLOSED_PROVIDER = "Lindely, Randers Kommune"
CLOSED_OFFER = "Lindely – Botilbud"


def _costs(amount: Decimal, places: int, occupancy: Decimal) -> dict:
    """Costs that give about `amount` per day: 70 % staff, 12 % other
    operating costs, overhead 7 % of the direct costs, the rest capital."""
    total = amount * places * 365 * occupancy / 100
    staff = (total * Decimal("0.70")).quantize(Decimal("1000"))
    other = (total * Decimal("0.12")).quantize(Decimal("1000"))
    overhead = ((staff + other) * Decimal("0.07")).quantize(Decimal("100"))
    rest = total - staff - other - overhead
    rent = (rest * Decimal("0.7")).quantize(Decimal("100"))
    return {
        "staff_costs": staff,
        "other_operating_costs": other,
        "overhead_costs": overhead,
        "rent": rent,
        "depreciation": (rest - rent).quantize(Decimal("0.01"), ROUND_HALF_UP),
    }


def _basis(offer: Offer, year: int, agreement, amount: Decimal, **extra) -> CalculationBasis:
    occupancy = extra.pop("budgeted_occupancy", Decimal("96.00"))
    places = max(offer.approved_places, 1)
    basis = CalculationBasis(
        offer=offer,
        year=year,
        agreement=agreement,
        unit=Tariff.Unit.DAY,
        occupancy_kind=default_occupancy_kind(offer),
        approved_places=places,
        opening_days=365,
        budgeted_occupancy=occupancy,
        regulation=Decimal("0.00"),
        **_costs(amount, places, occupancy),
        **extra,
    )
    basis.tariff_amount = basis.compute_tariff()
    return basis


def seed() -> dict[str, int]:
    created = {"tariff_bases": 0, "tariff_rounds": 0, "cost_splits": 0}
    today = timezone.localdate()
    this_year, last_year = today.year, today.year - 1
    secretary = User.objects.get(username="sekretariat")
    midtjylland = FrameworkAgreement.objects.get(
        kind="regional", region__code=1082, status="in_force"
    )

    policy, _ = TariffPolicy.objects.get_or_create(agreement=midtjylland)
    for year, percent in ((last_year, "2.80"), (this_year, "3.10")):
        PriceIndex.objects.get_or_create(
            policy=policy, year=year, defaults={"percent": Decimal(percent)}
        )

    username, first, last = TAKSTGRUPPE_USER
    member, was_created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@rammeaftale.example",
        },
    )
    if was_created:
        member.set_password(DEMO_PASSWORD)
        member.save(update_fields=["password"])
    BodyRepresentative.objects.get_or_create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.TARIFF_GROUP, agreement=midtjylland),
        user=member,
        defaults={"municipality": Municipality.objects.get(code=791)},
    )

    for year, deadline in (
        (last_year, datetime.date(last_year - 1, 10, 1)),
        (this_year, today + datetime.timedelta(days=5)),
    ):
        _, was_created = TariffRound.objects.get_or_create(
            agreement=midtjylland,
            year=year,
            defaults={"deadline": deadline, "opened_by": secretary},
        )
        created["tariff_rounds"] += was_created

    # Approved bases behind the demo tariffs of both years; approving writes
    # the tariff the basis computes.
    offers = (
        Offer.objects.filter(framework_agreements=midtjylland, closed_on__isnull=True)
        .exclude(name=CLOSED_OFFER)
        .order_by("name")
    )
    for offer in offers:
        for year in (last_year, this_year):
            if CalculationBasis.objects.filter(offer=offer, year=year).exists():
                continue
            tariff = Tariff.objects.filter(offer=offer, year=year, unit=Tariff.Unit.DAY).first()
            if tariff is None:
                continue
            if offer.name == FLAGGED_OFFER and year == this_year:
                # Submitted, breaking the occupancy rule: waits for the Takstgruppe.
                basis = _basis(
                    offer,
                    year,
                    midtjylland,
                    tariff.amount,
                    budgeted_occupancy=Decimal("88.00"),
                    increase_reason="Færre henvisninger; pladserne holdes åbne til nye borgere.",
                    status=CalculationBasis.Status.SUBMITTED,
                    submitted_by=secretary,
                    submitted_at=timezone.now(),
                )
                basis.flags = services.basis_flags(basis, policy=policy)
                basis.save()
            else:
                basis = _basis(
                    offer,
                    year,
                    midtjylland,
                    tariff.amount,
                    status=CalculationBasis.Status.APPROVED,
                    submitted_by=secretary,
                    reviewed_by=secretary,
                    submitted_at=timezone.now(),
                    reviewed_at=timezone.now(),
                )
                basis.save()
                tariff.amount = basis.tariff_amount
                tariff.covers = "Beregnet af det godkendte beregningsgrundlag."
                tariff._change_reason = "Beregningsgrundlag godkendt"
                tariff.save()
                if offer.legal_basis == Offer.LegalBasis.SEL_84:
                    AddOnService.objects.create(
                        basis=basis,
                        name="Ekstra nattevagt",
                        price=Decimal("420.00"),
                        unit=Tariff.Unit.HOUR,
                    )
            created["tariff_bases"] += 1

    created["cost_splits"] += _closed_offer(secretary, midtjylland, this_year)
    return created


def _closed_offer(secretary, agreement, this_year: int) -> int:
    """A residential offer closed on 1 January this year, bought by Aarhus,
    Randers and Viborg in the three years before; its closure costs divided."""
    randers = Municipality.objects.get(code=730)
    provider, _ = Provider.objects.get_or_create(
        name=CLOSED_PROVIDER,
        defaults={
            "cvr": demo_cvr(900),
            "kind": Provider.Kind.MUNICIPAL,
            "operating_municipality": randers,
        },
    )
    offer, offer_created = Offer.objects.get_or_create(
        provider=provider,
        name=CLOSED_OFFER,
        defaults={
            "legal_basis": Offer.LegalBasis.SEL_108,
            "target_group": Offer.TargetGroup.ADULTS_INTELLECTUAL,
            "specialisation_level": 3,
            "approved_places": 0,
            "opened_on": datetime.date(2005, 1, 1),
            "closed_on": datetime.date(this_year, 1, 1),
        },
    )
    if offer_created:
        offer.framework_agreements.add(agreement)
    if CostShare.objects.filter(offer=offer, kind=CostShare.Kind.CLOSURE).exists():
        return 0
    ensure_intervention_types()
    kind = InterventionType.objects.get(code="botilbud-108")
    first = datetime.date(this_year - 3, 1, 1)
    buyers = [
        (751, first, datetime.date(this_year - 1, 12, 31), "Anders Demo Lund", "0505859201"),
        (
            730,
            datetime.date(this_year - 2, 1, 1),
            datetime.date(this_year - 1, 6, 30),
            "Bente Demo Bak",
            "1208799202",
        ),
        (
            791,
            datetime.date(this_year - 1, 1, 1),
            datetime.date(this_year - 1, 12, 31),
            "Carl Demo Krog",
            "2311689203",
        ),
    ]
    signed_at = datetime.datetime(first.year - 1, 12, 15, 12, tzinfo=datetime.UTC)
    for code, starts_on, ends_on, citizen, cpr in buyers:
        authority = Municipality.objects.get(code=code)
        general = GeneralPart.objects.filter(authority=authority).order_by("-version").first()
        if general is None:
            general = GeneralPart.objects.create(
                authority=authority,
                version=1,
                ethics="Respekt for det enkelte menneske.",
                payment_terms="Der afregnes alene efter den gældende takstoversigt.",
                disputes_and_breach="Uenighed søges løst ved forhandling.",
                sanctions_and_termination="Kontrakten kan opsiges med 6 måneders varsel.",
            )
        standard, _ = StandardContract.objects.get_or_create(
            authority=authority,
            provider=provider,
            intervention_type=kind,
            defaults={
                "number": f"SK-LINDELY-{code}",
                "offer": offer,
                "general_part": general,
                "status": "expired",
                "signed_at": signed_at,
                "authority_contact": f"{authority.name}, Socialforvaltningen",
                "provider_contact": f"{provider.name}, Lindevej 1",
                "purpose": "Længerevarende botilbud efter SEL § 108.",
                "number_of_places": 1,
                "price": Decimal("1650.00"),
                "price_unit": "day",
                "starts_on": first,
                "ends_on": datetime.date(this_year - 1, 12, 31),
            },
        )
        IndividualContract.objects.get_or_create(
            standard_contract=standard,
            citizen_name=citizen,
            defaults={
                "number": f"IK-LINDELY-{code}",
                "citizen_cpr": cpr,
                "custody": IndividualContract.Custody.JOINT,
                "municipality_contact": "Rådgiver i socialforvaltningen",
                "provider_contact": "Leder af Lindely",
                "acting_municipality": authority,
                "paying_municipality": authority,
                "scope": "Døgnophold.",
                "frequency": "Dagligt.",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "expected_duration": "Længerevarende",
                "follow_up": "Opfølgning hvert halve år.",
                "price": Decimal("1650.00"),
                "price_unit": "day",
                "status": "expired",
                "signed_at": signed_at,
            },
        )
    services.closure_costs_divide(
        user=secretary,
        offer=offer,
        total=Decimal("1250000.00"),
        description="Fratrædelsesløn, huslejeforpligtelse i opsigelsesperioden og rydning.",
    )
    return 1
