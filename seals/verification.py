"""Checking a sealed PDF: is the seal valid, by whom, when, is the file unchanged.

Used by `/verificer/` and the tests. The seal is checked against the trust
roots of the configured certificate (seals.certificate) with pyHanko's
validator; revocation is checked where the certificate says how
(soft-fail: a CA without revocation information, as the demo CA, is not
held against the seal).
"""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from seals import certificate as certificates
from seals.sealing import FIELD_NAME, REFERENCE_PREFIX, run_to_completion


@dataclass(frozen=True)
class Verdict:
    """What the page says about one uploaded file."""

    valid: bool
    message: str
    sealed_by: str = ""
    sealed_at: str = ""
    reference: str = ""
    unchanged: bool = False
    trusted: bool = False
    timestamped: bool = False


def _refused(message: str) -> Verdict:
    return Verdict(valid=False, message=message)


def verify_pdf(data: bytes) -> Verdict:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = [
            signature
            for signature in reader.embedded_signatures
            if signature.field_name == FIELD_NAME
        ]
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError):
        return _refused(_("The file is not a PDF that can be read, or it has been damaged."))
    if not signatures:
        return _refused(_("The PDF carries no seal from Rammeaftale."))
    signature = signatures[-1]
    context = ValidationContext(
        trust_roots=certificates.load().trust_roots(),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = run_to_completion(lambda: async_validate_pdf_signature(signature, context))
    except (SignatureValidationError, ValueError, KeyError, TypeError) as error:
        return _refused(_("The seal cannot be checked: %(error)s") % {"error": error})
    reason = str(signature.sig_object.get("/Reason", ""))
    reference = reason.removeprefix(REFERENCE_PREFIX) if reason.startswith(REFERENCE_PREFIX) else ""
    subject = status.signing_cert.subject.native
    sealed_by = ", ".join(
        str(subject[name]) for name in ("common_name", "organization_name") if subject.get(name)
    )
    moment = status.timestamp_validity.timestamp if status.timestamp_validity else None
    moment = moment or status.signer_reported_dt
    sealed_at = timezone.localtime(moment).strftime("%d.%m.%Y %H:%M:%S") if moment else ""
    unchanged = status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    common = {
        "sealed_by": sealed_by,
        "sealed_at": sealed_at,
        "reference": reference,
        "unchanged": unchanged,
        "trusted": status.trusted,
        "timestamped": status.timestamp_validity is not None,
    }
    if not (status.intact and status.valid):
        return Verdict(
            valid=False,
            message=_(
                "The file has been changed after it was sealed: it is not the document "
                "that was sealed."
            ),
            **common,
        )
    if not unchanged:
        return Verdict(
            valid=False,
            message=_("The seal is intact, but the file has been added to after it was sealed."),
            **common,
        )
    if not status.trusted:
        return Verdict(
            valid=False,
            message=_("The seal is not made with a certificate this site trusts."),
            **common,
        )
    return Verdict(
        valid=True,
        message=_("The seal is valid and the file is unchanged since it was sealed."),
        **common,
    )
