"""The version number, and the refusal of a save made from an old version."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """A save made from a version that someone else has replaced meanwhile."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def stale_message() -> str:
    return gettext(
        "Someone else saved this record after you opened it, so your changes were not "
        "saved. Open it again to see the newest values and make your change again."
    )


class Versioned(models.Model):
    """A record edited in forms: each save increments `row_version`.

    The save is an UPDATE … WHERE row_version = <the version this object was
    loaded with>: when another save came first, no row matches and `StaleEdit`
    is raised, so nothing is overwritten. Objects locked and read afresh (as
    the services do) always carry the current version.
    """

    row_version = models.PositiveIntegerField(
        _("edit version"),
        default=1,
        editable=False,
        help_text=_("Counts the saves of the record; a form from an older version is refused."),
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        field = self._meta.get_field("row_version")
        loaded = self.row_version
        values = [value for value in values if value[0] is not field]
        values.append((field, None, loaded + 1))
        updated = super()._do_update(
            base_qs.filter(row_version=loaded), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.row_version = loaded + 1
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise StaleEdit(stale_message())
        return False
