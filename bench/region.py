"""A region-sized register for the page benchmark, written with bulk inserts.

1,020 providers, 3,040 offers, 9,080 tariffs, 6,170 standard and 100,004
individual contracts (valid fake CPR numbers), 5,009 capacity adjustments
with an outbox row each, a tariff round per framework agreement and a
calculation basis per offer for this year and the next, 200 meetings with
agendas and a paper on each item;
one provider leader of 3 providers with 5,000 contracts between them, and
Aarhus acting in 5,792 contracts. Runs inside Django (`build(shape)`), on the
benchmark's own, freshly migrated database; the numbers are deterministic.

The same volume comes in two shapes (`SHAPES`), because a query plan that
depends on how the data is spread shows only in some regions:
- `region`: every user holds one role; an operating agreement names no
  framework agreement; contracts started within the last 6 years, each paid
  by the municipality that acts.
- `mixed`: the leader also works for Aarhus and holds Aarhus' seat in
  DASSOS; each self-governing provider's operating agreement sits under
  another framework agreement than its offers; contracts started within the
  last 20 years, and one in ten is paid by another municipality than the one
  that acts (Aarhus pays for 500 it does not act in).

Bulk inserts skip the history tables and the services' checks: this is
volume for reading, built to satisfy the database's constraints. The one
signed PDF the benchmark downloads is made through the services.
"""

import datetime
import hashlib
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

PROVIDERS = 1_020
OFFERS = 3_040
TARIFFS = 9_080
STANDARD_CONTRACTS = 6_170
INDIVIDUAL_CONTRACTS = 100_004
ADJUSTMENTS = 5_009
MEETINGS = 200
AGENDA_ITEMS = 6  # per meeting
TARIFF_YEARS = 2  # this year's rounds and bases, approved, and next year's, in review
FAILED_MAILS_EVERY = 100  # one mail in this many failed
LEADER_PROVIDERS = 3
LEADER_CONTRACTS = 5_000
AARHUS = 751
AARHUS_ACTING = 5_792
BATCH = 2_000
SHAPES = ("region", "mixed")

FIRST_NAMES = [
    "Emma", "Noah", "Ida", "Oscar", "Clara", "William", "Alma", "Carl", "Freja", "Malthe",
    "Ella", "Alfred", "Sofia", "Valdemar", "Karla", "Lucas", "Anna", "Aksel", "Agnes", "Emil",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
]  # fmt: skip


@dataclass
class Region:
    """What the benchmark needs to find again: its users and a few objects."""

    password: str
    users: dict[str, str] = field(default_factory=dict)  # role -> username
    leader_provider: int = 0
    signed_contract: int = 0
    calendar_token: str = ""
    tariff_round: int = 0  # next year's round of the leader's first offer's agreement
    basis: int = 0  # next year's basis of the leader's first offer
    meeting: int = 0  # a DASSOS meeting with its agenda and papers
    search: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    # The secret of each user's authenticator app (hex), for the second factor.
    totp_keys: dict[str, str] = field(default_factory=dict)


def _cpr(birth: datetime.date, serial: int) -> str:
    """A CPR number python-stdnum accepts: a birth date and a serial whose
    first digit gives the century (4–9 for 2000–2036, 0–3 for the 1900s). A
    date the century makes impossible (29.02.1900) moves a day back."""
    while True:
        digits = f"{birth:%d%m%y}{serial:04d}"
        try:
            stdnum_cpr.validate(digits)
        except stdnum_exceptions.ValidationError:
            birth -= datetime.timedelta(days=1)
        else:
            return digits


def _bulk(model, objects, batch: int = BATCH) -> list:
    return model.objects.bulk_create(objects, batch_size=batch)


# The volumes `--scale` shrinks for a quick try of the benchmark (at least 1 each).
SCALED = (
    "PROVIDERS", "OFFERS", "TARIFFS", "STANDARD_CONTRACTS", "INDIVIDUAL_CONTRACTS",
    "ADJUSTMENTS", "MEETINGS", "LEADER_CONTRACTS", "AARHUS_ACTING",
)  # fmt: skip


