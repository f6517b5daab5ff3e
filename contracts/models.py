"""Standard contracts and individual contracts (seed 002; rules R6–R8).

An authority (a municipality) and a provider sign one standard contract per
intervention type: a versioned general part shared by the authority's
contracts, plus an intervention-specific part. Each citizen placed gets an
individual contract as its annex. Contracts are drafted, sent for signature,
signed by both parties and then frozen; an amendment is a new version that
points to the one it replaces.

The lifecycle is the table `TRANSITIONS`; the services in `services.py`
perform every transition. The models only hold one-object rules.
"""

import contextlib
import contextvars
import datetime
import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Municipality
from contracts.cpr import format_cpr, mask_cpr, validate_cpr
from domain.errors import Refusal
from providers.models import Offer, Provider, Tariff, offers_administered_q
from versioning.models import Versioned


class ContractError(Refusal):
    """A contract change that the rules refuse; the message is for the user (Danish)."""


class ContractFrozen(ContractError):
    """An attempt to change a contract (or what it was signed with) after it left draft."""


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting signature")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Replaced by amendment")


# The state machine: from each status, the statuses a service may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.AWAITING_SIGNATURE}),
    Status.AWAITING_SIGNATURE: frozenset({Status.SIGNED, Status.DRAFT}),
    Status.SIGNED: frozenset({Status.TERMINATED, Status.EXPIRED, Status.SUPERSEDED}),
    Status.TERMINATED: frozenset(),
    Status.EXPIRED: frozenset(),
    Status.SUPERSEDED: frozenset(),
}

# Statuses in which the text may no longer change: what was sent for
# signature is what is signed.
FROZEN_STATUSES = frozenset(
    {
        Status.AWAITING_SIGNATURE,
        Status.SIGNED,
        Status.TERMINATED,
        Status.EXPIRED,
        Status.SUPERSEDED,
    }
)
# Statuses after signing: the signatures and the stored PDF are final.
SIGNED_STATUSES = frozenset({Status.SIGNED, Status.TERMINATED, Status.EXPIRED, Status.SUPERSEDED})


def frozen_message() -> str:
    return gettext(
        "The contract has been sent for signature or signed and cannot be changed. "
        "Make an amendment (a new version) instead."
    )


# The frozen guard ---------------------------------------------------------------------------


class FrozenWhenSignedQuerySet(models.QuerySet):
    """Refuses `update()` / `bulk_update()` / `delete()` of frozen rows.

    `bulk_update()` goes through `update()`, so one check covers both.
    """

    def update(self, **kwargs):
        model = self.model
        content = set(kwargs) - model.lifecycle_field_names()
        if content and self.filter(model.frozen_q()).exists():
            raise ContractFrozen(frozen_message())
        if set(kwargs) & model.SIGNING_FIELDS and self.filter(model.signed_q()).exists():
            raise ContractFrozen(frozen_message())
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.filter(self.model.frozen_q()).exists():
            raise ContractFrozen(frozen_message())
        return super().delete()

    delete.queryset_only = True


class FrozenWhenSigned(models.Model):
    """Keeps what was sent for signature, and what was signed, unchanged by any path.

    This is an integrity guard, not a business rule: which transition is
    allowed, and when, is decided in `services.py`. The guard only makes sure
    that no path — a service, the admin, a form, `save()` in a shell,
    `QuerySet.update()` / `bulk_update()` or `delete()` — changes a contract's
    text once it has left draft, nor its signatures and stored PDF once signed.
    It compares with the row as stored, so an in-memory change of status
    cannot open the door. Raw SQL is out of its reach; a database trigger for
    that was judged not worth its cost here (the application is the only writer).

    Subclasses name the fields a transition may still set (`LIFECYCLE_FIELDS`)
    and which of those are fixed at signing (`SIGNING_FIELDS`), and say when a
    row is frozen (`frozen_q`, `signed_q`).
    """

    LIFECYCLE_FIELDS: frozenset[str] = frozenset()
    SIGNING_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if (
            self.pk is not None
            and type(self)._base_manager.filter(self.frozen_q(), pk=self.pk).exists()
        ):
            raise ContractFrozen(frozen_message())
        return super().delete(*args, **kwargs)

    @classmethod
    def lifecycle_field_names(cls) -> set[str]:
        names = set(cls.LIFECYCLE_FIELDS)
        for name in cls.LIFECYCLE_FIELDS:
            field = cls._meta.get_field(name)
            names.add(field.attname)
        return names

    @classmethod
    def frozen_q(cls) -> Q:
        raise NotImplementedError

    @classmethod
    def signed_q(cls) -> Q:
        return Q(pk__in=[])

    def _stored(self):
        if self._state.adding or self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).first()

    def changed_fields(self, stored) -> set[str]:
        return {
            field.name
            for field in self._meta.concrete_fields
            if getattr(self, field.attname) != getattr(stored, field.attname)
        }

    def check_not_frozen(self) -> None:
        stored = self._stored()
        if stored is None:
            return
        manager = type(self)._base_manager
        changed = self.changed_fields(stored)
        if changed - self.LIFECYCLE_FIELDS and manager.filter(self.frozen_q(), pk=self.pk).exists():
            raise ContractFrozen(frozen_message())
        if changed & self.SIGNING_FIELDS and manager.filter(self.signed_q(), pk=self.pk).exists():
            raise ContractFrozen(frozen_message())


