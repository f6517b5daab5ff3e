"""Personas and factories shared by the tests.

The reference data (regions, municipalities, collaboration models, the two
framework agreements and their bodies) is loaded once into the test database.
Tests that use `transactional_db` empty the database when they end; they ask
for the `reference_data` fixture to have it back.
"""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from accounts.roles import ensure_secretariat_group
from agreements.models import FrameworkAgreement, Municipality
from providers.demo import demo_cvr
from providers.models import CollaborationModel, Offer, OperatingAgreement, Provider, Tariff

REFERENCE_FIXTURES = ["regions", "collaboration_models", "framework_agreements"]
_sequence = itertools.count(1000)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture
def reference_data(transactional_db):
    if not Municipality.objects.exists():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


# Logging in ------------------------------------------------------------------
# Staff and secretariat users give a second factor after the password
# (accounts.otp). The `client` fixture's force_login logs in as after both
# steps: it attaches a confirmed TOTP device and marks the session verified.
# Tests of the login steps themselves use `password_client`.


def totp_code(device, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at the Unix time `at`)."""
    from django_otp.oath import TOTP

    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        code.time = at
    return f"{code.token():0{device.digits}d}"


def verify_second_factor(client: Client, user: User) -> None:
    """Mark the client's session as verified with a confirmed TOTP device of the user's."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def field_error(html: str, field_id: str) -> tuple[str, str]:
    """The label (or legend) of the form field with this id and the error
    shown beside it, as the form partial draws them: the field's own group
    holds both, so the error names the field it is about."""
    group = re.search(
        r'<div class="form-group form-error">((?:(?!class="form-group[ "]).)*?)'
        rf'id="{field_id}_error">(?:<span class="sr-only">[^<]*</span>)?([^<]*)</span>',
        html,
        re.DOTALL,
    )
    assert group, f"no error beside {field_id}"
    label = re.search(
        r'<(?:label class="form-label"[^>]*|legend class="form-label")>([^<]+)<', group[1]
    )
    message = group[2].strip()
    return label[1].strip(), message


class VerifiedClient(Client):
    """A test client whose force_login is a complete login, second factor included."""

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        verify_second_factor(self, user)


@pytest.fixture
def client() -> VerifiedClient:
    return VerifiedClient()


@pytest.fixture
def admin_client(client, admin_user) -> VerifiedClient:
    """pytest-django's superuser client, logged in with the second factor."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def password_client() -> Client:
    """A client whose force_login is the password step alone."""
    return Client()


# Personas --------------------------------------------------------------------


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password="test-password", **extra)


MIDTJYLLAND_SECRETARIAT = "Sekretariat for Rammeaftaler, Midtjylland"
COPENHAGEN_SECRETARIAT = "Socialforvaltningen, Københavns Kommune"


def make_secretary(username: str, secretariat: str = MIDTJYLLAND_SECRETARIAT, **extra) -> User:
    """A member of `secretariat` (by name) with the secretariat's permissions."""
    from agreements.models import Secretariat

    user = make_user(username, is_staff=True, **extra)
    user.groups.add(ensure_secretariat_group())
    Secretariat.objects.get(name=secretariat).members.add(user)
    return user


@pytest.fixture
def secretariat_user(db) -> User:
    """Midtjylland's secretariat (Viborg): the Midtjylland agreement, its
    bodies and the offers of its 19 municipalities."""
    return make_secretary("sara", first_name="Sara", last_name="Sekretær")


@pytest.fixture
def copenhagen_secretary(db) -> User:
    """København's Socialforvaltning: the municipal agreement with its
    self-governing providers."""
    return make_secretary(
        "kirsten", COPENHAGEN_SECRETARIAT, first_name="Kirsten", last_name="København"
    )


@pytest.fixture
def aarhus(db) -> Municipality:
    return Municipality.objects.get(code=751)


