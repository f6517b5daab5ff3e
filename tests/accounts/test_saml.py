"""Single sign-on against a test identity provider made with pysaml2.

Each login goes the way a browser goes: the login button, djangosaml2's
signed AuthnRequest to the identity provider, and the identity provider's
answer (built by `saml2.server.Server.create_authn_response`, signed with its
own throw-away key) posted to the real assertion consumer service.
"""

import base64
import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from saml2 import BINDING_HTTP_REDIRECT
from saml2.ident import decode
from saml2.sigver import verify_redirect_signature

from accounts.models import SsoAssertion, SsoIdentity
from accounts.saml import (
    ATTR_CVR,
    ATTR_EMAIL,
    ATTR_FIRST_NAME,
    ATTR_LAST_NAME,
    ATTR_LOA,
    ATTR_PERSISTENT_ID,
    ATTR_PRIVILEGES,
)
from accounts.saml_settings import load_sp_config, sso_settings_from_env
from agreements.models import BodyRepresentative, GoverningBody
from providers.demo import demo_cvr
from tests.accounts.saml_idp import (
    KOMBIT_ENTITY_ID,
    NEMLOGIN_ENTITY_ID,
    OTHER_SP_ENTITY_ID,
    SamlWorld,
    redirect_query,
    xmlsec1,
)
from tests.conftest import (
    make_individual_contract,
    make_offer,
    make_provider,
    make_signed_standard_contract,
    make_user,
)

pytestmark = pytest.mark.django_db

AARHUS_CVR = demo_cvr(9001)
RANDERS_CVR = demo_cvr(9002)
UNKNOWN_CVR = demo_cvr(9003)
PERSON = "6f1c2a9e-1d1b-4b7e-8a39-5d1f0c6a0b11"
IDP_OF = {"kombit": KOMBIT_ENTITY_ID, "nemlogin": NEMLOGIN_ENTITY_ID}
SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


@pytest.fixture(scope="session")
def saml_world(tmp_path_factory) -> SamlWorld:
    xmlsec1()
    return SamlWorld(tmp_path_factory.mktemp("saml"))


@pytest.fixture
def sso(saml_world, settings) -> SamlWorld:
    for name, value in saml_world.settings.items():
        setattr(settings, name, value)
    return saml_world


@pytest.fixture
def cvrs(aarhus, randers):
    aarhus.cvr, randers.cvr = AARHUS_CVR, RANDERS_CVR
    aarhus.save()
    randers.save()


def privilege(role: str) -> str:
    from django.conf import settings

    return next(uri for uri, name in settings.SAML_PRIVILEGE_ROLES.items() if name == role)


def privilege_list(groups: dict[str, list[str]]) -> str:
    """A base64 OIO-BPP PrivilegeList: roles per CVR number."""
    xml = ['<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">']
    for cvr, roles in groups.items():
        xml.append(f'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:{cvr}">')
        xml += [f"<Privilege>{privilege(role)}</Privilege>" for role in roles]
        xml.append("</PrivilegeGroup>")
    xml.append("</bpp:PrivilegeList>")
    return base64.b64encode("".join(xml).encode()).decode()


def attributes(cvr: str, *roles: str, loa: str = "Substantial", **extra) -> dict:
    values = {
        ATTR_CVR: [cvr],
        ATTR_PERSISTENT_ID: [PERSON],
        ATTR_EMAIL: ["karen@aarhus.example"],
        ATTR_FIRST_NAME: ["Karen"],
        ATTR_LAST_NAME: ["Kommune"],
        ATTR_LOA: [loa],
    }
    if roles:
        values[ATTR_PRIVILEGES[0]] = [privilege_list({cvr: list(roles)})]
    return values | extra


def start_login(client, world: SamlWorld, kind: str) -> tuple[str, dict]:
    """Press the login button; return the id of the AuthnRequest the identity
    provider received, and its query."""
    response = client.get(reverse("sso_start", args=[kind]))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{IDP_OF[kind]}/sso?")
    query = redirect_query(location)
    request = world.servers[IDP_OF[kind]].parse_authn_request(
        query["SAMLRequest"], BINDING_HTTP_REDIRECT
    )
    return request.message.id, query


def post_answer(client, saml_response: str):
    return client.post(reverse("saml2_acs"), {"SAMLResponse": saml_response, "RelayState": "/"})


