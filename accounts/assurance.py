"""The level of assurance a session was logged in with, and what it allows.

A single sign-on login records its NSIS level of assurance in the session
(`accounts.saml_views`); the pages that show full CPR numbers read it here,
so they need nothing of the single sign-on itself.
"""

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

# NSIS levels of assurance, lowest first.
LOA_ORDER = ("Low", "Substantial", "High")
LOA_FOR_CPR = "Substantial"

# The session keys a single sign-on login sets: the second factor is not asked
# of a session whose auth_method is "saml" (it was given at the identity
# provider); the CPR pages read the level of assurance.
SESSION_AUTH_METHOD = "auth_method"
SESSION_LOA = "saml_loa"
# Who the single sign-on said the user is (read when the user signs a contract).
SESSION_PERSISTENT_ID = "saml_persistent_id"
SESSION_CVR = "saml_cvr"
# When the second factor was last given in this session (seconds since the epoch):
# set at every code given (accounts.otp), read when the user signs.
SESSION_SECOND_FACTOR_AT = "second_factor_at"


@dataclass(frozen=True)
class SessionAuthentication:
    """How the session's user authenticated, as a signature records it."""

    single_sign_on: bool
    loa: str = ""
    persistent_id: str = ""
    cvr: str = ""
    second_factor_at: datetime.datetime | None = None


def session_authentication(request: HttpRequest) -> SessionAuthentication:
    session = request.session
    if session.get(SESSION_AUTH_METHOD) == "saml":
        return SessionAuthentication(
            single_sign_on=True,
            loa=session.get(SESSION_LOA) or "",
            persistent_id=session.get(SESSION_PERSISTENT_ID) or "",
            cvr=session.get(SESSION_CVR) or "",
        )
    given = session.get(SESSION_SECOND_FACTOR_AT)
    return SessionAuthentication(
        single_sign_on=False,
        second_factor_at=(
            datetime.datetime.fromtimestamp(given, tz=datetime.UTC) if given else None
        ),
    )


def record_second_factor(request: HttpRequest) -> None:
    request.session[SESSION_SECOND_FACTOR_AT] = timezone.now().timestamp()


def loa_at_least(loa: str | None, minimum: str) -> bool:
    if loa not in LOA_ORDER:
        return False
    return LOA_ORDER.index(loa) >= LOA_ORDER.index(minimum)


def cpr_loa_refusal(request: HttpRequest) -> str | None:
    """Why this session may not see full CPR numbers, or None when it may.

    A single sign-on session needs the NSIS level of assurance Substantial or
    High. A password login is held to its second factor instead."""
    session = request.session
    if session.get(SESSION_AUTH_METHOD) != "saml":
        return None
    loa = session.get(SESSION_LOA)
    if loa_at_least(loa, LOA_FOR_CPR):
        return None
    names = {"Low": _("Low"), "Substantial": _("Substantial"), "High": _("High")}
    return _(
        "You logged in with the level of assurance %(loa)s. Full CPR numbers need at "
        "least Substantial: log out and log in again with MitID at level Substantial or High."
    ) % {"loa": names.get(loa, _("unknown"))}
