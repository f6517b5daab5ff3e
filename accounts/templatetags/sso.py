from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.saml_settings import IDENTITY_PROVIDERS, KOMBIT, NEMLOGIN

register = template.Library()


@register.inclusion_tag("accounts/sso_buttons.html")
def sso_buttons(next_url: str = "") -> dict:
    """The login buttons of the configured identity providers (none while
    single sign-on is off)."""
    labels = {
        KOMBIT: _("Log in with Fælleskommunal Adgangsstyring"),
        NEMLOGIN: _("Log in with MitID Erhverv"),
    }
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    buttons = []
    if settings.SAML_CONFIG:
        buttons = [
            (reverse("sso_start", args=[kind]) + query, labels[kind])
            for kind in IDENTITY_PROVIDERS
            if kind in settings.SAML_IDP_SOURCES
        ]
    return {"buttons": buttons}
