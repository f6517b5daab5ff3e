"""The framework agreement, its parties and its governance (seeds 000, 001, 004)."""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumValidationError

from domain.errors import Refusal
from versioning.models import Versioned


def validate_cvr(value: str) -> None:
    """A CVR number: eight digits passing the modulus-11 check."""
    try:
        stdnum_cvr.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _(
                "CVR number %(value)s is not valid: it must be eight digits with a valid check digit."
            ),
            code="invalid_cvr",
            params={"value": value},
        ) from error


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

    def staffed_by(self, user) -> "MunicipalityQuerySet":
        """The municipalities the user works for as staff."""
        return self.filter(pk__in=user.scope.municipality_ids)

    def administered_by(self, user) -> "MunicipalityQuerySet":
        """The municipalities party to the agreements of the user's
        secretariat (all for a superuser)."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(pk__in=scope.party_municipality_ids)

    def filter_choices_for(self, user) -> "MunicipalityQuerySet":
        """The municipalities a list's filter offers the user: a secretariat
        those party to its agreements, anyone else those visible."""
        if user.scope.secretariat:
            return self.administered_by(user)
        return self.visible_to(user)

    def visible_to(self, user) -> "MunicipalityQuerySet":
        """Reference data: every municipality, for the register's readers and
        the secretariats; for a provider leader those operating or holding an
        operating agreement with their providers."""
        scope = user.scope
        if scope.reads_whole_register or scope.secretariat:
            return self.all()
        providers = scope.provider_ids
        return self.filter(
            Q(pk__in=self.model.objects.filter(operated_providers__in=providers).values("pk"))
            | Q(
                pk__in=self.model.objects.filter(
                    operating_agreements__provider__in=providers
                ).values("pk")
            )
        )


class Municipality(models.Model):
    code = models.PositiveSmallIntegerField(
        _("municipality code"), unique=True, help_text=_("The official three-digit code.")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[validate_cvr],
        help_text=_(
            "The municipality's CVR number. Staff logging in through Fælleskommunal "
            "Adgangsstyring are linked to the municipality by it."
        ),
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
            ),
            models.UniqueConstraint(
                fields=["cvr"],
                condition=~Q(cvr=""),
                name="municipality_cvr_unique_when_set",
                violation_error_message=_("Another municipality has this CVR number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[int]:
        return (self.code,)


class SecretariatQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SecretariatQuerySet":
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(pk__in=scope.secretariat_ids)


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
        return self.filter(agreements_visible_q(user.scope))

    def administered_by(self, user) -> "FrameworkAgreementQuerySet":
        """The agreements the user's secretariat administers (all for a
        superuser): the choices wherever a secretariat acts on an agreement."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(pk__in=scope.agreement_ids)


def agreements_visible_q(scope, path: str = "pk") -> Q:
    """The framework agreements a user may read, as a condition on `path`
    (the agreement's id, or a foreign key to it): all for the register's
    readers; a secretariat's own; a provider leader's those covering an offer
    of theirs or holding an operating agreement with one of their providers.
    Each branch is an id list or an indexed subquery, never a join fan-out."""
    if scope.reads_whole_register:
        return Q()
    condition = Q(**{f"{path}__in": scope.agreement_ids})
    if scope.provider_ids:
        providers = scope.provider_ids
        covering = FrameworkAgreement.offers.through.objects.filter(offer__provider__in=providers)
        operating = FrameworkAgreement.operating_agreements.rel.related_model.objects.filter(
            provider__in=providers, framework_agreement__isnull=False
        )
        condition |= Q(**{f"{path}__in": covering.values("frameworkagreement_id")}) | Q(
            **{f"{path}__in": operating.values("framework_agreement_id")}
        )
    return condition


class ArchivingStatus(models.TextChoices):
    """What the public archive has allowed for an agreement's contract records."""

    DELIVERED = "delivered", _("Archival version delivered")
    DISCARD_PERMITTED = "discard", _("Discarding permitted")


