"""The steering agreement's rules are edited in the admin, with history; bases
and cost splits are shown read-only there."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tariffs.models import AddOnService, CalculationBasis, TariffPolicy
from tests.conftest import make_offer
from tests.tariffs.helpers import make_basis, make_policy, midtjylland


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def test_the_secretariat_edits_the_policy_and_its_history_is_kept(secretariat_client):
    policy = make_policy()
    url = reverse("admin:tariffs_tariffpolicy_change", args=[policy.pk])
    assert secretariat_client.get(url).status_code == 200
    data = {
        "agreement": midtjylland().pk,
        "overhead_share_percent": "7.00",
        "overhead_cap_percent": "12.00",
        "occupancy_min_residential": "95.00",
        "occupancy_max_residential": "100.00",
        "occupancy_min_short_stay": "90.00",
        "occupancy_max_short_stay": "100.00",
        "regulation_years": "2",
        "surplus_share_kept_percent": "5.00",
        "closure_use_years": "3",
        "price_indices-TOTAL_FORMS": "1",
        "price_indices-INITIAL_FORMS": "0",
        "price_indices-0-year": "2026",
        "price_indices-0-percent": "2.80",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.errors]
    policy = TariffPolicy.objects.get()
    assert policy.overhead_cap_percent == Decimal("12.00")
    assert policy.price_index(2026) == Decimal("2.80")
    assert policy.history.count() == 2
    history = reverse("admin:tariffs_tariffpolicy_history", args=[policy.pk])
    assert secretariat_client.get(history).status_code == 200


def test_an_inverted_occupancy_interval_is_refused(secretariat_client):
    policy = make_policy()
    url = reverse("admin:tariffs_tariffpolicy_change", args=[policy.pk])
    response = secretariat_client.post(
        url,
        {
            "agreement": midtjylland().pk,
            "overhead_share_percent": "7",
            "overhead_cap_percent": "10",
            "occupancy_min_residential": "99",
            "occupancy_max_residential": "95",
            "occupancy_min_short_stay": "90",
            "occupancy_max_short_stay": "100",
            "regulation_years": "2",
            "surplus_share_kept_percent": "5",
            "closure_use_years": "3",
            "price_indices-TOTAL_FORMS": "0",
            "price_indices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "kan ikke være over den højeste" in response.content.decode()
    assert TariffPolicy.objects.get().occupancy_min_residential == Decimal("95.00")


def test_bases_are_read_only_in_the_admin(secretariat_client):
    basis = make_basis(make_offer())
    AddOnService.objects.create(basis=basis, name="Ledsagelse", price=300, unit="hour")
    assert (
        secretariat_client.get(reverse("admin:tariffs_calculationbasis_changelist")).status_code
        == 200
    )
    url = reverse("admin:tariffs_calculationbasis_change", args=[basis.pk])
    assert secretariat_client.get(url).status_code == 200
    assert secretariat_client.get(reverse("admin:tariffs_calculationbasis_add")).status_code == 403
    secretariat_client.post(url, {"approved_places": 1})
    assert CalculationBasis.objects.get().approved_places == 20


def test_an_add_on_under_a_policy_without_them_fails_model_validation(db):
    from django.core.exceptions import ValidationError

    agreement = midtjylland()
    agreement.add_on_services_allowed = False
    agreement.save()
    basis = make_basis(make_offer())
    with pytest.raises(ValidationError):
        AddOnService(basis=basis, name="Ledsagelse", price=300, unit="hour").full_clean()
