from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages of each role: the provider leader's portal, the municipality's
    workspace and the secretariat's dashboard. They read every other app."""

    name = "portal"
    verbose_name = _("Pages")
