"""Demo contracts: standard contracts in every state, and individual contracts
with synthetic CPR numbers.

The CPR numbers are valid dates with sequence numbers 9101–9199, which the
CPR office does not issue to these birth dates, so they are clearly
fictitious. Deterministic: each standard contract is keyed by its authority,
provider and intervention type and made only when missing, so a second run
changes nothing. Everything goes through the services, as the secretariat
would do it.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.demo import secretary_for
from agreements.models import FrameworkAgreement, Municipality
from contracts import services
from contracts.models import GeneralPart, IndividualContract, StandardContract, Status
from contracts.reference import ensure_intervention_types
from providers.models import Provider

SIGNED_ON = datetime.date(2025, 1, 10)

GENERAL_TERMS = {
    "ethics": (
        "Leverandøren arbejder ud fra kommunens sammenhængende børne- og ungepolitik: "
        "respekt for det enkelte menneske, inddragelse af borgeren og familien og "
        "en helhedsorienteret indsats."
    ),
    "payment_terms": (
        "Betaling sker månedsvis bagud efter faktura. Betalingsfristen er 30 dage. "
        "Der afregnes alene efter den gældende takstoversigt."
    ),
    "disputes_and_breach": (
        "Uenighed søges løst ved forhandling. Ved væsentlig misligholdelse kan kontrakten "
        "ophæves. Genforhandling kan kræves ved væsentligt ændrede forudsætninger."
    ),
    "sanctions_and_termination": (
        "Samarbejdet om en konkret sag kan opsiges med 1 måneds varsel. Den overordnede "
        "kontrakt kan opsiges med 6 måneders varsel til udgangen af en måned."
    ),
}

SPECIFIC = {
    "authority_supervision": "Myndigheden fører det personrettede tilsyn efter SEL § 148.",
    "authority_information": "Myndigheden orienterer leverandøren om relevante afgørelser.",
    "authority_written_form": "Aftaler om den enkelte borger indgås skriftligt.",
    "provider_opening_hours": "Døgnåbent alle årets dage.",
    "provider_education": "Mindst 75 % af personalet har en relevant uddannelse.",
    "provider_competence": "Personalet har erfaring med målgruppen og efteruddannes løbende.",
    "provider_involvement": "Forældre og borger inddrages i planlægningen af indsatsen.",
    "provider_confidentiality": "Personalet har tavshedspligt efter forvaltningsloven.",
    "provider_duty_to_notify": "Personalet har skærpet underretningspligt efter SEL § 153.",
    "provider_data_storage": "Personoplysninger opbevares efter databeskyttelsesforordningen.",
    "provider_use_of_force": "Magtanvendelse registreres og indberettes efter reglerne.",
    "insurance": "Leverandøren har ansvars- og arbejdsskadeforsikring.",
    "follow_up": "Opfølgningsmøde hvert halve år og ved behov.",
    "price_regulation": "Prisen reguleres 1. januar efter KL's pris- og lønskøn.",
    "price_covers": "Ophold, kost, pædagogisk støtte og administration.",
}

# authority code, provider name, intervention type (fitting one of the provider's
# offers, see contracts.reference.OFFER_LEGAL_BASES), the state to bring it to
STANDARD_CONTRACTS = [
    (751, "Opholdsstedet Egely", "botilbud-108", Status.SIGNED),
    (751, "Aarhus Kommune, Center for Autisme", "botilbud-108", Status.DRAFT),
    (751, "Det Sociale Netværk – Privat Botilbud", "botilbud-108", Status.AWAITING_SIGNATURE),
    (751, "Behandlingshjemmet Lyngly ApS", "aflastning", Status.TERMINATED),
    (730, "Bostedet Fjordglimt", "botilbud-107", Status.EXPIRED),
    (101, "Kofoeds Skole", "botilbud-108", Status.SIGNED),
    (101, "Mændenes Hjem", "botilbud-107", Status.SUPERSEDED),
    # Awaiting both parties' signatures in Rammeaftale: the demo municipality
    # user (Aarhus, with the signing permission) and the demo leader sign it.
    (751, "Kofoeds Skole", "botilbud-108", Status.AWAITING_SIGNATURE),
]

# Awaiting signature with no signature recorded yet (the others awaiting
# signature have the authority's signature on paper).
UNSIGNED = {(751, "Kofoeds Skole")}

# standard contract index, child, child CPR, mother, mother CPR, paying code, signed
INDIVIDUAL_CONTRACTS = [
    (0, "Emil Demo Hansen", "1504129101", "Mette Demo Hansen", "0207849102", 751, True),
    (0, "Sofie Demo Jensen", "0911109103", "Line Demo Jensen", "2312889104", 730, True),
    (0, "Oliver Demo Nielsen", "2706139105", "Anne Demo Nielsen", "1403909106", 751, False),
    (5, "Frederik Demo Larsen", "0102039107", "", "", 101, True),
]


def seed() -> dict[str, int]:
    ensure_intervention_types()
    # The demo secretaries may see full CPR numbers (every view is logged).
    cpr_permission = Permission.objects.get(
        content_type__app_label="contracts", codename="view_full_cpr"
    )
    for secretary in User.objects.filter(secretariats__isnull=False).distinct():
        if not secretary.user_permissions.filter(pk=cpr_permission.pk).exists():
            secretary.user_permissions.add(cpr_permission)
    # The demo municipality staff sign contracts for their municipality.
    signing_permission = Permission.objects.get(
        content_type__app_label="contracts", codename="sign_for_authority"
    )
    for staff in User.objects.filter(staffed_municipalities__code=751, secretariats__isnull=True):
        staff.user_permissions.add(signing_permission)
    created = {"general_parts": 0, "standard_contracts": 0, "individual_contracts": 0}
    standards: list[StandardContract] = []
    for code, provider_name, type_code, state in STANDARD_CONTRACTS:
        authority = Municipality.objects.get(code=code)
        provider = Provider.objects.get(name=provider_name)
        # Each contract is made by the secretariat of the agreement covering the offer.
        user = secretary_for(FrameworkAgreement.objects.filter(offers__provider=provider).first())
        if not GeneralPart.objects.filter(authority=authority).exists():
            services.general_part_create(authority=authority, user=user, **GENERAL_TERMS)
            created["general_parts"] += 1
        existing = (
            StandardContract.objects.filter(
                authority=authority, provider=provider, intervention_type__code=type_code
            )
            .order_by("version")
            .first()
        )
        if existing is None:
            existing = _standard_contract(authority, provider, type_code, state, user)
            created["standard_contracts"] += 1
        standards.append(existing)

    for index, child, cpr, mother, mother_cpr, paying, signed in INDIVIDUAL_CONTRACTS:
        standard = standards[index]
        user = secretary_for(standard.offer.framework_agreements.first())
        if IndividualContract.objects.filter(standard_contract=standard, citizen_name=child):
            continue
        contract = services.individual_contract_create(
            user=user,
            standard_contract=standard,
            citizen_name=child,
            citizen_cpr=cpr,
            mother_name=mother,
            mother_cpr=mother_cpr,
            custody=IndividualContract.Custody.MOTHER
            if mother
            else IndividualContract.Custody.GUARDIAN,
            guardian_name="" if mother else "Værge Demo Poulsen",
            municipality_contact="Familierådgiver Demo Madsen, tlf. 89 40 00 00",
            provider_contact="Kontaktpædagog Demo Holm",
            acting_municipality=standard.authority,
            paying_municipality=Municipality.objects.get(code=paying),
            goal_development="Udvikle sociale kompetencer og selvstændighed.",
            goal_family="Styrke kontakten til familien gennem faste samvær.",
            goal_school="Stabilt fremmøde i skolen.",
            scope="Døgnophold med pædagogisk støtte.",
            frequency="Dagligt.",
            starts_on=datetime.date(2025, 2, 1),
            expected_duration="2 år",
            follow_up="Opfølgning hver 3. måned og revision af handleplanen efter 6 måneder.",
            price=standard.price,
            price_unit=standard.price_unit,
        )
        if signed:
            _sign(contract, user)
        created["individual_contracts"] += 1
    return created


def _standard_contract(
    authority: Municipality, provider: Provider, type_code: str, state: str, user
) -> StandardContract:
    from contracts.models import InterventionType

    intervention_type = InterventionType.objects.get(code=type_code)
    ends_on = datetime.date(2025, 12, 31) if state == Status.EXPIRED else None
    contract = services.standard_contract_create(
        user=user,
        authority=authority,
        provider=provider,
        # 002: the intervention must fit the offer's paragraph.
        offer=provider.offers.filter(legal_basis__in=intervention_type.allowed_legal_bases())
        .order_by("name")
        .first(),
        intervention_type=intervention_type,
        authority_contact=(
            f"{authority.name}, Socialforvaltningen\nRådhuset\n"
            f"Kontaktperson: Kontraktansvarlig Demo Berg, kontrakter@{authority.code}.example"
        ),
        provider_contact=(
            f"{provider.name}\n{provider.address}, {provider.postal_code} {provider.city}\n"
            f"Tlf. {provider.phone}, {provider.email}"
        ),
        purpose=f"Kontrakten vedrører {intervention_type.name.lower()} efter "
        f"{intervention_type.legal_basis}.",
        cooperation_requirements="Leverandøren stiller pladserne til rådighed efter aftale.",
        number_of_places=4,
        price=Decimal("2350.00"),
        price_unit="day",
        starts_on=datetime.date(2024, 1, 1)
        if state == Status.EXPIRED
        else datetime.date(2025, 1, 1),
        ends_on=ends_on,
        extension="Kan forlænges med 1 år ad gangen.",
        **SPECIFIC,
    )
    if state == Status.DRAFT:
        return contract
    contract = services.contract_submit(contract=contract, user=user)
    if state == Status.AWAITING_SIGNATURE:
        if (authority.code, provider.name) not in UNSIGNED:
            _record(contract, "authority", user)
        return contract
    contract = _sign(contract, user)
    if state == Status.TERMINATED:
        services.contract_terminate(
            contract=contract,
            user=user,
            terminated_on=datetime.date(2025, 9, 30),
            reason="Opsagt af leverandøren med 6 måneders varsel.",
        )
    elif state == Status.EXPIRED:
        services.contract_expire(contract=contract, user=user)
    elif state == Status.SUPERSEDED:
        amendment = services.contract_amend(contract=contract, user=user)
        services.contract_update(
            contract=amendment,
            user=user,
            price=Decimal("2425.00"),
            follow_up="Opfølgningsmøde hvert kvartal.",
        )
        _sign(amendment, user)
    return contract


def _record(contract, party: str, user) -> None:
    names = {
        "authority": ("Socialchef Demo Andersen", "Socialchef"),
        "provider": ("Forstander Demo Christensen", "Daglig leder"),
    }
    name, title = names[party]
    return services.contract_record_paper_signature(
        contract=contract,
        user=user,
        party=party,
        signer_name=name,
        signer_title=title,
        signed_on=SIGNED_ON,
        scan=SimpleUploadedFile("underskrift.pdf", DEMO_SCAN, "application/pdf"),
    )


# A stand-in for the scan of a paper signed by hand.
DEMO_SCAN = b"%PDF-1.4\n% Demo: scannet underskrift\n%%EOF\n"


def _sign(contract, user):
    """Signed on paper by both parties, recorded by the secretariat: the last
    signature signs and seals the contract."""
    if contract.status == Status.DRAFT:
        contract = services.contract_submit(contract=contract, user=user)
    _record(contract, "authority", user)
    return _record(contract, "provider", user)
