"""The offer's admin: places, opening and closing change only through a
capacity adjustment (R5); a new offer is registered with its places. A tariff
set from an approved calculation basis keeps the basis's amount."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from providers.models import Offer, Tariff
from tests.conftest import make_offer, make_provider
from tests.tariffs.helpers import make_basis


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def _offer_form(offer: Offer, **changes) -> dict:
    data = {
        "provider": offer.provider_id,
        "name": offer.name,
        "tilbudsportalen_id": offer.tilbudsportalen_id or "",
        "legal_basis": offer.legal_basis,
        "target_group": offer.target_group,
        "specialisation_level": offer.specialisation_level,
        "description": offer.description,
        "approved_places": offer.approved_places,
        "opened_on": "",
        "closed_on": "",
        # The version the form was opened with (no lost updates).
        "row_version_seen": offer.row_version if offer.pk else "",
        "tariffs-TOTAL_FORMS": "0",
        "tariffs-INITIAL_FORMS": "0",
        "tariffs-MIN_NUM_FORMS": "0",
        "tariffs-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_an_existing_offers_places_opening_and_closing_are_read_only_with_a_link(
    secretariat_client,
):
    offer = make_offer(approved_places=16)
    response = secretariat_client.get(reverse("admin:providers_offer_change", args=[offer.pk]))
    form = response.context["adminform"].form
    assert not {"approved_places", "opened_on", "closed_on"} & set(form.fields)
    body = response.content.decode()
    assert 'name="approved_places"' not in body
    assert reverse("capacity:request", args=[offer.pk]) in body
    assert "Anmod om kapacitetsjustering" in body


def test_posting_places_to_an_existing_offer_changes_nothing(secretariat_client):
    offer = make_offer(approved_places=16, opened_on=datetime.date(2010, 1, 1))
    response = secretariat_client.post(
        reverse("admin:providers_offer_change", args=[offer.pk]),
        _offer_form(offer, approved_places=60, closed_on="01.03.2026", description="Ny"),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.approved_places, offer.closed_on, offer.description) == (16, None, "Ny")


def test_a_new_offer_starts_with_its_places_recorded_as_its_opening(secretariat_client):
    provider = make_provider()
    response = secretariat_client.post(
        reverse("admin:providers_offer_add"),
        _offer_form(
            Offer(
                provider=provider,
                name="Nyt tilbud",
                legal_basis="SEL § 108",
                target_group="autism",
                specialisation_level=2,
                approved_places=12,
            ),
            opened_on="01.02.2026",
        ),
    )
    assert response.status_code == 302
    offer = Offer.objects.get(name="Nyt tilbud")
    assert offer.approved_places == 12
    record = offer.history.get()
    assert record.history_change_reason == "Registreret med 12 pladser"


def test_the_providers_offer_list_does_not_edit_an_existing_offers_places(
    secretariat_client,
):
    offer = make_offer(approved_places=16)
    response = secretariat_client.get(
        reverse("admin:providers_provider_change", args=[offer.provider_id])
    )
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].fields["approved_places"].disabled
    assert not formset.empty_form.fields["approved_places"].disabled


def test_under_sjaelland_the_target_group_and_paragraph_are_read_only(
    secretariat_client, secretariat_user
):
    from agreements.models import FrameworkAgreement, Secretariat

    Secretariat.objects.get(agreements__region__code=1085).members.add(secretariat_user)
    offer = make_offer()
    offer.framework_agreements.add(FrameworkAgreement.objects.get(region__code=1085))
    response = secretariat_client.get(reverse("admin:providers_offer_change", args=[offer.pk]))
    form = response.context["adminform"].form
    assert not {"target_group", "legal_basis"} & set(form.fields)
    other = make_offer()
    response = secretariat_client.get(reverse("admin:providers_offer_change", args=[other.pk]))
    assert {"target_group", "legal_basis"} <= set(response.context["adminform"].form.fields)


# A tariff set from an approved calculation basis ------------------------------------


def _approved(offer: Offer, amount: str = "1744.77") -> Tariff:
    """An approved basis for 2026 and the register's tariff it set."""
    make_basis(offer, year=2026, status="approved", tariff_amount=Decimal(amount))
    return Tariff.objects.create(offer=offer, year=2026, unit="day", amount=Decimal(amount))