def sso_login(client, world: SamlWorld, kind: str, values: dict, **answer):
    request_id, _query = start_login(client, world, kind)
    return post_answer(client, world.answer(IDP_OF[kind], request_id, values, **answer))


def logged_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refused(response, text: str = "") -> bool:
    body = response.content.decode()
    return response.status_code == 403 and text in body


# A valid login ------------------------------------------------------------


def test_a_kombit_login_creates_the_user_as_staff_of_the_municipality_with_that_cvr(
    client, sso, cvrs, aarhus
):
    response = sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))

    assert response.status_code == 302
    user = logged_in_user(client)
    assert user is not None
    assert (user.first_name, user.last_name, user.email) == (
        "Karen",
        "Kommune",
        "karen@aarhus.example",
    )
    assert list(user.staffed_municipalities.all()) == [aarhus]
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.persistent_id) == (KOMBIT_ENTITY_ID, PERSON)
    assert client.session["auth_method"] == "saml"
    assert client.session["saml_loa"] == "Substantial"
    # The start page of municipality staff.
    assert client.get("/").url == reverse("portal:municipality")


def test_a_mitid_erhverv_login_makes_the_user_leader_of_the_provider_with_that_cvr(
    client, sso, provider
):
    response = sso_login(client, sso, "nemlogin", attributes(provider.cvr, "provider_leader"))

    assert response.status_code == 302
    user = logged_in_user(client)
    assert list(user.led_providers.all()) == [provider]
    assert SsoIdentity.objects.get(user=user).issuer == NEMLOGIN_ENTITY_ID
    assert client.session["auth_method"] == "saml"


def test_the_same_person_logging_in_again_is_the_same_user(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))
    first = logged_in_user(client)
    client.logout()
    sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff", **{ATTR_LAST_NAME: ["Nygift"]}),
    )

    assert logged_in_user(client) == first
    assert User.objects.get(pk=first.pk).last_name == "Nygift"
    assert SsoIdentity.objects.count() == 1


def test_an_encrypted_signed_assertion_is_accepted(client, sso, cvrs, aarhus):
    response = sso_login(
        client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"), encrypt=True
    )

    assert response.status_code == 302
    assert list(logged_in_user(client).staffed_municipalities.all()) == [aarhus]


def test_the_cpr_attribute_is_stored_nowhere(client, sso, cvrs):
    cpr_attribute = "https://data.gov.dk/model/core/eid/cprNumber"
    values = attributes(AARHUS_CVR, "municipality_staff", **{cpr_attribute: ["0101709999"]})

    sso_login(client, sso, "kombit", values)

    assert logged_in_user(client) is not None
    for session in Session.objects.all():
        assert "0101709999" not in str(session.get_decoded())
    assert not SsoIdentity.objects.filter(persistent_id__contains="0101709999").exists()


# Refused answers: no user, no session -----------------------------------------


def assert_nobody_logged_in(client, response) -> None:
    assert response.status_code == 403
    assert logged_in_user(client) is None
    assert not User.objects.filter(username__startswith="sso-").exists()


def test_an_answer_for_another_audience_is_refused(client, sso, cvrs):
    response = sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff"),
        audience=OTHER_SP_ENTITY_ID,
    )

    assert_nobody_logged_in(client, response)
    assert "kunne ikke godtages" in response.content.decode()


def test_an_expired_assertion_is_refused(client, sso, cvrs):
    request_id, _query = start_login(client, sso, "kombit")
    # Issued 10 minutes ago with a lifetime of 5 minutes.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)):
        answer = sso.answer(
            KOMBIT_ENTITY_ID, request_id, attributes(AARHUS_CVR, "municipality_staff")
        )

    assert_nobody_logged_in(client, post_answer(client, answer))


def test_an_assertion_still_valid_is_accepted(client, sso, cvrs):
    """The boundary of the test above: issued 4 minutes ago, within its 5."""
    request_id, _query = start_login(client, sso, "kombit")
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=4)):
        answer = sso.answer(
            KOMBIT_ENTITY_ID, request_id, attributes(AARHUS_CVR, "municipality_staff")
        )

    assert post_answer(client, answer).status_code == 302
    assert logged_in_user(client) is not None


def test_an_unsigned_assertion_is_refused_even_in_a_signed_response(client, sso, cvrs):
    response = sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff"),
        sign_assertion=False,
        sign_response=True,
    )

    assert_nobody_logged_in(client, response)


