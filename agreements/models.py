"""The framework agreement, its parties and its governance (seeds 000, 001, 004)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    code = models.PositiveSmallIntegerField(_("region code"), unique=True)
    iso_code = models.CharField(_("ISO code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[int]:
        return (self.code,)


class MunicipalityQuerySet(models.QuerySet):
    def get_by_natural_key(self, code: int) -> "Municipality":
        return self.get(code=code)

    def visible_to(self, user) -> "MunicipalityQuerySet":
        from accounts.access import visible_register

        return visible_register(self, user, "operated_providers", "operating_agreements__provider")


class Municipality(models.Model):
    code = models.PositiveSmallIntegerField(
        _("municipality code"), unique=True, help_text=_("The official three-digit code.")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staffed_municipalities",
        verbose_name=_("staff"),
        help_text=_("Users who work for this municipality and see its contracts and requests."),
    )

    objects = MunicipalityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__gte=100, code__lte=999), name="municipality_code_three_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[int]:
        return (self.code,)


class SecretariatQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SecretariatQuerySet":
        from accounts.access import visible_secretariats

        return visible_secretariats(self, user)


class Secretariat(models.Model):
    """The secretariat of one or more framework agreements (Midtjylland's in
    Viborg, København's Socialforvaltning, Sjælland's K17 group). Its members
    administer the register, contracts and adjustments of the offers and
    bodies their agreements cover, and nothing of another secretariat's."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="secretariats",
        verbose_name=_("members"),
        help_text=_("Users who work in this secretariat."),
    )

    objects = SecretariatQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name"]
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")

    def __str__(self) -> str:
        return self.name


class FrameworkAgreementQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> "FrameworkAgreementQuerySet":
        on = on or datetime.date.today()
        return self.filter(
            Q(period_end__isnull=True) | Q(period_end__gte=on),
            status=FrameworkAgreement.Status.IN_FORCE,
            period_start__lte=on,
        )

    def visible_to(self, user) -> "FrameworkAgreementQuerySet":
        from accounts.access import visible_register

        return visible_register(
            self, user, "offers__provider", "operating_agreements__provider", agreement_path="pk"
        )


