"""A fake of NemLog-in's signing and validation services, playing the
`contracts.signing.SigningProvider` contract in the tests. It is not
NemLog-in and nothing outside the tests uses it."""

import hashlib

from django.utils import timezone

from contracts.models import Signature
from contracts.signing import Evidence, SigningRefused


class FakeNemLogInSigning:
    """Signs every document it is sent, as a signatory who completed MitID
    Erhverv at level Substantial; `reject_next` makes the fake validation
    service reject the next one."""

    PERSISTENT_ID = "https://data.gov.dk/model/core/eid/professional/uuid/fake-signer"
    CVR = "29189846"
    documents: list[str] = []
    reject_next = False

    def sign(self, *, document: bytes, user, authentication) -> Evidence:
        digest = hashlib.sha256(document).hexdigest()
        if FakeNemLogInSigning.reject_next:
            FakeNemLogInSigning.reject_next = False
            raise SigningRefused("Valideringstjenesten godkendte ikke underskriften.")
        FakeNemLogInSigning.documents.append(digest)
        return Evidence(
            document_sha256=digest,
            signed_at=timezone.now(),
            authentication=Signature.Authentication.SINGLE_SIGN_ON,
            loa="Substantial",
            persistent_id=self.PERSISTENT_ID,
            cvr=self.CVR,
        )
