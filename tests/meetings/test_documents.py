"""Papers on a framework agreement, a council approval, a standard contract and
an operating agreement: for those who may see what they hang off; the
secretariat adds them."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import CouncilApproval
from meetings import services
from meetings.models import Document, MeetingError
from tests.conftest import make_operating_agreement, make_standard_contract
from tests.meetings.conftest import pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(provider):
    return make_standard_contract(provider=provider, status="signed")


def test_the_secretariat_adds_the_signed_paper_contract(client, secretariat_user, contract):
    client.force_login(secretariat_user)
    url = reverse("meetings:documents", args=["standardkontrakt", contract.pk])

    response = client.post(
        url, {"title": "Underskrevet papirkontrakt", "file": pdf_file("scan.pdf")}, follow=True
    )

    assert "Dokumentet er tilføjet." in response.content.decode()
    document = Document.objects.get()
    assert document.standard_contract == contract
    assert document.owner == contract
    assert "Underskrevet papirkontrakt" in response.content.decode()


def test_a_contracts_papers_are_for_those_who_see_the_contract(
    client, secretariat_user, contract, provider_leader, other_leader
):
    document = services.document_add(
        user=secretariat_user, uploaded=pdf_file(), standard_contract=contract
    )
    page = reverse("meetings:documents", args=["standardkontrakt", contract.pk])
    download = reverse("meetings:document_download", args=[document.pk])

    client.force_login(provider_leader)
    assert client.get(page).status_code == 200
    assert client.get(download).status_code == 200
    assert "Tilføj dokumentet" not in client.get(page).content.decode()
    assert client.post(page, {"file": pdf_file()}).status_code == 404
    client.force_login(other_leader)
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert Document.objects.count() == 1


def test_papers_of_an_agreement_a_council_approval_and_an_operating_agreement(
    client, secretariat_user, midtjylland, aarhus, provider, other_leader, municipality_user
):
    approval = CouncilApproval.objects.create(
        agreement=midtjylland, municipality=aarhus, approved_on=datetime.date(2024, 9, 1)
    )
    operating = make_operating_agreement(provider)
    for owner, kind in (
        ({"agreement": midtjylland}, "rammeaftale"),
        ({"council_approval": approval}, "byraadsgodkendelse"),
        ({"operating_agreement": operating}, "driftsoverenskomst"),
    ):
        services.document_add(user=secretariat_user, uploaded=pdf_file(), **owner)
        pk = next(iter(owner.values())).pk
        client.force_login(municipality_user)
        assert client.get(reverse("meetings:documents", args=[kind, pk])).status_code == 200
        client.force_login(other_leader)
        assert client.get(reverse("meetings:documents", args=[kind, pk])).status_code == 404


def test_a_document_belongs_to_exactly_one_thing(secretariat_user, midtjylland, contract):
    with pytest.raises(MeetingError, match="præcis én ting"):
        services.document_add(
            user=secretariat_user,
            uploaded=pdf_file(),
            agreement=midtjylland,
            standard_contract=contract,
        )
    with pytest.raises(MeetingError, match="præcis én ting"):
        services.document_add(user=secretariat_user, uploaded=pdf_file())
    assert not Document.objects.exists()


def test_an_unknown_kind_of_owner_is_404(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(reverse("meetings:documents", args=["ukendt", 1])).status_code == 404