def test_an_assertion_signed_with_a_key_not_in_the_metadata_is_refused(client, sso, cvrs):
    response = sso_login(
        client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"), impostor=True
    )

    assert_nobody_logged_in(client, response)


@pytest.mark.parametrize(
    "answer",
    [{"sign_assertion": False, "sign_response": True}, {"impostor": True}],
    ids=["unsigned", "signed-by-another-key"],
)
def test_an_encrypted_assertion_must_be_signed_by_the_identity_provider(client, sso, cvrs, answer):
    response = sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff"),
        encrypt=True,
        **answer,
    )

    assert_nobody_logged_in(client, response)


def test_an_assertion_signed_with_sha1_is_refused(client, sso, cvrs):
    response = sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff"),
        sign_alg="http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        digest_alg="http://www.w3.org/2000/09/xmldsig#sha1",
    )

    assert_nobody_logged_in(client, response)


def test_an_assertion_signed_with_rsa_sha512_is_accepted(client, sso, cvrs):
    response = sso_login(
        client,
        sso,
        "kombit",
        attributes(AARHUS_CVR, "municipality_staff"),
        sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        digest_alg="http://www.w3.org/2001/04/xmlenc#sha512",
    )

    assert response.status_code == 302
    assert logged_in_user(client) is not None


def test_a_replayed_answer_is_refused(client, sso, cvrs):
    request_id, _query = start_login(client, sso, "kombit")
    answer = sso.answer(KOMBIT_ENTITY_ID, request_id, attributes(AARHUS_CVR, "municipality_staff"))
    assert post_answer(client, answer).status_code == 302
    client.logout()

    # Again in the same browser, and in another one.
    assert_replay_refused(client, answer)
    other_browser = type(client)()
    assert_replay_refused(other_browser, answer)


def assert_replay_refused(client, answer: str) -> None:
    response = post_answer(client, answer)
    assert response.status_code == 403
    assert logged_in_user(client) is None


def test_a_replayed_assertion_id_is_refused_even_where_unsolicited_answers_are_allowed(
    client, sso, cvrs, settings
):
    """With identity-provider-initiated logins allowed, the answer itself is
    the only thing to go by: its assertion id is used once."""
    settings.SAML_CONFIG = {
        **settings.SAML_CONFIG,
        "service": {"sp": {**settings.SAML_CONFIG["service"]["sp"], "allow_unsolicited": True}},
    }
    answer = sso.answer(KOMBIT_ENTITY_ID, None, attributes(AARHUS_CVR, "municipality_staff"))

    assert post_answer(client, answer).status_code == 302
    assert SsoAssertion.objects.count() == 1

    other_browser = type(client)()
    response = post_answer(other_browser, answer)
    assert response.status_code == 403
    assert "er brugt før" in response.content.decode()
    assert logged_in_user(other_browser) is None


def test_an_unknown_cvr_is_refused_with_the_reason(client, sso, cvrs):
    response = sso_login(client, sso, "kombit", attributes(UNKNOWN_CVR, "municipality_staff"))

    assert_nobody_logged_in(client, response)
    body = response.content.decode()
    assert f"CVR-nummer {UNKNOWN_CVR} hører ikke til en kommune" in body
    assert not SsoIdentity.objects.exists()


def test_an_unknown_provider_cvr_is_refused_with_the_reason(client, sso):
    response = sso_login(client, sso, "nemlogin", attributes(UNKNOWN_CVR, "provider_leader"))

    assert_nobody_logged_in(client, response)
    assert f"CVR-nummer {UNKNOWN_CVR} hører ikke til et tilbud" in response.content.decode()


def test_a_known_cvr_without_a_privilege_is_refused_with_the_reason(client, sso, cvrs):
    response = sso_login(client, sso, "kombit", attributes(AARHUS_CVR))

    assert_nobody_logged_in(client, response)
    assert "Du har ingen rettighed til Rammeaftale i Aarhus" in response.content.decode()


def test_privileges_for_another_cvr_give_nothing(client, sso, cvrs):
    values = attributes(AARHUS_CVR) | {
        ATTR_PRIVILEGES[0]: [privilege_list({RANDERS_CVR: ["municipality_staff"]})]
    }
    response = sso_login(client, sso, "kombit", values)

    assert_nobody_logged_in(client, response)


