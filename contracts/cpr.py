"""CPR numbers (DESIGN.md "Personal data").

A CPR number is a birth date (DDMMYY) and four digits. Numbers without the
modulus-11 check have been issued since 2007, so only the date is checked.
python-stdnum's `stdnum.dk.cpr.validate` does exactly that (it computes the
checksum only on request) and also refuses birth dates in the future; this
module wraps it with Danish messages that never repeat the number, masks it
for display and gives the keyed digest the access log is searched by.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

MASK = "XXXX"


def normalise_cpr(value: str) -> str:
    """Ten digits, without the dash or spaces."""
    return stdnum_cpr.compact(value or "")


@sensitive_variables("value")
def validate_cpr(value: str) -> None:
    """A date plus four digits; the messages do not repeat the number (it
    would end up in logs and error reports)."""
    if not value:
        return
    try:
        stdnum_cpr.validate(value)
    except (stdnum_exceptions.InvalidFormat, stdnum_exceptions.InvalidLength) as error:
        raise ValidationError(
            _("A CPR number is ten digits: the birth date (DDMMYY) and four digits."),
            code="invalid_cpr_format",
        ) from error
    except stdnum_exceptions.InvalidComponent as error:
        raise ValidationError(
            _("The CPR number does not begin with a valid birth date."),
            code="invalid_cpr_date",
        ) from error
    except stdnum_exceptions.ValidationError as error:
        raise ValidationError(_("The CPR number is not valid."), code="invalid_cpr") from error


def mask_cpr(value: str) -> str:
    """DDMMYY-XXXX: the form shown everywhere by default."""
    digits = normalise_cpr(value)
    if not digits:
        return ""
    return f"{digits[:6]}-{MASK}"


def format_cpr(value: str) -> str:
    """DDMMYY-SSSS: the full form, for users with the permission (and logged)."""
    digits = normalise_cpr(value)
    return stdnum_cpr.format(digits) if digits else ""


def _key_id(key: str) -> str:
    """A short name for a key, stored with each log row; it does not reveal the key."""
    return hmac.new(key.encode(), b"cpr-digest-key-id", hashlib.sha256).hexdigest()[:12]


def digest_keys() -> list[tuple[str, str]]:
    """(key id, key) of the current digest key first, then of the old ones.

    The digest has its own key, `CPR_DIGEST_KEY`, not `SECRET_KEY`, so that
    rotating the session key does not touch the log. When the digest key
    itself is rotated, the old key goes into `CPR_DIGEST_OLD_KEYS`: new rows
    use the new key, and a search tries every key, so old rows stay findable.
    """
    keys = [settings.CPR_DIGEST_KEY, *settings.CPR_DIGEST_OLD_KEYS]
    return [(_key_id(key), key) for key in dict.fromkeys(keys)]


def _digest(digits: str, key: str) -> str:
    return hmac.new(key.encode(), b"cpr:" + digits.encode(), hashlib.sha256).hexdigest()


def cpr_digest(value: str) -> tuple[str, str]:
    """(key id, digest) of the number with the current key: finds a person's
    log entries without storing the number. Keyed, so it cannot be reversed by
    trying every date and sequence number without the key."""
    key_id, key = digest_keys()[0]
    return key_id, _digest(normalise_cpr(value), key)


def cpr_digests(value: str) -> list[tuple[str, str]]:
    """(key id, digest) of the number with every key, current and old."""
    digits = normalise_cpr(value)
    return [(key_id, _digest(digits, key)) for key_id, key in digest_keys()]
