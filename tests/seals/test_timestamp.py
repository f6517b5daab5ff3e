"""With a time-stamp authority configured, the seal is PAdES-B-T: the
signature carries the authority's time-stamp. The authority here is a local
RFC 3161 server on the loopback interface, answering with pyHanko's test TSA."""

import datetime
import http.server
import io
import threading

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from contracts.pdf import render_html_to_pdf
from seals import sealing
from seals.verification import verify_pdf


def _tsa() -> DummyTimeStamper:
    # pyHanko's test TSA signs with RSA only.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


@pytest.fixture
def tsa_url():
    authority = _tsa()
    requests: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(body)
            answer = authority.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", requests
    server.shutdown()


def test_with_a_time_stamp_authority_the_seal_is_pades_b_t(settings, tsa_url):
    url, requests = tsa_url
    settings.SEAL_TSA_URL = url
    document = render_html_to_pdf("<html lang='da'><title>T</title><p>Hej</p></html>")

    sealed = sealing.seal_pdf(document, reference="SK-000001-v1")

    assert sealing.level() == "PAdES-B-T"
    assert requests  # the seal asked the authority
    (signature,) = PdfFileReader(io.BytesIO(sealed), strict=False).embedded_signatures
    unsigned = signature.signer_info["unsigned_attrs"]
    assert "signature_time_stamp_token" in [attribute["type"].native for attribute in unsigned]
    verdict = verify_pdf(sealed)
    assert verdict.timestamped
    assert verdict.unchanged


def test_a_time_stamp_authority_that_does_not_answer_refuses_the_seal(settings):
    from seals.certificate import SealUnavailable

    settings.SEAL_TSA_URL = "http://127.0.0.1:9/"  # discard: nothing answers
    document = render_html_to_pdf("<html lang='da'><title>T</title><p>Hej</p></html>")

    with pytest.raises(SealUnavailable):
        sealing.seal_pdf(document, reference="SK-000001-v1")
