"""Sealing a PDF: a PAdES signature by the secretariat's organisation certificate.

The seal is added as an incremental update, so the document's own bytes —
and with them its PDF/A-2b conformance — stay as rendered. The signature
field is invisible: the "Underskrifter" page is the visible record. With a
time-stamp authority (`SEAL_TSA_URL`) the seal is PAdES-B-T, otherwise
PAdES-B-B. The register's reference of the document (never personal data)
is the signature's reason, which `/verificer/` shows.
"""

import asyncio
import io
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from seals import certificate as certificates

FIELD_NAME = "Segl"
REFERENCE_PREFIX = "Rammeaftale "


class _PdfAIncrementalWriter(IncrementalPdfFileWriter):
    """pyHanko writes its name as the producer in the XMP metadata but appends
    it to the one in the document information: PDF/A wants the two equal."""

    def _update_meta(self) -> None:
        super()._update_meta()
        if self._info is not None:
            self._info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
            self.mark_update(self._info)


def _signer(seal: certificates.SealCertificate) -> signers.SimpleSigner:
    key = asn1_keys.PrivateKeyInfo.load(
        seal.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    own, *chain = [certificates._to_asn1(cert) for cert in (seal.certificate, *seal.chain)]
    return signers.SimpleSigner(
        signing_cert=own,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([own, *chain]),
    )


def run_to_completion(make: Callable[[], Coroutine]):
    """pyHanko works in coroutines; its synchronous calls start an event loop,
    which fails in a thread that already runs one (an ASGI server, a test
    driving a browser). Run the coroutine in a thread of its own then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(make())).result()


def level() -> str:
    """The PAdES baseline level the configured seal gives."""
    return "PAdES-B-T" if settings.SEAL_TSA_URL else "PAdES-B-B"


def seal_pdf(document: bytes, *, reference: str) -> bytes:
    """`document` with the seal appended. Raises SealUnavailable without a
    certificate, or when the time-stamp authority does not answer."""
    seal = certificates.load()
    timestamper = (
        timestamps.HTTPTimeStamper(settings.SEAL_TSA_URL, timeout=10)
        if settings.SEAL_TSA_URL
        else None
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=REFERENCE_PREFIX + reference,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = _PdfAIncrementalWriter(io.BytesIO(document), strict=False)
    signer = signers.PdfSigner(
        metadata,
        signer=_signer(seal),
        timestamper=timestamper,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME),
    )
    try:
        return run_to_completion(lambda: signer.async_sign_pdf(writer)).getvalue()
    except TimestampRequestError as error:
        raise certificates.SealUnavailable(f"The time-stamp authority failed: {error}") from None
