"""Every admin page renders for the secretariat, and no changelist's query
count grows with the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import (
    BodyRepresentative,
    CouncilApproval,
    CycleStep,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
)
from providers.models import Offer, OperatingAgreement, Provider, Tariff
from tests.conftest import make_offer, make_operating_agreement, make_provider, make_tariff

DOMAIN_APPS = {"agreements", "providers"}
# Secretariats are made by superusers only (tests/accounts/test_secretariats.py).
DOMAIN_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in DOMAIN_APPS and model._meta.model_name != "secretariat"
]


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def register(db, secretariat_user):
    """One object of every domain model, with its relations."""
    provider = make_provider(name="Fjordglimt")
    offer = make_offer(provider)
    make_tariff(offer)
    make_operating_agreement(provider)
    dassos = GoverningBody.objects.get(name="DASSOS")
    Meeting.objects.create(body=dassos, date=datetime.date(2026, 12, 3))
    BodyRepresentative.objects.create(
        body=dassos, municipality=Municipality.objects.get(code=730), user=secretariat_user
    )
    midtjylland = FrameworkAgreement.objects.get(region__code=1082, status="in_force")
    CycleStep.objects.create(
        region=midtjylland.region, title="Årlig evaluering", kind="evaluation", month=11, day=1
    )
    CouncilApproval.objects.create(
        agreement=midtjylland,
        municipality=Municipality.objects.get(code=730),
        approved_on=datetime.date(2024, 9, 1),
    )


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render(secretariat_client, register, model):
    assert secretariat_client.get(admin_url(model, "changelist")).status_code == 200
    assert secretariat_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"no {model._meta.label} to open"
    assert secretariat_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert secretariat_client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_admin_index_is_danish(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Kommuner" in response.content.decode()
    assert "Tilbud" in response.content.decode()
    assert "Sekretariatets register" in response.content.decode()


def test_municipality_changelist_shows_all_98(secretariat_client):
    response = secretariat_client.get(admin_url(Municipality, "changelist"))
    assert "98 kommuner" in response.content.decode()


def test_people_outside_the_secretariat_cannot_open_the_admin(client, municipality_user):
    client.force_login(municipality_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _grow(rows: int) -> None:
    """Bring every grown model up to `rows` rows (of its own making)."""
    dassos = GoverningBody.objects.get(name="DASSOS")
    aarhus = Municipality.objects.get(code=751)
    for index in range(Provider.objects.count(), rows):
        provider = make_provider(name=f"Vækst {index}")
        offer = make_offer(provider)
        make_tariff(offer)
        make_operating_agreement(provider, last_review_on=datetime.date(2020, 1, 1))
        Meeting.objects.create(
            body=dassos, date=datetime.date(2030, 1, 1) + datetime.timedelta(index)
        )
        body = GoverningBody.objects.create(
            name=f"Ad hoc-gruppe {index}", kind="ad_hoc", agreement=dassos.agreement
        )
        body.members.add(aarhus)


def _count(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= rows
    return len(queries)


CHANGELISTS = [Provider, Offer, OperatingAgreement, Tariff, Meeting, GoverningBody]


@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_from_5_to_50_rows(secretariat_client, model):
    _grow(5)
    small = _count(secretariat_client, admin_url(model, "changelist"), 5)
    _grow(50)
    large = _count(secretariat_client, admin_url(model, "changelist"), 50)
    assert large == small


def test_municipality_changelist_query_count_is_the_same_for_11_and_98_rows(
    secretariat_client,
):
    url = admin_url(Municipality, "changelist")
    small = _count(secretariat_client, url + "?region__id__exact=1081", 11)
    large = _count(secretariat_client, url, 98)
    assert large == small


def test_review_overdue_filter_lists_only_overdue_agreements(secretariat_client):
    overdue = make_operating_agreement(
        make_provider(name="Forsinket"), last_review_on=datetime.date(2019, 1, 1)
    )
    make_operating_agreement(
        make_provider(name="Rettidig"), last_review_on=datetime.date(2025, 1, 1)
    )
    response = secretariat_client.get(
        admin_url(OperatingAgreement, "changelist") + "?review=overdue"
    )
    body = response.content.decode()
    assert str(overdue.provider) in body
    assert "Rettidig" not in body
    assert "(overskredet)" in body


def test_tariff_amount_is_shown_in_danish_format(secretariat_client):
    make_tariff(make_offer(), amount=Decimal("1234.50"))
    body = secretariat_client.get(admin_url(Tariff, "changelist")).content.decode()
    assert "1.234,50" in body


# Groups, login logs and second-factor devices: account administration. The
# secretariat sees and deletes failed-login rows (axes.AccessAttempt) to unlock.
SUPERUSER_ONLY = {
    "auth.Group",
    "auth.User",
    "agreements.Secretariat",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "otp_totp.TOTPDevice",
    # The worker's queue of tasks: the operators', not the secretariat's.
    "django_tasks_database.DBTaskResult",
}


def test_every_admin_page_renders_for_the_secretariat_with_the_demo_data(secretariat_client):
    """The whole admin, contracts and capacity included, over the demo register."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    secretary = User.objects.get(username="sara")
    for model in admin.site._registry:
        label = model._meta.label
        if label in SUPERUSER_ONLY:
            continue  # account administration is the superuser's, tested below
        changelist = secretariat_client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, label
        add = secretariat_client.get(admin_url(model, "add"))
        # Some records are only ever written by the workflows (e.g. the CPR access log).
        assert add.status_code in (200, 403), label
        rows = model.objects
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(secretary)
        obj = rows.order_by("pk").last()
        if obj is not None:
            change = secretariat_client.get(admin_url(model, "change", obj.pk))
            assert change.status_code == 200, label


def test_the_secretariat_finds_users_to_link_but_cannot_administer_accounts(
    secretariat_client, municipality_user
):
    found = secretariat_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "karen",
            "app_label": "providers",
            "model_name": "provider",
            "field_name": "leaders",
        },
    )
    assert found.status_code == 200
    assert "karen" in found.content.decode()
    user_url = admin_url(User, "change", municipality_user.pk)
    # Accounts are administered on the user pages (/brugere/), not in the admin.
    assert secretariat_client.get(user_url).status_code == 403
    assert secretariat_client.get(admin_url(User, "changelist")).status_code == 403
    response = secretariat_client.post(user_url, {"username": "karen", "is_superuser": "on"})
    assert response.status_code == 403
    municipality_user.refresh_from_db()
    assert not municipality_user.is_superuser
    assert secretariat_client.get(admin_url(Group, "changelist")).status_code == 403
