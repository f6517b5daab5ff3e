"""Signing providers: how a party's signatory signs the document for signature.

`services.contract_sign_digitally` decides who may sign and when; a signing
provider makes the signature itself and returns its evidence (`Evidence`),
which the service records on the `Signature`. The provider in use is named
by the setting `SIGNING_PROVIDER` (a dotted path); the default is
`BuiltInSigning`.

`BuiltInSigning` — the signatory signs in Rammeaftale, in a session that
authenticated freshly: single sign-on (MitID Erhverv through the municipal
or NemLog-in identity provider) at NSIS level Substantial or High, or a
password login whose second factor was given within `FRESH_SECOND_FACTOR`.
The evidence is the session's identity, the server's time and the SHA-256 of
the document. The document's own proof is the secretariat's seal on the
final PDF (seals/).

A NemLog-in signing service adapter (not reachable from here; written when
the secretariat has an agreement with the Agency for Digital Government)
implements the same `SigningProvider` contract:

- `sign(document=..., user=..., authentication=...)` sends the PDF to
  NemLog-in's signing service (a signing request with the document, its
  SHA-256 and the return address), lets the signatory sign it with MitID
  Erhverv in NemLog-in's signing client, and receives the signed document
  (PAdES with the person's own signature);
- it passes the signed document to NemLog-in's validation service and
  accepts only a "valid" answer whose signed document is the one sent
  (same SHA-256 of the original bytes);
- it returns `Evidence` with `authentication` SINGLE_SIGN_ON, the validated
  certificate's persistent id (`persistent_id`), the CVR of the
  organisation, level of assurance, and the time the validation service
  reports;
- it raises `SigningRefused` with a Danish message for a cancelled signing
  or an answer the validation service does not accept.

`tests/contracts/fakes.py:FakeNemLogInSigning` plays that contract in the
tests; it is a fake, and no code outside the tests uses it.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.assurance import LOA_ORDER, SessionAuthentication, loa_at_least
from contracts.models import ContractError, Signature

# A password login signs only with a second factor given this recently.
FRESH_SECOND_FACTOR = datetime.timedelta(minutes=10)
# Single sign-on signs only at this NSIS level of assurance or higher.
LOA_FOR_SIGNING = "Substantial"


class SigningRefused(ContractError):
    """The signatory's authentication does not allow signing now."""


class AuthenticationNotFresh(SigningRefused):
    """The session must authenticate again before the user signs."""


@dataclass(frozen=True)
class Evidence:
    """What a signature records of how it was made."""

    document_sha256: str
    signed_at: datetime.datetime
    authentication: str
    loa: str = ""
    persistent_id: str = ""
    cvr: str = ""
    second_factor_at: datetime.datetime | None = None


class SigningProvider(Protocol):
    def sign(self, *, document: bytes, user, authentication: SessionAuthentication) -> Evidence: ...


def authentication_refusal(
    authentication: SessionAuthentication, now: datetime.datetime
) -> str | None:
    """Why this session may not sign now, or None when it may."""
    if authentication.single_sign_on:
        if loa_at_least(authentication.loa, LOA_FOR_SIGNING):
            return None
        return _(
            "Signing needs a login at the level of assurance Substantial or High: log in "
            "again with MitID Erhverv."
        )
    given = authentication.second_factor_at
    if given is not None and now - FRESH_SECOND_FACTOR <= given <= now:
        return None
    return _(
        "Signing needs the code from your authenticator app given within the last "
        "%(minutes)d minutes: give the code again."
    ) % {"minutes": FRESH_SECOND_FACTOR.seconds // 60}


class BuiltInSigning:
    """The signatory signs in Rammeaftale in a freshly authenticated session."""

    def sign(self, *, document: bytes, user, authentication: SessionAuthentication) -> Evidence:
        now = timezone.now()
        if refusal := authentication_refusal(authentication, now):
            raise AuthenticationNotFresh(refusal)
        if authentication.single_sign_on:
            return Evidence(
                document_sha256=hashlib.sha256(document).hexdigest(),
                signed_at=now,
                authentication=Signature.Authentication.SINGLE_SIGN_ON,
                loa=authentication.loa if authentication.loa in LOA_ORDER else "",
                persistent_id=authentication.persistent_id,
                cvr=authentication.cvr,
            )
        return Evidence(
            document_sha256=hashlib.sha256(document).hexdigest(),
            signed_at=now,
            authentication=Signature.Authentication.PASSWORD_AND_CODE,
            second_factor_at=authentication.second_factor_at,
        )


def provider() -> SigningProvider:
    return import_string(settings.SIGNING_PROVIDER)()
