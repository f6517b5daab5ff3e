"""Invitations: the one-time link by which a new user gets a login."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long an invitation link can be used (issue 11: 72 hours).
INVITATION_VALID_HOURS = 72


def token_digest(token: str) -> str:
    """Only the digest of a link's token is stored: the database does not hold
    a usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link, valid 72 hours, to set a password or to log in through
    single sign-on. Used once; a newer invitation for the same user ends it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="invitations",
        verbose_name=_("user"),
    )
    secretariat = models.ForeignKey(
        "agreements.Secretariat",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("secretariat"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    token_digest = models.CharField(_("token (digest)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d.%m.%Y %H:%M}"

    @staticmethod
    def expiry_from(moment: datetime.datetime) -> datetime.datetime:
        return moment + datetime.timedelta(hours=INVITATION_VALID_HOURS)

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at and self.user.is_active
