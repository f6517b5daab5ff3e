"""The framework agreement's own year (004): the hearing of the draft in the
municipal councils and the region, the consultation note (høringsnotat), and
the publication of the approved development strategy and steering agreement.

Who may see what is decided here on the ids of the user's scope
(`user.scope`): a secretariat its own agreements' hearings and documents;
municipality staff the open and concluded hearings of the agreements their
municipality is party to; everyone the approved documents.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import FrameworkAgreement, Municipality, Region
from domain.errors import Refusal


class HearingRefused(Refusal):
    """A step of the hearing or the publication that a rule refuses."""


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Development strategy")
    STEERING = "steering", _("Steering agreement")


def _agreements_of(scope) -> Q:
    """The hearings' agreements a user works on: a secretariat's own; for
    municipality staff those their municipality is party to (never a draft)."""
    if scope.everything:
        return Q()
    condition = Q(agreement__in=scope.agreement_ids)
    if scope.municipality_ids:
        condition |= Q(agreement__parties__in=scope.municipality_ids) & ~Q(
            status=AgreementHearing.Status.DRAFT
        )
    return condition


class AgreementHearingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgreementHearingQuerySet":
        return self.filter(_agreements_of(user.scope)).distinct()

    def administered_by(self, user) -> "AgreementHearingQuerySet":
        """The hearings the user's secretariat runs (all for a superuser)."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(agreement__in=scope.agreement_ids)


class AgreementHearing(models.Model):
    """The hearing of a draft document of the framework agreement in each
    party's municipal council and, for a regional agreement, the region (004:
    "Rammeaftalen i høring i kommuner og region")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("In hearing")
        CONCLUDED = "concluded", _("Concluded")

    # The one table of allowed moves; `transition_to` performs them.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CONCLUDED},
        Status.CONCLUDED: set(),
    }

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        related_name="document_hearings",
        verbose_name=_("framework agreement"),
    )
    document = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = AgreementHearingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "pk"]
        verbose_name = _("hearing of the framework agreement")
        verbose_name_plural = _("hearings of the framework agreement")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False),
                name="agreement_hearing_open_has_opened_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded") | Q(concluded_at__isnull=False),
                name="agreement_hearing_concluded_has_concluded_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.agreement})"

    def transition_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.status]:
            raise HearingRefused(
                _("A hearing that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": self.get_status_display(),
                    "new": self.Status(status).label,
                }
            )
        self.status = status

    def heard_councils(self) -> list["Council"]:
        """Who is heard: each party's municipal council and, for a regional
        agreement, the region (004: "de 19 midtjyske byråd og Regionsrådet")."""
        agreement = self.agreement
        councils = [Council(municipality=m) for m in agreement.parties.order_by("name")]
        if agreement.kind == FrameworkAgreement.Kind.REGIONAL and agreement.region_id:
            councils.append(Council(region=agreement.region))
        return councils


class Council:
    """A municipal council or the regional council: who answers a hearing."""

    def __init__(self, *, municipality: Municipality | None = None, region: Region | None = None):
        if (municipality is None) == (region is None):
            raise ValueError("A council is either a municipality's or the region's.")
        self.municipality = municipality
        self.region = region

    @property
    def key(self) -> str:
        return f"m{self.municipality.pk}" if self.municipality else f"r{self.region.pk}"

    @property
    def name(self) -> str:
        return str(self.municipality or self.region)

    def answers(self, queryset: models.QuerySet) -> models.QuerySet:
        if self.municipality:
            return queryset.filter(municipality=self.municipality)
        return queryset.filter(region=self.region)

    def __eq__(self, other) -> bool:
        return isinstance(other, Council) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:
        return self.name


class HearingSection(models.Model):
    """A numbered section of the draft in hearing."""

    hearing = models.ForeignKey(
        AgreementHearing, models.CASCADE, related_name="sections", verbose_name=_("hearing")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing", "number"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "number"],
                name="hearing_section_number_unique",
                violation_error_message=_("The draft already has a section with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="hearing_section_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class HearingAnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HearingAnswerQuerySet":
        """A secretariat reads every answer of its hearings; municipality
        staff their own municipality's answers only."""
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(
            Q(hearing__agreement__in=scope.agreement_ids)
            | Q(
                municipality__in=scope.municipality_ids,
                hearing__agreement__parties__in=scope.municipality_ids,
            )
        ).distinct()