@pytest.fixture
def randers(db) -> Municipality:
    return Municipality.objects.get(code=730)


@pytest.fixture
def copenhagen(db) -> Municipality:
    return Municipality.objects.get(code=101)


@pytest.fixture
def municipality_user(db, aarhus) -> User:
    user = make_user("karen", first_name="Karen", last_name="Kommune")
    aarhus.staff.add(user)
    return user


@pytest.fixture
def other_municipality_user(db, randers) -> User:
    user = make_user("rasmus", first_name="Rasmus", last_name="Randers")
    randers.staff.add(user)
    return user


@pytest.fixture
def midtjylland(db) -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(kind="regional", region__code=1082, status="in_force")


@pytest.fixture
def copenhagen_agreement(db) -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(kind="municipal", municipality__code=101)


# Factories -------------------------------------------------------------------


def make_provider(**fields) -> Provider:
    number = next(_sequence)
    defaults = {
        "name": f"Tilbud {number}",
        "cvr": demo_cvr(number),
        "kind": Provider.Kind.SELF_GOVERNING,
        "operating_municipality": Municipality.objects.get(code=751),
    }
    return Provider.objects.create(**(defaults | fields))


def make_offer(provider: Provider | None = None, **fields) -> Offer:
    number = next(_sequence)
    defaults = {
        "name": f"Botilbud {number}",
        "legal_basis": Offer.LegalBasis.SEL_108,
        "target_group": Offer.TargetGroup.ADULTS_INTELLECTUAL,
        "specialisation_level": 2,
        "approved_places": 20,
        "opened_on": datetime.date(2010, 1, 1),
    }
    return Offer.objects.create(provider=provider or make_provider(), **(defaults | fields))


def make_operating_agreement(provider: Provider | None = None, model: int = 1, **fields):
    provider = provider or make_provider()
    defaults = {
        "municipality": provider.operating_municipality,
        "model": CollaborationModel.objects.get(number=model),
        "signed_on": datetime.date(2015, 3, 1),
    }
    return OperatingAgreement.objects.create(provider=provider, **(defaults | fields))


def make_tariff(offer: Offer | None = None, **fields) -> Tariff:
    defaults = {"year": 2026, "unit": Tariff.Unit.DAY, "amount": Decimal("2150.50")}
    return Tariff.objects.create(offer=offer or make_offer(), **(defaults | fields))


@pytest.fixture
def provider(db) -> Provider:
    return make_provider(name="Bostedet Fjordglimt")


@pytest.fixture
def offer(provider) -> Offer:
    return make_offer(provider, name="Fjordglimt – Botilbud")


@pytest.fixture
def provider_leader(provider) -> User:
    user = make_user("lars", first_name="Lars", last_name="Leder")
    provider.leaders.add(user)
    return user


# Import and export of the register -------------------------------------------


def grant(user: User, *codenames: str) -> User:
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="register_io", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


@pytest.fixture
def importer(db) -> User:
    """Secretariat staff who may import and export the register."""
    user = make_secretary("ida", first_name="Ida", last_name="Import")
    return grant(user, "import_register", "export_register")


# Pages (portal) --------------------------------------------------------------


@pytest.fixture
def other_provider(db) -> Provider:
    return make_provider(
        name="Opholdsstedet Anden", operating_municipality=Municipality.objects.get(code=730)
    )


@pytest.fixture
def other_offer(other_provider) -> Offer:
    return make_offer(other_provider, name="Anden – Døgntilbud")


@pytest.fixture
def other_leader(other_provider) -> User:
    user = make_user("olga", first_name="Olga", last_name="Anden")
    other_provider.leaders.add(user)
    return user


@pytest.fixture
def body_member_user(db, randers) -> User:
    from agreements.models import BodyRepresentative, GoverningBody

    user = make_user("dorte", first_name="Dorte", last_name="Direktør", email="dorte@randers.dk")
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=randers,
        user=user,
        name="Dorte Direktør",
        email=user.email,
    )
    return user


