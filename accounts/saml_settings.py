"""The single sign-on configuration, built from the environment.

Two identity providers, both OIOSAML 3.0 (SAML 2.0 Web SSO):

- ``kombit``: KOMBIT's Context Handler (Fælleskommunal Adgangsstyring), for
  municipal staff;
- ``nemlogin``: NemLog-in with MitID Erhverv, for providers.

Each is configured by its metadata, from a file or a URL. Single sign-on is
off — no login buttons, and every SAML address answers 404 — until the
service provider's entity id is set (see README, "Single sign-on"). A
half-done configuration stops the start with a message saying what is
missing, rather than leaving single sign-on silently off.

This module is read by the settings, so it imports no models.
"""

import json
import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

KOMBIT = "kombit"
NEMLOGIN = "nemlogin"
IDENTITY_PROVIDERS = (KOMBIT, NEMLOGIN)

# Names of the environment variables per identity provider.
_ENV_PREFIX = {KOMBIT: "SAML_KOMBIT", NEMLOGIN: "SAML_NEMLOGIN"}

BINDING_HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SIG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
NAMEID_FORMAT_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


@dataclass(frozen=True)
class SsoSettings:
    """What the settings module takes over: `config` is djangosaml2's
    SAML_CONFIG (None when single sign-on is off), `idp_sources` names the
    metadata file or URL of each configured identity provider."""

    config: dict[str, Any] | None = None
    idp_sources: dict[str, str] = field(default_factory=dict)


