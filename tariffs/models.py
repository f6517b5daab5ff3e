"""Tariffs: the steering agreement's money rules, the calculation basis each
operator submits per offer and year, the yearly submission round, and the
division of closure costs and guaranteed deficits among the buyers
(seeds 001, 003, 004).

The published tariff stays `providers.Tariff`; approving a basis writes it
(`tariffs.services.basis_approve`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import FrameworkAgreement, Municipality, agreements_visible_q
from domain.errors import Refusal
from outbox.models import OutgoingMail
from providers.models import Offer, Tariff, offers_administered_q
from tariffs.calculation import tariff_per_unit


class TariffError(Refusal):
    """A refused tariff step, with a Danish message for the person."""


class OccupancyKind(models.TextChoices):
    """The kinds of offer the steering agreement sets an occupancy interval for."""

    RESIDENTIAL = "residential", _("Residential offer")
    DAY = "day", _("Day offer")
    SHORT_STAY = "short_stay", _("Short-stay offer")
    ACUTE = "acute", _("Acute offer")
    RESPITE = "respite", _("Respite offer")


SHORT_STAY_KINDS = frozenset({OccupancyKind.SHORT_STAY, OccupancyKind.ACUTE, OccupancyKind.RESPITE})

# The kind an offer's legal basis suggests; the operator may choose another.
KIND_BY_LEGAL_BASIS = {
    Offer.LegalBasis.SEL_84: OccupancyKind.RESPITE,
    Offer.LegalBasis.SEL_109: OccupancyKind.ACUTE,
    Offer.LegalBasis.SEL_110: OccupancyKind.ACUTE,
    Offer.LegalBasis.SEL_32: OccupancyKind.DAY,
    Offer.LegalBasis.SEL_36: OccupancyKind.DAY,
    Offer.LegalBasis.SEL_103: OccupancyKind.DAY,
    Offer.LegalBasis.SEL_104: OccupancyKind.DAY,
}


def default_occupancy_kind(offer: Offer) -> str:
    return KIND_BY_LEGAL_BASIS.get(offer.legal_basis, OccupancyKind.RESIDENTIAL)


def percent_field(verbose_name, default, help_text=""):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


def tariff_agreements_q(scope, path: str) -> Q:
    """The agreements whose tariff work a user follows: a secretariat's own
    and those whose Takstgruppe the user sits in (all for a superuser)."""
    if scope.everything:
        return Q()
    return Q(**{f"{path}__in": scope.agreement_ids | scope.tariff_group_agreement_ids})


class TariffPolicyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TariffPolicyQuerySet":
        """The steering agreement's money rules: for whoever reads its
        agreement, and the agreement's Takstgruppe."""
        scope = user.scope
        return self.filter(
            agreements_visible_q(scope, "agreement") | tariff_agreements_q(scope, "agreement")
        )


