"""The level of assurance a session was logged in with, and what it allows.

A single sign-on login records its NSIS level of assurance in the session
(`accounts.saml_views`); the pages that show full CPR numbers read it here,
so they need nothing of the single sign-on itself.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

# NSIS levels of assurance, lowest first.
LOA_ORDER = ("Low", "Substantial", "High")
LOA_FOR_CPR = "Substantial"

# The session keys a single sign-on login sets: the second factor is not asked
# of a session whose auth_method is "saml" (it was given at the identity
# provider); the CPR pages read the level of assurance.
SESSION_AUTH_METHOD = "auth_method"
SESSION_LOA = "saml_loa"


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
