"""The outbox: every outgoing e-mail is a row, written in the transaction of
the change that causes it and sent afterwards by the worker
(`outbox.delivery`), with retries. A mail counts as sent only when the mail
server accepted it."""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# After the 1st, 2nd, 3rd and 4th failed attempt the next comes this much
# later; the 5th failure gives the mail up (status failed).
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> "OutgoingMailQuerySet":
        return self.filter(status=OutgoingMail.Status.WAITING, next_attempt_at__lte=now)

    def undelivered(self) -> "OutgoingMailQuerySet":
        """Given up, or waiting after a failed attempt: what the secretariat
        should see."""
        Status = OutgoingMail.Status
        return self.filter(Q(status=Status.FAILED) | Q(status=Status.WAITING, attempts__gt=0))

    def concerning(self, obj: models.Model) -> "OutgoingMailQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def visible_to(self, user) -> "OutgoingMailQuerySet":
        """The mails concerning an object the user sees: each kind of object
        answers through its own `visible_to` (every model a mail concerns
        has one). The kinds are read off this queryset's mails: filter
        first, and only those few are read."""
        if user.scope.everything:
            return self.all()
        condition = Q(pk__in=[])
        for type_id in self.order_by().values_list("content_type", flat=True).distinct():
            model = ContentType.objects.get_for_id(type_id).model_class()
            visible = model._default_manager.visible_to(user).values("pk")
            condition |= Q(content_type=type_id, object_id__in=visible)
        return self.filter(condition)


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True)
    attachment = models.BinaryField(_("attachment content"), blank=True, default=b"")
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    # What the mail concerns (a hearing member, a consultation, an invitation …).
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("concerns (type)")
    )
    object_id = models.PositiveBigIntegerField(_("concerns (id)"))
    concerning = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_answer = models.TextField(_("the mail server's last answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_concerning"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | ~Q(status="sent") & Q(sent_at__isnull=True),
                name="outgoing_mail_sent_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def record_sent(self, now: datetime.datetime, answer: str) -> None:
        self.status = self.Status.SENT
        self.sent_at = now
        self.attempts += 1
        self.last_answer = answer

    def record_failure(self, now: datetime.datetime, answer: str) -> None:
        """Back off (RETRY_AFTER), or give up after the last retry."""
        self.attempts += 1
        self.last_answer = answer[:2000]
        if self.attempts > len(RETRY_AFTER):
            self.status = self.Status.FAILED
        else:
            self.next_attempt_at = now + RETRY_AFTER[self.attempts - 1]

    def retry(self, now: datetime.datetime) -> None:
        """Send again ("Send igen"): waiting, tried at once, a full set of retries."""
        self.status = self.Status.WAITING
        self.attempts = 0
        self.next_attempt_at = now