def _path(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if value and not Path(value).is_file():
        raise ImproperlyConfigured(f"{name} names {value}, which is not a readable file.")
    return value


def sso_settings_from_env(environ: Mapping[str, str], *, site_url: str) -> SsoSettings:
    """Build the SAML configuration from the environment variables named in
    README ("Single sign-on")."""
    entity_id = environ.get("SAML_SP_ENTITY_ID", "").strip()
    if not entity_id:
        return SsoSettings()
    key_file = _path(environ, "SAML_SP_KEY_FILE")
    cert_file = _path(environ, "SAML_SP_CERT_FILE")
    if not key_file or not cert_file:
        raise ImproperlyConfigured(
            "SAML_SP_ENTITY_ID is set: set SAML_SP_KEY_FILE and SAML_SP_CERT_FILE too "
            "(the key and certificate that sign requests and decrypt assertions)."
        )
    xmlsec = environ.get("SAML_XMLSEC1", "").strip() or shutil.which("xmlsec1")
    if not xmlsec or not Path(xmlsec).is_file():
        raise ImproperlyConfigured(
            "Single sign-on needs the xmlsec1 program: install it "
            "(apt-get install xmlsec1, or brew install libxmlsec1) or name it in SAML_XMLSEC1."
        )

    sources: dict[str, str] = {}
    local: list[str] = []
    remote: list[dict[str, str]] = []
    for kind in IDENTITY_PROVIDERS:
        prefix = _ENV_PREFIX[kind]
        metadata_file = _path(environ, f"{prefix}_METADATA_FILE")
        metadata_url = environ.get(f"{prefix}_METADATA_URL", "").strip()
        if metadata_file and metadata_url:
            raise ImproperlyConfigured(
                f"Set {prefix}_METADATA_FILE or {prefix}_METADATA_URL, not both."
            )
        if metadata_file:
            sources[kind] = metadata_file
            local.append(metadata_file)
        elif metadata_url:
            if not metadata_url.startswith("https://"):
                raise ImproperlyConfigured(f"{prefix}_METADATA_URL must be an https:// address.")
            sources[kind] = metadata_url
            entry = {"url": metadata_url}
            signer = _path(environ, f"{prefix}_METADATA_CERT_FILE")
            if signer:
                entry["cert"] = signer
            remote.append(entry)
    if not sources:
        raise ImproperlyConfigured(
            "SAML_SP_ENTITY_ID is set but no identity provider is: set "
            "SAML_KOMBIT_METADATA_FILE or _URL, and/or SAML_NEMLOGIN_METADATA_FILE or _URL."
        )

    base = site_url.rstrip("/")
    metadata: dict[str, Any] = {}
    if local:
        metadata["local"] = local
    if remote:
        metadata["remote"] = remote
    config = {
        "entityid": entity_id,
        "xmlsec_binary": xmlsec,
        "key_file": key_file,
        "cert_file": cert_file,
        # Assertions encrypted to the service provider's certificate are accepted.
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "metadata": metadata,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        # OIOSAML 3 names attributes by URI; keep them as they come.
        "allow_unknown_attributes": True,
        # Clock skew tolerated between the identity provider and us, in seconds.
        "accepted_time_diff": int(environ.get("SAML_ACCEPTED_TIME_DIFF", "60")),
        "name": "Rammeaftale",
        "service": {
            "sp": {
                "name": "Rammeaftale",
                # rsa-sha256 for every signed request, the logout requests too
                # (pysaml2 reads the algorithms per service).
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml/acs/", BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (f"{base}/saml/ls/", BINDING_HTTP_REDIRECT),
                        (f"{base}/saml/ls/post/", BINDING_HTTP_POST),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                # Only answers to requests this session sent are accepted:
                # an answer is used once (see also accounts.models.SsoAssertion).
                "allow_unsolicited": False,
            }
        },
    }
    # The organisation and technical contact that KOMBIT and NemLog-in
    # require in the metadata they register.
    config["organization"] = {
        "name": [(environ.get("SAML_SP_ORGANISATION", "Rammeaftale"), "da")],
        "display_name": [(environ.get("SAML_SP_ORGANISATION", "Rammeaftale"), "da")],
        "url": [(base + "/", "da")],
    }
    contact = environ.get("SAML_SP_CONTACT_EMAIL", "").strip()
    if contact:
        config["contact_person"] = [{"contact_type": "technical", "email_address": contact}]
    return SsoSettings(config=config, idp_sources=sources)


# The loaded configuration, kept per process: reading metadata (a URL in
# production) for every request would be slow. It is reloaded after
# SAML_METADATA_CACHE_SECONDS, and at once when the settings change (tests).
_loaded: dict[str, Any] = {"key": None, "at": 0.0, "config": None}


def load_sp_config(request=None):
    """djangosaml2's SAML_CONFIG_LOADER: the SPConfig of the settings."""
    from django.conf import settings
    from saml2.config import SPConfig

    if not settings.SAML_CONFIG:
        raise ImproperlyConfigured("Single sign-on is not configured.")
    key = json.dumps(settings.SAML_CONFIG, sort_keys=True, default=str)
    max_age = getattr(settings, "SAML_METADATA_CACHE_SECONDS", 3600)
    now = time.monotonic()
    if _loaded["key"] != key or now - _loaded["at"] > max_age:
        config = SPConfig()
        try:
            config.load(json.loads(key))
        except Exception:
            if _loaded["key"] != key:
                raise
            # The identity provider's metadata address did not answer: keep
            # the metadata read before, and try again at the next request.
            logger.exception("Reading the identity providers' metadata failed; keeping the old.")
            return _loaded["config"]
        _loaded.update(key=key, at=now, config=config)
    return _loaded["config"]


def idp_entity_ids(kind: str) -> list[str]:
    """The entity ids that the metadata of identity provider `kind` names."""
    from django.conf import settings

    source = settings.SAML_IDP_SOURCES.get(kind)
    if not source:
        return []
    store = load_sp_config().metadata.metadata.get(source)
    if store is None:
        return []
    return [entity_id for entity_id, entity in store.items() if "idpsso_descriptor" in entity]


def idp_kind(entity_id: str) -> str | None:
    """Which of the configured identity providers `entity_id` is."""
    for kind in IDENTITY_PROVIDERS:
        if entity_id in idp_entity_ids(kind):
            return kind
    return None