# Contracts -------------------------------------------------------------------
# make_standard_contract / make_individual_contract build contracts directly in
# any status (fast, no PDF); tests of the lifecycle itself go through
# contracts.services.

from contracts.models import (  # noqa: E402
    GeneralPart,
    IndividualContract,
    InterventionType,
    StandardContract,
)
from contracts.reference import ensure_intervention_types  # noqa: E402

# Fictitious CPR numbers: valid dates, sequence numbers 9xxx.
DEMO_CPR_CHILD = "0103159001"
DEMO_CPR_MOTHER = "1207859002"
DEMO_CPR_FATHER = "0305829003"


def make_intervention_type(code: str = "botilbud-108") -> InterventionType:
    ensure_intervention_types()
    return InterventionType.objects.get(code=code)


def make_general_part(authority: Municipality | None = None, **fields) -> GeneralPart:
    authority = authority or Municipality.objects.get(code=751)
    defaults = {
        "version": (GeneralPart.objects.filter(authority=authority).count() + 1),
        "ethics": "Vi arbejder ud fra respekt for det enkelte menneske.",
        "payment_terms": "Betaling månedsvis bagud, 30 dages netto.",
        "disputes_and_breach": "Tvister søges løst ved forhandling.",
        "sanctions_and_termination": "Kontrakten kan opsiges med 3 måneders varsel.",
    }
    return GeneralPart.objects.create(authority=authority, **(defaults | fields))


def make_standard_contract(
    *,
    authority: Municipality | None = None,
    provider: Provider | None = None,
    offer: Offer | None = None,
    intervention_type: InterventionType | None = None,
    status: str = StandardContract.Status.DRAFT,
    **fields,
) -> StandardContract:
    """A standard contract in `status` (default draft), built directly."""
    authority = authority or Municipality.objects.get(code=751)
    if offer is None:
        offer = make_offer(provider)
    provider = provider or offer.provider
    number = next(_sequence)
    defaults = {
        "number": f"SK-T{number}",
        "general_part": fields.pop("general_part", None) or make_general_part(authority),
        "authority_contact": f"{authority.name}, Rådhuspladsen 2",
        "provider_contact": f"{provider.name}, Skovvej 1",
        "purpose": "Længerevarende botilbud efter SEL § 108.",
        "authority_supervision": "Myndigheden fører tilsyn efter lovgivningen.",
        "provider_opening_hours": "Døgnåbent alle årets dage.",
        "provider_education": "Pædagogisk uddannet personale.",
        "provider_competence": "Erfaring med målgruppen.",
        "provider_involvement": "Pårørende inddrages.",
        "provider_confidentiality": "Tavshedspligt efter forvaltningsloven.",
        "provider_duty_to_notify": "Underretningspligt efter SEL § 153.",
        "provider_data_storage": "Data opbevares efter databeskyttelsesreglerne.",
        "provider_use_of_force": "Magtanvendelse registreres og indberettes.",
        "number_of_places": 4,
        "insurance": "Leverandøren tegner ansvarsforsikring.",
        "follow_up": "Opfølgning hvert halve år.",
        "price": Decimal("2150.50"),
        "price_unit": "day",
        "price_regulation": "Reguleres årligt efter KL's pris- og lønskøn.",
        "price_covers": "Ophold, kost og pædagogisk støtte.",
        "starts_on": datetime.date(2025, 1, 1),
    }
    if status in (StandardContract.Status.SIGNED, StandardContract.Status.TERMINATED):
        defaults["signed_at"] = datetime.datetime(2024, 12, 15, 12, tzinfo=datetime.UTC)
    return StandardContract.objects.create(
        authority=authority,
        provider=provider,
        offer=offer,
        intervention_type=intervention_type or make_intervention_type(),
        status=status,
        **(defaults | fields),
    )


