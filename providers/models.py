"""Who delivers, and what they owe (seed 000: collaboration models; 003: levels)."""

import datetime
import functools
import operator
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import FrameworkAgreement, Municipality, Region, add_years
from agreements.models import validate_cvr as validate_organisation_cvr
from versioning.models import Versioned


def validate_cvr(value: str) -> None:
    """A CVR number. The rule is agreements.models.validate_cvr; this name
    stays because the migrations refer to it."""
    validate_organisation_cvr(value)


class CollaborationModel(models.Model):
    """Samarbejdsmodel 1–4 (R10–R13): reference data, loaded by fixture."""

    class AgreementKind(models.TextChoices):
        OPERATING_AGREEMENT = "driftsoverenskomst", _("Operating agreement (driftsoverenskomst)")
        COLLABORATION_AGREEMENT = (
            "samarbejdsaftale",
            _("Collaboration agreement (samarbejdsaftale)"),
        )
        PURCHASE = "koeb", _("Purchase of places as needed")

    number = models.PositiveSmallIntegerField(_("model number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    framework_agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="collaboration_models",
        verbose_name=_("framework agreement"),
        help_text=_("The framework agreement that defines the model and its texts."),
    )
    agreement_kind = models.CharField(
        _("form of agreement"), max_length=30, choices=AgreementKind.choices
    )
    requires_prior_negotiation = models.BooleanField(
        _("requires prior negotiation and agreement"), default=False
    )
    fully_municipally_financed = models.BooleanField(
        _("financed 100 % by the municipality"), default=False
    )
    deficit_covered = models.BooleanField(_("deficit covered"), default=False)
    municipality_liable_for_extraordinary_expenses = models.BooleanField(
        _("the municipality is liable for unforeseen extraordinary expenses"), default=False
    )
    fixed_places_for_yearly_payment = models.BooleanField(
        _("delivers a set number of places for a fixed yearly payment"), default=False
    )
    part_of_municipal_discussions = models.BooleanField(
        _("takes part in the municipality's professional discussions"), default=False
    )
    continuous_bookkeeping_required = models.BooleanField(
        _("continuous bookkeeping required"), default=False
    )
    review_interval_years = models.PositiveSmallIntegerField(
        _("service review interval (years)"),
        null=True,
        blank=True,
        help_text=_("Empty when the interval is agreed individually."),
    )
    financing = models.TextField(_("financing"), blank=True)
    documentation_duties = models.TextField(_("documentation and reporting duties"), blank=True)
    municipal_solutions_note = models.TextField(_("about municipal solutions"), blank=True)
    review_note = models.TextField(_("about review and renegotiation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("collaboration model")
        verbose_name_plural = _("collaboration models")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="collaboration_model_number_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return _("Model %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    def natural_key(self) -> tuple[int]:
        return (self.number,)

    @property
    def has_regular_review(self) -> bool:
        return self.review_interval_years is not None


class MunicipalSolution(models.Model):
    """A municipal system or arrangement a provider may be required to use (KØR, SOFUS …)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("municipal solution")
        verbose_name_plural = _("municipal solutions")

    def __str__(self) -> str:
        return self.name


class SolutionRequirement(models.Model):
    class Level(models.TextChoices):
        REQUIRED = "required", _("Required")
        FLEXIBLE = "flexible", _("Flexible solution possible")
        NOT_REQUIRED = "not_required", _("Not required")

    model = models.ForeignKey(
        CollaborationModel,
        models.CASCADE,
        related_name="requirements",
        verbose_name=_("collaboration model"),
    )
    solution = models.ForeignKey(
        MunicipalSolution,
        models.PROTECT,
        related_name="requirements",
        verbose_name=_("municipal solution"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["model", "solution__position"]
        verbose_name = _("requirement on a municipal solution")
        verbose_name_plural = _("requirements on municipal solutions")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "solution"], name="one_requirement_per_model_and_solution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model.number}: {self.solution} – {self.get_level_display()}"


class ProviderQuerySet(models.QuerySet):
    def get_by_natural_key(self, cvr: str) -> "Provider":
        return self.get(cvr=cvr)

    def visible_to(self, user) -> "ProviderQuerySet":
        """All for the register's readers; a leader's own; for a secretariat
        the providers of the offers it administers, those with an operating
        agreement under its agreements and those a party operates."""
        scope = user.scope
        if scope.reads_whole_register:
            return self.all()
        condition = Q(pk__in=scope.provider_ids)
        if scope.secretariat:
            condition |= (
                Q(pk__in=Offer.objects.filter(offers_administered_q(scope)).values("provider"))
                | Q(
                    pk__in=OperatingAgreement.objects.filter(
                        framework_agreement__in=scope.agreement_ids
                    ).values("provider")
                )
                | operated_by_party_q(scope)
            )
        return self.filter(condition)

    def administered_by(self, user) -> "ProviderQuerySet":
        """The providers the user's secretariat administers (all for a
        superuser, none for anyone else)."""
        scope = user.scope
        if scope.everything:
            return self.all()
        if not scope.secretariat:
            return self.none()
        return self.visible_to(user)


class Provider(Versioned):
    class Kind(models.TextChoices):
        SELF_GOVERNING = "self_governing", _("Self-governing")
        MUNICIPAL = "municipal", _("Municipal")
        REGIONAL = "regional", _("Regional")
        PRIVATE = "private", _("Private")

    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, validators=[validate_cvr])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    operating_municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_providers",
        verbose_name=_("operating municipality"),
    )
    operating_region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_providers",
        verbose_name=_("operating region"),
        help_text=_("For offers run by a region."),
    )
    collaboration_model = models.ForeignKey(
        CollaborationModel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("collaboration model"),
        help_text=_("For self-governing providers with a formal collaboration."),
    )
    board_chair = models.CharField(_("board chair"), max_length=200, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_providers",
        verbose_name=_("leaders"),
        help_text=_("Users who log in as the provider's daily leader."),
    )
    centre = models.CharField(_("centre"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    tilbudsportalen_id = models.CharField(_("Tilbudsportalen id"), max_length=20, blank=True)

    objects = ProviderQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[leaders])

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            models.CheckConstraint(
                condition=Q(collaboration_model__isnull=True) | Q(kind="self_governing"),
                name="only_self_governing_providers_have_a_collaboration_model",
                violation_error_message=_(
                    "Only self-governing providers have a collaboration model."
                ),
            ),
            models.CheckConstraint(
                condition=Q(operating_municipality__isnull=True) | Q(operating_region__isnull=True),
                name="provider_operated_by_municipality_or_region",
                violation_error_message=_(
                    "A provider is operated by a municipality or by a region, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.cvr,)


class OfferQuerySet(models.QuerySet):
    def open(self, on: datetime.date | None = None) -> "OfferQuerySet":
        """Offers not closed on `on` (today by default)."""
        on = on or datetime.date.today()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))

    def visible_to(self, user) -> "OfferQuerySet":
        scope = user.scope
        if scope.reads_whole_register:
            return self.all()
        return self.filter(Q(provider__in=scope.provider_ids) | offers_administered_q(scope))

    def administered_by(self, user) -> "OfferQuerySet":
        """The offers the user's secretariat administers (all for a superuser)."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(offers_administered_q(scope))


def operated_by_party_q(scope, prefix: str = "") -> Q:
    """Providers operated by a municipality party to, or the region of, the
    secretariat's agreements."""
    return _operated_by_q(scope.party_municipality_ids, scope.region_ids, prefix)


def _operated_by_q(municipality_ids, region_ids, prefix: str = "") -> Q:
    return Q(**{f"{prefix}operating_municipality__in": municipality_ids}) | Q(
        **{f"{prefix}operating_region__in": region_ids}
    )


def offers_administered_q(scope, path: str = "pk") -> Q:
    """The offers a secretariat administers, as a condition on `path` (the
    offer's id or a foreign key to it): those its agreements cover, and an
    offer covered by no agreement yet when its provider is operated by a party
    municipality or the region. Two indexed subqueries; nothing for anyone
    who is not a secretariat member."""
    if not scope.secretariat:
        return Q(pk__in=[])
    if scope.everything:
        return Q()
    subqueries = _administered_subqueries(
        scope.agreement_ids, scope.party_municipality_ids, scope.region_ids
    )
    if not subqueries:
        return Q(pk__in=[])
    # The ORM's own SQL, its values passed as parameters.
    return functools.reduce(
        operator.or_,
        (Q(**{f"{path}__in": RawSQL(sql, params)}) for sql, params in subqueries),  # noqa: S611
    )


@functools.lru_cache(maxsize=1024)
def _administered_subqueries(
    agreement_ids: frozenset[int], municipality_ids: frozenset[int], region_ids: frozenset[int]
) -> tuple[tuple[str, tuple], ...]:
    """The subqueries of `offers_administered_q` for a secretariat's ids,
    compiled by the ORM once a process: a page filters a dozen querysets on
    them, and building and compiling them anew each time was the larger part
    of the page's own work. Only plain ids go in, so the SQL never changes
    with the data."""
    through = Offer.framework_agreements.through
    querysets = []
    if agreement_ids:
        querysets.append(
            through.objects.filter(frameworkagreement_id__in=sorted(agreement_ids))
            .order_by()
            .values("offer_id")
        )
    if municipality_ids or region_ids:
        querysets.append(
            Offer.objects.filter(
                ~Exists(through.objects.filter(offer=OuterRef("pk"))),
                _operated_by_q(sorted(municipality_ids), sorted(region_ids), "provider__"),
            )
            .order_by()
            .values("pk")
        )
    return tuple(
        (sql, tuple(params))
        for sql, params in (queryset.query.sql_with_params() for queryset in querysets)
    )


class Offer(Versioned):
    class LegalBasis(models.TextChoices):
        SEL_32 = "SEL § 32", _("SEL § 32 – special day care")
        SEL_36 = "SEL § 36", _("SEL § 36 – special club offer")
        SEL_52 = "SEL § 52", _("SEL § 52 – preventive measures for children")
        SEL_66 = "SEL § 66", _("SEL § 66 – placement outside the home")
        SEL_67 = "SEL § 67", _("SEL § 67 – residential institution for children")
        SEL_84 = "SEL § 84", _("SEL § 84 – respite care")
        SEL_85 = "SEL § 85", _("SEL § 85 – socio-educational support")
        SEL_103 = "SEL § 103", _("SEL § 103 – protected employment")
        SEL_104 = "SEL § 104", _("SEL § 104 – activity and social day offer")
        SEL_107 = "SEL § 107", _("SEL § 107 – temporary housing")
        SEL_108 = "SEL § 108", _("SEL § 108 – long-term housing")
        SEL_109 = "SEL § 109", _("SEL § 109 – women's shelter")
        SEL_110 = "SEL § 110", _("SEL § 110 – shelter")
        SEL_101 = "SEL § 101", _("SEL § 101 – treatment for drug abuse")

    class TargetGroup(models.TextChoices):
        CHILDREN_DISABILITY = (
            "children_disability",
            _("Children and young people with disabilities"),
        )
        CHILDREN_VULNERABLE = "children_vulnerable", _("Vulnerable children and young people")
        ADULTS_PHYSICAL = "adults_physical", _("Adults with physical disabilities")
        ADULTS_INTELLECTUAL = "adults_intellectual", _("Adults with intellectual disabilities")
        ADULTS_PSYCHIATRIC = "adults_psychiatric", _("Adults with mental illness")
        AUTISM = "autism", _("People with autism")
        BRAIN_INJURY = "brain_injury", _("People with acquired brain injury")
        HOMELESS = "homeless", _("Homeless people")
        SUBSTANCE_ABUSE = "substance_abuse", _("People with substance abuse")
        VIOLENCE = "violence", _("Women exposed to violence")

    class SpecialisationLevel(models.IntegerChoices):
        HIGHLY_SPECIALISED = 1, _("1 – Highly specialised")
        SPECIALISED = 2, _("2 – Specialised")
        GENERAL = 3, _("3 – General")

    provider = models.ForeignKey(
        Provider, models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    tilbudsportalen_id = models.CharField(
        _("Tilbudsportalen id"), max_length=20, null=True, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    specialisation_level = models.PositiveSmallIntegerField(
        _("specialisation level"), choices=SpecialisationLevel.choices
    )
    approved_places = models.PositiveIntegerField(_("approved places"), default=0)
    framework_agreements = models.ManyToManyField(
        FrameworkAgreement,
        blank=True,
        related_name="offers",
        verbose_name=_("framework agreements"),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = OfferQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[framework_agreements])

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        # The admin's ordering.
        indexes = [models.Index(fields=["name"], name="offer_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_places__gte=0),
                name="offer_places_not_negative",
                violation_error_message=_("The number of places cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(opened_on__lte=F("closed_on")),
                name="offer_opened_before_closed",
                violation_error_message=_("An offer cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(specialisation_level__in=[1, 2, 3]),
                name="offer_specialisation_level_1_to_3",
            ),
            models.UniqueConstraint(
                fields=["provider", "name"],
                name="offer_name_unique_per_provider",
                violation_error_message=_("The provider already has an offer with this name."),
            ),
            models.UniqueConstraint(
                fields=["tilbudsportalen_id"],
                name="offer_tilbudsportalen_id_unique",
                violation_error_message=_("Another offer has this Tilbudsportalen id."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The paragraphs of measures for children and young people; the others
    # (§ 84 on, e.g. § 107 and § 108) are for adults.
    CHILDREN_PARAGRAPHS = frozenset(
        {
            LegalBasis.SEL_32,
            LegalBasis.SEL_36,
            LegalBasis.SEL_52,
            LegalBasis.SEL_66,
            LegalBasis.SEL_67,
        }
    )

    @property
    def serves_children(self) -> bool:
        """Whether the offer's paragraph is one for children and young people:
        its contracts then speak of "the child or young person", otherwise
        of "the citizen"."""
        return self.legal_basis in self.CHILDREN_PARAGRAPHS

    def is_open(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.closed_on is None or self.closed_on > on

    def agreements_in_force(self, on: datetime.date | None = None):
        """The framework agreements covering the offer that are in force on the
        day (today unless given): marked in force, and their period covering
        the day. The one answer the capacity policy and relabelling read."""
        return self.framework_agreements.in_force(on)

    def relabelling_needs_approval(self) -> bool:
        """001: under an agreement in force that asks for it, the target group
        and paragraph change only by an approved relabelling."""
        return self.agreements_in_force().filter(relabelling_requires_approval=True).exists()


class OperatingAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OperatingAgreementQuerySet":
        """All for the register's readers; a leader's providers'; for a
        secretariat those under its agreements (without an agreement: with a
        party municipality)."""
        scope = user.scope
        if scope.reads_whole_register:
            return self.all()
        condition = Q(provider__in=scope.provider_ids)
        if scope.secretariat:
            condition |= Q(framework_agreement__in=scope.agreement_ids) | Q(
                framework_agreement__isnull=True, municipality__in=scope.party_municipality_ids
            )
        return self.filter(condition)

    def with_review_dates(self) -> "OperatingAgreementQuerySet":
        """Annotate `review_base`: the date the review interval counts from."""
        return self.annotate(review_base=Coalesce("last_review_on", "signed_on"))

    def review_overdue(self, today: datetime.date | None = None) -> "OperatingAgreementQuerySet":
        return self._review_due_before(today or datetime.date.today())

    def review_due_within(
        self, days: int, today: datetime.date | None = None
    ) -> "OperatingAgreementQuerySet":
        today = today or datetime.date.today()
        return self._review_due_before(today + datetime.timedelta(days=days + 1))

    def _review_due_before(self, day: datetime.date) -> "OperatingAgreementQuerySet":
        """Agreements whose next service review falls before `day`.

        The interval (years) comes from the framework policy or the model, so
        the condition is built per interval in use: a handful of values.
        """
        condition = Q(individual_review_on__lt=day)
        # The intervals in use, of the policies and of the models, in one query.
        intervals = set(
            FrameworkAgreement.objects.order_by()
            .values_list("operating_agreement_review_years", flat=True)
            .union(
                CollaborationModel.objects.exclude(review_interval_years=None)
                .order_by()
                .values_list("review_interval_years", flat=True)
            )
        )
        for years in intervals:
            cutoff = add_years(day, -years)
            condition |= Q(model__review_interval_years__isnull=False, review_base__lt=cutoff) & (
                Q(framework_agreement__operating_agreement_review_years=years)
                | Q(framework_agreement__isnull=True, model__review_interval_years=years)
            )
        return self.with_review_dates().filter(condition)


class OperatingAgreement(Versioned):
    """Driftsoverenskomst (models 1–2) or samarbejdsaftale (model 3)."""

    provider = models.ForeignKey(
        Provider, models.PROTECT, related_name="operating_agreements", verbose_name=_("provider")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="operating_agreements",
        verbose_name=_("municipality"),
    )
    model = models.ForeignKey(
        CollaborationModel,
        models.PROTECT,
        related_name="operating_agreements",
        verbose_name=_("collaboration model"),
    )
    framework_agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="operating_agreements",
        verbose_name=_("framework agreement"),
        help_text=_("Its policy gives the service review interval."),
    )
    signed_on = models.DateField(_("signed on"))
    last_review_on = models.DateField(_("last service review"), null=True, blank=True)
    individual_review_on = models.DateField(
        _("agreed renegotiation date"),
        null=True,
        blank=True,
        help_text=_("Model 3: the renegotiation interval is individual; enter the agreed date."),
    )
    committed_places = models.PositiveIntegerField(
        _("committed places"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    yearly_payment = models.DecimalField(
        _("fixed yearly payment (DKK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = OperatingAgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "-signed_on"]
        verbose_name = _("operating agreement")
        verbose_name_plural = _("operating agreements")
        constraints = [
            # R12: a samarbejdsaftale delivers a set number of places for a
            # fixed yearly payment. The model's number is not on this table, so
            # the database holds "both or neither"; clean() demands both for model 3.
            models.CheckConstraint(
                condition=Q(committed_places__isnull=True, yearly_payment__isnull=True)
                | Q(
                    committed_places__isnull=False,
                    yearly_payment__isnull=False,
                    committed_places__gte=1,
                    yearly_payment__gt=0,
                ),
                name="committed_places_and_yearly_payment_together",
                violation_error_message=_(
                    "Committed places and the fixed yearly payment are given together."
                ),
            ),
            models.CheckConstraint(
                condition=Q(last_review_on__isnull=True) | Q(last_review_on__gte=F("signed_on")),
                name="review_not_before_signing",
                violation_error_message=_("The last service review cannot precede the signing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} – {self.municipality} ({self.model.number})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        model = self.model if self.model_id else None
        if model and model.fixed_places_for_yearly_payment:
            if not self.committed_places:
                errors["committed_places"] = _(
                    "A collaboration agreement (model 3) must state the committed places."
                )
            if not self.yearly_payment:
                errors["yearly_payment"] = _(
                    "A collaboration agreement (model 3) must state the fixed yearly payment."
                )
        if model and model.agreement_kind == CollaborationModel.AgreementKind.PURCHASE:
            errors["model"] = _(
                "Model 4 is purchase of places as needed: it has no operating agreement."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def review_interval_years(self) -> int | None:
        if not self.model.has_regular_review:
            return None
        if self.framework_agreement_id:
            return self.framework_agreement.operating_agreement_review_years
        return self.model.review_interval_years

    @property
    def next_review_on(self) -> datetime.date | None:
        """R10/R11: every `operating_agreement_review_years` (5) after the last
        review, or after signing; R12: the individually agreed date."""
        years = self.review_interval_years
        if years is None:
            return self.individual_review_on
        return add_years(self.last_review_on or self.signed_on, years)

    def review_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.next_review_on
        return due is not None and due < (today or datetime.date.today())


def _approved_basis_pk() -> Subquery:
    # tariffs.CalculationBasis through the offer's reverse relation: providers
    # does not import tariffs (the dependencies point one way).
    bases = Offer.objects.filter(
        pk=OuterRef("offer_id"),
        calculation_bases__year=OuterRef("year"),
        calculation_bases__unit=OuterRef("unit"),
        calculation_bases__status="approved",
    )
    return Subquery(bases.values("calculation_bases")[:1])


class TariffQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TariffQuerySet":
        scope = user.scope
        if scope.reads_whole_register:
            return self.all()
        return self.filter(
            Q(offer__in=Offer.objects.filter(provider__in=scope.provider_ids).values("pk"))
            | offers_administered_q(scope, "offer")
        )

    def with_approved_basis(self) -> "TariffQuerySet":
        """Each tariff with `approved_basis_pk`: the approved calculation basis
        for its offer, year and unit, whose computed amount the tariff
        carries; None when there is none."""
        return self.annotate(approved_basis_pk=_approved_basis_pk())


class Tariff(Versioned):
    class Unit(models.TextChoices):
        DAY = "day", _("per day")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")
        HOUR = "hour", _("per hour")

    offer = models.ForeignKey(
        Offer, models.CASCADE, related_name="tariffs", verbose_name=_("offer")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    amount = models.DecimalField(
        _("amount (DKK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    covers = models.TextField(_("what it covers"), blank=True)

    objects = TariffQuerySet.as_manager()
    history = HistoricalRecords()

    # Set from an approved calculation basis (tariffs.services.basis_approve):
    # the admin does not change them; a new amount takes a new basis.
    BASIS_FIELDS = ("offer", "year", "unit", "amount")

    class Meta:
        ordering = ["offer", "-year", "unit"]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        # The admin's ordering (newest year first) and its year filter.
        indexes = [models.Index(fields=["-year", "offer", "unit"], name="tariff_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "year", "unit"],
                name="one_tariff_per_offer_year_and_unit",
                violation_error_message=_("The offer already has a tariff for this year and unit."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="tariff_amount_not_negative",
                violation_error_message=_("A tariff cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="tariff_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} {self.year}: {self.amount} kr. {self.get_unit_display()}"

    def from_approved_basis(self) -> int | None:
        """The pk of the approved calculation basis that the stored row's
        offer, year and unit were set from (`TariffQuerySet.with_approved_basis`,
        read from the annotation when the row was loaded with it), or None."""
        if "approved_basis_pk" in self.__dict__:
            return self.approved_basis_pk
        if self.pk is None:
            return None
        return (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .annotate(approved_basis_pk=_approved_basis_pk())
            .values_list("approved_basis_pk", flat=True)
            .first()
        )
