"""The cost-split pages, per role, and the statement PDF."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import Municipality
from tariffs import services
from tariffs.models import CostShare
from tests.conftest import make_user
from tests.tariffs.helpers import make_takstgruppe_member
from tests.tariffs.test_cost_shares import buy, closed_offer  # noqa: F401

D = datetime.date


@pytest.fixture
def buyers(db):
    return [Municipality.objects.get(code=code) for code in (751, 730, 791)]


@pytest.fixture
def split(closed_offer, secretariat_user):  # noqa: F811
    return services.closure_costs_divide(
        user=secretariat_user, offer=closed_offer, total=Decimal("1000000.00")
    )


@pytest.fixture
def copenhagen_user(copenhagen):
    user = make_user("klara")
    copenhagen.staff.add(user)
    return user


def test_the_secretariat_enters_closure_costs_on_a_page(
    client,
    secretariat_user,
    closed_offer,  # noqa: F811
):
    client.force_login(secretariat_user)
    url = reverse("tariffs:closure_costs", args=[closed_offer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"total": "1.000.000,00", "description": "Husleje og fratræden"})
    share = CostShare.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("tariffs:cost_share", args=[share.pk])
    page = client.get(response.url).content.decode()
    assert "500.000,00" in page
    assert "1.000.000,00" in page
    # Entered once: the page now leads to the split.
    assert client.get(url).url == reverse("tariffs:cost_share", args=[share.pk])


def test_a_refused_split_keeps_the_input_and_says_why(client, secretariat_user, db):
    from tests.conftest import make_capacity_offer

    offer = make_capacity_offer()
    client.force_login(secretariat_user)
    response = client.post(reverse("tariffs:closure_costs", args=[offer.pk]), {"total": "1.234,50"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ikke lukket" in page
    assert "1.234,50" in page
    assert not CostShare.objects.exists()


def test_others_cannot_enter_closure_costs(
    client,
    municipality_user,
    closed_offer,  # noqa: F811
):
    client.force_login(municipality_user)
    url = reverse("tariffs:closure_costs", args=[closed_offer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"total": "1"}).status_code == 404
    assert not CostShare.objects.exists()


def test_the_overview_per_role(client, split, secretariat_user, municipality_user, randers):
    url = reverse("tariffs:cost_shares")
    client.force_login(secretariat_user)
    assert split.offer.name in client.get(url).content.decode()
    client.force_login(make_takstgruppe_member(randers))
    assert client.get(url).status_code == 200
    client.force_login(municipality_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_split_is_seen_by_the_buyers_not_by_others(
    client, split, municipality_user, copenhagen_user, provider_leader
):
    url = reverse("tariffs:cost_share", args=[split.pk])
    client.force_login(municipality_user)  # Aarhus bought places
    assert client.get(url).status_code == 200
    for user in (copenhagen_user, provider_leader):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_statement_pdf_is_one_municipalitys_share(client, split, municipality_user, buyers):
    client.force_login(municipality_user)
    response = client.get(reverse("tariffs:cost_share_pdf", args=[split.pk, buyers[1].code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Randers" in text
    assert "300.000,00" in text
    assert "1.000.000,00" in text


def test_no_statement_for_a_municipality_outside_the_split(client, split, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(reverse("tariffs:cost_share_pdf", args=[split.pk, 101]))
    assert response.status_code == 404


def test_the_closure_page_links_to_the_cost_split(client, secretariat_user, db):
    from django.db.models import F
    from django.utils import timezone

    from capacity.models import CapacityAdjustment
    from tests.conftest import make_adjustment

    adjustment = make_adjustment(user=secretariat_user)
    CapacityAdjustment.objects.filter(pk=adjustment.pk).update(
        kind="closure",
        change=-F("places_before"),
        status="carried_out",
        places_after=0,
        carried_out_at=timezone.now(),
    )
    client.force_login(secretariat_user)
    page = client.get(reverse("capacity:adjustment", args=[adjustment.pk])).content.decode()
    assert reverse("tariffs:closure_costs", args=[adjustment.offer_id]) in page


def _closed_offers(count: int) -> None:
    from providers.models import Offer
    from tests.conftest import make_provider

    provider = make_provider()
    Offer.objects.bulk_create(
        Offer(
            provider=provider,
            name=f"Lukket {index}",
            legal_basis="SEL § 108",
            target_group="autism",
            specialisation_level=2,
            opened_on=D(2010, 1, 1),
            closed_on=D(2025, 1, 1),
        )
        for index in range(count)
    )


def test_the_overview_query_count_does_not_grow(client, split, secretariat_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat_user)
    url = reverse("tariffs:cost_shares")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _closed_offers(2)
    small = queries()
    _closed_offers(60)
    assert queries() == small
