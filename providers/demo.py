"""Demo providers, offers, operating agreements and tariffs.

Deterministic: every object is keyed by a natural key (CVR, offer name) and
created only when missing, so running the seed again changes nothing.
"""

import datetime
import random
from decimal import Decimal

from agreements.models import FrameworkAgreement, Municipality, Region, add_years
from providers.models import CollaborationModel, Offer, OperatingAgreement, Provider, Tariff

# name, kind, operator (municipality code, or region code for regional), model number
PROVIDERS = [
    ("Kofoeds Skole", "self_governing", 101, 1),
    ("Mændenes Hjem", "self_governing", 101, 1),
    ("Reden København", "self_governing", 101, 2),
    ("Blå Kors Pensionatet", "self_governing", 101, 2),
    ("Hjemmet for Kvinder og Børn", "self_governing", 101, 3),
    ("Kirkens Korshær Natvarmestue", "self_governing", 101, 3),
    ("Fonden Lænkebo", "self_governing", 101, 4),
    ("Opholdsstedet Egely", "self_governing", 751, None),
    ("Bostedet Fjordglimt", "self_governing", 730, 1),
    ("Specialbørnehjemmet Solstrålen", "self_governing", 657, 2),
    ("Aarhus Kommune, Center for Autisme", "municipal", 751, None),
    ("Randers Kommune, Bo- og Naboskab", "municipal", 730, None),
    ("Viborg Kommune, Specialcenter Skovhuset", "municipal", 791, None),
    ("Herning Kommune, Socialpsykiatrien", "municipal", 657, None),
    ("Holstebro Kommune, Bøgelund", "municipal", 661, None),
    ("Region Midtjylland, Specialområde Autisme", "regional", 1082, None),
    ("Region Midtjylland, Specialområde Hjerneskade", "regional", 1082, None),
    ("Det Sociale Netværk – Privat Botilbud", "private", 740, None),
    ("Opholdsstedet Havbrisen ApS", "private", 727, None),
    ("Behandlingshjemmet Lyngly ApS", "private", 746, None),
]

# name suffix, legal basis, target group, level, places
OFFER_KINDS = [
    ("Botilbud", "SEL § 108", "adults_intellectual", 2, 24),
    ("Midlertidigt botilbud", "SEL § 107", "adults_psychiatric", 2, 16),
    ("Døgninstitution", "SEL § 66", "children_vulnerable", 1, 8),
    ("Aflastning", "SEL § 84", "children_disability", 3, 10),
    ("Herberg", "SEL § 110", "homeless", 3, 40),
    ("Kvindekrisecenter", "SEL § 109", "violence", 2, 12),
    ("Bostøtte", "SEL § 85", "adults_psychiatric", 3, 30),
    ("Dagtilbud", "SEL § 104", "autism", 2, 20),
    ("Behandlingstilbud", "SEL § 101", "substance_abuse", 3, 18),
    ("Neurocenter", "SEL § 107", "brain_injury", 1, 6),
]


def demo_cvr(index: int) -> str:
    """A valid, clearly demo CVR number (modulus 11), the same for the same index."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    base = 39_000_000 // 10 + index * 37
    while True:
        digits = [int(d) for d in f"{base:07d}"]
        remainder = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return f"{base:07d}{check}"
        base += 1


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or datetime.date.today()
    rng = random.Random(4711)
    models = {model.number: model for model in CollaborationModel.objects.all()}
    midtjylland = FrameworkAgreement.objects.get(
        kind="regional", region__code=1082, status="in_force"
    )
    copenhagen = FrameworkAgreement.objects.get(kind="municipal", municipality__code=101)
    created = {"providers": 0, "offers": 0, "operating_agreements": 0, "tariffs": 0}

    for index, (name, kind, operator, model_number) in enumerate(PROVIDERS):
        defaults = {
            "name": name,
            "kind": kind,
            "collaboration_model": models.get(model_number),
            "board_chair": "" if kind != "self_governing" else f"Bestyrelsesformand {index + 1}",
            "address": f"Demovej {index + 1}",
            "postal_code": f"{8000 + index * 10}",
            "city": "Demoby",
            "phone": f"70 20 {index:02d} {index:02d}",
            "email": f"kontakt{index + 1}@tilbud.example",
            "tilbudsportalen_id": f"{10000 + index}",
        }
        if kind == "regional":
            defaults["operating_region"] = Region.objects.get(code=operator)
        else:
            defaults["operating_municipality"] = Municipality.objects.get(code=operator)
        provider, was_created = Provider.objects.get_or_create(
            cvr=demo_cvr(index), defaults=defaults
        )
        created["providers"] += was_created
        agreement = copenhagen if operator == 101 else midtjylland

        for offer_number in range(2):
            suffix, basis, group, level, places = OFFER_KINDS[(index + offer_number * 3) % 10]
            offer, was_created = Offer.objects.get_or_create(
                provider=provider,
                name=f"{provider.name.split(',')[-1].strip()} – {suffix}",
                defaults={
                    "tilbudsportalen_id": f"{20000 + index * 2 + offer_number}",
                    "legal_basis": basis,
                    "target_group": group,
                    "specialisation_level": level,
                    "approved_places": places + rng.randint(0, 6),
                    "opened_on": datetime.date(2000 + rng.randint(0, 20), rng.randint(1, 12), 1),
                },
            )
            created["offers"] += was_created
            if was_created:
                offer.framework_agreements.add(agreement)
            for year, factor in ((today.year - 1, Decimal("0.97")), (today.year, Decimal("1"))):
                base = Decimal(1200 + 150 * level * (4 - level) + rng.randint(0, 900))
                _, was_created = Tariff.objects.get_or_create(
                    offer=offer,
                    year=year,
                    unit=Tariff.Unit.DAY,
                    defaults={
                        "amount": (base * factor).quantize(Decimal("0.01")),
                        "covers": "Døgntakst inkl. kost, logi og pædagogisk støtte.",
                    },
                )
                created["tariffs"] += was_created

        if model_number in (1, 2, 3):
            created["operating_agreements"] += _operating_agreement(
                provider, models[model_number], agreement, index, today
            )
    return created


def _operating_agreement(
    provider: Provider,
    model: CollaborationModel,
    agreement: FrameworkAgreement,
    index: int,
    today: datetime.date,
) -> int:
    # A spread of review situations: overdue, due within 90 days, later.
    signed_on = datetime.date(2012 + index % 5, 1 + index % 12, 1)
    situation = index % 3
    if situation == 0:
        last_review_on = add_years(today, -5) - datetime.timedelta(days=40 + index)
    elif situation == 1:
        last_review_on = add_years(today, -5) + datetime.timedelta(days=30 + index)
    else:
        last_review_on = add_years(today, -2) + datetime.timedelta(days=index)
    defaults = {
        "framework_agreement": agreement,
        "signed_on": signed_on,
        "last_review_on": max(last_review_on, signed_on),
    }
    if model.fixed_places_for_yearly_payment:
        defaults |= {
            "last_review_on": None,
            "individual_review_on": today + datetime.timedelta(days=120 + index * 10),
            "committed_places": 12 + index,
            "yearly_payment": Decimal(2_400_000 + index * 100_000),
        }
    _, was_created = OperatingAgreement.objects.get_or_create(
        provider=provider,
        municipality=provider.operating_municipality,
        model=model,
        defaults=defaults,
    )
    return int(was_created)
