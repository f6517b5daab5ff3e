"""Personas and factories shared by the tests.

The reference data (regions, municipalities, collaboration models, the two
framework agreements and their bodies) is loaded once into the test database.
Tests that use `transactional_db` empty the database when they end; they ask
for the `reference_data` fixture to have it back.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from agreements.models import FrameworkAgreement, Municipality
from providers.demo import demo_cvr
from providers.models import CollaborationModel, Offer, OperatingAgreement, Provider, Tariff
from rammeaftale.roles import ensure_secretariat_group

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


# Personas --------------------------------------------------------------------


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password="test-password", **extra)


@pytest.fixture
def secretariat_user(db) -> User:
    user = make_user("sara", first_name="Sara", last_name="Sekretær", is_staff=True)
    user.groups.add(ensure_secretariat_group())
    return user


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
    return FrameworkAgreement.objects.get(kind="regional", region__code=1082)


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

    user = make_user("dorte", first_name="Dorte", last_name="Direktør")
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=randers,
        user=user,
    )
    return user
