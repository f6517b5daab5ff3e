"""Invitations (the one-time link by which a new user gets a login) and the
identities and assertions of single sign-on."""

import datetime
import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.models import OutgoingMail

# How long an invitation link can be used (issue 11: 72 hours).
INVITATION_VALID_HOURS = 72


def token_digest(token: str) -> str:
    """Only the digest of a link's token is stored: the database does not hold
    a usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        """A secretariat sees the invitations its members sent (superusers all)."""
        if user.scope.everything:
            return self.all()
        return self.filter(secretariat__in=user.scope.secretariat_ids)


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
    mails = GenericRelation(OutgoingMail, related_query_name="invitation")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

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


class SsoIdentity(models.Model):
    """A person as an identity provider knows them: the professional
    persistent UUID (OIOSAML 3) that the provider sends at each login. The
    CPR number that an identity provider may also send is never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="sso_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    persistent_id = models.CharField(_("persistent id"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "persistent_id"],
                name="one_user_per_sso_identity",
                violation_error_message=_("This identity is already linked to a user."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"


class SsoAssertionQuerySet(models.QuerySet):
    def expired(self, now) -> "SsoAssertionQuerySet":
        return self.filter(valid_until__lt=now)


class SsoAssertion(models.Model):
    """An assertion that has been used to log in, kept until it expires, so
    that the same assertion is never accepted twice (replay)."""

    assertion_id = models.CharField(_("assertion id"), max_length=255, unique=True)
    issuer = models.CharField(_("identity provider"), max_length=255)
    valid_until = models.DateTimeField(_("valid until"), db_index=True)

    objects = SsoAssertionQuerySet.as_manager()

    class Meta:
        verbose_name = _("used assertion")
        verbose_name_plural = _("used assertions")

    def __str__(self) -> str:
        return self.assertion_id