class FrameworkAgreement(Versioned):
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
    relabelling_requires_approval = models.BooleanField(
        _("relabelling an offer requires approval"),
        default=False,
        help_text=_(
            "Relabelling (a change of an offer's target group or paragraph) is then a "
            "capacity adjustment that needs approval (001)."
        ),
    )
    add_on_services_allowed = models.BooleanField(_("add-on services allowed"), default=True)
    digital_signing_required = models.BooleanField(
        _("contracts are signed digitally only"),
        default=False,
        help_text=_(
            "The parties sign contracts under the agreement in Rammeaftale; the secretariat "
            "cannot record a signature made on paper."
        ),
    )
    new_offer_deficit_guarantee_years = models.PositiveSmallIntegerField(
        _("deficit guarantee for new offers (years)"), default=0
    )
    operating_agreement_review_years = models.PositiveSmallIntegerField(
        _("service review of operating agreements (years)"), default=5
    )
    regional_council_approves = models.BooleanField(
        _("the regional council approves the agreement"),
        default=False,
        help_text=_(
            "Besides the parties' municipal councils (004: the 19 councils of Midtjylland "
            "and the regional council)."
        ),
    )

    # Archiving (arkivloven): municipal records may be deleted only when the
    # public archive allows it. Until one of the two is recorded, the
    # retention service keeps the CPR numbers of the contracts under the
    # agreement (contracts.services.cpr_retention_apply).
    archiving_status = models.CharField(
        _("archiving status of contract records"),
        max_length=20,
        choices=ArchivingStatus.choices,
        blank=True,
        help_text=_(
            "CPR numbers and full PDFs of ended contracts are deleted after the retention "
            "period only when an archival version has been delivered or discarding is permitted."
        ),
    )
    archiving_reference = models.CharField(
        _("archiving reference"),
        max_length=200,
        blank=True,
        help_text=_("The archival version's or the discard decision's reference."),
    )
    archiving_date = models.DateField(
        _("archiving date"),
        null=True,
        blank=True,
        help_text=_("When the archival version was delivered, or the discard decision's date."),
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
            models.CheckConstraint(
                condition=Q(archiving_status="", archiving_reference="", archiving_date=None)
                | (
                    Q(archiving_status__in=ArchivingStatus.values)
                    & ~Q(archiving_reference="")
                    & Q(archiving_date__isnull=False)
                ),
                name="framework_archiving_status_with_reference_and_date",
                violation_error_message=_(
                    "An archiving status is recorded with its reference and date, and a "
                    "reference or date only with a status."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def councils(self) -> list[str]:
        """The councils that must approve the agreement: each party's municipal
        council and, where the policy says so, the regional council."""
        names = [party.name for party in self.parties.all()]
        if self.regional_council_approves and self.region_id:
            names.append(self.region.name)
        return names

    def has_capacity_route(self) -> bool:
        """R4: a body that may approve capacity adjustments under the agreement —
        without one, an adjustment needing approval could never be decided."""
        return self.bodies.filter(may_approve_capacity=True).exists()

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
        """The register's view of the bodies: those of the agreements the user reads."""
        return self.filter(agreements_visible_q(user.scope, "agreement"))

    def administered_by(self, user) -> "GoverningBodyQuerySet":
        """The bodies of the agreements the user's secretariat administers."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(agreement__in=scope.agreement_ids)

    def material_visible_to(self, user) -> "GoverningBodyQuerySet":
        """A body's own material (members, mandates, agendas, minutes): the
        secretariat of its agreement and the body's members; nobody else,
        whatever else they may read of the register."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(Q(agreement__in=scope.agreement_ids) | Q(pk__in=scope.body_ids))


class GoverningBody(models.Model):
    class Kind(models.TextChoices):
        DASSOS = "dassos", "DASSOS"
        EXECUTIVE_COMMITTEE = "forretningsudvalg", _("Executive committee (Forretningsudvalg)")
        TARIFF_GROUP = "takstgruppe", _("Tariff group (Takstgruppe)")
        KKR = "kkr", "KKR"
        KD_NET = "kd_net", "KD-net"
        K17 = "k17", "K17"
        DIRECTORATE = "direktion", _("Directorate (direktion)")
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
    publishes = models.BooleanField(
        _("publishes agendas and minutes"),
        null=True,
        blank=True,
        help_text=_(
            "On the open meeting pages without login. Unset: yes for standing bodies, "
            "no for ad hoc groups and the secretariat."
        ),
    )

    objects = GoverningBodyQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name"]
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")

    def __str__(self) -> str:
        return self.name

    # Ad hoc groups work internally; the standing bodies (KKR, DASSOS and the
    # like) publish their agendas and minutes unless the body says otherwise.
    UNPUBLISHED_KINDS = (Kind.AD_HOC, Kind.SECRETARIAT)

    @classmethod
    def publishing_q(cls, path: str = "") -> Q:
        """The bodies whose released agendas and approved minutes are public."""
        return Q(**{f"{path}publishes": True}) | Q(**{f"{path}publishes__isnull": True}) & ~Q(
            **{f"{path}kind__in": cls.UNPUBLISHED_KINDS}
        )

    @property
    def is_public(self) -> bool:
        if self.publishes is not None:
            return self.publishes
        return self.kind not in self.UNPUBLISHED_KINDS

    @property
    def member_region(self) -> "Region | None":
        """R4 (004): the region is a member where `region_is_member` — the
        region of the body's framework agreement."""
        if not self.region_is_member or self.agreement is None:
            return None
        return self.agreement.region

    def member_list(self) -> list["BodyMember"]:
        """Every member: the municipalities by name, then the region."""
        members = [BodyMember(municipality=m) for m in self.members.order_by("name")]
        region = self.member_region
        if region is not None:
            members.append(BodyMember(region=region))
        return members

    def members_with_seats(self) -> list[tuple["BodyMember", "BodyRepresentative | None"]]:
        """Each member with its representative's seat (None when it has none)."""
        seats = {}
        seat_rows = self.representatives.exclude(role=BodyRepresentative.Role.SECRETARY)
        for seat in seat_rows.select_related("municipality", "region", "user"):
            seats[seat.member.key] = seat
        return [(member, seats.get(member.key)) for member in self.member_list()]


@dataclasses.dataclass(frozen=True)
class BodyMember:
    """A member of a governing body: one of its municipalities, or its region."""

    municipality: Municipality | None = None
    region: Region | None = None

    @property
    def party(self) -> "Municipality | Region":
        return self.municipality or self.region

    @property
    def name(self) -> str:
        return self.party.name

    @property
    def key(self) -> str:
        """A stable name for forms: m<pk> for a municipality, r<pk> for a region."""
        return f"m{self.municipality.pk}" if self.municipality else f"r{self.region.pk}"

    def __str__(self) -> str:
        return self.name


class BodyRepresentativeQuerySet(models.QuerySet):
    def for_member(self, member: BodyMember) -> "BodyRepresentativeQuerySet":
        if member.municipality is not None:
            return self.filter(municipality=member.municipality)
        return self.filter(region=member.region)


class BodyRepresentative(models.Model):
    """A seat in a governing body: the person who represents a member (a
    municipality or the region) — in e-mail hearings and at meetings — with
    the name and e-mail address the secretariat writes to, whether or not the
    person has a login. A secretary's seat represents no member."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
        SECRETARY = "secretary", _("Secretary")

    body = models.ForeignKey(
        GoverningBody,
        models.CASCADE,
        related_name="representatives",
        verbose_name=_("governing body"),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("region"),
        help_text=_("For the region's seat, when the region is a member of the body."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Hearings are mailed here. Without it the member is not notified."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("user"),
        help_text=_("The person's login, if they have one: they then answer on the site."),
    )

    objects = BodyRepresentativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "municipality__name", "region__name"]
        verbose_name = _("body representative")
        verbose_name_plural = _("body representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"],
                name="one_seat_per_user_and_body",
                violation_error_message=_("This user already represents a member of this body."),
            ),
            models.UniqueConstraint(
                fields=["body", "municipality"],
                name="one_seat_per_municipality_and_body",
                violation_error_message=_("The municipality already has a seat in this body."),
            ),
            models.UniqueConstraint(
                fields=["body", "region"],
                name="one_seat_per_region_and_body",
                violation_error_message=_("The region already has a seat in this body."),
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(region__isnull=True),
                name="seat_for_municipality_or_region",
                violation_error_message=_("A seat represents a municipality or the region."),
            ),
            models.CheckConstraint(
                condition=Q(role="secretary")
                | Q(municipality__isnull=False)
                | Q(region__isnull=False),
                name="member_seat_names_its_member",
                violation_error_message=_(
                    "A member's seat names the municipality or region it represents."
                ),
            ),
        ]

    def __str__(self) -> str:
        member = self.municipality or self.region
        if member is None:
            return f"{self.name} ({self.get_role_display()}, {self.body})"
        return f"{self.name} ({member}, {self.body})"

    @property
    def member(self) -> BodyMember | None:
        if self.municipality_id is None and self.region_id is None:
            return None
        return BodyMember(municipality=self.municipality, region=self.region)


class MeetingFrozen(Exception):
    """A change of what a meeting's approved minutes record about it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def meeting_frozen_message() -> str:
    return str(
        _(
            "The minutes of this meeting are approved, so its date, times and place can no "
            "longer be changed."
        )
    )


# meetings.Minutes (related name "record") with this status are approved; the
# agreements app does not import meetings (the dependencies point one way).
APPROVED_MINUTES = Q(record__status="approved")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """The register's view: that a body meets, when and where."""
        return self.filter(agreements_visible_q(user.scope, "body__agreement"))

    def material_visible_to(self, user) -> "MeetingQuerySet":
        """The meetings whose agenda, papers and minutes the user may read:
        the secretariat of the body's agreement and the body's members."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(Q(body__agreement__in=scope.agreement_ids) | Q(body__in=scope.body_ids))

    def coming(self, today: datetime.date | None = None) -> "MeetingQuerySet":
        return self.filter(date__gte=today or datetime.date.today())

    # An integrity guard like the frozen minutes' (meetings.models): `update()`
    # and `bulk_update()` (which goes through it) do not call `save()`.
    def update(self, **kwargs):
        names = {self.model._meta.get_field(name).name for name in kwargs}
        if names & set(Meeting.RECORDED_FIELDS) and self.filter(APPROVED_MINUTES).exists():
            raise MeetingFrozen(meeting_frozen_message())
        return super().update(**kwargs)

    update.queryset_only = True


class Meeting(models.Model):
    body = models.ForeignKey(
        GoverningBody, models.PROTECT, related_name="meetings", verbose_name=_("governing body")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
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
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    # What the approved minutes record about the meeting itself: once they are
    # approved, these no longer change by any path (the save below, the
    # queryset's update, read-only in the admin).
    RECORDED_FIELDS = ("body", "date", "starts_at", "ends_at", "location", "online_link")

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_if_recorded(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def has_approved_minutes(self) -> bool:
        return (
            self.pk is not None
            and type(self)._base_manager.filter(APPROVED_MINUTES, pk=self.pk).exists()
        )

    def _refuse_if_recorded(self, update_fields) -> None:
        fields = [
            field
            for field in map(self._meta.get_field, self.RECORDED_FIELDS)
            if update_fields is None or {field.name, field.attname} & set(update_fields)
        ]
        if not fields:
            return
        stored = (
            type(self)
            ._base_manager.filter(APPROVED_MINUTES, pk=self.pk)
            .values(*(field.attname for field in fields))
            .first()
        )
        if stored is not None and any(
            getattr(self, field.attname) != stored[field.attname] for field in fields
        ):
            raise MeetingFrozen(meeting_frozen_message())


class CouncilApprovalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CouncilApprovalQuerySet":
        return self.filter(agreements_visible_q(user.scope, "agreement"))


class CouncilApproval(models.Model):
    """A council's approval of a framework agreement (004: "Rammeaftalen skal
    godkendes i de 19 midtjyske byråd og i Regionsrådet")."""

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.CASCADE,
        related_name="council_approvals",
        verbose_name=_("framework agreement"),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="council_approvals",
        verbose_name=_("municipal council"),
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="council_approvals",
        verbose_name=_("regional council"),
    )
    approved_on = models.DateField(_("approved on"))
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("The council's meeting, item or case number."),
    )

    objects = CouncilApprovalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "approved_on"]
        verbose_name = _("council approval")
        verbose_name_plural = _("council approvals")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, region__isnull=True)
                | Q(municipality__isnull=True, region__isnull=False),
                name="council_approval_one_council",
                violation_error_message=_(
                    "Choose either a municipal council or the regional council."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "municipality"],
                name="one_approval_per_municipal_council",
                violation_error_message=_("This municipal council's approval is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "region"],
                name="one_approval_per_regional_council",
                violation_error_message=_("The regional council's approval is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality or self.region}: {self.agreement}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.municipality_id
            and self.agreement_id
            and not self.agreement.parties.filter(pk=self.municipality_id).exists()
        ):
            raise ValidationError(
                {"municipality": _("The municipality is not a party to the agreement.")}
            )
        if self.region_id and self.agreement_id:
            agreement = self.agreement
            if not agreement.regional_council_approves or agreement.region_id != self.region_id:
                raise ValidationError(
                    {"region": _("This regional council does not approve the agreement.")}
                )


def missing_council_approvals(
    today: datetime.date, *, within_days: int = 90, agreements=None
) -> list[tuple["FrameworkAgreement", list[str]]]:
    """Agreements that start within `within_days` of `today`, not expired,
    with the councils that have not yet approved them, in two queries."""
    if agreements is None:
        agreements = FrameworkAgreement.objects.all()
    due = list(
        with_regional_approval(
            agreements.exclude(status=FrameworkAgreement.Status.EXPIRED).filter(
                period_start__gte=today,
                period_start__lte=today + datetime.timedelta(days=within_days),
            )
        )
        .select_related("region")
        .order_by("period_start", "name")
    )
    return councils_missing(due)


def with_regional_approval(agreements):
    """Annotate whether the regional council has approved each agreement."""
    return agreements.annotate(
        region_approved=Exists(
            CouncilApproval.objects.filter(agreement=OuterRef("pk"), region__isnull=False)
        )
    )


def councils_missing(
    due: list["FrameworkAgreement"],
) -> list[tuple["FrameworkAgreement", list[str]]]:
    """For agreements already read (annotated by `with_regional_approval`, with
    their region), the councils that have not approved them: one query."""
    if not due:
        return []
    through = FrameworkAgreement.parties.through
    missing = (
        through.objects.filter(frameworkagreement__in=[agreement.pk for agreement in due])
        .annotate(
            approved=Exists(
                CouncilApproval.objects.filter(
                    agreement=OuterRef("frameworkagreement_id"),
                    municipality=OuterRef("municipality_id"),
                )
            ),
        )
        .filter(approved=False)
        .values_list("frameworkagreement_id", "municipality__name")
        .order_by("municipality__name")
    )
    by_agreement: dict[int, list[str]] = {agreement.pk: [] for agreement in due}
    for agreement_id, name in missing:
        by_agreement[agreement_id].append(name)
    result = []
    for agreement in due:
        names = by_agreement[agreement.pk]
        if (
            agreement.regional_council_approves
            and agreement.region_id
            and not agreement.region_approved
        ):
            names.append(agreement.region.name)
        if names:
            result.append((agreement, names))
    return result


class CycleKind(models.TextChoices):
    STRATEGY = "strategy", _("Development strategy")
    STEERING = "steering", _("Steering agreement")
    HEARING = "hearing", _("Hearing")
    COUNCIL_APPROVAL = "council_approval", _("Council approvals")
    EVALUATION = "evaluation", _("Yearly evaluation")
    TARIFFS = "tariffs", _("Tariff submission")
    OTHER = "other", _("Other")


class CycleStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CycleStepQuerySet":
        """The steps of the regions whose annual cycle applies to the
        agreements the user reads (a regional agreement's region, a municipal
        agreement's municipality's): all for the register's readers."""
        scope = user.scope
        if scope.reads_whole_register:
            return self.all()
        agreements = FrameworkAgreement.objects.filter(agreements_visible_q(scope)).order_by()
        return self.filter(
            Q(region__in=agreements.values("region"))
            | Q(region__in=agreements.values("municipality__region"))
        )


class CycleStep(models.Model):
    """One step of a region's annual cycle (årshjul, 004): the template the
    deadlines of each framework agreement in the region are made from."""

    region = models.ForeignKey(
        Region, models.CASCADE, related_name="cycle_steps", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=CycleKind.choices)
    recurs_yearly = models.BooleanField(
        _("every year of the agreement"),
        default=False,
        help_text=_("Otherwise once per agreement, counted from the year the agreement starts."),
    )
    year_offset = models.SmallIntegerField(
        _("year offset"),
        default=0,
        help_text=_(
            "Years from the agreement's first year (or from each year of the agreement): "
            "-1 is the year before."
        ),
    )
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    description = models.TextField(_("description"), blank=True)

    objects = CycleStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "year_offset", "month", "day"]
        verbose_name = _("step of the annual cycle")
        verbose_name_plural = _("steps of the annual cycle")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="cycle_step_month_and_day_valid",
                violation_error_message=_("Give a month from 1 to 12 and a day from 1 to 31."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.title}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            datetime.date(2024, self.month or 1, self.day or 1)
        except ValueError:
            raise ValidationError(_("The month has no such day.")) from None

    def due_dates(self, agreement: "FrameworkAgreement", *, until_year: int) -> list[datetime.date]:
        """The days this step falls due for `agreement`; a day past the end of a
        short month (31 June) moves to the month's last day."""
        if self.recurs_yearly:
            last = agreement.period_end.year if agreement.period_end else until_year
            years = range(agreement.period_start.year, last + 1)
        else:
            years = [agreement.period_start.year]
        dates = []
        for year in years:
            target_year = year + self.year_offset
            day = self.day
            while True:
                try:
                    dates.append(datetime.date(target_year, self.month, day))
                    break
                except ValueError:
                    day -= 1
        return dates


