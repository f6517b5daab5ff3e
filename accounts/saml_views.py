"""The single sign-on pages: djangosaml2's views, answering 404 while single
sign-on is not configured, with the refusal page and the session keys of
this site.

Every view is public (the login itself); the assertion consumer checks the
signed answer of the identity provider and refuses anything else.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from djangosaml2 import views as saml2_views
from saml2.metadata import entity_descriptor

from accounts.access import public
from accounts.assurance import (
    SESSION_AUTH_METHOD,
    SESSION_CVR,
    SESSION_LOA,
    SESSION_PERSISTENT_ID,
)
from accounts.saml import SESSION_IDP, Assertion
from accounts.saml_settings import IDENTITY_PROVIDERS, idp_entity_ids


def sso_enabled() -> bool:
    return bool(settings.SAML_CONFIG)


def when_configured(view):
    """The view while single sign-on is configured; 404 otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return public(wrapped)


@require_GET
def sso_start(request: HttpRequest, kind: str) -> HttpResponse:
    """The login button of one identity provider: on to djangosaml2's login
    with that provider chosen."""
    if kind not in IDENTITY_PROVIDERS or kind not in settings.SAML_IDP_SOURCES:
        raise Http404
    entity_ids = idp_entity_ids(kind)
    if not entity_ids:
        raise Http404
    query = {"idp": entity_ids[0]}
    if request.GET.get("next"):
        query["next"] = request.GET["next"]
    return redirect(f"{reverse('saml2_login')}?{urlencode(query)}")


def _without_cpr(attributes: dict) -> dict:
    return {name: values for name, values in attributes.items() if "cpr" not in name.lower()}


class LoginView(saml2_views.LoginView):
    """djangosaml2's login, always for one named identity provider: the
    login page's buttons choose it (there is no page to choose from here)."""

    def get(self, request, *args, **kwargs):
        if not request.GET.get("idp"):
            return redirect("login")
        return super().get(request, *args, **kwargs)

    def unknown_idp(self, request, idp):
        raise Http404


# OIOSAML 3 signs with RSA-SHA256 or stronger; SHA-1 and MD5 are refused.
STRONG_SIGNATURES = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
}
STRONG_DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
}


def _strongly_signed(assertion) -> bool:
    signature = getattr(assertion, "signature", None)
    if signature is None or signature.signed_info is None:
        return False
    info = signature.signed_info
    return info.signature_method.algorithm in STRONG_SIGNATURES and all(
        reference.digest_method.algorithm in STRONG_DIGESTS for reference in info.reference
    )


class AcsView(saml2_views.AssertionConsumerServiceView):
    def custom_validation(self, response) -> None:
        """Refuse an assertion signed with a weak algorithm (the signature
        itself pysaml2 has checked). Drop any CPR attribute before the
        attributes go anywhere: the session's identity cache (written while
        the answer was read) and what the backend sees."""
        if not _strongly_signed(response.assertion):
            raise PermissionDenied("The assertion is not signed with RSA-SHA256 or stronger.")
        response.ava = _without_cpr(response.ava or {})
        identities = self.request.saml_session.get("_saml2_identities", {})
        for per_issuer in identities.values():
            for _not_on_or_after, info in per_issuer.values():
                info["ava"] = _without_cpr(info.get("ava") or {})
        self.request.saml_session.modified = True

    def authenticate_user(
        self, request, session_info, attribute_mapping, create_unknown_user, assertion_info
    ):
        """djangosaml2's, without writing the attributes to the log."""
        user = auth.authenticate(
            request=request,
            session_info=session_info,
            attribute_mapping=attribute_mapping,
            create_unknown_user=create_unknown_user,
            assertion_info=assertion_info,
        )
        if user is None:
            raise PermissionDenied
        auth.login(request, user)
        saml2_views._set_subject_id(request.saml_session, session_info["name_id"])
        self.customize_session(user, session_info)
        return user

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        reason = getattr(request, "sso_refusal", None) or _(
            "The answer from the identity provider could not be accepted "
            "(it was not valid, had expired or had been used before). Try to log in again."
        )
        return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)

    def customize_session(self, user, session_info: dict) -> None:
        assertion: Assertion = self.request.sso_assertion
        session = self.request.session
        # Read by the second factor (SSO users have had theirs at the identity
        # provider) and by the CPR pages (the level of assurance).
        session[SESSION_AUTH_METHOD] = "saml"
        session[SESSION_LOA] = assertion.loa
        session[SESSION_IDP] = assertion.kind
        # Recorded with a contract signature made in this session.
        session[SESSION_PERSISTENT_ID] = assertion.persistent_id
        session[SESSION_CVR] = assertion.cvr


class MetadataView(saml2_views.MetadataView):
    """The service provider's metadata, naming only the algorithms it
    accepts (pysaml2 lists everything xmlsec1 can do, SHA-1 and MD5 too)."""

    def get(self, request, *args, **kwargs):
        descriptor = entity_descriptor(self.get_sp_config(request))
        if descriptor.extensions is not None:
            descriptor.extensions.extension_elements = [
                element
                for element in descriptor.extensions.extension_elements
                if element.attributes.get("Algorithm") in STRONG_SIGNATURES | STRONG_DIGESTS
            ]
        return HttpResponse(str(descriptor).encode(), content_type="text/xml; charset=utf-8")


class LogoutInitView(saml2_views.LogoutInitView):
    """Single logout, started by a POST from the logout button (a GET could be
    forged by another site)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if saml2_views._get_subject_id(request.saml_session) is None:
            # Nothing to log out of at the identity provider: log out here.
            auth.logout(request)
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return super().get(request, *args, **kwargs)


login = when_configured(LoginView.as_view())
acs = when_configured(AcsView.as_view())
logout = when_configured(LogoutInitView.as_view())
logout_service = when_configured(saml2_views.LogoutView.as_view())
metadata = when_configured(MetadataView.as_view())
start = when_configured(sso_start)
