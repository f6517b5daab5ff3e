"""The secretariat enters a municipality's CVR number in the admin (single
sign-on links municipal staff by it)."""

import pytest
from django.urls import reverse

from agreements.models import Municipality

pytestmark = pytest.mark.django_db


def _post(client, municipality: Municipality, cvr: str):
    return client.post(
        reverse("admin:agreements_municipality_change", args=[municipality.pk]),
        {
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region_id,
            "cvr": cvr,
        },
    )


def test_the_secretariat_enters_a_valid_cvr_number(client, secretariat_user, aarhus):
    client.force_login(secretariat_user)

    response = _post(client, aarhus, "29189846")

    assert response.status_code == 302
    assert Municipality.objects.get(pk=aarhus.pk).cvr == "29189846"


@pytest.mark.parametrize("cvr", ["29189847", "1234567"])
def test_an_invalid_cvr_number_is_refused_with_a_danish_message(
    client, secretariat_user, aarhus, cvr
):
    client.force_login(secretariat_user)

    response = _post(client, aarhus, cvr)

    assert response.status_code == 200
    assert f"CVR-nummeret {cvr} er ikke gyldigt" in response.content.decode()
    assert Municipality.objects.get(pk=aarhus.pk).cvr == ""


def test_a_cvr_number_another_municipality_has_is_refused(
    client, secretariat_user, aarhus, randers
):
    randers.cvr = "29189846"
    randers.save()
    client.force_login(secretariat_user)

    response = _post(client, aarhus, "29189846")

    assert response.status_code == 200
    assert "En anden kommune har dette CVR-nummer." in response.content.decode()
    assert Municipality.objects.get(pk=aarhus.pk).cvr == ""