def test_a_provider_privilege_from_kombit_gives_nothing(client, sso, provider):
    """Each identity provider gives only its own roles: KOMBIT speaks for
    municipalities, not providers."""
    response = sso_login(client, sso, "kombit", attributes(provider.cvr, "provider_leader"))

    assert_nobody_logged_in(client, response)


def test_a_municipality_privilege_from_nemlogin_gives_nothing(client, sso, cvrs):
    """…and NemLog-in speaks for providers, not municipalities."""
    response = sso_login(client, sso, "nemlogin", attributes(AARHUS_CVR, "municipality_staff"))

    assert_nobody_logged_in(client, response)


def test_a_mitid_erhverv_user_of_the_provider_without_the_privilege_is_refused(
    client, sso, provider
):
    response = sso_login(client, sso, "nemlogin", attributes(provider.cvr))

    assert_nobody_logged_in(client, response)
    assert "Du har ingen rettighed til Rammeaftale hos" in response.content.decode()


def test_unreadable_privileges_are_refused(client, sso, cvrs):
    values = attributes(AARHUS_CVR) | {ATTR_PRIVILEGES[0]: ["<not base64>"]}

    assert_nobody_logged_in(client, sso_login(client, sso, "kombit", values))


def test_a_deactivated_user_is_refused(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))
    user = logged_in_user(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))

    assert response.status_code == 403
    assert logged_in_user(client) is None
    assert "deaktiveret" in response.content.decode()


# Role links follow the assertion -----------------------------------------------


def test_role_links_are_added_and_removed_at_the_next_login(
    client, sso, cvrs, aarhus, randers, midtjylland
):
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, agreement=midtjylland)
    sso_login(
        client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff", "body_member:dassos")
    )
    user = logged_in_user(client)
    assert list(user.staffed_municipalities.all()) == [aarhus]
    assert list(
        BodyRepresentative.objects.filter(user=user).values_list("body", "municipality")
    ) == [(dassos.pk, aarhus.pk)]
    client.logout()

    # The person has moved to Randers, and has left DASSOS.
    sso_login(client, sso, "kombit", attributes(RANDERS_CVR, "municipality_staff"))

    assert logged_in_user(client) == user
    assert list(user.staffed_municipalities.all()) == [randers]
    assert not BodyRepresentative.objects.filter(user=user).exists()


def test_a_body_seat_alone_is_a_role(client, sso, cvrs, randers, midtjylland):
    response = sso_login(client, sso, "kombit", attributes(RANDERS_CVR, "body_member:dassos"))

    assert response.status_code == 302
    user = logged_in_user(client)
    assert not user.staffed_municipalities.exists()
    assert BodyRepresentative.objects.get(user=user).municipality == randers


def test_provider_leadership_follows_the_assertion(client, sso, provider, other_provider):
    sso_login(client, sso, "nemlogin", attributes(provider.cvr, "provider_leader"))
    user = logged_in_user(client)
    client.logout()

    sso_login(client, sso, "nemlogin", attributes(other_provider.cvr, "provider_leader"))

    assert logged_in_user(client) == user
    assert list(user.led_providers.all()) == [other_provider]


def _login_queries(client, sso, persistent_id: str) -> int:
    request_id, _query = start_login(client, sso, "kombit")
    answer = sso.answer(
        KOMBIT_ENTITY_ID,
        request_id,
        attributes(AARHUS_CVR, "municipality_staff", "body_member:dassos"),
        persistent_id=persistent_id,
    )
    with CaptureQueriesContext(connection) as queries:
        response = post_answer(client, answer)
    assert response.status_code == 302
    return len(queries)


def test_a_login_takes_as_many_queries_whatever_the_register_holds(client, sso, cvrs, aarhus):
    _login_queries(client, sso, "person-0")  # fills the content-type cache
    client.logout()
    small = _login_queries(client, sso, "person-1")
    client.logout()
    for number in range(20):
        make_provider()
        aarhus.staff.add(make_user(f"kollega{number}"))
        SsoIdentity.objects.create(
            user=User.objects.get(username=f"kollega{number}"),
            issuer=KOMBIT_ENTITY_ID,
            persistent_id=f"kollega-{number}",
        )

    assert _login_queries(client, sso, "person-2") == small


# Level of assurance and the CPR pages --------------------------------------------


@pytest.fixture
def contract(aarhus, provider):
    return make_individual_contract(make_signed_standard_contract(offer=make_offer(provider)))