def make_signed_standard_contract(**fields) -> StandardContract:
    return make_standard_contract(status=StandardContract.Status.SIGNED, **fields)


def make_individual_contract(
    standard_contract: StandardContract | None = None,
    *,
    status: str = IndividualContract.Status.DRAFT,
    acting_municipality: Municipality | None = None,
    paying_municipality: Municipality | None = None,
    **fields,
) -> IndividualContract:
    """An individual contract in `status` (default draft) under a signed
    standard contract (made when not given)."""
    standard_contract = standard_contract or make_signed_standard_contract()
    acting = acting_municipality or standard_contract.authority
    number = next(_sequence)
    defaults = {
        "number": f"IK-T{number}",
        "citizen_name": "Testbarn Testesen",
        "citizen_cpr": DEMO_CPR_CHILD,
        "mother_name": "Testmor Testesen",
        "mother_cpr": DEMO_CPR_MOTHER,
        "custody": IndividualContract.Custody.MOTHER,
        "municipality_contact": "Rådgiver Rasmussen",
        "provider_contact": "Pædagog Petersen",
        "goal_development": "Styrke sociale kompetencer.",
        "scope": "Døgnophold.",
        "frequency": "Dagligt.",
        "starts_on": datetime.date(2025, 2, 1),
        "expected_duration": "2 år",
        "follow_up": "Opfølgning hver 3. måned.",
        "price": Decimal("2150.50"),
        "price_unit": "day",
    }
    if status in (IndividualContract.Status.SIGNED, IndividualContract.Status.TERMINATED):
        defaults["signed_at"] = datetime.datetime(2025, 1, 20, 12, tzinfo=datetime.UTC)
    return IndividualContract.objects.create(
        standard_contract=standard_contract,
        acting_municipality=acting,
        paying_municipality=paying_municipality or acting,
        status=status,
        **(defaults | fields),
    )


def make_signed_individual_contract(
    standard_contract: StandardContract | None = None, **fields
) -> IndividualContract:
    """Signed and active from 1 February 2025 (until `ends_on`, if given)."""
    return make_individual_contract(
        standard_contract, status=IndividualContract.Status.SIGNED, **fields
    )


def make_adjustment(
    offer: Offer | None = None,
    *,
    user: User,
    places: int = 15,
    consulted: tuple[Municipality, ...] = (),
    recorded: bool = True,
):
    """A capacity adjustment requested through the service (an increase of
    `places`, needing approval above 10 under Midtjylland's policy), with a
    consultation of each municipality in `consulted`, recorded or waiting."""
    from capacity import services

    midtjylland = FrameworkAgreement.objects.get(
        kind="regional", region__code=1082, status="in_force"
    )
    offer = offer or make_offer()
    offer.framework_agreements.add(midtjylland)
    adjustment = services.adjustment_request(
        user=user,
        offer=offer,
        kind="increase",
        places=places,
        effective_on=datetime.date.today() + datetime.timedelta(days=60),
        reason="Stigende efterspørgsel.",
    )
    for municipality in consulted:
        if recorded:
            services.consultation_record(
                user=user,
                adjustment=adjustment,
                municipality=municipality,
                contacted_on=datetime.date.today(),
                method="email",
                answer="agrees",
            )
        else:
            services.adjustment_add_affected_municipality(
                user=user, adjustment=adjustment, municipality=municipality
            )
    return adjustment


def record_both_signatures(
    contract,
    user: User,
    *,
    names: tuple[str, str] = ("Socialchef Birte Bøgh", "Forstander Åge Ærø"),
    signed_on: datetime.date = datetime.date(2025, 1, 10),
) -> None:
    """Record the authority's and the provider's signatures (contract awaiting signature)."""
    from contracts import services
    from contracts.models import Signature

    for party, name in zip(Signature.Party.values, names, strict=True):
        contract = services.contract_record_paper_signature(
            contract=contract,
            user=user,
            party=party,
            signer_name=name,
            signer_title="Leder",
            signed_on=signed_on,
            scan=paper_scan(),
        )
    return contract