class HearingAnswer(models.Model):
    """A council's answer to one section, or its "ingen bemærkninger" to the
    whole draft (no section), with the secretariat's comment for the note."""

    class Received(models.TextChoices):
        PAGE = "page", _("On the page")
        EMAIL = "email", _("By e-mail")
        LETTER = "letter", _("By letter")
        MEETING = "meeting", _("At a meeting")

    hearing = models.ForeignKey(
        AgreementHearing, models.CASCADE, related_name="answers", verbose_name=_("hearing")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipal council"),
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regional council"),
    )
    section = models.ForeignKey(
        HearingSection,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("section"),
    )
    text = models.TextField(_("answer"), blank=True)
    received = models.CharField(
        _("received"), max_length=20, choices=Received.choices, default=Received.PAGE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    comment = models.TextField(_("the secretariat's comment"), blank=True)

    objects = HearingAnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing", "section__number", "municipality__name", "region__name", "pk"]
        verbose_name = _("hearing answer")
        verbose_name_plural = _("hearing answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, region__isnull=True)
                | Q(municipality__isnull=True, region__isnull=False),
                name="hearing_answer_one_council",
                violation_error_message=_(
                    "Choose either a municipal council or the regional council."
                ),
            ),
            # An answer to a section says something; "no comments" has no section.
            models.CheckConstraint(
                condition=Q(section__isnull=True, text="")
                | (Q(section__isnull=False) & ~Q(text="")),
                name="hearing_answer_text_per_section",
            ),
            models.UniqueConstraint(
                fields=["hearing", "municipality", "section"],
                condition=Q(municipality__isnull=False, section__isnull=False),
                name="one_answer_per_municipal_council_and_section",
            ),
            models.UniqueConstraint(
                fields=["hearing", "region", "section"],
                condition=Q(region__isnull=False, section__isnull=False),
                name="one_answer_per_regional_council_and_section",
            ),
            models.UniqueConstraint(
                fields=["hearing", "municipality"],
                condition=Q(municipality__isnull=False, section__isnull=True),
                name="one_no_comments_per_municipal_council",
            ),
            models.UniqueConstraint(
                fields=["hearing", "region"],
                condition=Q(region__isnull=False, section__isnull=True),
                name="one_no_comments_per_regional_council",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.section or _('no comments')}"

    @property
    def sender(self) -> str:
        return str(self.municipality or self.region)

    @property
    def no_comments(self) -> bool:
        return self.section_id is None


def approved_document_path(document: "ApprovedDocument", filename: str) -> str:
    return f"approved/{document.sha256[:2]}/{document.sha256}.pdf"


class ApprovedDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApprovedDocumentQuerySet":
        """Approved documents are public (004: each municipality publishes them)."""
        return self.all()

    def administered_by(self, user) -> "ApprovedDocumentQuerySet":
        scope = user.scope
        if scope.everything:
            return self.all()
        return self.filter(agreement__in=scope.agreement_ids)


class ApprovedDocument(models.Model):
    """The approved development strategy or steering agreement as a PDF/A,
    rendered once from the concluded hearing's sections and never changed,
    with the date the last council approved it."""

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        related_name="approved_documents",
        verbose_name=_("framework agreement"),
    )
    document = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    hearing = models.OneToOneField(
        AgreementHearing,
        models.PROTECT,
        related_name="approved_document",
        verbose_name=_("hearing"),
    )
    title = models.CharField(_("title"), max_length=200)
    approved_on = models.DateField(_("approved on"))
    pdf = models.FileField(_("PDF"), upload_to=approved_document_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    licence = models.URLField(_("licence"), default="https://creativecommons.org/licenses/by/4.0/")
    gathered_at = models.DateTimeField(_("gathered at"))

    objects = ApprovedDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "document"]
        verbose_name = _("approved document")
        verbose_name_plural = _("approved documents")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "document"],
                name="one_approved_document_per_kind",
                violation_error_message=_("This document of the agreement is already gathered."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PublicationAddressQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PublicationAddressQuerySet":
        """Where a municipality published is public."""
        return self.all()


class PublicationAddress(models.Model):
    """Where a party municipality published the agreement's approved
    documents on its website (004)."""

    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.CASCADE,
        related_name="publication_addresses",
        verbose_name=_("framework agreement"),
    )
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    url = models.URLField(_("address"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = PublicationAddressQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "municipality__name"]
        verbose_name = _("publication address")
        verbose_name_plural = _("publication addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality"],
                name="one_publication_address_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="publication_address_is_web",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.url}"