def login_with_full_cpr_permission(client, sso, loa: str) -> User:
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff", loa=loa))
    user = logged_in_user(client)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="contracts", codename="view_full_cpr")
    )
    return user


def test_a_login_below_substantial_is_refused_the_full_cpr_numbers(client, sso, cvrs, contract):
    login_with_full_cpr_permission(client, sso, "Low")
    url = reverse("contracts:individual_contract_detail", args=[contract.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "sikringsniveauet Lav" in page.content.decode()
    assert 'name="purpose"' not in page.content.decode()

    response = client.post(url, {"purpose": "Sagsbehandling"})
    assert response.status_code == 403
    assert "mindst Betydelig" in response.content.decode()
    assert contract.citizen_cpr not in response.content.decode()
    assert not contract.cpr_accesses.exists()

    pdf = client.post(
        reverse("contracts:individual_contract_pdf", args=[contract.pk]), {"purpose": "Journal"}
    )
    assert pdf.status_code == 403
    search = client.post(
        reverse("contracts:cpr_search"), {"cpr": contract.citizen_cpr, "purpose": "Henvendelse"}
    )
    assert search.status_code == 403
    assert not contract.cpr_accesses.exists()


@pytest.mark.parametrize("loa", ["Substantial", "High"])
def test_a_login_at_substantial_or_higher_sees_the_full_cpr_numbers(
    client, sso, cvrs, contract, loa
):
    login_with_full_cpr_permission(client, sso, loa)
    url = reverse("contracts:individual_contract_detail", args=[contract.pk])

    response = client.post(url, {"purpose": "Sagsbehandling"})

    assert response.status_code == 200
    # One log row per person whose number was shown.
    from contracts.models import CPR_FIELDS

    shown = sum(1 for name in CPR_FIELDS if getattr(contract, name))
    assert contract.cpr_accesses.count() == shown >= 1


# Signed requests, metadata, logout ------------------------------------------------


def test_the_authn_request_is_signed_with_rsa_sha256(client, sso, saml_world):
    _request_id, query = start_login(client, sso, "kombit")

    assert query["SigAlg"] == SHA256
    server = sso.servers[KOMBIT_ENTITY_ID]
    assert verify_redirect_signature(query, server.sec.sec_backend, cert=sso_cert(sso))
    query["RelayState"] = "/tampered/"
    assert not verify_redirect_signature(query, server.sec.sec_backend, cert=sso_cert(sso))


def sso_cert(world: SamlWorld) -> str:
    pem = Path(world.sp_cert).read_text()
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


def test_single_logout_sends_a_signed_logout_request(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))

    response = client.post(reverse("saml2_logout"))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{KOMBIT_ENTITY_ID}/slo?")
    query = redirect_query(location)
    assert query["SigAlg"] == SHA256
    server = sso.servers[KOMBIT_ENTITY_ID]
    assert verify_redirect_signature(query, server.sec.sec_backend, cert=sso_cert(sso))
    assert logged_in_user(client) is None


def test_logout_without_an_identity_provider_session_logs_out_here(client, sso, municipality_user):
    client.force_login(municipality_user)
    session = client.session
    session["auth_method"] = "saml"
    session.save()

    response = client.post(reverse("saml2_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_user(client) is None


def test_a_logout_started_by_the_identity_provider_logs_out_and_answers_signed(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))
    saml_session = SessionStore(client.cookies["saml_session"].value)
    name_id = decode(saml_session["_saml2_subject_id"])
    server = sso.servers[KOMBIT_ENTITY_ID]
    destination = "https://testserver/saml/ls/"
    _id, request = server.create_logout_request(destination, KOMBIT_ENTITY_ID, name_id=name_id)
    info = server.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, relay_state="", sign=True
    )
    location = dict(info["headers"])["Location"]

    response = client.get(reverse("saml2_ls") + "?" + urlparse(location).query)

    assert logged_in_user(client) is None
    assert response.status_code == 302
    assert response["Location"].startswith(f"{KOMBIT_ENTITY_ID}/slo?")
    query = redirect_query(response["Location"])
    assert "SAMLResponse" in query
    assert query["SigAlg"] == SHA256
    assert verify_redirect_signature(query, server.sec.sec_backend, cert=sso_cert(sso))


def test_logout_is_not_started_by_a_get(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))

    assert client.get(reverse("saml2_logout")).status_code == 405
    assert logged_in_user(client) is not None


