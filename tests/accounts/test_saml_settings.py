"""The single sign-on configuration from the environment, and the reading of
OIO-BPP privileges."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.assurance import loa_at_least
from accounts.saml import SsoRefused, parse_privileges
from accounts.saml_settings import sso_settings_from_env

SITE = "https://rammeaftale.example.dk"


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    for name in ("sp.key", "sp.crt", "kombit.xml", "nemlogin.xml"):
        (tmp_path / name).write_text("x")
    return {
        name: str(tmp_path / name) for name in ("sp.key", "sp.crt", "kombit.xml", "nemlogin.xml")
    }


@pytest.fixture
def env(files) -> dict[str, str]:
    return {
        "SAML_SP_ENTITY_ID": f"{SITE}/saml/metadata/",
        "SAML_SP_KEY_FILE": files["sp.key"],
        "SAML_SP_CERT_FILE": files["sp.crt"],
        "SAML_KOMBIT_METADATA_FILE": files["kombit.xml"],
    }


def test_without_an_entity_id_single_sign_on_is_off():
    sso = sso_settings_from_env({}, site_url=SITE)

    assert sso.config is None
    assert sso.idp_sources == {}


def test_a_configured_service_provider_signs_with_rsa_sha256_and_wants_signed_assertions(env):
    sso = sso_settings_from_env(env, site_url=SITE)

    sp = sso.config["service"]["sp"]
    assert sp["authn_requests_signed"] and sp["logout_requests_signed"]
    assert sp["want_assertions_signed"]
    assert sp["allow_unsolicited"] is False
    assert sp["signing_algorithm"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert sp["endpoints"]["assertion_consumer_service"] == [
        (f"{SITE}/saml/acs/", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
    ]
    assert sso.config["encryption_keypairs"] == [
        {"key_file": env["SAML_SP_KEY_FILE"], "cert_file": env["SAML_SP_CERT_FILE"]}
    ]
    assert sso.idp_sources == {"kombit": env["SAML_KOMBIT_METADATA_FILE"]}
    assert sso.config["metadata"] == {"local": [env["SAML_KOMBIT_METADATA_FILE"]]}


def test_the_technical_contact_goes_into_the_metadata(env):
    sso = sso_settings_from_env(env | {"SAML_SP_CONTACT_EMAIL": "it@k17.example"}, site_url=SITE)

    assert sso.config["contact_person"] == [
        {"contact_type": "technical", "email_address": "it@k17.example"}
    ]


def test_metadata_from_a_url_is_checked_with_the_given_certificate(env, files):
    del env["SAML_KOMBIT_METADATA_FILE"]
    env["SAML_NEMLOGIN_METADATA_URL"] = "https://nemlogin.example/metadata"
    env["SAML_NEMLOGIN_METADATA_CERT_FILE"] = files["sp.crt"]

    sso = sso_settings_from_env(env, site_url=SITE)

    assert sso.config["metadata"] == {
        "remote": [{"url": "https://nemlogin.example/metadata", "cert": files["sp.crt"]}]
    }
    assert sso.idp_sources == {"nemlogin": "https://nemlogin.example/metadata"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SAML_SP_KEY_FILE": ""}, "SAML_SP_KEY_FILE"),
        ({"SAML_SP_CERT_FILE": "/nonexistent.crt"}, "not a readable file"),
        ({"SAML_KOMBIT_METADATA_FILE": ""}, "no identity provider"),
        ({"SAML_KOMBIT_METADATA_URL": "https://kombit.example/md"}, "not both"),
        (
            {"SAML_KOMBIT_METADATA_FILE": "", "SAML_KOMBIT_METADATA_URL": "http://kombit.example"},
            "https://",
        ),
        ({"SAML_XMLSEC1": "/nonexistent/xmlsec1"}, "xmlsec1"),
    ],
)
def test_a_half_done_configuration_stops_the_start_and_says_what_is_missing(env, change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        sso_settings_from_env(env | change, site_url=SITE)


def _encoded(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def test_privileges_are_read_per_cvr_scope():
    xml = (
        '<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">'
        '<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">'
        "<Privilege>http://a/1</Privilege><Privilege>http://b/1</Privilege>"
        '<Constraint Name="urn:dk:kombit:KLE">27.*</Constraint>'
        "</PrivilegeGroup>"
        '<PrivilegeGroup Scope="urn:dk:gov:saml:productionUnitIdentifier:1003388394">'
        "<Privilege>http://c/1</Privilege></PrivilegeGroup>"
        "</bpp:PrivilegeList>"
    )

    assert parse_privileges(_encoded(xml)) == {"29189846": {"http://a/1", "http://b/1"}}


@pytest.mark.parametrize(
    "value",
    [
        "not base64!",
        _encoded("<PrivilegeList><unclosed></PrivilegeList>"),
        _encoded("<SomethingElse/>"),
        # An entity expansion (billion laughs / external entity) is refused unread.
        _encoded(
            '<?xml version="1.0"?><!DOCTYPE PrivilegeList [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            "<PrivilegeList>&e;</PrivilegeList>"
        ),
    ],
)
def test_unreadable_privileges_are_refused(value):
    with pytest.raises(SsoRefused):
        parse_privileges(value)


@pytest.mark.parametrize(
    ("loa", "allowed"),
    [(None, False), ("Low", False), ("Substantial", True), ("High", True), ("substantial", False)],
)
def test_full_cpr_needs_at_least_substantial(loa, allowed):
    assert loa_at_least(loa, "Substantial") is allowed


def test_the_xmlsec1_check_names_the_program(monkeypatch):
    import shutil

    from tests.accounts import saml_idp

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="xmlsec1 is not installed"):
        saml_idp.xmlsec1()


def test_the_privilege_table_names_known_roles_only(settings):
    from accounts.saml_checks import privilege_roles_are_known

    assert privilege_roles_are_known() == []

    settings.SAML_PRIVILEGE_ROLES = {"http://x/dassos/1": "body_member:dasos"}
    errors = privilege_roles_are_known()
    assert [error.id for error in errors] == ["accounts.E001"]
    assert "body_member:dasos" in errors[0].msg
