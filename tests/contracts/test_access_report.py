"""A person's access report (GDPR art. 15): the contracts where the person is
the child, a parent or the guardian, and every logged lookup of their number
— with the organisation, never the staff member's name — on the page and as
a PDF/A-2b; producing it is itself logged."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts import services
from contracts.cpr import cpr_digest
from contracts.models import CprAccessLog
from tests.conftest import (
    COPENHAGEN_SECRETARIAT,
    DEMO_CPR_CHILD,
    DEMO_CPR_MOTHER,
    make_individual_contract,
    make_offer,
    make_secretary,
    make_signed_standard_contract,
)
from tests.contracts.test_pdf import assert_archivable
from tests.contracts.test_views import grant_full_cpr

pytestmark = pytest.mark.django_db

SECOND_CHILD = "0202109004"
MOTHER = "120785-9002"
PURPOSE = "Anmodning om indsigt fra moren"
STAFF_NAMES = ["Sara", "Sekretær", "Karen", "sara", "karen", "Knud", "Kbh"]


@pytest.fixture
def secretary(secretariat_user):
    return grant_full_cpr(secretariat_user)


@pytest.fixture
def family(provider, secretary, municipality_user):
    """A mother of two children under two contracts; the municipality looked
    at the first with full numbers, the secretariat downloaded the second's PDF."""
    standard = make_signed_standard_contract(offer=make_offer(provider))
    first = make_individual_contract(standard, citizen_name="Første Barn")
    second = make_individual_contract(standard, citizen_name="Andet Barn", citizen_cpr=SECOND_CHILD)
    services.cpr_access_record_contract(
        user=grant_full_cpr(municipality_user),
        action=CprAccessLog.Action.VIEW,
        purpose="Opfølgning på handleplan",
        individual_contract=first,
    )
    services.cpr_access_record_contract(
        user=secretary,
        action=CprAccessLog.Action.PDF,
        purpose="Arkivering af kontrakt",
        individual_contract=second,
    )
    return first, second


def label(contract) -> str:
    return f"{contract.number} v{contract.version}"


def report_section(html: str) -> str:
    """The report itself, without the page's header (which names the user reading it)."""
    return re.search(r'<section aria-labelledby="report-heading">.*?</section>', html, re.S)[0]


