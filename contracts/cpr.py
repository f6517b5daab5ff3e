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


def cpr_digest(value: str) -> str:
    """A keyed digest of the number: finds a citizen's log entries without
    storing the number. Keyed with SECRET_KEY, so it cannot be reversed by
    trying every date and sequence number without the key."""
    digits = normalise_cpr(value)
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"cpr:" + digits.encode(), hashlib.sha256).hexdigest()
