"""The secret behind a user's calendar feed."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A per-user secret in the URL of the deadlines feed (.ics), which a
    calendar program fetches without logging in. Renewing it replaces the
    secret: the old URL answers 404 from then on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_token)
    renewed_at = models.DateTimeField(_("renewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "CalendarFeed":
        feed, _ = cls.objects.get_or_create(user=user)
        return feed

    def renew(self) -> None:
        self.token = new_token()
        self.renewed_at = timezone.now()
        self.save(update_fields=["token", "renewed_at"])


class SealCheckCount(models.Model):
    """How many files one address had checked at /verificer/ in one hour.
    Counted in the database, so that the limit holds across every server and
    process; the address is kept only as a keyed digest, and a row goes once
    its hour has passed."""

    address = models.CharField(_("address (digest)"), max_length=64)
    hour = models.DateTimeField(_("hour"), db_index=True)
    count = models.PositiveIntegerField(_("checks"), default=0)

    class Meta:
        verbose_name = _("seal checks from one address")
        verbose_name_plural = _("seal checks from one address")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "hour"], name="one_seal_check_count_per_address_and_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}: {self.count}"