def _tariff_form(tariff: Tariff, **changes) -> dict:
    data = {
        "offer": tariff.offer_id,
        "year": tariff.year,
        "unit": tariff.unit,
        "amount": str(tariff.amount),
        "covers": tariff.covers,
        "row_version_seen": tariff.row_version,
    }
    return data | changes


def test_a_tariff_set_from_an_approved_basis_shows_its_amount_read_only_with_the_basis(
    secretariat_client,
):
    tariff = _approved(make_offer())
    basis = tariff.offer.calculation_bases.get()

    response = secretariat_client.get(reverse("admin:providers_tariff_change", args=[tariff.pk]))

    form = response.context["adminform"].form
    assert not {"offer", "year", "unit", "amount"} & set(form.fields)
    assert "covers" in form.fields
    body = response.content.decode()
    assert 'name="amount"' not in body
    assert reverse("tariffs:basis", args=[basis.pk]) in body


def test_posting_a_new_amount_for_a_tariff_with_an_approved_basis_changes_nothing(
    secretariat_client,
):
    tariff = _approved(make_offer())

    response = secretariat_client.post(
        reverse("admin:providers_tariff_change", args=[tariff.pk]),
        _tariff_form(tariff, amount="9999.99", year="2027", unit="month", covers="Døgnophold"),
    )

    assert response.status_code == 302
    tariff.refresh_from_db()
    assert (tariff.year, tariff.unit, tariff.amount) == (2026, "day", Decimal("1744.77"))
    assert tariff.covers == "Døgnophold"


def test_posting_a_new_amount_through_the_offers_tariff_list_changes_nothing(
    secretariat_client,
):
    offer = make_offer()
    tariff = _approved(offer)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    formset = secretariat_client.get(url).context["inline_admin_formsets"][0].formset
    assert formset.forms[0].fields["amount"].disabled
    assert not formset.empty_form.fields["amount"].disabled

    response = secretariat_client.post(
        url,
        _offer_form(
            offer,
            **{
                "opened_on": "",
                "tariffs-TOTAL_FORMS": "1",
                "tariffs-INITIAL_FORMS": "1",
                "tariffs-0-id": tariff.pk,
                "tariffs-0-offer": offer.pk,
                "tariffs-0-year": "2026",
                "tariffs-0-unit": "day",
                "tariffs-0-amount": "9999.99",
                "tariffs-0-covers": "",
                "tariffs-0-row_version_seen": tariff.row_version,
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    tariff.refresh_from_db()
    assert tariff.amount == Decimal("1744.77")


def test_reverting_a_tariff_with_an_approved_basis_to_an_earlier_amount_keeps_the_amount(
    secretariat_client,
):
    tariff = Tariff.objects.create(
        offer=make_offer(), year=2026, unit="day", amount=Decimal("1500.00")
    )
    earlier = tariff.history.get()
    make_basis(tariff.offer, year=2026, status="approved", tariff_amount=Decimal("1744.77"))
    tariff.amount = Decimal("1744.77")
    tariff.save()
    url = reverse("admin:providers_tariff_simple_history", args=[tariff.pk, earlier.history_id])

    form = secretariat_client.get(url).context["adminform"].form
    assert "amount" not in form.fields

    response = secretariat_client.post(url, _tariff_form(tariff, amount="1500.00", covers="Før"))

    assert response.status_code == 302
    tariff.refresh_from_db()
    assert (tariff.amount, tariff.covers) == (Decimal("1744.77"), "Før")


def test_a_tariff_without_an_approved_basis_is_edited_in_the_admin(secretariat_client):
    offer = make_offer()
    make_basis(offer, year=2026, status="submitted", tariff_amount=Decimal("1744.77"))
    tariff = Tariff.objects.create(offer=offer, year=2026, unit="day", amount=Decimal("1500.00"))
    make_basis(make_offer(), year=2026, status="approved")

    response = secretariat_client.post(
        reverse("admin:providers_tariff_change", args=[tariff.pk]),
        _tariff_form(tariff, amount="1600.00"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    tariff.refresh_from_db()
    assert tariff.amount == Decimal("1600.00")
