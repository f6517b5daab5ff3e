from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterIoConfig(AppConfig):
    name = "register_io"
    verbose_name = _("Import and export of the register")