def scale(factor: float) -> None:
    """Shrink (or grow) the region's volumes by `factor`; the shape stays."""
    for name in SCALED:
        globals()[name] = max(LEADER_PROVIDERS * 3, round(globals()[name] * factor))


def build(shape: str = "region") -> Region:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.roles import ensure_secretariat_group
    from agreements.models import (
        BodyRepresentative,
        FrameworkAgreement,
        GoverningBody,
        Meeting,
        Municipality,
        Secretariat,
    )
    from capacity.models import CapacityAdjustment
    from contracts.models import (
        GeneralPart,
        IndividualContract,
        InterventionType,
        StandardContract,
    )
    from meetings.models import Document
    from outbox.models import OutgoingMail
    from portal.models import CalendarFeed
    from providers.demo import demo_cvr
    from providers.models import CollaborationModel, Offer, OperatingAgreement, Provider, Tariff
    from tariffs.models import CalculationBasis, TariffRound

    if shape not in SHAPES:
        raise ValueError(f"{shape}: the shapes are {', '.join(SHAPES)}")
    mixed = shape == "mixed"
    rng = random.Random(2026)  # noqa: S311 - volume, not secrets
    today = timezone.localdate()
    region = Region(password=secrets.token_urlsafe(16))
    municipalities = list(Municipality.objects.order_by("code"))
    aarhus = next(m for m in municipalities if m.code == AARHUS)
    others = [m for m in municipalities if m.code != AARHUS]
    model_1 = CollaborationModel.objects.get(number=1)
    agreements = list(FrameworkAgreement.objects.all())
    types = list(InterventionType.objects.order_by("pk"))

    # Users, one per role. They log in with a password; the secretariat, as a
    # staff user, also with the code of an authenticator app (second factor).
    secretariat = User.objects.create_user("bench-sekretariat", password=region.password)
    secretariat.is_staff = True
    secretariat.save(update_fields=["is_staff"])
    secretariat.groups.add(ensure_secretariat_group())
    for one in Secretariat.objects.all():
        one.members.add(secretariat)
    device = TOTPDevice.objects.create(user=secretariat, name="Benchmark", confirmed=True)
    region.totp_keys[secretariat.username] = device.key
    staff = User.objects.create_user("bench-kommune", password=region.password)
    aarhus.staff.add(staff)
    leader = User.objects.create_user("bench-leder", password=region.password)
    member = User.objects.create_user("bench-dassos", password=region.password)
    randers = next(m for m in municipalities if m.code == 730)
    randers.staff.add(member)
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS)
    BodyRepresentative.objects.create(body=dassos, municipality=randers, user=member)
    if mixed:
        # The leader also works for Aarhus and holds its seat in DASSOS.
        aarhus.staff.add(leader)
        BodyRepresentative.objects.create(body=dassos, municipality=aarhus, user=leader)
    region.users = {
        "secretariat": secretariat.username,
        "municipality": staff.username,
        "leader": leader.username,
        "body member": member.username,
    }

    # Providers: the leader's three first, self-governing under Aarhus.
    providers = _bulk(
        Provider,
        (
            Provider(
                name=f"Bench-udbyder {n:04d}",
                cvr=demo_cvr(n),
                kind="self_governing" if n % 3 == 0 else "private",
                operating_municipality=aarhus if n < LEADER_PROVIDERS else others[n % len(others)],
                collaboration_model=model_1 if n % 3 == 0 else None,
                city="Aarhus",
            )
            for n in range(PROVIDERS)
        ),
    )
    Provider.leaders.through.objects.bulk_create(
        Provider.leaders.through(provider=provider, user=leader)
        for provider in providers[:LEADER_PROVIDERS]
    )
    _bulk(
        OperatingAgreement,
        (
            OperatingAgreement(
                provider=provider,
                municipality=provider.operating_municipality,
                model=model_1,
                # Mixed: under another agreement than the provider's offers (n % 3).
                framework_agreement=agreements[(n + 1) % len(agreements)] if mixed else None,
                signed_on=datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 1500),
                last_review_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=n % 1200),
            )
            for n, provider in enumerate(providers)
            if provider.kind == "self_governing"
        ),
    )

    legal_bases = [choice for choice, _label in Offer.LegalBasis.choices]
    target_groups = [choice for choice, _label in Offer.TargetGroup.choices]
    offers = _bulk(
        Offer,
        (
            Offer(
                provider=providers[n % PROVIDERS],
                name=f"Bench-tilbud {n:04d}",
                tilbudsportalen_id=f"B{n:06d}",
                legal_basis=legal_bases[n % len(legal_bases)],
                target_group=target_groups[n % len(target_groups)],
                specialisation_level=1 + n % 3,
                approved_places=10 + n % 40,
                opened_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=n),
            )
            for n in range(OFFERS)
        ),
    )
    Offer.framework_agreements.through.objects.bulk_create(
        (
            Offer.framework_agreements.through(
                offer=offer, frameworkagreement=agreements[n % len(agreements)]
            )
            for n, offer in enumerate(offers)
        ),
        batch_size=BATCH,
    )
    offers_of: dict[int, list] = {}
    for offer in offers:
        offers_of.setdefault(offer.provider_id, []).append(offer)

    units = ["day", "month", "year", "hour"]
    _bulk(
        Tariff,
        (
            Tariff(
                offer=offers[n % OFFERS],
                year=today.year - (n // OFFERS) % 3,
                unit=units[n // (3 * OFFERS)],
                amount=Decimal(1500 + (n * 37) % 3000),
                covers="Ophold, pleje og pædagogisk støtte.",
            )
            for n in range(TARIFFS)
        ),
    )

    # Standard contracts: per provider, up to 7 authorities (one signed
    # contract per authority, provider and intervention type).
    general_parts = {
        part.authority_id: part
        for part in _bulk(
            GeneralPart,
            (
                GeneralPart(
                    authority=municipality,
                    ethics="Borgeren i centrum.",
                    payment_terms="Betaling månedsvis bagud.",
                    disputes_and_breach="Efter dansk rets almindelige regler.",
                    sanctions_and_termination="Tre måneders varsel.",
                )
                for municipality in municipalities
            ),
        )
    }
    text = "Som aftalt i den generelle del."
    standard_contracts = _bulk(
        StandardContract,
        (
            StandardContract(
                number=f"SK-B{n:05d}",
                status=StandardContract.Status.SIGNED,
                signed_at=timezone.now(),
                authority=(authority := municipalities[(n // PROVIDERS + n) % len(municipalities)]),
                provider=(provider := providers[n % PROVIDERS]),
                offer=offers_of[provider.pk][0],
                intervention_type=types[n % len(types)],
                general_part=general_parts[authority.pk],
                authority_contact="Socialforvaltningen",
                provider_contact="Daglig leder",
                purpose="Døgnophold efter serviceloven.",
                authority_supervision=text,
                provider_opening_hours="Døgnåbent.",
                provider_education=text,
                provider_competence=text,
                provider_involvement=text,
                provider_confidentiality=text,
                provider_duty_to_notify=text,
                provider_data_storage=text,
                provider_use_of_force=text,
                number_of_places=5,
                insurance=text,
                follow_up=text,
                price=Decimal("2150.00"),
                price_unit="day",
                price_regulation="PL-skøn.",
                price_covers="Ophold og pleje.",
                starts_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 1500),
            )
            for n in range(STANDARD_CONTRACTS)
        ),
    )
    leader_ids = {provider.pk for provider in providers[:LEADER_PROVIDERS]}
    leader_standards = [s for s in standard_contracts if s.provider_id in leader_ids]
    other_standards = [s for s in standard_contracts if s.provider_id not in leader_ids]

    statuses = (
        [IndividualContract.Status.SIGNED] * 16
        + [IndividualContract.Status.DRAFT, IndividualContract.Status.AWAITING_SIGNATURE]
        + [IndividualContract.Status.TERMINATED, IndividualContract.Status.EXPIRED]
    )
    aarhus_left = AARHUS_ACTING
    years = 20 if mixed else 6

    def individual(n: int) -> IndividualContract:
        nonlocal aarhus_left
        standard = (
            leader_standards[n % len(leader_standards)]
            if n < LEADER_CONTRACTS - 1
            else other_standards[(n * 7919) % len(other_standards)]
        )
        if aarhus_left and n % 17 == 5:
            acting = aarhus
            aarhus_left -= 1
        else:
            acting = others[(n * 31) % len(others)]
        paying = acting
        if mixed and n % 200 == 3 and acting != aarhus:
            paying = aarhus
        elif mixed and n % 10 == 3:
            paying = others[(n * 31 + 1 + n % 7) % len(others)]
        status = statuses[n % len(statuses)]
        starts_on = today - datetime.timedelta(days=rng.randrange(-60, years * 365))
        ends_on = None
        if n % 3 == 0:
            ends_on = max(starts_on, today) + datetime.timedelta(days=rng.randrange(1, 730))
        birth = datetime.date(2006, 1, 1) + datetime.timedelta(days=rng.randrange(0, 14 * 365))
        mother_birth = birth - datetime.timedelta(days=rng.randrange(20 * 365, 40 * 365))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        signed = status != IndividualContract.Status.DRAFT and (
            status != IndividualContract.Status.AWAITING_SIGNATURE
        )
        return IndividualContract(
            number=f"IK-B{n:06d}",
            status=status,
            signed_at=timezone.now() if signed else None,
            terminated_on=today if status == IndividualContract.Status.TERMINATED else None,
            standard_contract=standard,
            provider_id=standard.provider_id,
            offer_id=standard.offer_id,
            citizen_name=f"{first} {last}",
            citizen_cpr=_cpr(birth, 4000 + n % 6000),
            mother_name=f"{rng.choice(FIRST_NAMES)} {last}",
            mother_cpr=_cpr(mother_birth, n % 4000),
            custody=IndividualContract.Custody.MOTHER,
            municipality_contact="Familierådgiver",
            provider_contact="Kontaktpædagog",
            acting_municipality=acting,
            paying_municipality=paying,
            goal_development="Styrke sociale kompetencer.",
            scope="Døgnophold.",
            frequency="Dagligt.",
            starts_on=starts_on,
            expected_duration="2 år",
            ends_on=ends_on,
            follow_up="Hver 3. måned.",
            price=Decimal("2150.00"),
            price_unit="day",
        )

    # All but one in bulk; the last is the leader's, signed through the services.
    for start in range(0, INDIVIDUAL_CONTRACTS - 1, BATCH):
        IndividualContract.objects.bulk_create(
            [individual(n) for n in range(start, min(start + BATCH, INDIVIDUAL_CONTRACTS - 1))]
        )

    def adjustment(n: int) -> CapacityAdjustment:
        offer = offers[(n * 13) % OFFERS]
        requires_approval = n % 10 == 0
        change = (15 if requires_approval else 1 + n % 6) * (1 if n % 4 else -1)
        kind = "increase" if change > 0 else "decrease"
        places_before = max(offer.approved_places, -change)
        status = ["carried_out", "carried_out", "carried_out", "requested", "withdrawn"][n % 5]
        if requires_approval and status == "requested":
            status = "approved" if n % 20 == 0 else "requested"
        requested_at = timezone.now() - datetime.timedelta(days=(n * 7) % 1100)
        carried_out = status == "carried_out"
        return CapacityAdjustment(
            offer=offer,
            requested_by_municipality_id=offer.provider.operating_municipality_id,
            requested_by_user=staff,
            requested_at=requested_at,
            kind=kind,
            places_before=places_before,
            change=change,
            effective_on=requested_at.date() + datetime.timedelta(days=30),
            reason="Ændret efterspørgsel.",
            requires_approval=requires_approval,
            approval_threshold=10,
            status=status,
            route="meeting" if requires_approval else "none",
            places_after=places_before + change if carried_out else None,
            carried_out_at=requested_at + datetime.timedelta(days=40) if carried_out else None,
            carried_out_by=secretariat if carried_out else None,
        )

    _bulk(CapacityAdjustment, (adjustment(n) for n in range(ADJUSTMENTS)))
    _tariff_rounds(today, secretariat, offers, agreements, region)
    region.meeting = _meetings(today, secretariat)
    _outbox()

    region.leader_provider = providers[0].pk
    region.calendar_token = CalendarFeed.for_user(leader).token
    region.signed_contract = _signed_contract(leader_standards[0], secretariat).pk
    region.search = LAST_NAMES[3]
    region.counts = {
        "providers": Provider.objects.count(),
        "offers": Offer.objects.count(),
        "tariffs": Tariff.objects.count(),
        "standard contracts": StandardContract.objects.count(),
        "individual contracts": IndividualContract.objects.count(),
        "capacity adjustments": CapacityAdjustment.objects.count(),
        "tariff rounds": TariffRound.objects.count(),
        "calculation bases": CalculationBasis.objects.count(),
        "meetings": Meeting.objects.count(),
        "papers": Document.objects.count(),
        "outbox rows": OutgoingMail.objects.count(),
        "the leader's contracts": IndividualContract.objects.filter(
            provider__in=leader_ids
        ).count(),
        "Aarhus acting": IndividualContract.objects.filter(acting_municipality=aarhus).count(),
        "paid by another municipality": IndividualContract.objects.exclude(
            paying_municipality=F("acting_municipality")
        ).count(),
    }
    return region


def _tariff_rounds(today: datetime.date, secretariat, offers, agreements, region) -> None:
    """A round per framework agreement for this year and the next, and a
    calculation basis per offer in each: this year's approved (their tariff
    computed), next year's submitted, in correction, still a draft or
    approved, in the proportions of a round under review."""
    from tariffs.models import CalculationBasis, OccupancyKind, TariffRound

    years = [today.year + n for n in range(TARIFF_YEARS)]
    rounds = _bulk(
        TariffRound,
        (
            TariffRound(
                agreement=agreement,
                year=year,
                deadline=datetime.date(year - 1, 5, 1),
                opened_by=secretariat,
                opened_at=timezone.make_aware(datetime.datetime(year - 1, 2, 1, 9)),
            )
            for agreement in agreements
            for year in years
        ),
    )
    Status = CalculationBasis.Status
    pending = [Status.SUBMITTED] * 6 + [
        Status.CORRECTION,
        Status.DRAFT,
        Status.DRAFT,
        Status.APPROVED,
    ]
    kinds = [kind for kind, _label in OccupancyKind.choices]
    now = timezone.now()

    def basis(n: int, offer, year: int) -> CalculationBasis:
        status = Status.APPROVED if year == years[0] else pending[n % len(pending)]
        staff_costs = Decimal(4_000_000 + (n * 7919) % 9_000_000)
        places = offer.approved_places
        handed_in = status != Status.DRAFT
        reviewed = status in (Status.APPROVED, Status.CORRECTION)
        return CalculationBasis(
            offer=offer,
            year=year,
            agreement=agreements[n % len(agreements)],  # as the offers are linked
            unit="day",
            occupancy_kind=kinds[n % len(kinds)],
            approved_places=places,
            opening_days=365,
            budgeted_occupancy=Decimal("95.00"),
            staff_costs=staff_costs,
            other_operating_costs=staff_costs / 5,
            overhead_costs=staff_costs / 10,
            rent=Decimal(400_000),
            depreciation=Decimal(100_000),
            status=status,
            tariff_amount=(
                (staff_costs * Decimal("1.3") + 500_000) / (places * 365 * Decimal("0.95"))
            ).quantize(Decimal("0.01"))
            if handed_in
            else None,
            submitted_by=secretariat if handed_in else None,
            submitted_at=now if handed_in else None,
            reviewed_by=secretariat if reviewed else None,
            reviewed_at=now if reviewed else None,
            review_comment="Personaleudgifterne skal begrundes."
            if status == Status.CORRECTION
            else "",
        )

    bases = _bulk(
        CalculationBasis,
        (basis(n, offer, year) for year in years for n, offer in enumerate(offers)),
    )
    leader_offer = offers[0]
    region.tariff_round = next(
        r.pk for r in rounds if r.agreement == agreements[0] and r.year == years[-1]
    )
    region.basis = next(b.pk for b in bases if b.offer == leader_offer and b.year == years[-1])


def _meetings(today: datetime.date, secretariat) -> int:
    """MEETINGS meetings of the bodies, over the last and the coming year,
    each with an agenda of AGENDA_ITEMS items and a paper on each item (one
    stored PDF, named by every row). Returns the next DASSOS meeting."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from agreements.models import GoverningBody, Meeting
    from meetings.models import AgendaItem, Document

    bodies = list(GoverningBody.objects.order_by("pk"))
    start = today - datetime.timedelta(days=365)
    step = max(1, 2 * 365 // MEETINGS)  # days between meetings, over the two years
    meetings = _bulk(
        Meeting,
        (
            Meeting(body=bodies[n % len(bodies)], date=start + datetime.timedelta(days=n * step))
            for n in range(MEETINGS)
        ),
    )
    kinds = [kind for kind, _ in AgendaItem.Kind.choices]
    _bulk(
        AgendaItem,
        (
            AgendaItem(
                meeting=meeting,
                position=position,
                kind=kinds[position % len(kinds)],
                title=f"Punkt {position + 1}",
            )
            for meeting in meetings
            for position in range(AGENDA_ITEMS)
        ),
    )
    paper = b"%PDF-1.4\n% Bilag til dagsordenspunktet.\n%%EOF\n"
    digest = hashlib.sha256(paper).hexdigest()
    stored = default_storage.save(f"documents/{digest[:2]}/{digest}.pdf", ContentFile(paper))
    _bulk(
        Document,
        (
            Document(
                agenda_item=item,
                title=f"Bilag til {item.title.lower()}",
                file=stored,
                filename="bilag.pdf",
                kind=Document.Kind.PDF,
                size=len(paper),
                sha256=digest,
                uploaded_by=secretariat,
            )
            for item in AgendaItem.objects.all()
        ),
    )
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS)
    candidates = [m for m in meetings if m.body_id == dassos.pk] or meetings
    return min(candidates, key=lambda m: (m.date < today, abs((m.date - today).days))).pk


def _outbox() -> None:
    """The outbox as a running system leaves it: a mail about each capacity
    adjustment to its operator, nearly all sent, one in FAILED_MAILS_EVERY
    given up."""
    from django.contrib.contenttypes.models import ContentType

    from capacity.models import CapacityAdjustment
    from outbox.models import OutgoingMail

    kind = ContentType.objects.get_for_model(CapacityAdjustment)
    now = timezone.now()

    def mail(n: int, pk: int) -> OutgoingMail:
        failed = n % FAILED_MAILS_EVERY == 0
        return OutgoingMail(
            recipient=f"kommune{n % 98}@example.dk",
            subject=f"Kapacitetstilpasning {pk}",
            text="Tekst",
            content_type=kind,
            object_id=pk,
            status="failed" if failed else "sent",
            attempts=5 if failed else 1,
            last_answer="451 4.3.0 Try again later" if failed else "250 accepted",
            sent_at=None if failed else now,
        )

    pks = CapacityAdjustment.objects.order_by("pk").values_list("pk", flat=True)
    _bulk(OutgoingMail, (mail(n, pk) for n, pk in enumerate(pks)))


def _signed_contract(standard, user):
    """One of the leader's contracts, signed through the services: its PDF is
    rendered and stored as every signed contract's is."""
    from contracts.demo import _sign
    from contracts.models import IndividualContract

    contract = IndividualContract.objects.filter(standard_contract=standard).order_by("pk").first()
    draft = IndividualContract.objects.create(
        **{
            field.attname: getattr(contract, field.attname)
            for field in IndividualContract._meta.concrete_fields
            if field.attname
            not in {
                *("id", "number", "status", "signed_at", "terminated_on", "created_at"),
                *("pdf", "pdf_sha256", "pdf_masked", "pdf_masked_sha256", "replaces_id"),
            }
        },
        number="IK-B-PDF",
        status=IndividualContract.Status.DRAFT,
    )
    return _sign(draft, user)