# Reference data ----------------------------------------------------------------------------


class InterventionType(models.Model):
    """Indsatstype: what a standard contract is about (kontaktperson, aflastning …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def allowed_legal_bases(self) -> list[str]:
        return sorted(row.legal_basis for row in self.offer_legal_bases.all())

    def check_fits(self, offer: Offer) -> None:
        """002: a standard contract concerns an intervention the offer is
        approved to deliver — its paragraph of the Social Services Act must be
        one the intervention type allows (§ 107 housing is not § 84 respite)."""
        allowed = self.allowed_legal_bases()
        if offer.legal_basis in allowed:
            return
        if not allowed:
            raise ValidationError(
                gettext(
                    "No paragraph of the Social Services Act is registered for %(type)s; "
                    "register the offers' paragraphs it covers first."
                )
                % {"type": self.name}
            )
        raise ValidationError(
            gettext(
                "%(type)s does not fit %(offer)s, which is approved under %(basis)s. "
                "%(type)s covers offers under %(allowed)s."
            )
            % {
                "type": self.name,
                "offer": offer.name,
                "basis": offer.legal_basis,
                "allowed": ", ".join(allowed),
            }
        )


class InterventionTypeLegalBasis(models.Model):
    """The table of which offers an intervention type fits: one row per
    paragraph of the Social Services Act the offer may be approved under."""

    intervention_type = models.ForeignKey(
        InterventionType,
        models.CASCADE,
        related_name="offer_legal_bases",
        verbose_name=_("intervention type"),
    )
    legal_basis = models.CharField(
        _("offer's legal basis"), max_length=20, choices=Offer.LegalBasis.choices
    )

    class Meta:
        ordering = ["intervention_type", "legal_basis"]
        verbose_name = _("legal basis an intervention type fits")
        verbose_name_plural = _("legal bases intervention types fit")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention_type", "legal_basis"],
                name="one_row_per_intervention_type_and_legal_basis",
                violation_error_message=_("The paragraph is already listed for this type."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type}: {self.legal_basis}"


# The general part --------------------------------------------------------------------------


class GeneralPartQuerySet(FrozenWhenSignedQuerySet):
    def visible_to(self, user) -> "GeneralPartQuerySet":
        """The general parts of the user's municipalities; for a secretariat
        those of its party municipalities and of its contracts."""
        scope = user.scope
        if scope.everything:
            return self.all()
        condition = Q(authority__in=scope.municipality_ids)
        if scope.secretariat:
            condition |= Q(authority__in=scope.party_municipality_ids) | Q(
                pk__in=StandardContract.objects.filter(
                    offers_administered_q(scope, "offer")
                ).values("general_part")
            )
        return self.filter(condition)

    def latest_for(self, authority: Municipality) -> "GeneralPart | None":
        return self.filter(authority=authority).order_by("-version").first()


class GeneralPart(FrozenWhenSigned):
    """Generelle forhold: the authority's terms for all its providers, versioned.

    A version used by a contract that has left draft is frozen: a signed
    contract keeps the exact text it was signed with. New terms are a new version.
    """

    authority = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="general_parts",
        verbose_name=_("authority"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    ethics = models.TextField(
        _("ethics and view of people"),
        help_text=_(
            "The ethics and view of people the authority wants the provider to work by, "
            "cf. the municipality's child and youth policy."
        ),
    )
    payment_terms = models.TextField(_("payment terms"))
    disputes_and_breach = models.TextField(
        _("disputes and breach of contract"),
        help_text=_("Terms for renegotiation, disputes, breach etc."),
    )
    sanctions_and_termination = models.TextField(
        _("sanctions and termination"),
        help_text=_(
            "Termination of the cooperation in a specific case, cancellation of the "
            "overall contract etc."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GeneralPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "-version"]
        verbose_name = _("general part")
        verbose_name_plural = _("general parts")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "version"],
                name="general_part_version_unique_per_authority",
                violation_error_message=_("The authority already has this version of the terms."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="general_part_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return gettext("General terms of %(authority)s, version %(version)s") % {
            "authority": self.authority,
            "version": self.version,
        }

    @classmethod
    def frozen_q(cls) -> Q:
        return Q(
            pk__in=StandardContract._base_manager.filter(status__in=FROZEN_STATUSES).values(
                "general_part"
            )
        )


# Shared by both kinds of contract ----------------------------------------------------------


class ContractQuerySet(FrozenWhenSignedQuerySet):
    def visible_to(self, user) -> "ContractQuerySet":
        """DESIGN.md "Who may see and do what": superusers see all; a
        secretariat the contracts of the offers it administers; municipality
        staff and provider leaders what `visible_conditions` gives them.

        Each condition is on a column of the contract's own table (a list of
        ids, or an id in a subquery), so that an index answers it and a
        page's own filter and order still read off the contract's indexes:
        never an OR across joins, never the whole visible set first."""
        scope = user.scope
        if scope.everything:
            return self.all()
        conditions = list(self.visible_conditions(scope))
        if not conditions:
            return self.none()
        return self.filter(functools.reduce(operator.or_, conditions))

    def visible_conditions(self, scope):
        """One condition per way the scope reaches a contract."""
        raise NotImplementedError

    def awaiting_signature(self) -> "ContractQuerySet":
        return self.filter(status=Status.AWAITING_SIGNATURE)


def contract_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The constraints both kinds of contract hold, named after the table."""
    return [
        models.UniqueConstraint(
            fields=["number", "version"],
            condition=~Q(number=""),
            name=f"{prefix}_number_and_version_unique",
        ),
        models.CheckConstraint(
            condition=Q(price__gte=0),
            name=f"{prefix}_price_not_negative",
            violation_error_message=_("The price cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(status__in=Status.values), name=f"{prefix}_status_valid"
        ),
    ]


class Contract(Versioned, FrozenWhenSigned):
    """What standard and individual contracts share: number, version, status, the stored PDF."""

    Status = Status

    LIFECYCLE_FIELDS = frozenset(
        {
            "status",
            "signed_at",
            "pdf",
            "pdf_sha256",
            "signing_pdf",
            "signing_pdf_sha256",
            "terminated_on",
            "termination_reason",
            # Counts every save, lifecycle steps included (versioning.models).
            "row_version",
        }
    )
    SIGNING_FIELDS = frozenset(
        {"signed_at", "pdf", "pdf_sha256", "signing_pdf", "signing_pdf_sha256"}
    )

    number = models.CharField(
        _("contract number"),
        max_length=30,
        blank=True,
        editable=False,
        help_text=_("Given when the contract is created; kept by its amendments."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    # An amendment points to the version it replaces.
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        editable=False,
        verbose_name=_("replaces"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    add_on_services = models.TextField(
        _("add-on services"),
        blank=True,
        help_text=_(
            "Priced extras beyond the tariff. Not allowed when a framework agreement "
            "covering the offer settles by the tariff list only."
        ),
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("signed PDF"), upload_to="contracts/", blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the signed PDF"), max_length=64, blank=True, editable=False
    )
    # The document the parties sign: rendered once when the contract is sent
    # for signature; each digital signature records this hash.
    signing_pdf = models.FileField(
        _("document for signature"), upload_to="contracts/signing/", blank=True, editable=False
    )
    signing_pdf_sha256 = models.CharField(
        _("SHA-256 of the document for signature"), max_length=64, blank=True, editable=False
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("reason for termination"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def frozen_q(cls) -> Q:
        return Q(status__in=FROZEN_STATUSES)

    @classmethod
    def signed_q(cls) -> Q:
        return Q(status__in=SIGNED_STATUSES)

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def reference(self) -> str:
        """Contract number and version, as in the PDF footer and file names."""
        return f"{self.number}-v{self.version}"

    def signature_for(self, party: str) -> "Signature | None":
        for signature in self.signatures.all():
            if signature.party == party:
                return signature
        return None

    @property
    def signed_on(self) -> "datetime.date | None":
        """The day the contract was signed: the date of the last signature
        (not the day the signing was registered)."""
        dates = [signature.signed_on for signature in self.signatures.all()]
        if dates:
            return max(dates)
        return self.signed_at.date() if self.signed_at else None

    def missing_signatures(self) -> list[str]:
        present = {signature.party for signature in self.signatures.all()}
        return [party for party in Signature.Party.values if party not in present]

    def framework_agreements(self):
        return self.get_offer().framework_agreements.all()

    def digital_signing_required(self) -> bool:
        """A framework agreement covering the offer requires the parties to sign
        digitally: no signature on paper."""
        return any(agreement.digital_signing_required for agreement in self.framework_agreements())

    def signing_municipality(self) -> Municipality:
        """The municipality whose staff sign on behalf of the authority."""
        raise NotImplementedError

    def add_on_services_allowed(self) -> bool:
        """R6 (001): with `add_on_services_allowed` off in any framework agreement
        covering the offer, settlement is by the tariff list only."""
        return all(agreement.add_on_services_allowed for agreement in self.framework_agreements())

    def clean_add_on_services(self, errors: dict) -> None:
        if self.add_on_services.strip() and not self.add_on_services_allowed():
            errors["add_on_services"] = gettext(
                "A framework agreement covering this offer does not allow add-on services: "
                "settlement is by the tariff list only."
            )

    def get_offer(self) -> Offer:
        raise NotImplementedError


# Standard contracts ------------------------------------------------------------------------


class StandardContractQuerySet(ContractQuerySet):
    def visible_conditions(self, scope):
        """Municipality staff: where their municipality is the authority; a
        leader: their providers'; a secretariat: its offers'."""
        if scope.municipality_ids:
            yield Q(authority__in=scope.municipality_ids)
        if scope.provider_ids:
            yield Q(provider__in=scope.provider_ids)
        if scope.secretariat:
            yield offers_administered_q(scope, "offer")


class StandardContract(Contract):
    """Standardkontrakt vedrørende [indsats]: general part + intervention-specific part (R8)."""

    authority = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="standard_contracts",
        verbose_name=_("authority"),
    )
    provider = models.ForeignKey(
        Provider, models.PROTECT, related_name="standard_contracts", verbose_name=_("provider")
    )
    offer = models.ForeignKey(
        Offer, models.PROTECT, related_name="standard_contracts", verbose_name=_("offer")
    )
    intervention_type = models.ForeignKey(
        InterventionType,
        models.PROTECT,
        related_name="standard_contracts",
        verbose_name=_("intervention type"),
    )
    general_part = models.ForeignKey(
        GeneralPart,
        models.PROTECT,
        related_name="standard_contracts",
        verbose_name=_("general part (version)"),
    )

    # The parties (Kontraktens parter).
    authority_contact = models.TextField(
        _("authority's contact details"),
        help_text=_("Department, address, contact person, phone and e-mail."),
    )
    provider_contact = models.TextField(
        _("provider's contact details"),
        help_text=_("Address, daily leader, phone and e-mail."),
    )

    # The intervention-specific part (Indsatsspecifikke forhold).
    purpose = models.TextField(
        _("purpose of the contract"),
        help_text=_("Including the intervention the contract concerns."),
    )
    authority_supervision = models.TextField(_("requirements on the authority: supervision"))
    authority_information = models.TextField(
        _("requirements on the authority: information"), blank=True
    )
    authority_written_form = models.TextField(
        _("requirements on the authority: written form"), blank=True
    )
    provider_opening_hours = models.TextField(_("requirements on the provider: opening hours"))
    provider_education = models.TextField(_("requirements on the provider: education"))
    provider_competence = models.TextField(_("requirements on the provider: competence"))
    provider_involvement = models.TextField(
        _("requirements on the provider: parent and user involvement and mutual information"),
    )
    provider_confidentiality = models.TextField(
        _("requirements on the provider: duty of confidentiality")
    )
    provider_duty_to_notify = models.TextField(_("requirements on the provider: duty to notify"))
    provider_data_storage = models.TextField(_("requirements on the provider: storage of data"))
    provider_use_of_force = models.TextField(_("requirements on the provider: use of force"))
    cooperation_requirements = models.TextField(_("requirements on the cooperation"), blank=True)
    number_of_places = models.PositiveIntegerField(
        _("number of places"), validators=[MinValueValidator(1)]
    )
    insurance = models.TextField(
        _("insurance"),
        help_text=_(
            "Liability, accident and industrial injury insurance etc. for the citizens covered."
        ),
    )
    follow_up = models.TextField(_("follow-up"))
    price = models.DecimalField(
        _("price (DKK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    price_unit = models.CharField(_("price unit"), max_length=10, choices=Tariff.Unit.choices)
    price_regulation = models.TextField(_("regulation of the price"))
    price_covers = models.TextField(_("what the price covers"))
    starts_on = models.DateField(_("commencement"))
    ends_on = models.DateField(
        _("end of term"), null=True, blank=True, help_text=_("Empty for an open-ended contract.")
    )
    extension = models.TextField(_("possible extension"), blank=True)

    objects = StandardContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "provider__name", "intervention_type__name", "-version"]
        verbose_name = _("standard contract")
        verbose_name_plural = _("standard contracts")
        # The admin's ordering (newest first) and its status filter.
        indexes = [
            models.Index(fields=["-starts_on", "number"], name="standard_contract_order"),
            models.Index(fields=["status", "-starts_on"], name="standard_contract_status"),
            models.Index(fields=["number", "version"], name="standard_contract_number_idx"),
            models.Index(fields=["ends_on"], name="standard_contract_ends_idx"),
        ]
        constraints = [
            # R8 (002): one standard contract per intervention type per
            # authority and provider in force at a time.
            models.UniqueConstraint(
                fields=["authority", "provider", "intervention_type"],
                condition=Q(status="signed"),
                name="one_signed_standard_contract_per_authority_provider_and_type",
                violation_error_message=_(
                    "The authority already has a signed standard contract with this provider "
                    "for this intervention type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lt=models.F("ends_on")),
                name="standard_contract_starts_before_it_ends",
                violation_error_message=_("The contract must start before it ends."),
            ),
            *contract_constraints("standard_contract"),
        ]

    def __str__(self) -> str:
        return gettext("Standard contract %(number)s (v%(version)s): %(type)s, %(provider)s") % {
            "number": self.number or "–",
            "version": self.version,
            "type": self.intervention_type,
            "provider": self.provider,
        }

    def get_absolute_url(self) -> str:
        return reverse("contracts:standard_contract_detail", args=[self.pk])

    def get_offer(self) -> Offer:
        return self.offer

    def signing_municipality(self) -> Municipality:
        return self.authority

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.offer_id and self.provider_id and self.offer.provider_id != self.provider_id:
            errors["offer"] = gettext("The offer belongs to another provider.")
        if (
            self.general_part_id
            and self.authority_id
            and self.general_part.authority_id != self.authority_id
        ):
            errors["general_part"] = gettext("The general part belongs to another authority.")
        if self.offer_id:
            self.clean_add_on_services(errors)
        if self.offer_id and self.intervention_type_id and "intervention_type" not in errors:
            try:
                self.intervention_type.check_fits(self.offer)
            except ValidationError as error:
                errors["intervention_type"] = error.messages[0]
        if errors:
            raise ValidationError(errors)

    def latest_version(self) -> "StandardContract":
        """The newest version in this contract's chain of amendments."""
        contract = self
        while (following := StandardContract.objects.filter(replaces=contract).first()) is not None:
            contract = following
        return contract


# Individual contracts ----------------------------------------------------------------------


class IndividualContractQuerySet(ContractQuerySet):
    def visible_conditions(self, scope):
        """Municipality staff: where their municipality acts or pays; a
        leader: their providers'; a secretariat: its offers' (provider and
        offer copied from the standard contract)."""
        if scope.municipality_ids:
            yield Q(acting_municipality__in=scope.municipality_ids)
            yield Q(paying_municipality__in=scope.municipality_ids)
        if scope.provider_ids:
            yield Q(provider__in=scope.provider_ids)
        if scope.secretariat:
            yield offers_administered_q(scope, "offer")

    def awaiting_archiving_decision(self) -> "IndividualContractQuerySet":
        """Contracts whose records the public archive has not released: their
        offer is covered by a framework agreement without an archiving status,
        or by none (`IndividualContract.archiving_hold`)."""
        covering = Offer.framework_agreements.through.objects.order_by()
        undecided = covering.filter(frameworkagreement__archiving_status="")
        return self.filter(
            Q(offer__in=undecided.values("offer_id")) | ~Q(offer__in=covering.values("offer_id"))
        )

    def active(self, on: datetime.date | None = None) -> "IndividualContractQuerySet":
        """Signed contracts in force on `on` (today): started on or before it and
        not terminated, expired or ended."""
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            status=Status.SIGNED,
            starts_on__lte=on,
        )


CPR_FIELDS = ["citizen_cpr", "father_cpr", "mother_cpr", "guardian_cpr"]
# Whose number each CPR field holds, as the access log names the person.
CPR_PERSONS = {
    "citizen_cpr": "child",
    "mother_cpr": "mother",
    "father_cpr": "father",
    "guardian_cpr": "guardian",
}


# Set only while the retention service removes CPR numbers (see
# `cpr_removal_permitted`): the one change the frozen guard lets through on a
# signed contract besides the lifecycle.
_cpr_removal_permitted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "cpr_removal_permitted", default=False
)


@contextlib.contextmanager
def cpr_removal_permitted():
    """Within this block, a frozen individual contract may lose its CPR
    numbers and its full-CPR PDF, and nothing else. Used by the retention
    service (`contracts.services.cpr_retention_apply`) only."""
    token = _cpr_removal_permitted.set(True)
    try:
        yield
    finally:
        _cpr_removal_permitted.reset(token)


class IndividualContract(Contract):
    """Individuel kontrakt: per citizen, an annex to a signed standard contract (R7)."""

    LIFECYCLE_FIELDS = Contract.LIFECYCLE_FIELDS | {"pdf_masked", "pdf_masked_sha256"}
    SIGNING_FIELDS = Contract.SIGNING_FIELDS | {"pdf_masked", "pdf_masked_sha256"}
    # What the retention service changes when it removes the CPR numbers.
    RETENTION_FIELDS = frozenset({*CPR_FIELDS, "cpr_removed_on", "pdf", "pdf_sha256"})

    class Custody(models.TextChoices):
        JOINT = "joint", _("Joint")
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian")

    standard_contract = models.ForeignKey(
        StandardContract,
        models.PROTECT,
        related_name="individual_contracts",
        verbose_name=_("standard contract"),
    )
    # The standard contract's provider, copied by `save` (and by whatever
    # writes in bulk): a provider's contracts are then read off an index
    # that starts with the provider, newest first, however many there are.
    provider = models.ForeignKey(
        Provider,
        models.PROTECT,
        related_name="individual_contracts",
        editable=False,
        db_index=False,
        verbose_name=_("provider"),
    )
    # The standard contract's offer, copied the same way: what a secretariat
    # sees (the offers its agreements cover) is then a condition on the
    # contract's own row, answered by the index, without the standard
    # contracts joined in.
    offer = models.ForeignKey(
        Offer,
        models.PROTECT,
        related_name="individual_contracts",
        editable=False,
        db_index=False,
        verbose_name=_("offer"),
    )

    # The citizen and the family. CPR numbers are stored as ten digits and
    # shown masked; they are excluded from the history tables.
    citizen_name = models.CharField(_("citizen's name"), max_length=200)
    citizen_cpr = models.CharField(
        _("citizen's CPR number"), max_length=10, validators=[validate_cpr]
    )
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    father_cpr = models.CharField(
        _("father's CPR number"), max_length=10, blank=True, validators=[validate_cpr]
    )
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    mother_cpr = models.CharField(
        _("mother's CPR number"), max_length=10, blank=True, validators=[validate_cpr]
    )
    custody = models.CharField(_("custody"), max_length=10, choices=Custody.choices)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_cpr = models.CharField(
        _("guardian's CPR number"), max_length=10, blank=True, validators=[validate_cpr]
    )

    # Contact persons and municipalities.
    municipality_contact = models.CharField(
        _("contact person at the municipality (family counsellor)"), max_length=200
    )
    provider_contact = models.CharField(_("contact person at the provider"), max_length=200)
    acting_municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="acting_individual_contracts",
        verbose_name=_("acting municipality"),
    )
    paying_municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="paying_individual_contracts",
        verbose_name=_("paying municipality"),
    )

    # Goals of the intervention, cf. the action plan.
    goal_development = models.TextField(_("goals: development and behaviour"), blank=True)
    goal_family = models.TextField(_("goals: family"), blank=True)
    goal_school = models.TextField(_("goals: school"), blank=True)
    goal_health = models.TextField(_("goals: health"), blank=True)
    goal_leisure = models.TextField(_("goals: leisure and friendships"), blank=True)
    goal_other = models.TextField(_("goals: other relevant matters"), blank=True)

    scope = models.TextField(_("scope"))
    frequency = models.TextField(_("frequency"))
    starts_on = models.DateField(_("start"))
    expected_duration = models.CharField(_("expected duration"), max_length=200)
    ends_on = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty while the end is not known.")
    )
    follow_up = models.TextField(_("follow-up"))
    special_economic_agreements = models.TextField(
        _("special economic agreements"),
        blank=True,
        help_text=_("E.g. equipment on admission."),
    )
    price = models.DecimalField(
        _("price (DKK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    price_unit = models.CharField(_("price unit"), max_length=10, choices=Tariff.Unit.choices)

    # Signed individual contracts are stored twice: the original with the full
    # CPR numbers (downloaded only with the permission, and logged) and a copy
    # with them masked, for everyone else.
    pdf_masked = models.FileField(
        _("signed PDF, CPR masked"), upload_to="contracts/", blank=True, editable=False
    )
    pdf_masked_sha256 = models.CharField(
        _("SHA-256 of the masked PDF"), max_length=64, blank=True, editable=False
    )
    # Retention: the day the CPR numbers and the full-CPR PDF were deleted,
    # CPR_RETENTION_YEARS after the contract ended. The CPR fields are blank
    # from then on; the masked PDF stays.
    cpr_removed_on = models.DateField(
        _("CPR numbers deleted on"), null=True, blank=True, editable=False
    )

    objects = IndividualContractQuerySet.as_manager()
    # CPR numbers never reach a history table.
    history = HistoricalRecords(excluded_fields=CPR_FIELDS)

    class Meta:
        ordering = ["-starts_on", "citizen_name"]
        verbose_name = _("individual contract")
        verbose_name_plural = _("individual contracts")
        # The default ordering, alone and under the admin's filters (status,
        # acting municipality) and the start pages' (a provider's, a
        # municipality's): a page of a large list is read off an index.
        indexes = [
            models.Index(fields=["-starts_on", "citizen_name"], name="individual_contract_order"),
            # The offer last: a secretariat's start page counts the contracts
            # of a status in its offers off the index alone.
            models.Index(
                fields=["status", "-starts_on", "citizen_name", "offer"],
                name="individual_contract_status",
            ),
            # Ended by termination before a day: the contracts whose CPR
            # numbers are due for deletion.
            models.Index(fields=["status", "terminated_on"], name="individual_contract_terminated"),
            # The other municipality last: a start page counts what the
            # municipality acts in (or pays for) off the index alone.
            models.Index(
                fields=["acting_municipality", "-starts_on", "citizen_name", "paying_municipality"],
                name="individual_contract_acting",
            ),
            models.Index(
                fields=["provider", "-starts_on", "citizen_name"],
                name="individual_contract_provider",
            ),
            # A provider's signed contracts by end date: the leader's
            # deadlines, calendar and contracts ending soonest.
            models.Index(
                fields=["provider", "status", "ends_on"], name="individual_contract_prov_ends"
            ),
            # What a municipality pays for where another acts: a few rows
            # among its own (the municipality's page lists them apart).
            models.Index(
                fields=["paying_municipality", "-starts_on", "citizen_name", "acting_municipality"],
                condition=~Q(paying_municipality=models.F("acting_municipality")),
                name="individual_contract_paid_for",
            ),
            models.Index(fields=["ends_on"], name="individual_contract_ends_idx"),
            models.Index(fields=["number", "version"], name="individual_contract_number_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="individual_contract_starts_before_it_ends",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(cpr_removed_on__isnull=True)
                | Q(citizen_cpr="", father_cpr="", mother_cpr="", guardian_cpr=""),
                name="individual_contract_no_cpr_after_removal",
            ),
            *contract_constraints("individual_contract"),
        ]
        permissions = [
            ("view_full_cpr", _("Can see full CPR numbers (every view is logged)")),
        ]

    def __str__(self) -> str:
        return gettext("Individual contract %(number)s (v%(version)s): %(citizen)s") % {
            "number": self.number or "–",
            "version": self.version,
            "citizen": self.citizen_name,
        }

    def save(self, *args, **kwargs):
        if self.standard_contract_id is not None:
            self.provider_id = self.standard_contract.provider_id
            self.offer_id = self.standard_contract.offer_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("contracts:individual_contract_detail", args=[self.pk])

    def get_offer(self) -> Offer:
        return self.standard_contract.offer

    def archiving_hold(self) -> str:
        """Why the contract's CPR numbers and full PDF may not be deleted yet
        (arkivloven: only once an archival version is delivered or discarding
        is permitted, for every agreement covering its offer); empty when they may."""
        agreements = list(self.framework_agreements())
        if not agreements:
            return gettext("its offer is not covered by a framework agreement")
        undecided = [agreement.name for agreement in agreements if not agreement.archiving_status]
        if undecided:
            return gettext(
                "no archiving status (archival version delivered or discarding permitted) "
                "for %(agreements)s"
            ) % {"agreements": ", ".join(undecided)}
        return ""

    def signing_municipality(self) -> Municipality:
        return self.acting_municipality

    @property
    def masked_citizen_cpr(self) -> str:
        return self.cpr_display("citizen_cpr", full=False)

    def cpr_display(self, name: str, *, full: bool) -> str:
        """One of CPR_FIELDS as shown: whole or masked, or, once deleted after
        the retention period, saying so (where the person is named)."""
        if self.cpr_removed_on is not None:
            person_named = name == "citizen_cpr" or getattr(self, name.replace("_cpr", "_name"))
            return gettext("Deleted after the retention period") if person_named else ""
        value = getattr(self, name)
        return format_cpr(value) if full else mask_cpr(value)

    def check_not_frozen(self) -> None:
        if _cpr_removal_permitted.get():
            stored = self._stored()
            if stored is not None and self.changed_fields(stored) <= self.RETENTION_FIELDS:
                return
        super().check_not_frozen()

    def clean_fields(self, exclude=None) -> None:
        # After the retention period the numbers are gone on purpose.
        if self.cpr_removed_on is not None:
            exclude = {*(exclude or ()), *CPR_FIELDS}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.standard_contract_id:
            standard = self.standard_contract
            # R7 (001): every individual contract hangs off a signed standard contract.
            if standard.status != Status.SIGNED:
                errors["standard_contract"] = gettext(
                    "An individual contract can only be made under a signed standard contract."
                )
            self.clean_add_on_services(errors)
        if self.custody == self.Custody.GUARDIAN and not self.guardian_name.strip():
            errors["guardian_name"] = gettext(
                "Give the guardian's name when a guardian has custody."
            )
        if errors:
            raise ValidationError(errors)


# Signatures --------------------------------------------------------------------------------


class SignatureQuerySet(FrozenWhenSignedQuerySet):
    pass


class Signature(FrozenWhenSigned):
    """One party's signature on one contract: who, title, when, how, and who recorded it.

    A digital signature is made by the signatory in person
    (`services.contract_sign_digitally`): it records the user, how they
    authenticated (single sign-on: the assertion's persistent id, CVR and
    level of assurance; a password login: when the second factor was given),
    the server's time and the SHA-256 of the document signed. A signature on
    paper is recorded by the secretariat with the signed scan.
    """

    class Party(models.TextChoices):
        AUTHORITY = "authority", _("On behalf of the municipal council (authority)")
        PROVIDER = "provider", _("As provider")

    class Method(models.TextChoices):
        WET_INK = "wet_ink", _("On paper")
        DIGITAL = "digital", _("Digitally in Rammeaftale")

    class Authentication(models.TextChoices):
        SINGLE_SIGN_ON = "sso", _("Single sign-on (MitID Erhverv)")
        PASSWORD_AND_CODE = "password_code", _("Password and second factor")

    standard_contract = models.ForeignKey(
        StandardContract,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("standard contract"),
    )
    individual_contract = models.ForeignKey(
        IndividualContract,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("individual contract"),
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="recorded_signatures",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_signatures",
        verbose_name=_("signatory (user)"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    document_sha256 = models.CharField(
        _("SHA-256 of the document signed"), max_length=64, blank=True
    )
    authentication = models.CharField(
        _("authentication"), max_length=20, choices=Authentication.choices, blank=True
    )
    sso_persistent_id = models.CharField(
        _("persistent id (single sign-on)"), max_length=200, blank=True
    )
    sso_cvr = models.CharField(_("CVR (single sign-on)"), max_length=8, blank=True)
    sso_loa = models.CharField(_("level of assurance"), max_length=20, blank=True)
    second_factor_at = models.DateTimeField(_("second factor given"), null=True, blank=True)
    scan = models.FileField(_("signed scan"), upload_to="contracts/signatures/", blank=True)

    objects = SignatureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["party"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        permissions = [
            ("sign_for_authority", _("Can sign contracts on behalf of the municipality")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(standard_contract__isnull=False, individual_contract__isnull=True)
                | Q(standard_contract__isnull=True, individual_contract__isnull=False),
                name="signature_on_exactly_one_contract",
            ),
            models.UniqueConstraint(
                fields=["standard_contract", "party"],
                name="one_signature_per_party_on_standard_contract",
                violation_error_message=_("This party has already signed the contract."),
            ),
            models.UniqueConstraint(
                fields=["individual_contract", "party"],
                name="one_signature_per_party_on_individual_contract",
                violation_error_message=_("This party has already signed the contract."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.signer_name}, {self.signed_on:%d.%m.%Y}"

    @property
    def contract(self) -> Contract:
        return self.standard_contract or self.individual_contract

    @classmethod
    def frozen_q(cls) -> Q:
        # Signatures are recorded while the contract awaits signature, and are
        # final once it is signed.
        return Q(standard_contract__status__in=SIGNED_STATUSES) | Q(
            individual_contract__status__in=SIGNED_STATUSES
        )


# The CPR access log ------------------------------------------------------------------------


# A stated purpose shorter than this says nothing about why.
CPR_PURPOSE_MIN_LENGTH = 5


class CprAccessLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CprAccessLogQuerySet":
        """The accesses to the contracts the user sees, and the user's own."""
        if user.scope.everything:
            return self.all()
        return self.filter(
            Q(individual_contract__in=IndividualContract.objects.visible_to(user).values("pk"))
            | Q(user=user)
        )

    def for_cpr(self, cpr: str) -> "CprAccessLogQuerySet":
        """Every logged access to one person's full CPR number — as a child,
        mother, father or guardian — under the current digest key and every old one."""
        from contracts.cpr import cpr_digests

        condition = Q(pk__in=[])
        for key_id, digest in cpr_digests(cpr):
            condition |= Q(digest_key_id=key_id, person_digest=digest)
        return self.filter(condition)

    def older_than(self, moment: datetime.datetime) -> "CprAccessLogQuerySet":
        return self.filter(at__lt=moment)


class CprAccessLog(models.Model):
    """Who saw a full CPR number, when, in which contract, and why: one row
    per person whose number was shown.

    The person is identified by a keyed digest of the number (`contracts.cpr`),
    with the id of the key it was made with, so the log can be read per person
    without holding the number in clear, also after the key is rotated.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the contract with full CPR numbers")
        SEARCH = "search", _("Searched by CPR number")
        PDF = "pdf", _("Downloaded the PDF with full CPR numbers")
        EXPORT = "export", _("Exported with full CPR numbers")
        REPORT = "report", _("Produced the person's access report")

    class Person(models.TextChoices):
        CHILD = "child", _("The child or young person")
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian")
        SEARCHED = "searched", _("The number searched for")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="cpr_accesses",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    individual_contract = models.ForeignKey(
        IndividualContract,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cpr_accesses",
        verbose_name=_("individual contract"),
    )
    person = models.CharField(
        _("whose number"), max_length=10, choices=Person.choices, default=Person.CHILD
    )
    person_digest = models.CharField(_("person (digest)"), max_length=64, db_index=True)
    digest_key_id = models.CharField(_("digest key"), max_length=12)
    person_cpr_masked = models.CharField(_("CPR number"), max_length=11)
    purpose = models.CharField(_("stated purpose"), max_length=300)

    objects = CprAccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("CPR access")
        verbose_name_plural = _("CPR access log")

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.person_cpr_masked}"

    def person_label(self) -> str:
        """Whose number, as the contract speaks of them: "the child or young
        person" only under a paragraph for children, otherwise "the citizen"
        (select `individual_contract__standard_contract__offer` with it)."""
        contract = self.individual_contract
        if (
            self.person == self.Person.CHILD
            and contract is not None
            and not contract.standard_contract.offer.serves_children
        ):
            return gettext("The citizen")
        return self.get_person_display()
