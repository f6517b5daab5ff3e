"""No lost updates: a form opened before someone else saved the same record
is refused with what changed, and the newer values are kept."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from contracts import services as contract_services
from providers.models import Offer, Tariff
from register_io.registers import register_import
from tests.conftest import make_standard_contract, make_tariff
from tests.contracts.test_admin import form_data as standard_contract_form
from versioning.models import StaleEdit

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'name="(?:[\w-]+-)?row_version_seen" value="(\d+)"')


def offer_form(offer: Offer, seen: str, **changes) -> dict:
    return {
        "provider": offer.provider_id,
        "name": offer.name,
        "tilbudsportalen_id": offer.tilbudsportalen_id or "",
        "legal_basis": offer.legal_basis,
        "target_group": offer.target_group,
        "specialisation_level": offer.specialisation_level,
        "approved_places": offer.approved_places,
        "opened_on": offer.opened_on.strftime("%d.%m.%Y") if offer.opened_on else "",
        "closed_on": "",
        "description": offer.description,
        "row_version_seen": seen,
        "tariffs-TOTAL_FORMS": 0,
        "tariffs-INITIAL_FORMS": 0,
        "tariffs-MIN_NUM_FORMS": 0,
        "tariffs-MAX_NUM_FORMS": 1000,
    } | changes


def open_form(client, url: str) -> str:
    """The version the change form was opened with, read from its hidden field."""
    page = client.get(url).content.decode()
    return HIDDEN.findall(page)[0]


def test_a_stale_offer_form_is_refused_and_the_newer_places_kept(client, secretariat_user, offer):
    client.force_login(secretariat_user)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    places_before = offer.approved_places
    seen = open_form(client, url)

    # Someone else saves the offer meanwhile.
    elsewhere = Offer.objects.get(pk=offer.pk)
    elsewhere.approved_places = places_before + 5
    elsewhere.save()

    response = client.post(url, offer_form(offer, seen, approved_places=places_before + 1))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nogen anden har gemt denne post, efter du åbnede den" in body
    assert f"Godkendte pladser: {places_before} → {places_before + 5}" in body
    offer.refresh_from_db()
    assert offer.approved_places == places_before + 5


def test_a_fresh_offer_form_is_saved(client, secretariat_user, offer):
    client.force_login(secretariat_user)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    seen = open_form(client, url)

    response = client.post(url, offer_form(offer, seen, description="Ny beskrivelse"))

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.description, offer.row_version) == ("Ny beskrivelse", int(seen) + 1)


def test_a_form_without_the_version_is_refused(client, secretariat_user, offer):
    client.force_login(secretariat_user)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    data = offer_form(offer, "", description="Ny beskrivelse")

    response = client.post(url, data)

    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.description != "Ny beskrivelse"


def test_a_stale_draft_contract_form_keeps_the_newer_purpose(client, secretariat_user):
    draft = make_standard_contract()
    client.force_login(secretariat_user)
    url = reverse("admin:contracts_standardcontract_change", args=[draft.pk])
    seen = open_form(client, url)
    contract_services.contract_update(contract=draft, user=secretariat_user, purpose="Nyeste")

    data = standard_contract_form(draft, purpose="Gammel formular", row_version_seen=seen)
    response = client.post(url, data)

    body = response.content.decode()
    assert "Nogen anden har gemt denne post" in body
    assert "Kontraktens formål:" in body and "→ Nyeste" in body
    draft.refresh_from_db()
    assert draft.purpose == "Nyeste"


def test_a_form_opened_before_an_import_is_refused(client, importer, offer, tmp_path):
    for codename in ("change_offer", "view_offer"):
        importer.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(importer)
    offer.description = "Beskrivelse før importen"
    offer.save()
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    seen = open_form(client, url)
    from register_io.registers import register_export

    exported = register_export(kind="offers", file_format="csv")
    # Places change only through adjustments (R5); the import changes the description.
    changed = exported.replace("Beskrivelse før importen".encode(), b"Ny beskrivelse", 1)
    assert changed != exported
    register_import(kind="offers", content=changed, file_name="tilbud.csv", user=importer)
    offer.refresh_from_db()
    assert offer.description == "Ny beskrivelse"

    response = client.post(url, offer_form(offer, seen, description="Min beskrivelse"))

    assert "Nogen anden har gemt denne post" in response.content.decode()
    offer.refresh_from_db()
    assert offer.description == "Ny beskrivelse"


def test_a_stale_tariff_in_the_offer_inline_is_refused(client, secretariat_user, offer):
    tariff = make_tariff(offer)
    client.force_login(secretariat_user)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    page = client.get(url).content.decode()
    seen_offer, seen_tariff = HIDDEN.findall(page)
    Tariff.objects.filter(pk=tariff.pk).first().save()

    inline = {
        "tariffs-TOTAL_FORMS": 1,
        "tariffs-INITIAL_FORMS": 1,
        "tariffs-0-id": tariff.pk,
        "tariffs-0-offer": offer.pk,
        "tariffs-0-year": tariff.year,
        "tariffs-0-unit": tariff.unit,
        "tariffs-0-amount": "1,00",
        "tariffs-0-covers": tariff.covers,
        "tariffs-0-row_version_seen": seen_tariff,
    }
    response = client.post(url, offer_form(offer, seen_offer) | inline)

    assert "Nogen anden har gemt denne post" in response.content.decode()
    tariff.refresh_from_db()
    assert str(tariff.amount) != "1.00"


# The model: a save from an old copy is refused, not written over the newer one ------


def test_saving_an_old_copy_raises_and_keeps_the_newer_row(offer):
    first, second = Offer.objects.get(pk=offer.pk), Offer.objects.get(pk=offer.pk)
    first.approved_places = 50
    first.save()
    second.approved_places = 60

    # Like a refused constraint, it ends the transaction it happens in.
    with pytest.raises(StaleEdit), transaction.atomic():
        second.save()

    offer.refresh_from_db()
    assert (offer.approved_places, offer.row_version) == (50, first.row_version)


def test_each_save_counts_up_the_version_also_with_update_fields(offer):
    version = offer.row_version
    offer.save()
    offer.approved_places = 3
    offer.save(update_fields=["approved_places"])

    offer.refresh_from_db()
    assert offer.row_version == version + 2