class TariffPolicy(models.Model):
    """The steering agreement's money rules (styringsaftale, 004), one per
    framework agreement, written by the Takstgruppe.

    Whether add-on services are allowed and the deficit guarantee's years are
    the framework agreement's own policy fields (`add_on_services_allowed`,
    `new_offer_deficit_guarantee_years`); they are read from there.
    """

    agreement = models.OneToOneField(
        FrameworkAgreement,
        models.CASCADE,
        related_name="tariff_policy",
        verbose_name=_("framework agreement"),
    )
    overhead_share_percent = percent_field(
        _("overhead share of direct costs (%)"),
        "7.00",
        _("The share of the direct costs that overhead (indirect costs) normally makes up."),
    )
    overhead_cap_percent = percent_field(
        _("overhead cap, share of direct costs (%)"),
        "10.00",
        _("Indirect costs above this share of the direct costs are flagged."),
    )
    occupancy_min_residential = percent_field(
        _("lowest budgeted occupancy, residential and day offers (%)"), "95.00"
    )
    occupancy_max_residential = percent_field(
        _("highest budgeted occupancy, residential and day offers (%)"), "100.00"
    )
    occupancy_min_short_stay = percent_field(
        _("lowest budgeted occupancy, short-stay, acute and respite offers (%)"), "90.00"
    )
    occupancy_max_short_stay = percent_field(
        _("highest budgeted occupancy, short-stay, acute and respite offers (%)"), "100.00"
    )
    regulation_years = models.PositiveSmallIntegerField(
        _("years a surplus or deficit may be carried"),
        default=2,
        help_text=_("A regulation from an earlier year than this is flagged."),
    )
    surplus_share_kept_percent = percent_field(
        _("share of a surplus the offer may keep (%)"), "5.00"
    )
    closure_use_years = models.PositiveSmallIntegerField(
        _("years of use that closure costs are divided by"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Closure costs are divided by the buyers' contract days in this many years."),
    )

    objects = TariffPolicyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tariff policy (steering agreement)")
        verbose_name_plural = _("tariff policies (steering agreements)")
        constraints = [
            models.CheckConstraint(
                condition=Q(occupancy_min_residential__lte=models.F("occupancy_max_residential"))
                & Q(occupancy_min_short_stay__lte=models.F("occupancy_max_short_stay")),
                name="tariff_policy_occupancy_interval_ordered",
                violation_error_message=_(
                    "The lowest budgeted occupancy cannot be above the highest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closure_use_years__gte=1),
                name="tariff_policy_closure_use_years_positive",
                violation_error_message=_("Closure costs are divided by at least one year's use."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Steering agreement of %(agreement)s") % {"agreement": self.agreement}

    @classmethod
    def for_agreement(cls, agreement: FrameworkAgreement) -> "TariffPolicy":
        """The agreement's policy; the defaults when none is written yet."""
        try:
            return agreement.tariff_policy
        except cls.DoesNotExist:
            return cls(agreement=agreement)

    def occupancy_interval(self, kind: str) -> tuple[Decimal, Decimal]:
        if kind in SHORT_STAY_KINDS:
            return self.occupancy_min_short_stay, self.occupancy_max_short_stay
        return self.occupancy_min_residential, self.occupancy_max_residential

    @property
    def add_on_services_allowed(self) -> bool:
        return self.agreement.add_on_services_allowed

    @property
    def deficit_guarantee_years(self) -> int:
        return self.agreement.new_offer_deficit_guarantee_years

    def price_index(self, year: int) -> Decimal | None:
        """The PL index (per cent) that regulates `year - 1`'s tariff to `year`."""
        if self.pk is None:
            return None
        return self.price_indices.filter(year=year).values_list("percent", flat=True).first()


class PriceIndexQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PriceIndexQuerySet":
        return self.filter(policy__in=TariffPolicy.objects.visible_to(user).values("pk"))


class PriceIndex(models.Model):
    """The year's price and wage index (PL-skøn) that tariffs are regulated by."""

    policy = models.ForeignKey(
        TariffPolicy, models.CASCADE, related_name="price_indices", verbose_name=_("policy")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    percent = models.DecimalField(
        _("price and wage index (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The change from the year before, e.g. 2,80."),
    )

    objects = PriceIndexQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "year"]
        verbose_name = _("price and wage index")
        verbose_name_plural = _("price and wage indices")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year"],
                name="one_price_index_per_policy_and_year",
                violation_error_message=_("The policy already has an index for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="price_index_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent} %"


class TariffRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TariffRoundQuerySet":
        """A secretariat sees its agreements' rounds; a Takstgruppe member
        those of their agreement."""
        return self.filter(tariff_agreements_q(user.scope, "agreement"))


class TariffRound(models.Model):
    """The year's submission round of a framework agreement: the secretariat
    opens it with a deadline; the operators submit their bases by then."""

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        related_name="tariff_rounds",
        verbose_name=_("framework agreement"),
    )
    year = models.PositiveSmallIntegerField(_("tariff year"))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    objects = TariffRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "agreement__name"]
        verbose_name = _("tariff round")
        verbose_name_plural = _("tariff rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="one_tariff_round_per_agreement_and_year",
                violation_error_message=_("The agreement already has a round for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="tariff_round_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Tariff round %(year)s, %(agreement)s") % {
            "year": self.year,
            "agreement": self.agreement,
        }

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days


class CalculationBasisQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CalculationBasisQuerySet":
        """Approved bases are open to all (001: "åbenhed om
        beregningsgrundlag"). Besides: a secretariat its agreements' bases; the
        operating municipality and the provider's leader their offers'; the
        Takstgruppe the bases submitted under its agreement."""
        scope = user.scope
        if scope.everything:
            return self.all()
        operated = Offer.objects.filter(
            provider__operating_municipality__in=scope.municipality_ids
        ).values("pk")
        led = Offer.objects.filter(provider__in=scope.provider_ids).values("pk")
        return self.filter(
            Q(status=CalculationBasis.Status.APPROVED)
            | Q(agreement__in=scope.agreement_ids)
            | Q(offer__in=operated)
            | Q(offer__in=led)
            | (
                Q(agreement__in=scope.tariff_group_agreement_ids)
                & ~Q(status=CalculationBasis.Status.DRAFT)
            )
        )

    def approved(self) -> "CalculationBasisQuerySet":
        return self.filter(status=CalculationBasis.Status.APPROVED)


class CalculationBasis(models.Model):
    """Beregningsgrundlag: what an offer's tariff for a year is computed from."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CORRECTION = "correction", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    # The state machine: the only transitions `transition_to` performs
    # (services.py calls it).
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.CORRECTION},
        Status.CORRECTION: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }
    # An approved basis is the published tariff's ground: it is not changed.
    EDITABLE = frozenset({Status.DRAFT, Status.CORRECTION})
    # The amounts of a basis, written the Danish way (1.234,50) in the form
    # and the spreadsheet.
    AMOUNT_FIELDS = (
        "budgeted_occupancy",
        "staff_costs",
        "other_operating_costs",
        "overhead_costs",
        "rent",
        "depreciation",
        "regulation",
    )
    # What the operator enters, in the page's order: the form, the service
    # that saves a basis and the spreadsheet import read this list; the rest
    # is computed or set by the workflow.
    INPUT_FIELDS = (
        "unit",
        "occupancy_kind",
        "approved_places",
        "opening_days",
        *AMOUNT_FIELDS,
        "regulation_from_year",
        "increase_reason",
    )

    offer = models.ForeignKey(
        Offer, models.PROTECT, related_name="calculation_bases", verbose_name=_("offer")
    )
    year = models.PositiveSmallIntegerField(_("tariff year"))
    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        related_name="calculation_bases",
        verbose_name=_("framework agreement"),
        help_text=_("Its steering agreement's rules apply."),
    )
    unit = models.CharField(
        _("tariff unit"),
        max_length=10,
        choices=[(value, label) for value, label in Tariff.Unit.choices if value != "hour"],
        default=Tariff.Unit.DAY,
    )
    occupancy_kind = models.CharField(
        _("kind of offer"), max_length=20, choices=OccupancyKind.choices
    )
    approved_places = models.PositiveIntegerField(
        _("approved places"), validators=[MinValueValidator(1)]
    )
    opening_days = models.PositiveSmallIntegerField(
        _("opening days"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    budgeted_occupancy = models.DecimalField(
        _("budgeted occupancy (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    staff_costs = models.DecimalField(
        _("staff costs (DKK)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    other_operating_costs = models.DecimalField(
        _("other operating costs (DKK)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    overhead_costs = models.DecimalField(
        _("overhead, indirect costs (DKK)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    rent = models.DecimalField(
        _("rent (DKK)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    depreciation = models.DecimalField(
        _("depreciation (DKK)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    regulation = models.DecimalField(
        _("regulation (DKK)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_(
            "Efterregulering: a deficit from an earlier year is added (positive), "
            "a surplus is deducted (negative)."
        ),
    )
    regulation_from_year = models.PositiveSmallIntegerField(
        _("regulation from year"),
        null=True,
        blank=True,
        help_text=_("The year whose surplus or deficit is carried."),
    )
    increase_reason = models.TextField(
        _("reason for an increase above the price and wage index"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    tariff_amount = models.DecimalField(
        _("tariff (DKK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Computed from the basis when it is submitted."),
    )
    flags = models.JSONField(_("flags"), default=list, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("the Takstgruppe's comment"), blank=True)

    objects = CalculationBasisQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "offer__name"]
        verbose_name = _("calculation basis")
        verbose_name_plural = _("calculation bases")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "year"],
                name="one_calculation_basis_per_offer_and_year",
                violation_error_message=_("The offer already has a calculation basis this year."),
            ),
            models.CheckConstraint(
                condition=Q(approved_places__gte=1)
                & Q(opening_days__gte=1, opening_days__lte=366)
                & Q(budgeted_occupancy__gt=0, budgeted_occupancy__lte=100),
                name="calculation_basis_divisor_positive",
                violation_error_message=_(
                    "Places, opening days (at most 366) and occupancy (at most 100 %) "
                    "must be positive."
                ),
            ),
            models.CheckConstraint(
                condition=Q(staff_costs__gte=0)
                & Q(other_operating_costs__gte=0)
                & Q(overhead_costs__gte=0)
                & Q(rent__gte=0)
                & Q(depreciation__gte=0),
                name="calculation_basis_costs_not_negative",
                violation_error_message=_("Costs cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="calculation_basis_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Calculation basis %(year)s for %(offer)s") % {
            "year": self.year,
            "offer": self.offer,
        }

    @property
    def direct_costs(self) -> Decimal:
        return self.staff_costs + self.other_operating_costs

    @property
    def indirect_costs(self) -> Decimal:
        return self.overhead_costs

    @property
    def capital_costs(self) -> Decimal:
        return self.rent + self.depreciation

    @property
    def total_costs(self) -> Decimal:
        return self.direct_costs + self.indirect_costs + self.capital_costs + self.regulation

    def compute_tariff(self) -> Decimal:
        return tariff_per_unit(
            direct=self.direct_costs,
            indirect=self.indirect_costs,
            capital=self.capital_costs,
            regulation=self.regulation,
            places=self.approved_places,
            days=self.opening_days,
            occupancy_percent=self.budgeted_occupancy,
            unit=self.unit,
        )

    def may_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def transition_to(self, status: str) -> None:
        """The one place a basis's status changes. Raises TariffError when the
        state machine does not allow it; the caller saves."""
        if not self.may_transition_to(status):
            raise TariffError(
                _("A basis that is “%(current)s” cannot become “%(new)s”.")
                % {"current": self.get_status_display(), "new": self.Status(status).label}
            )
        self.status = status

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


def add_on_refusal(agreement: FrameworkAgreement) -> str | None:
    """R6 (001): under a policy without add-on services, a basis carries none."""
    if agreement.add_on_services_allowed:
        return None
    return gettext(
        "The framework agreement %(agreement)s allows no add-on services: "
        "settlement is by the tariff list only."
    ) % {"agreement": agreement}


class AddOnServiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AddOnServiceQuerySet":
        return self.filter(basis__in=CalculationBasis.objects.visible_to(user).values("pk"))


class AddOnService(models.Model):
    """Tillægsydelse: a priced extra of an offer, with its own price."""

    basis = models.ForeignKey(
        CalculationBasis,
        models.CASCADE,
        related_name="add_on_services",
        verbose_name=_("calculation basis"),
    )
    name = models.CharField(_("name"), max_length=200)
    price = models.DecimalField(
        _("price (DKK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Tariff.Unit.choices)
    description = models.TextField(_("what it covers"), blank=True)

    objects = AddOnServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["basis", "name"]
        verbose_name = _("add-on service")
        verbose_name_plural = _("add-on services")
        constraints = [
            models.UniqueConstraint(
                fields=["basis", "name", "unit"],
                name="add_on_service_unique_per_basis",
                violation_error_message=_("The basis already has this add-on service."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="add_on_service_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.price} kr. {self.get_unit_display()}"

    def clean(self) -> None:
        super().clean()
        if self.basis_id and (refusal := add_on_refusal(self.basis.agreement)):
            raise ValidationError(refusal)


class TariffNotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TariffNotificationQuerySet":
        return self.filter(round__in=TariffRound.objects.visible_to(user).values("pk"))


class TariffNotification(models.Model):
    """A reminder the round sent, keyed so that it goes out once only."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    round = models.ForeignKey(
        TariffRound, models.CASCADE, related_name="notifications", verbose_name=_("tariff round")
    )
    recipients = models.TextField(_("recipients"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    mails = GenericRelation(OutgoingMail, related_query_name="tariff_reminder")

    objects = TariffNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("tariff reminder")
        verbose_name_plural = _("tariff reminders")

    def __str__(self) -> str:
        return self.subject


class CostShareQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CostShareQuerySet":
        """A secretariat the splits of the offers it administers; a
        municipality those it pays a share of or whose offer it operates; a
        leader their offers'; the Takstgruppe its agreement's."""
        scope = user.scope
        if scope.everything:
            return self.all()
        municipalities = scope.municipality_ids
        offers = Offer.objects.order_by()
        return self.filter(
            offers_administered_q(scope, "offer")
            | Q(
                pk__in=CostShareLine.objects.filter(municipality__in=municipalities).values("share")
            )
            | Q(
                offer__in=offers.filter(provider__operating_municipality__in=municipalities).values(
                    "pk"
                )
            )
            | Q(offer__in=offers.filter(provider__in=scope.provider_ids).values("pk"))
            | Q(
                offer__in=Offer.framework_agreements.through.objects.filter(
                    frameworkagreement_id__in=scope.tariff_group_agreement_ids
                ).values("offer_id")
            )
        )


class CostShare(models.Model):
    """Closure costs (003) or a guaranteed deficit (001) of an offer, divided
    among the municipalities that bought places by their contract days."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Closure costs")
        DEFICIT = "deficit", _("Deficit guarantee")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    offer = models.ForeignKey(
        Offer, models.PROTECT, related_name="cost_shares", verbose_name=_("offer")
    )
    year = models.PositiveSmallIntegerField(
        _("year of the deficit"), null=True, blank=True, help_text=_("For a deficit only.")
    )
    period_start = models.DateField(_("use counted from"))
    period_end = models.DateField(_("use counted until"))
    total = models.DecimalField(
        _("amount to divide (DKK)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description = models.TextField(_("what the amount covers"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    objects = CostShareQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-entered_at"]
        verbose_name = _("cost split")
        verbose_name_plural = _("cost splits")
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(kind="closure"),
                name="one_closure_cost_split_per_offer",
                violation_error_message=_("The offer's closure costs are already divided."),
            ),
            models.UniqueConstraint(
                fields=["offer", "year"],
                condition=Q(kind="deficit"),
                name="one_deficit_split_per_offer_and_year",
                violation_error_message=_("The offer's deficit for this year is already divided."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="cost_share_period_ordered",
                violation_error_message=_("The period must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="cost_share_total_positive",
                violation_error_message=_("The amount to divide must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.offer}"


class CostShareLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CostShareLineQuerySet":
        return self.filter(share__in=CostShare.objects.visible_to(user).values("pk"))


class CostShareLine(models.Model):
    """One buying municipality's part of a cost split."""

    share = models.ForeignKey(
        CostShare, models.CASCADE, related_name="lines", verbose_name=_("cost split")
    )
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="cost_shares", verbose_name=_("municipality")
    )
    contract_days = models.PositiveIntegerField(_("contract days"))
    amount = models.DecimalField(_("amount (DKK)"), max_digits=14, decimal_places=2)

    objects = CostShareLineQuerySet.as_manager()

    class Meta:
        ordering = ["share", "-amount", "municipality__name"]
        verbose_name = _("cost split line")
        verbose_name_plural = _("cost split lines")
        constraints = [
            models.UniqueConstraint(
                fields=["share", "municipality"], name="one_cost_share_line_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.amount}"