def pdf_text(data: bytes) -> str:
    """The PDF's words, with the lines its table cells wrap joined by spaces."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return " ".join(" ".join(pages).split())


def test_the_mothers_report_lists_both_contracts_and_both_lookups_without_staff_names(
    client, secretary, family
):
    first, second = family
    client.force_login(secretary)

    response = client.post(
        reverse("contracts:cpr_access_report"), {"cpr": MOTHER, "purpose": PURPOSE}
    )
    section = report_section(response.content.decode())

    report = response.context["report"]
    assert [row.contract for row in report.contracts] == [first, second]
    assert [row.roles for row in report.contracts] == [["Mor"], ["Mor"]]
    assert [entry.contract for entry in report.entries] == [label(second), label(first)]
    for contract in (first, second):
        assert f"{contract.number} v1" in section
    assert "Opfølgning på handleplan" in section
    assert "Arkivering af kontrakt" in section
    assert "Kommune: Aarhus" in section
    assert "Sekretariat: Sekretariat for Rammeaftaler, Midtjylland" in section
    assert "Bostedet Fjordglimt" in section
    assert "120785-XXXX" in section
    assert not [name for name in STAFF_NAMES if name in section]
    assert MOTHER not in section and DEMO_CPR_MOTHER not in section


def test_producing_the_report_is_logged(client, secretary, family):
    client.force_login(secretary)
    before = CprAccessLog.objects.for_cpr(MOTHER).count()

    client.post(reverse("contracts:cpr_access_report"), {"cpr": MOTHER, "purpose": PURPOSE})

    logged = CprAccessLog.objects.for_cpr(MOTHER).get(action=CprAccessLog.Action.REPORT)
    assert CprAccessLog.objects.for_cpr(MOTHER).count() == before + 1
    assert (logged.user, logged.purpose, logged.individual_contract) == (secretary, PURPOSE, None)
    assert logged.person_cpr_masked == "120785-XXXX"


def test_the_pdf_is_pdf_a_2b_and_holds_the_same_rows(client, secretary, family):
    first, second = family
    client.force_login(secretary)

    response = client.post(
        reverse("contracts:cpr_access_report"),
        {"cpr": MOTHER, "purpose": PURPOSE, "format": "pdf"},
    )
    text = pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert MOTHER not in response["Content-Disposition"]
    assert_archivable(response.content, "Indsigtsrapport")
    for contract in (first, second):
        assert text.count(label(contract)) == 2  # its row and its lookup
    assert "Opfølgning på handleplan" in text
    assert "Arkivering af kontrakt" in text
    assert "Kommune: Aarhus" in text
    assert not [name for name in STAFF_NAMES if name in text]
    assert CprAccessLog.objects.for_cpr(MOTHER).filter(action="report").count() == 1


def test_a_child_finds_only_their_own_contract_and_lookups(client, secretary, family):
    first, _second = family
    client.force_login(secretary)

    report = client.post(
        reverse("contracts:cpr_access_report"), {"cpr": DEMO_CPR_CHILD, "purpose": PURPOSE}
    ).context["report"]

    assert [row.contract for row in report.contracts] == [first]
    assert [row.roles for row in report.contracts] == [["Barnet eller den unge"]]
    assert [entry.contract for entry in report.entries] == [label(first)]


def test_entries_made_under_a_rotated_digest_key_are_still_found(
    client, secretary, family, settings
):
    old_key = settings.CPR_DIGEST_KEY
    settings.CPR_DIGEST_KEY = "the-new-digest-key-after-rotation"
    settings.CPR_DIGEST_OLD_KEYS = [old_key]
    client.force_login(secretary)

    report = client.post(
        reverse("contracts:cpr_access_report"), {"cpr": MOTHER, "purpose": PURPOSE}
    ).context["report"]

    assert len(report.entries) == 2
    logged = CprAccessLog.objects.get(action=CprAccessLog.Action.REPORT)
    assert (logged.digest_key_id, logged.person_digest) == cpr_digest(MOTHER)


def test_another_secretariats_contracts_and_lookups_are_left_out(
    client, secretary, family, copenhagen_agreement
):
    offer = make_offer()
    offer.framework_agreements.add(copenhagen_agreement)
    foreign = make_individual_contract(
        make_signed_standard_contract(offer=offer), citizen_name="Kanarie"
    )
    copenhagen = grant_full_cpr(make_secretary("knud", COPENHAGEN_SECRETARIAT))
    services.cpr_access_record_contract(
        user=copenhagen,
        action=CprAccessLog.Action.VIEW,
        purpose="Københavnsk opslag",
        individual_contract=foreign,
    )
    client.force_login(secretary)

    response = client.post(
        reverse("contracts:cpr_access_report"), {"cpr": MOTHER, "purpose": PURPOSE}
    )

    report = response.context["report"]
    assert foreign not in [row.contract for row in report.contracts]
    assert label(foreign) not in [entry.contract for entry in report.entries]
    assert "Københavnsk opslag" not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["secretariat_user", "municipality_user", "provider_leader", "body_member_user"]
)
def test_a_user_without_the_permission_or_outside_the_secretariat_gets_404(
    client, request, persona, family
):
    user = request.getfixturevalue(persona)
    if persona == "secretariat_user":
        user.user_permissions.clear()
    else:
        user = grant_full_cpr(user)
    client.force_login(user)
    url = reverse("contracts:cpr_access_report")
    count = CprAccessLog.objects.count()

    assert client.get(url).status_code == 404
    assert client.post(url, {"cpr": MOTHER, "purpose": PURPOSE}).status_code == 404
    assert CprAccessLog.objects.count() == count


def test_the_service_refuses_without_the_permission_or_a_purpose(secretary, municipality_user):
    for user in (make_secretary("otto"), grant_full_cpr(municipality_user)):
        with pytest.raises(services.ContractError, match="sekretariatet"):
            services.cpr_access_report(user=user, cpr=MOTHER, purpose=PURPOSE)
    with pytest.raises(services.ContractError, match="formålet"):
        services.cpr_access_report(user=secretary, cpr=MOTHER, purpose="  ")
    assert not CprAccessLog.objects.exists()


def test_the_number_is_posted_never_in_the_address(client, secretary, family):
    client.force_login(secretary)

    page = client.get(reverse("contracts:cpr_access_report"), {"cpr": MOTHER, "purpose": PURPOSE})

    assert page.status_code == 200
    assert page.context["report"] is None
    assert not CprAccessLog.objects.filter(action=CprAccessLog.Action.REPORT).exists()


def test_an_invalid_number_is_refused_beside_its_field_and_nothing_is_logged(client, secretary):
    client.force_login(secretary)

    page = client.post(
        reverse("contracts:cpr_access_report"), {"cpr": "3102159001", "purpose": PURPOSE}
    )

    assert "cpr_error" in page.content.decode()
    assert not CprAccessLog.objects.exists()