class FrameworkAgreement(models.Model):
    """A rammeaftale, with the policy numbers that the rules read.

    One installation can serve Midtjylland (004), Sjælland/K17 (001) or
    Copenhagen (000): the rules never hard-code 10 places or 14 days.
    """

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional framework agreement")
        MUNICIPAL = "municipal", _("Municipal framework agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="framework_agreements",
        verbose_name=_("region"),
        help_text=_("For a regional agreement: the region whose municipalities are parties."),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="own_framework_agreements",
        verbose_name=_("municipality"),
        help_text=_(
            "For a municipal agreement: the municipality and its self-governing providers."
        ),
    )
    secretariat = models.ForeignKey(
        Secretariat,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("secretariat"),
        help_text=_("The secretariat that administers the agreement and what it covers."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(
        _("period end"), null=True, blank=True, help_text=_("Empty for an open-ended agreement.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="draft")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    parties = models.ManyToManyField(
        Municipality, blank=True, related_name="framework_agreements", verbose_name=_("parties")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    last_evaluated_on = models.DateField(
        _("last yearly evaluation"),
        null=True,
        blank=True,
        help_text=_(
            "The agreement is evaluated yearly at a meeting convened by the administration."
        ),
    )

    # The policy: the numbers that rules R1–R6 and the service reviews read.
    approval_threshold = models.PositiveSmallIntegerField(
        _("approval threshold (places)"),
        default=10,
        help_text=_("Capacity adjustments of more places than this need approval."),
    )
    hearing_days = models.PositiveSmallIntegerField(_("e-mail hearing deadline (days)"), default=14)
    closure_requires_approval = models.BooleanField(
        _("closing an offer requires approval"), default=True
    )
    opening_requires_approval = models.BooleanField(
        _("opening an offer requires approval"), default=False
    )
    add_on_services_allowed = models.BooleanField(_("add-on services allowed"), default=True)
    new_offer_deficit_guarantee_years = models.PositiveSmallIntegerField(
        _("deficit guarantee for new offers (years)"), default=0
    )
    operating_agreement_review_years = models.PositiveSmallIntegerField(
        _("service review of operating agreements (years)"), default=5
    )

    objects = FrameworkAgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_start__lt=models.F("period_end")),
                name="framework_period_start_before_end",
                violation_error_message=_("The period must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(hearing_days__gte=1),
                name="framework_hearing_days_positive",
                violation_error_message=_("An e-mail hearing lasts at least one day."),
            ),
            models.CheckConstraint(
                condition=Q(operating_agreement_review_years__gte=1),
                name="framework_review_years_positive",
                violation_error_message=_("The service review interval is at least one year."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def next_evaluation_on(self) -> datetime.date:
        """R9 (000): evaluated yearly; the next one is a year after the last one,
        or a year after the period started when it has never been evaluated."""
        base = self.last_evaluated_on or self.period_start
        return add_years(base, 1)


class Principle(models.Model):
    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.CASCADE,
        related_name="principles",
        verbose_name=_("framework agreement"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="principle_number_unique_per_agreement",
                violation_error_message=_(
                    "The agreement already has a principle with this number."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GoverningBodyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GoverningBodyQuerySet":
        from accounts.access import visible_register

        return visible_register(
            self, user, "agreement__offers__provider", agreement_path="agreement"
        )


class GoverningBody(models.Model):
    class Kind(models.TextChoices):
        DASSOS = "dassos", "DASSOS"
        EXECUTIVE_COMMITTEE = "forretningsudvalg", _("Executive committee (Forretningsudvalg)")
        TARIFF_GROUP = "takstgruppe", _("Tariff group (Takstgruppe)")
        KKR = "kkr", "KKR"
        KD_NET = "kd_net", "KD-net"
        K17 = "k17", "K17"
        AD_HOC = "ad_hoc", _("Ad hoc group")
        SECRETARIAT = "secretariat", _("Secretariat")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("framework agreement"),
    )
    decides_on_behalf_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="delegates",
        verbose_name=_("decides on behalf of"),
    )
    members = models.ManyToManyField(
        Municipality, blank=True, related_name="bodies", verbose_name=_("member municipalities")
    )
    region_is_member = models.BooleanField(_("the region is a member"), default=False)
    may_approve_capacity = models.BooleanField(_("may approve capacity adjustments"), default=False)
    tasks = models.TextField(_("tasks"), blank=True)
    meets = models.CharField(_("meets"), max_length=200, blank=True)

    objects = GoverningBodyQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name"]
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")

    def __str__(self) -> str:
        return self.name


class BodyRepresentative(models.Model):
    """A user who answers for a member municipality in a governing body
    (e.g. in DASSOS e-mail hearings)."""

    body = models.ForeignKey(
        GoverningBody,
        models.CASCADE,
        related_name="representatives",
        verbose_name=_("governing body"),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        related_name="representatives",
        verbose_name=_("municipality"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="body_seats",
        verbose_name=_("user"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body representative")
        verbose_name_plural = _("body representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"],
                name="one_seat_per_user_and_body",
                violation_error_message=_("This user already represents a member of this body."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality}, {self.body})"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        from accounts.access import visible_register

        return visible_register(
            self, user, "body__agreement__offers__provider", agreement_path="body__agreement"
        )

    def coming(self, today: datetime.date | None = None) -> "MeetingQuerySet":
        return self.filter(date__gte=today or datetime.date.today())


class Meeting(models.Model):
    body = models.ForeignKey(
        GoverningBody, models.PROTECT, related_name="meetings", verbose_name=_("governing body")
    )
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda_note = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date"],
                name="one_meeting_per_body_and_day",
                violation_error_message=_("The body already has a meeting on this day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d.%m.%Y}"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
