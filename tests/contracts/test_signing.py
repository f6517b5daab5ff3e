"""The parties sign in person: who may sign, with which authentication, and
the contract signed and sealed once when the last party has signed."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import (
    SESSION_AUTH_METHOD,
    SESSION_CVR,
    SESSION_LOA,
    SESSION_PERSISTENT_ID,
    SESSION_SECOND_FACTOR_AT,
    SessionAuthentication,
)
from contracts import services, signing
from contracts.models import ContractError, Signature, Status
from tests.conftest import (
    make_individual_contract,
    make_offer,
    make_signed_standard_contract,
    make_standard_contract,
    paper_scan,
)
from tests.contracts.fakes import FakeNemLogInSigning

pytestmark = pytest.mark.django_db

AUTHORITY = Signature.Party.AUTHORITY
PROVIDER = Signature.Party.PROVIDER


def grant_signing(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="contracts", codename="sign_for_authority")
    )
    return user


def fresh_code(minutes_ago: float = 1) -> SessionAuthentication:
    """A password login whose second factor was given `minutes_ago`."""
    return SessionAuthentication(
        single_sign_on=False,
        second_factor_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def sso(loa: str = "Substantial") -> SessionAuthentication:
    return SessionAuthentication(
        single_sign_on=True,
        loa=loa,
        persistent_id="https://data.gov.dk/model/core/eid/professional/uuid/1",
        cvr="29189846",
    )


@pytest.fixture
def signatory(municipality_user):
    return grant_signing(municipality_user)


@pytest.fixture
def awaiting(secretariat_user, provider):
    contract = make_standard_contract(offer=make_offer(provider))
    return services.contract_submit(contract=contract, user=secretariat_user)


def sign_as(contract, user, party, authentication=None, title="Leder"):
    return services.contract_sign_digitally(
        contract=contract,
        user=user,
        party=party,
        signer_title=title,
        authentication=authentication or fresh_code(),
    )


# Signing by both parties ----------------------------------------------------------------------


def test_sending_for_signature_stores_the_document_to_sign_with_its_hash(awaiting):
    document = awaiting.signing_pdf.open("rb").read()

    assert document.startswith(b"%PDF")
    assert hashlib.sha256(document).hexdigest() == awaiting.signing_pdf_sha256


def test_both_parties_sign_and_the_contract_is_signed_and_sealed(
    awaiting, signatory, provider_leader
):
    after_one = sign_as(awaiting, signatory, AUTHORITY, sso())
    assert after_one.status == Status.AWAITING_SIGNATURE

    contract = sign_as(awaiting, provider_leader, PROVIDER, fresh_code(3), title="Forstander")

    contract.refresh_from_db()
    assert contract.status == Status.SIGNED
    assert len(contract.pdf_sha256) == 64
    authority = contract.signature_for(AUTHORITY)
    assert authority.signer == signatory
    assert authority.signer_name == "Karen Kommune"
    assert authority.method == Signature.Method.DIGITAL
    assert authority.authentication == Signature.Authentication.SINGLE_SIGN_ON
    assert authority.sso_loa == "Substantial"
    assert authority.sso_cvr == "29189846"
    assert authority.sso_persistent_id.endswith("/uuid/1")
    assert authority.document_sha256 == contract.signing_pdf_sha256
    leader = contract.signature_for(PROVIDER)
    assert leader.authentication == Signature.Authentication.PASSWORD_AND_CODE
    assert leader.second_factor_at is not None
    assert leader.signer_title == "Forstander"
    assert leader.signed_at <= timezone.now()
    assert contract.history.first().history_user == provider_leader


def test_an_individual_contract_is_signed_by_the_acting_municipality_and_the_provider(
    secretariat_user, signatory, provider_leader, provider
):
    standard = make_signed_standard_contract(offer=make_offer(provider))
    individual = services.contract_submit(
        contract=make_individual_contract(standard), user=secretariat_user
    )

    sign_as(individual, signatory, AUTHORITY)
    individual = sign_as(individual, provider_leader, PROVIDER)

    assert individual.status == Status.SIGNED
    assert individual.pdf_masked_sha256


def test_the_parties_a_user_may_sign_for(awaiting, signatory, provider_leader, secretariat_user):
    assert services.signatory_parties(awaiting, signatory) == [AUTHORITY]
    assert services.signatory_parties(awaiting, provider_leader) == [PROVIDER]
    assert services.signatory_parties(awaiting, secretariat_user) == []


# Refusals -------------------------------------------------------------------------------------


def refused(contract, user, party, authentication=None, match=None):
    before = contract.signatures.count()
    with pytest.raises(ContractError, match=match):
        sign_as(contract, user, party, authentication)
    assert contract.signatures.count() == before
    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE


def test_municipality_staff_without_the_signing_permission_is_refused(awaiting, municipality_user):
    refused(awaiting, municipality_user, AUTHORITY, match="kan ikke underskrive")


def test_staff_of_another_municipality_is_refused(awaiting, other_municipality_user):
    grant_signing(other_municipality_user)
    refused(awaiting, other_municipality_user, AUTHORITY)


def test_a_leader_of_another_provider_is_refused(awaiting, other_leader):
    refused(awaiting, other_leader, PROVIDER)


def test_the_leader_cannot_sign_for_the_authority(awaiting, provider_leader):
    refused(awaiting, provider_leader, AUTHORITY, match="kan ikke underskrive")


def test_a_secretary_cannot_sign_for_a_party(awaiting, secretariat_user):
    grant_signing(secretariat_user)
    refused(awaiting, secretariat_user, AUTHORITY, match="kan ikke underskrive")


def test_a_second_factor_older_than_ten_minutes_is_refused(awaiting, provider_leader):
    refused(awaiting, provider_leader, PROVIDER, fresh_code(10.02), match="10 minutter")


def test_a_second_factor_given_just_within_ten_minutes_signs(awaiting, provider_leader):
    sign_as(awaiting, provider_leader, PROVIDER, fresh_code(9.98))

    assert awaiting.signature_for(PROVIDER) is not None


def test_a_password_login_without_a_second_factor_is_refused(awaiting, provider_leader):
    refused(
        awaiting,
        provider_leader,
        PROVIDER,
        SessionAuthentication(single_sign_on=False),
        match="10 minutter",
    )


@pytest.mark.parametrize("loa", ["Low", "", "Unknown"])
def test_single_sign_on_below_substantial_is_refused(awaiting, provider_leader, loa):
    refused(awaiting, provider_leader, PROVIDER, sso(loa), match="Betydelig")


def test_single_sign_on_at_high_signs(awaiting, provider_leader):
    sign_as(awaiting, provider_leader, PROVIDER, sso("High"))

    assert awaiting.signature_for(PROVIDER).sso_loa == "High"


def test_a_party_signs_only_once(awaiting, provider_leader):
    sign_as(awaiting, provider_leader, PROVIDER)

    refused(awaiting, provider_leader, PROVIDER, match="allerede underskrevet")


def test_a_draft_cannot_be_signed(secretariat_user, provider, provider_leader):
    draft = make_standard_contract(offer=make_offer(provider))

    with pytest.raises(ContractError, match="afventer underskrift"):
        sign_as(draft, provider_leader, PROVIDER)


def test_a_changed_document_for_signature_is_refused(awaiting, provider_leader):
    with open(awaiting.signing_pdf.path, "ab") as stored:
        stored.write(b"%% changed")

    refused(awaiting, provider_leader, PROVIDER, match="ændret")


def test_a_contract_sent_before_signing_in_rammeaftale_is_refused(
    secretariat_user, provider, provider_leader
):
    contract = make_standard_contract(offer=make_offer(provider), status=Status.AWAITING_SIGNATURE)

    refused(contract, provider_leader, PROVIDER, match="sender den igen")


# Signatures on paper ----------------------------------------------------------------------------


def record_paper(contract, user, party=AUTHORITY):
    return services.contract_record_paper_signature(
        contract=contract,
        user=user,
        party=party,
        signer_name="Socialchef Birte Bøgh",
        signer_title="Socialchef",
        signed_on=datetime.date(2025, 1, 10),
        scan=paper_scan(),
    )


def test_a_paper_signature_keeps_its_scan_and_the_pdf_says_on_paper(awaiting, secretariat_user):
    record_paper(awaiting, secretariat_user)
    contract = record_paper(awaiting, secretariat_user, PROVIDER)

    signature = contract.signature_for(AUTHORITY)
    assert signature.method == Signature.Method.WET_INK
    assert signature.scan.open("rb").read().startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(contract.pdf.open("rb")).pages[-1].extract_text()
    assert "På papir" in text


def test_a_paper_signature_is_refused_where_the_agreement_requires_digital_signing(
    awaiting, secretariat_user, midtjylland
):
    midtjylland.digital_signing_required = True
    midtjylland.save()
    awaiting.offer.framework_agreements.add(midtjylland)

    with pytest.raises(ContractError, match="underskriver digitalt"):
        record_paper(awaiting, secretariat_user)

    assert awaiting.signatures.count() == 0


def test_only_the_secretariat_records_a_paper_signature(awaiting, signatory):
    with pytest.raises(ContractError):
        record_paper(awaiting, signatory)

    assert awaiting.signatures.count() == 0


def test_a_paper_signature_without_a_pdf_scan_is_refused(awaiting, secretariat_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ContractError, match="PDF"):
        services.contract_record_paper_signature(
            contract=awaiting,
            user=secretariat_user,
            party=AUTHORITY,
            signer_name="A",
            signer_title="B",
            signed_on=datetime.date(2025, 1, 10),
            scan=SimpleUploadedFile("scan.png", b"\x89PNG....", "image/png"),
        )


# The signing provider's contract, played by a fake of NemLog-in's service ----------------------


def test_a_signing_provider_in_the_setting_makes_the_signature(awaiting, provider_leader, settings):
    settings.SIGNING_PROVIDER = "tests.contracts.fakes.FakeNemLogInSigning"
    FakeNemLogInSigning.documents.clear()

    sign_as(awaiting, provider_leader, PROVIDER, SessionAuthentication(single_sign_on=False))

    signature = awaiting.signature_for(PROVIDER)
    assert FakeNemLogInSigning.documents == [awaiting.signing_pdf_sha256]
    assert signature.sso_persistent_id == FakeNemLogInSigning.PERSISTENT_ID
    assert signature.authentication == Signature.Authentication.SINGLE_SIGN_ON


def test_a_signing_the_fake_validation_service_rejects_is_refused(
    awaiting, provider_leader, settings
):
    settings.SIGNING_PROVIDER = "tests.contracts.fakes.FakeNemLogInSigning"
    FakeNemLogInSigning.documents.clear()
    FakeNemLogInSigning.reject_next = True

    refused(awaiting, provider_leader, PROVIDER, match="godkendte ikke")


def test_the_built_in_provider_is_the_default(settings):
    assert isinstance(signing.provider(), signing.BuiltInSigning)


# The pages ------------------------------------------------------------------------------------


def session_with(client, user, **values):
    client.force_login(user)
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def password_session(client, user, minutes_ago: float = 1):
    given = (timezone.now() - datetime.timedelta(minutes=minutes_ago)).timestamp()
    session_with(client, user, **{SESSION_AUTH_METHOD: "password", SESSION_SECOND_FACTOR_AT: given})


def sign_url(contract):
    return reverse("contracts:standard_contract_sign", args=[contract.pk])


def test_the_signatory_sees_underskriv_and_the_document_hash(
    password_client, awaiting, provider_leader
):
    password_session(password_client, provider_leader)

    detail = password_client.get(
        reverse("contracts:standard_contract_detail", args=[awaiting.pk])
    ).content.decode()
    page = password_client.get(sign_url(awaiting)).content.decode()

    assert sign_url(awaiting) in detail
    assert "Underskriv" in detail
    assert awaiting.signing_pdf_sha256 in page
    assert reverse("contracts:standard_signing_document", args=[awaiting.pk]) in page


def test_the_signatory_signs_on_the_page(password_client, awaiting, provider_leader):
    password_session(password_client, provider_leader)

    response = password_client.post(
        sign_url(awaiting),
        {"party": PROVIDER, "signer_title": "Forstander", "confirm": "on"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Du har underskrevet" in response.content.decode()
    assert awaiting.signature_for(PROVIDER).signer == provider_leader


def test_a_stale_second_factor_is_sent_to_give_the_code_again(
    password_client, awaiting, provider_leader
):
    password_session(password_client, provider_leader, minutes_ago=11)

    response = password_client.get(sign_url(awaiting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("otp_confirm"))
    assert "next=" in response.url


def test_single_sign_on_below_substantial_is_sent_to_log_in_again(
    password_client, awaiting, provider_leader
):
    session_with(
        password_client,
        provider_leader,
        **{SESSION_AUTH_METHOD: "saml", SESSION_LOA: "Low", SESSION_PERSISTENT_ID: "x"},
    )

    response = password_client.get(sign_url(awaiting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("saml2_login"))


def test_a_single_sign_on_session_records_its_identity(password_client, awaiting, provider_leader):
    session_with(
        password_client,
        provider_leader,
        **{
            SESSION_AUTH_METHOD: "saml",
            SESSION_LOA: "Substantial",
            SESSION_PERSISTENT_ID: "pid-42",
            SESSION_CVR: "29189846",
        },
    )

    password_client.post(
        sign_url(awaiting), {"party": PROVIDER, "signer_title": "Leder", "confirm": "on"}
    )

    signature = awaiting.signature_for(PROVIDER)
    assert (signature.sso_persistent_id, signature.sso_cvr) == ("pid-42", "29189846")


def test_giving_the_code_again_makes_the_session_fresh(password_client, provider_leader):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    device = TOTPDevice.objects.create(user=provider_leader, name="app", confirmed=True)
    password_session(password_client, provider_leader, minutes_ago=30)

    response = password_client.post(
        f"{reverse('otp_confirm')}?next=/kontrakter/", {"token": totp_code(device)}
    )

    assert response.status_code == 302
    given = password_client.session[SESSION_SECOND_FACTOR_AT]
    assert timezone.now().timestamp() - given < 5


@pytest.mark.parametrize(
    "persona", ["municipality_user", "other_municipality_user", "other_leader", "secretariat_user"]
)
def test_users_who_may_not_sign_get_no_signing_page(password_client, request, awaiting, persona):
    user = request.getfixturevalue(persona)
    # The secretariat's login has given its second factor (accounts.otp).
    client = request.getfixturevalue("client") if persona == "secretariat_user" else password_client
    password_session(client, user)

    assert client.get(sign_url(awaiting)).status_code == 404


def test_the_signing_page_of_a_signed_party_is_gone(password_client, awaiting, provider_leader):
    sign_as(awaiting, provider_leader, PROVIDER)
    password_session(password_client, provider_leader)

    assert password_client.get(sign_url(awaiting)).status_code == 404


def test_the_secretariat_form_has_no_typed_digital_signature(client, secretariat_user, awaiting):
    client.force_login(secretariat_user)
    body = client.get(
        reverse("contracts:standard_contract_detail", args=[awaiting.pk])
    ).content.decode()

    assert 'name="method"' not in body
    assert 'name="scan"' in body
