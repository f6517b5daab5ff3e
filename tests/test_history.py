"""Changes are recorded in history with the user who made them."""

from django.urls import reverse

from providers.models import Offer


def test_a_change_in_the_admin_is_recorded_with_its_user(client, secretariat_user, offer):
    client.force_login(secretariat_user)
    url = reverse("admin:providers_offer_change", args=[offer.pk])
    form = {
        "provider": offer.provider_id,
        "name": offer.name,
        "tilbudsportalen_id": "",
        "legal_basis": offer.legal_basis,
        "target_group": offer.target_group,
        "specialisation_level": 1,
        "approved_places": 22,
        "opened_on": "01.01.2010",
        "closed_on": "",
        "description": "",
        "row_version_seen": offer.row_version,
        "tariffs-TOTAL_FORMS": 0,
        "tariffs-INITIAL_FORMS": 0,
        "tariffs-MIN_NUM_FORMS": 0,
        "tariffs-MAX_NUM_FORMS": 1000,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    offer.refresh_from_db()
    assert offer.approved_places == 20  # R5: places change through an adjustment
    latest = offer.history.latest()
    assert latest.history_user == secretariat_user
    assert latest.specialisation_level == 1
    previous = latest.prev_record
    assert previous.specialisation_level == 2


def test_history_page_lists_the_change_and_its_user(client, secretariat_user, offer):
    offer._history_user = secretariat_user
    offer.approved_places = 30
    offer.save()
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:providers_offer_history", args=[offer.pk]))
    body = response.content.decode()
    assert "sara" in body
    assert Offer.history.filter(id=offer.pk).count() == 2
    # The page's own rows, not the header's user menu, name the user who changed it.
    records = list(response.context["page_obj"])
    assert [record.history_user for record in records] == [secretariat_user, None]
    assert records[0].approved_places == 30