def test_the_service_provider_metadata_is_published(client, sso):
    response = client.get(reverse("saml2_metadata"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'entityID="https://testserver/saml/metadata/"' in body
    assert 'AuthnRequestsSigned="true"' in body
    assert 'WantAssertionsSigned="true"' in body
    assert "https://testserver/saml/acs/" in body
    assert 'use="encryption"' in body
    assert "<md:OrganizationName" in body
    assert "xmldsig-more#rsa-sha256" in body
    assert "sha1" not in body
    assert "md5" not in body


def test_the_login_page_shows_a_button_per_identity_provider(client, sso):
    body = client.get(reverse("login")).content.decode()

    assert "Log ind med Fælleskommunal Adgangsstyring" in body
    assert "Log ind med MitID Erhverv" in body
    assert 'name="password"' in body  # the password login stays


def test_the_logout_button_of_a_single_sign_on_session_starts_single_logout(client, sso, cvrs):
    sso_login(client, sso, "kombit", attributes(AARHUS_CVR, "municipality_staff"))

    body = client.get(reverse("portal:municipality")).content.decode()

    assert f'action="{reverse("saml2_logout")}"' in body
    # There is no password here to change.
    assert reverse("password_change") not in body


def test_the_logout_button_of_a_password_session_logs_out_here(client, sso, municipality_user):
    client.force_login(municipality_user)

    body = client.get(reverse("portal:municipality")).content.decode()

    assert f'action="{reverse("logout")}"' in body
    assert reverse("password_change") in body


def test_metadata_that_cannot_be_read_again_keeps_the_metadata_read_before(sso, settings, tmp_path):
    copy = tmp_path / "kombit.xml"
    copy.write_text(Path(sso.env["SAML_KOMBIT_METADATA_FILE"]).read_text())
    changed = sso_settings_from_env(
        sso.env | {"SAML_KOMBIT_METADATA_FILE": str(copy)}, site_url="https://testserver"
    )
    settings.SAML_CONFIG = changed.config
    loaded = load_sp_config()
    settings.SAML_METADATA_CACHE_SECONDS = -1  # read again at every request
    copy.unlink()

    assert load_sp_config() is loaded
    assert KOMBIT_ENTITY_ID in loaded.metadata.identity_providers()


def test_metadata_that_cannot_be_read_at_all_is_an_error(sso, settings, tmp_path):
    missing = tmp_path / "kombit.xml"
    missing.write_text(Path(sso.env["SAML_KOMBIT_METADATA_FILE"]).read_text())
    changed = sso_settings_from_env(
        sso.env | {"SAML_KOMBIT_METADATA_FILE": str(missing)}, site_url="https://testserver"
    )
    missing.unlink()
    settings.SAML_CONFIG = changed.config

    with pytest.raises(FileNotFoundError):
        load_sp_config()


# Off unless configured ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/saml/metadata/", "/saml/login/", "/saml/start/kombit/", "/saml/ls/"]
)
def test_without_configuration_the_saml_addresses_answer_404(client, url, settings):
    settings.SAML_CONFIG = None
    settings.SAML_IDP_SOURCES = {}

    assert client.get(url).status_code == 404
    assert client.post("/saml/acs/", {"SAMLResponse": "x"}).status_code == 404


def test_without_configuration_the_login_page_has_no_sso_buttons(client, settings):
    settings.SAML_CONFIG = None
    settings.SAML_IDP_SOURCES = {}

    body = client.get(reverse("login")).content.decode()

    assert "MitID Erhverv" not in body
    assert "Fælleskommunal" not in body


def test_an_unknown_identity_provider_kind_answers_404(client, sso):
    assert client.get("/saml/start/facebook/").status_code == 404


def test_the_login_without_a_chosen_identity_provider_goes_to_the_login_page(client, sso):
    response = client.get(reverse("saml2_login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_the_login_with_an_unknown_identity_provider_answers_404(client, sso):
    assert client.get(reverse("saml2_login") + "?idp=https://evil.test/idp").status_code == 404


def test_the_start_button_keeps_the_next_page(client, sso):
    response = client.get(reverse("sso_start", args=["nemlogin"]) + "?next=/contracts/")

    assert urlparse(response["Location"]).path == reverse("saml2_login")
    assert "next=%2Fcontracts%2F" in response["Location"]