def paper_scan(name: str = "underskrift.pdf"):
    """A signed paper's scan, as the secretariat uploads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% scan\n%%EOF\n", "application/pdf")


def sign_contract(contract, user: User, **signatures):
    """Walk a draft through the services to signed (signatures on paper; the
    last one renders, seals and stores its PDF)."""
    from contracts import services

    if contract.status == StandardContract.Status.DRAFT:
        contract = services.contract_submit(contract=contract, user=user)
    return record_both_signatures(contract, user, **signatures)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Stored contract PDFs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def demo_seal_path(tmp_path_factory):
    """A demo CA and seal certificate, made once for the test run (as `make run` does)."""
    from seals.certificate import create_demo

    path = tmp_path_factory.mktemp("seal") / "demo-seal.p12"
    create_demo(path, "demo")
    return path


@pytest.fixture(autouse=True)
def _seal_certificate(settings, demo_seal_path):
    """Signed PDFs are sealed with the demo certificate; no time-stamp authority."""
    settings.SEAL_PKCS12_PATH = str(demo_seal_path)
    settings.SEAL_PKCS12_PASSWORD = "demo"
    settings.SEAL_TSA_URL = ""


# Capacity --------------------------------------------------------------------
# An offer operated by Aarhus under the Midtjylland agreement (threshold 10,
# 14-day hearings), Randers buying places in it, and Randers' DASSOS member.
# Tests marked `postgres` run only against PostgreSQL (CI's second pass).

from agreements.models import BodyRepresentative, GoverningBody, Meeting  # noqa: E402


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run in CI's PostgreSQL pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def make_capacity_offer(places: int = 20, agreement=None, **fields) -> Offer:
    """An open offer operated by Aarhus, covered by `agreement` (Midtjylland)."""
    offer = make_offer(make_provider(), approved_places=places, **fields)
    offer.framework_agreements.add(
        agreement
        or FrameworkAgreement.objects.get(kind="regional", region__code=1082, status="in_force")
    )
    return offer


def make_buyer(offer: Offer, municipality: Municipality) -> IndividualContract:
    """`municipality` buys a place in `offer`: an active individual contract."""
    standard = make_signed_standard_contract(authority=municipality, offer=offer)
    return make_signed_individual_contract(standard)


@pytest.fixture
def capacity_offer(db) -> Offer:
    return make_capacity_offer()


def seat_every_member(body: GoverningBody) -> None:
    """Give each member of `body` without a seat a representative with an
    address (no login): 19 municipalities and the region in DASSOS."""
    for member, seat in body.members_with_seats():
        if seat is None:
            BodyRepresentative.objects.create(
                body=body,
                municipality=member.municipality,
                region=member.region,
                name=f"Repræsentant for {member.name}",
                email=f"{member.key}@{body.kind}.example",
            )


@pytest.fixture
def dassos(db) -> GoverningBody:
    """DASSOS with every member seated (Randers' seat taken by `dassos_member`)."""
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS)
    seat_every_member(body)
    return body


@pytest.fixture
def dassos_member(db, randers, dassos) -> User:
    """Randers' member of DASSOS, who answers e-mail hearings for Randers."""
    user = make_user("dorte", first_name="Dorte", last_name="Direktør", email="dorte@randers.dk")
    BodyRepresentative.objects.update_or_create(
        body=dassos,
        municipality=randers,
        defaults={"user": user, "name": "Dorte Direktør", "email": user.email},
    )
    return user


@pytest.fixture
def dassos_meeting(db, dassos) -> Meeting:
    return Meeting.objects.create(body=dassos, date=datetime.date.today() + datetime.timedelta(10))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are made with a password; the default hasher's cost is for
    production, not for hundreds of test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
