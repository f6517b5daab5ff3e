"""The secretariat's organisation certificate, which seals the stored PDFs.

Settings name a PKCS#12 file and its password (`SEAL_PKCS12_PATH`,
`SEAL_PKCS12_PASSWORD`): the key, the certificate and the chain of the
certificate authority that issued it. The chain's certificates are the trust
roots `/verificer/` checks a seal against (with any in `SEAL_TRUST_ROOTS_PATH`).

`make run` creates a demo CA and a demo certificate (`create_demo`), named
as a demo in every field a validator shows, and `check --deploy` warns while
it is in use (seals.checks).
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

# Every demo certificate carries this in its organisational unit.
DEMO_MARK = "DEMO - ikke gyldigt"


class SealUnavailable(Exception):
    """A seal cannot be made now (no certificate, or the time-stamp authority failed)."""


class SealNotConfigured(SealUnavailable):
    """No usable seal certificate: the file is missing or cannot be opened."""


@dataclass(frozen=True)
class SealCertificate:
    key: object
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def is_demo(self) -> bool:
        units = self.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        return any(unit.value == DEMO_MARK for unit in units)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """The certificates a seal is checked against: the issuing chain (or the
        certificate itself when it stands alone) and the configured roots."""
        own = list(self.chain) or [self.certificate]
        roots = [_to_asn1(cert) for cert in own]
        extra = getattr(settings, "SEAL_TRUST_ROOTS_PATH", "")
        if extra:
            pem = Path(extra).read_bytes()
            roots += [_to_asn1(cert) for cert in x509.load_pem_x509_certificates(pem)]
        return roots


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def pkcs12_bytes() -> bytes:
    path = Path(settings.SEAL_PKCS12_PATH)
    if not path.is_file():
        raise SealNotConfigured(f"No seal certificate at {path} (SEAL_PKCS12_PATH).")
    return path.read_bytes()


def password() -> bytes:
    return settings.SEAL_PKCS12_PASSWORD.encode()


def load() -> SealCertificate:
    """The configured certificate, read once per file content."""
    return _load(pkcs12_bytes(), password())


@cache
def _load(data: bytes, secret: bytes) -> SealCertificate:
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as error:
        raise SealNotConfigured(f"The seal certificate cannot be opened: {error}") from None
    if key is None or certificate is None:
        raise SealNotConfigured("The PKCS#12 file holds no key and certificate.")
    return SealCertificate(key=key, certificate=certificate, chain=tuple(chain))


# The demo CA and certificate ---------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Rammeaftale demo-sekretariat"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def create_demo(path: Path, secret: str) -> None:
    """A demo CA and an organisation certificate issued by it, as PKCS#12 at `path`."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("DEMO Rammeaftale CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("DEMO Sekretariatets segl"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"demo-seal",
        key,
        certificate,
        [ca],
        serialization.BestAvailableEncryption(secret.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(data)
