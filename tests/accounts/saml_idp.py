"""A test identity provider made with pysaml2, with throw-away keys.

`SamlWorld` writes two identity providers' metadata (one standing for KOMBIT's
Context Handler, one for NemLog-in) and the service provider's keys into a
folder, builds the service provider's settings from environment variables
exactly as production does (`sso_settings_from_env`), and answers the
service provider's AuthnRequests with `saml2.server.Server.create_authn_response`.
"""

import base64
import datetime
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from accounts.saml_settings import DIGEST_SHA256, SIG_RSA_SHA256, sso_settings_from_env

SP_ENTITY_ID = "https://testserver/saml/metadata/"
SITE_URL = "https://testserver"
ACS_URL = f"{SITE_URL}/saml/acs/"
KOMBIT_ENTITY_ID = "https://kombit.test/contexthandler"
NEMLOGIN_ENTITY_ID = "https://nemlogin.test/idp"
OTHER_SP_ENTITY_ID = "https://other.test/sp"


def xmlsec1() -> str:
    """The xmlsec1 program, or a clear failure: the SAML tests sign and check
    real XML signatures with it."""
    path = shutil.which("xmlsec1")
    if not path:
        pytest.fail(
            "xmlsec1 is not installed, and the single sign-on tests need it: "
            "apt-get install xmlsec1 (Debian/Ubuntu) or brew install libxmlsec1 (macOS)."
        )
    return path


def make_keypair(folder: Path, name: str) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate, written as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def _idp_config(entity_id: str, key: str, cert: str, sp_metadata: list[str]) -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id,
            "xmlsec_binary": xmlsec1(),
            "key_file": key,
            "cert_file": cert,
            "metadata": {"inline": sp_metadata} if sp_metadata else {},
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    # As OIOSAML 3 asks (pysaml2's own default is SHA-1).
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{entity_id}/sso", BINDING_HTTP_REDIRECT),
                            (f"{entity_id}/sso", BINDING_HTTP_POST),
                        ],
                        "single_logout_service": [(f"{entity_id}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }
    )
    return config


def _sp_metadata(entity_id: str, config: dict) -> str:
    sp = SPConfig()
    sp.load(dict(config, entityid=entity_id))
    return str(entity_descriptor(sp))


@dataclass
class SamlWorld:
    folder: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sp_key, self.sp_cert = make_keypair(self.folder, "sp")
        self.keys = {
            KOMBIT_ENTITY_ID: make_keypair(self.folder, "kombit"),
            NEMLOGIN_ENTITY_ID: make_keypair(self.folder, "nemlogin"),
        }
        metadata_files = {}
        for entity_id, (key, cert) in self.keys.items():
            path = self.folder / f"{entity_id.split('/')[2]}.xml"
            path.write_text(str(entity_descriptor(_idp_config(entity_id, key, cert, []))))
            metadata_files[entity_id] = str(path)
        self.env = {
            "SAML_SP_ENTITY_ID": SP_ENTITY_ID,
            "SAML_SP_KEY_FILE": self.sp_key,
            "SAML_SP_CERT_FILE": self.sp_cert,
            "SAML_KOMBIT_METADATA_FILE": metadata_files[KOMBIT_ENTITY_ID],
            "SAML_NEMLOGIN_METADATA_FILE": metadata_files[NEMLOGIN_ENTITY_ID],
        }
        sso = sso_settings_from_env(self.env, site_url=SITE_URL)
        self.settings = {"SAML_CONFIG": sso.config, "SAML_IDP_SOURCES": sso.idp_sources}
        # The identity providers know our metadata, and that of another
        # service provider (for answers addressed to someone else).
        sp_metadata = [
            _sp_metadata(SP_ENTITY_ID, sso.config),
            _sp_metadata(OTHER_SP_ENTITY_ID, sso.config),
        ]
        self.servers = {
            entity_id: Server(config=_idp_config(entity_id, key, cert, sp_metadata))
            for entity_id, (key, cert) in self.keys.items()
        }
        self.impostor = Server(
            config=_idp_config(
                KOMBIT_ENTITY_ID, *make_keypair(self.folder, "impostor"), sp_metadata
            )
        )

    def answer(
        self,
        idp: str,
        in_response_to: str | None,
        attributes: dict[str, list[str]],
        *,
        persistent_id: str = "b9c4e8a0-5f3e-4c8e-9d1a-000000000001",
        audience: str = SP_ENTITY_ID,
        sign_assertion: bool = True,
        sign_response: bool = False,
        encrypt: bool = False,
        impostor: bool = False,
        sign_alg: str | None = None,
        digest_alg: str | None = None,
    ) -> str:
        """A base64 SAMLResponse from identity provider `idp` (or, with
        `impostor`, from someone using its name with another key)."""
        server = self.impostor if impostor else self.servers[idp]
        response = server.create_authn_response(
            identity=attributes,
            in_response_to=in_response_to,
            destination=ACS_URL,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=persistent_id),
            authn={"class_ref": "https://data.gov.dk/concept/core/nsis/loa/Substantial"},
            sign_assertion=sign_assertion,
            sign_response=sign_response,
            encrypt_assertion=encrypt,
            encrypt_cert_assertion=Path(self.sp_cert).read_text() if encrypt else None,
            sign_alg=sign_alg,
            digest_alg=digest_alg,
        )
        return base64.b64encode(str(response).encode()).decode()


def redirect_query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlparse(url).query).items()}
