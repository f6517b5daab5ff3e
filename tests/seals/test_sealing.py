"""The seal on a signed contract: pyHanko's validator accepts it against the
demo CA, one changed byte is caught, and the file stays PDF/A-2b."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from seals import certificate, checks, sealing
from seals.verification import verify_pdf
from tests.conftest import make_offer, make_standard_contract, sign_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(secretariat_user, provider) -> bytes:
    contract = sign_contract(make_standard_contract(offer=make_offer(provider)), secretariat_user)
    return contract, contract.pdf.open("rb").read()


def demo_ca_context() -> ValidationContext:
    """The demo CA, and nothing else, as trust root."""
    ca = certificate.load().chain[-1]
    return ValidationContext(
        trust_roots=[certificate._to_asn1(ca)], allow_fetching=False, revocation_mode="soft-fail"
    )


def pyhanko_status(data: bytes):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    (signature,) = reader.embedded_signatures
    return validate_pdf_signature(signature, demo_ca_context())


def with_one_byte_changed(data: bytes) -> bytes:
    """One byte inside the first content stream, which the seal covers."""
    at = data.index(b"stream") + 40
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_pyhankos_validator_accepts_the_sealed_contract_against_the_demo_ca(sealed):
    contract, data = sealed

    status = pyhanko_status(data)

    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.bottom_line
    assert str(status.signing_cert.subject.native["organizational_unit_name"]) == (
        certificate.DEMO_MARK
    )
    # PAdES (ETSI.CAdES.detached), without a time-stamp authority: B-B.
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sealing.level() == "PAdES-B-B"


def test_the_seal_names_the_register_document_and_no_person(sealed):
    contract, data = sealed

    verdict = verify_pdf(data)

    assert verdict.valid
    assert verdict.unchanged
    assert verdict.reference == contract.reference
    assert "DEMO" in verdict.sealed_by


def test_one_changed_byte_after_sealing_is_caught_by_the_validator_and_the_page(sealed):
    _contract, data = sealed
    changed = with_one_byte_changed(data)

    status = pyhanko_status(changed)
    verdict = verify_pdf(changed)

    assert not status.intact
    assert not status.bottom_line
    assert not verdict.valid
    assert not verdict.unchanged
    assert "ændret" in verdict.message


def test_a_file_added_to_after_the_seal_is_not_unchanged(sealed):
    _contract, data = sealed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    writer.set_info(None)
    writer.root["/Lang"] = writer.root["/Lang"].__class__("en")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)

    verdict = verify_pdf(output.getvalue())

    assert not verdict.valid
    assert not verdict.unchanged


def test_the_sealed_contract_is_still_pdf_a_2b(sealed):
    """The project's PDF/A check (tests/contracts/test_pdf.py), on the sealed
    file; pyHanko's incremental update keeps the document's own bytes, and the
    producer it writes is the same in the information and the XMP metadata."""
    _contract, data = sealed
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.stream.get_data().decode()

    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "/OutputIntents" in root
    assert f'pdf:Producer="{reader.metadata["/Producer"]}"' in xmp
    # The seal's field is invisible and printable (PDF/A: no hidden annotations).
    field = root["/AcroForm"]["/Fields"][0].get_object()
    assert list(field["/Rect"]) == [0, 0, 0, 0]
    assert int(field["/F"]) & 4


def test_the_signed_pdf_ends_with_the_page_underskrifter(sealed):
    contract, data = sealed

    last = PdfReader(io.BytesIO(data)).pages[-1].extract_text()

    assert "Underskrifter" in last
    assert "Socialchef Birte Bøgh" in last
    assert "På papir" in last
    assert "/verificer/" in last


def test_a_pdf_without_a_seal_and_a_file_that_is_no_pdf_get_clear_answers():
    from contracts.pdf import render_html_to_pdf

    unsealed = render_html_to_pdf("<html lang='da'><title>T</title><p>Hej</p></html>")

    assert verify_pdf(unsealed).message == "PDF-filen har intet segl fra Rammeaftale."
    assert verify_pdf(b"not a pdf").message == (
        "Filen er ikke en PDF, der kan læses, eller den er beskadiget."
    )


def test_a_seal_by_a_certificate_this_site_does_not_trust_is_not_valid(sealed, tmp_path):
    _contract, data = sealed
    other = tmp_path / "other.p12"
    certificate.create_demo(other, "other")

    with override_settings(SEAL_PKCS12_PATH=str(other), SEAL_PKCS12_PASSWORD="other"):
        verdict = verify_pdf(data)

    assert not verdict.valid
    assert not verdict.trusted
    assert "tillid" in verdict.message


# The certificate ------------------------------------------------------------------------------


def test_the_demo_certificate_is_named_a_demo_and_deploy_check_warns(settings):
    assert certificate.load().is_demo

    warnings = checks.seal_certificate_is_real(None)

    assert [warning.id for warning in warnings] == ["seals.W001"]


def test_deploy_check_warns_without_a_certificate(settings, tmp_path):
    settings.SEAL_PKCS12_PATH = str(tmp_path / "missing.p12")

    assert [warning.id for warning in checks.seal_certificate_is_real(None)] == ["seals.W002"]


def test_deploy_check_is_quiet_with_a_real_certificate(settings, tmp_path):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sekretariatet")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "real.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"real", key, cert, None, serialization.BestAvailableEncryption(b"secret")
        )
    )
    settings.SEAL_PKCS12_PATH = str(path)
    settings.SEAL_PKCS12_PASSWORD = "secret"

    assert checks.seal_certificate_is_real(None) == []


def test_the_demo_command_creates_the_certificate_once(settings, tmp_path):
    settings.SEAL_PKCS12_PATH = str(tmp_path / "var" / "demo-seal.p12")

    call_command("seal_demo_certificate", verbosity=0)
    first = (tmp_path / "var" / "demo-seal.p12").read_bytes()
    call_command("seal_demo_certificate", verbosity=0)

    assert (tmp_path / "var" / "demo-seal.p12").read_bytes() == first
    assert certificate.load().is_demo
    assert (tmp_path / "var" / "demo-seal.p12").stat().st_mode & 0o777 == 0o600


def test_signing_without_a_certificate_is_refused_and_the_contract_waits(
    settings, tmp_path, secretariat_user, provider
):
    from contracts.models import ContractError, Status

    contract = make_standard_contract(offer=make_offer(provider))
    settings.SEAL_PKCS12_PATH = str(tmp_path / "missing.p12")

    with pytest.raises(ContractError, match="forsegles"):
        sign_contract(contract, secretariat_user)

    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE
    assert contract.signatures.count() == 1
