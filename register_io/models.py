from django.db import models
from django.utils.translation import gettext_lazy as _


class Register(models.Model):
    """Carries the permissions to import and export the register.

    No table: import and export are granted by these two permissions, not
    by the per-model permissions the secretariat group gets for its apps.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("register")
        permissions = [
            ("import_register", _("Can import the register from CSV and XLSX files")),
            ("export_register", _("Can export the register to CSV and XLSX files")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