class AgreementError(Refusal):
    """A step on a framework agreement refused by a rule (see domain.errors)."""


class CycleDeadlineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CycleDeadlineQuerySet":
        return self.filter(agreements_visible_q(user.scope, "agreement"))

    def open(self) -> "CycleDeadlineQuerySet":
        return self.filter(done_on__isnull=True)

    def current(self, today: datetime.date) -> "CycleDeadlineQuerySet":
        """Open deadlines of the cycle's current round: one overdue by more
        than a year belongs to a past round, which the same step's next
        deadline stands in for, so it is not shown as overdue any longer."""
        return self.open().filter(due_on__gt=today - datetime.timedelta(days=365))


class CycleDeadline(models.Model):
    """A deadline of a framework agreement's annual cycle."""

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.CASCADE,
        related_name="cycle_deadlines",
        verbose_name=_("framework agreement"),
    )
    step = models.ForeignKey(
        CycleStep,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("step of the annual cycle"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=CycleKind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = CycleDeadlineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "title"]
        verbose_name = _("deadline of the annual cycle")
        verbose_name_plural = _("deadlines of the annual cycle")
        indexes = [models.Index(fields=["done_on", "due_on"], name="cycle_deadline_open_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "step", "due_on"],
                name="one_deadline_per_step_and_day",
                violation_error_message=_("The agreement already has this deadline."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d.%m.%Y})"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
