from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
