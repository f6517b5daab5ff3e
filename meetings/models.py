"""The bodies' meetings: agenda items, decisions, minutes and papers (004).

A meeting (agreements.Meeting) gets an agenda of items of any kind; after the
meeting the secretariat records each item's decision and the minutes, which
are approved and then frozen like a signed contract. Papers (PDF, DOCX, XLSX)
hang off agenda items and framework agreements.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import (
    BodyRepresentative,
    CouncilApproval,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
)
from contracts.models import StandardContract
from domain.errors import Refusal
from outbox.models import OutgoingMail
from providers.models import OperatingAgreement


class MeetingError(Refusal):
    """A refused step of the meetings workflow; the message is for the user."""


class MinutesFrozen(MeetingError):
    pass


def frozen_message() -> str:
    return str(_("The minutes are approved and can no longer be changed."))


# The frozen guard ---------------------------------------------------------------------
# An integrity guard, not a business rule (the services decide when minutes are
# approved): once they are, nothing of the meeting's record changes by any path.


def _meeting_frozen(meeting_id) -> bool:
    return Minutes.objects.filter(meeting_id=meeting_id, status=Minutes.Status.APPROVED).exists()


def _refuse_if_frozen(meeting_id) -> None:
    """`meeting_id` may be a value or a subquery giving it."""
    if _meeting_frozen(meeting_id):
        raise MinutesFrozen(frozen_message())


class FrozenWithMinutesQuerySet(models.QuerySet):
    meeting_path = "meeting"

    def _frozen(self) -> bool:
        return self.filter(
            **{f"{self.meeting_path}__record__status": Minutes.Status.APPROVED}
        ).exists()

    def update(self, **kwargs):
        if self._frozen():
            raise MinutesFrozen(frozen_message())
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self._frozen():
            raise MinutesFrozen(frozen_message())
        return super().delete()

    delete.queryset_only = True


# Agenda items -------------------------------------------------------------------------


def _released_or_reviewed_by(user, path: str = "") -> Q:
    """A member reads an agenda once it is released (or its minutes approved),
    or before as one of its reviewers; the secretariat prepares it from the start."""
    if user.scope.secretariat:
        return Q()
    return (
        Q(**{f"{path}release__released_at__isnull": False})
        | Q(**{f"{path}record__status": "approved"})
        | Q(**{f"{path}agenda_reviewers__seat__user": user.pk or 0})
    )


def agenda_meetings_visible_to(user):
    """The meetings whose agenda (items and their titles) the user reads."""
    return (
        Meeting.objects.material_visible_to(user)
        .filter(_released_or_reviewed_by(user))
        .values("pk")
    )


def public_meetings():
    """Released agendas of the bodies that publish."""
    return Meeting.objects.filter(
        GoverningBody.publishing_q("body__"), release__released_at__isnull=False
    )


class AgendaItemQuerySet(FrozenWithMinutesQuerySet):
    def visible_to(self, user) -> "AgendaItemQuerySet":
        """The items whose title the user reads: members once the agenda is
        released (or as reviewers), the secretariat always. Closed items are
        among them: their readers are the members and the secretariat."""
        return self.filter(meeting__in=agenda_meetings_visible_to(user))

    def content_visible_to(self, user) -> "AgendaItemQuerySet":
        """The items whose text, papers and decision the user reads: a member
        disqualified on an item (inhabil) reads its title only."""
        return self.visible_to(user).exclude(exclusions__seat__user=user.pk or 0)

    def public(self) -> "AgendaItemQuerySet":
        """Open items of released agendas of bodies that publish."""
        return self.filter(meeting__in=public_meetings().values("pk"), closed_reason="")


class ClosedReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("Personal data")
    BUSINESS_SECRET = "business_secret", _("Business secret")
    OTHER = "other", _("Other reason")


class AgendaItem(models.Model):
    ClosedReason = ClosedReason

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        DISCUSSION = "discussion", _("Discussion")
        ORIENTATION = "orientation", _("Orientation")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted")
        DISCUSSED = "discussed", _("Discussed")
        POSTPONED = "postponed", _("Postponed")

    meeting = models.ForeignKey(
        Meeting, models.PROTECT, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    case_text = models.TextField(_("case presentation"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    # What the item is about (optional, at most one).
    adjustment = models.OneToOneField(
        "capacity.CapacityAdjustment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("capacity adjustment"),
    )
    evaluation_of = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_items",
        verbose_name=_("yearly evaluation of"),
    )
    mandate = models.ForeignKey(
        "meetings.Mandate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("mandate of an ad hoc group"),
    )
    tariff_matter = models.CharField(
        _("tariff matter"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the year's tariff round or a steering agreement rule."),
    )
    # A closed item (lukket punkt): only the members and the secretariat read it.
    closed_reason = models.CharField(
        _("closed because of"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    closed_reason_text = models.CharField(_("other reason"), max_length=200, blank=True)
    # The decision, recorded after the meeting.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["meeting", "position"], name="agenda_item_order")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(adjustment__isnull=True, evaluation_of__isnull=True)
                    | Q(adjustment__isnull=True, mandate__isnull=True)
                    | Q(evaluation_of__isnull=True, mandate__isnull=True)
                ),
                name="agenda_item_about_one_thing",
                violation_error_message=_("An agenda item is about one thing at most."),
            ),
            models.CheckConstraint(
                condition=~Q(closed_reason="other") | ~Q(closed_reason_text=""),
                name="closed_item_other_reason_named",
                violation_error_message=_("Say why the item is closed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Moved from a meeting whose minutes are approved?
            _refuse_if_frozen(type(self)._base_manager.filter(pk=self.pk).values("meeting_id")[:1])
        _refuse_if_frozen(self.meeting_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_frozen(self.meeting_id)
        return super().delete(*args, **kwargs)

    @property
    def about(self):
        return self.adjustment or self.evaluation_of or self.mandate

    @property
    def closed(self) -> bool:
        return bool(self.closed_reason)

    @property
    def closed_because(self) -> str:
        if self.closed_reason == ClosedReason.OTHER:
            return self.closed_reason_text
        return self.get_closed_reason_display()


# Minutes ------------------------------------------------------------------------------


class MinutesQuerySet(FrozenWithMinutesQuerySet):
    def visible_to(self, user) -> "MinutesQuerySet":
        return self.filter(meeting__in=Meeting.objects.material_visible_to(user).values("pk"))


def minutes_path(minutes: "Minutes", filename: str) -> str:
    return f"meetings/minutes/{minutes.meeting_id}/{filename}"


class Minutes(models.Model):
    """The minutes (referat) of a meeting: attendance and the decisions of its
    items. Approved by the chair or at the next meeting, then frozen; the
    approved PDF's bytes are stored with their SHA-256."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    class ApprovedHow(models.TextChoices):
        CHAIR = "chair", _("By the chair")
        NEXT_MEETING = "next_meeting", _("At the next meeting")

    meeting = models.OneToOneField(
        Meeting, models.PROTECT, related_name="record", verbose_name=_("meeting")
    )
    present = models.TextField(_("present"), blank=True)
    apologies = models.TextField(_("apologies"), blank=True)
    notes = models.TextField(_("other notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_how = models.CharField(
        _("approved"), max_length=20, choices=ApprovedHow.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval recorded by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=minutes_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    objects = MinutesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [models.Index(fields=["status"], name="minutes_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(approved_on__isnull=False, pdf_sha256__regex=r"^[0-9a-f]{64}$"),
                name="approved_minutes_have_date_and_pdf",
                violation_error_message=_("Approved minutes have a date and a stored PDF."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, status=self.Status.APPROVED).exists()
        ):
            raise MinutesFrozen(frozen_message())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.APPROVED or _meeting_frozen(self.meeting_id):
            raise MinutesFrozen(frozen_message())
        return super().delete(*args, **kwargs)

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED


class AgendaRecipientQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaRecipientQuerySet":
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class AgendaRecipient(models.Model):
    """Who got the agenda, when and at which address."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="agenda_recipients", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    agenda_sha256 = models.CharField(_("SHA-256 of the agenda PDF"), max_length=64)
    mails = GenericRelation(OutgoingMail, related_query_name="agenda_recipient")

    objects = AgendaRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "name"]
        verbose_name = _("recipient of the agenda")
        verbose_name_plural = _("recipients of the agenda")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


# Ad hoc groups' mandates (kommissorium, 004) ------------------------------------------


class MandateQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MandateQuerySet":
        return self.filter(group__in=GoverningBody.objects.material_visible_to(user).values("pk"))


class Mandate(models.Model):
    """004: "Formålet, tidshorizonten og deltagerkredsen i de enkelte ad hoc
    grupper vil typisk beskrives i et kommissorium, som godkendes i DASSOS
    og/eller Forretningsudvalget forud for igangsætning."""

    group = models.ForeignKey(
        GoverningBody,
        models.PROTECT,
        related_name="mandates",
        limit_choices_to={"kind": GoverningBody.Kind.AD_HOC},
        verbose_name=_("ad hoc group"),
    )
    purpose = models.TextField(_("purpose"))
    time_frame = models.CharField(_("time frame"), max_length=200)
    participants = models.TextField(_("participants"))
    approved_at = models.ForeignKey(
        AgendaItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_mandates",
        verbose_name=_("approved at"),
        help_text=_("The decision of DASSOS or the executive committee that approved it."),
    )

    objects = MandateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return str(_("Mandate of %(group)s") % {"group": self.group})

    @property
    def approved(self) -> bool:
        return self.approved_at_id is not None


# Documents ----------------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        # One condition per owner, each asking the owner's own visible_to.
        owners = {
            "agenda_item": AgendaItem.objects.content_visible_to(user),
            "agreement": FrameworkAgreement.objects.visible_to(user),
            "council_approval": CouncilApproval.objects.visible_to(user),
            "standard_contract": StandardContract.objects.visible_to(user),
            "operating_agreement": OperatingAgreement.objects.visible_to(user),
        }
        condition = Q(pk__in=[])
        for path, visible in owners.items():
            condition |= Q(**{f"{path}__in": visible.values("pk")})
        return self.filter(condition)

    def public(self) -> "DocumentQuerySet":
        """The papers of the public pages' items (never a closed item's)."""
        return self.filter(agenda_item__in=AgendaItem.objects.public().values("pk"))

    def _refuse_if_frozen(self) -> None:
        if self.filter(agenda_item__meeting__record__status=Minutes.Status.APPROVED).exists():
            raise MinutesFrozen(frozen_message())

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    delete.queryset_only = True


def document_path(document: "Document", filename: str) -> str:
    # The stored name is the content's digest: no user text in the path.
    return f"documents/{document.sha256[:2]}/{document.sha256}.{document.kind}"


OWNERS = (
    "agenda_item",
    "agreement",
    "council_approval",
    "standard_contract",
    "operating_agreement",
)


def _one_owner() -> Q:
    condition = Q()
    for owner in OWNERS:
        others = {f"{other}__isnull": True for other in OWNERS if other != owner}
        condition |= Q(**{f"{owner}__isnull": False}, **others)
    return condition


class Document(models.Model):
    """A paper (PDF, DOCX, XLSX) on an agenda item, a framework agreement, a
    council's approval, a standard contract (e.g. the scanned wet-ink signed
    contract) or an operating agreement (its annexes); its type is read from
    its content, its bytes kept with their SHA-256."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"

    agenda_item = models.ForeignKey(
        AgendaItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    agreement = models.ForeignKey(
        FrameworkAgreement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("framework agreement"),
    )
    council_approval = models.ForeignKey(
        "agreements.CouncilApproval",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("council approval"),
    )
    standard_contract = models.ForeignKey(
        "contracts.StandardContract",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("standard contract"),
    )
    operating_agreement = models.ForeignKey(
        "providers.OperatingAgreement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("operating agreement"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    filename = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A new version replaces the file; the history keeps the earlier ones.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=_one_owner(),
                name="document_has_one_owner",
                violation_error_message=_("A document belongs to exactly one thing."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        if self.agenda_item_id:
            _refuse_if_frozen(
                AgendaItem.objects.filter(pk=self.agenda_item_id).values("meeting_id")[:1]
            )

    @property
    def owner(self):
        return next(getattr(self, name) for name in OWNERS if getattr(self, f"{name}_id"))


# Review and release of the agenda -------------------------------------------------------


class AgendaRelease(models.Model):
    """Where a meeting's agenda is: sent for review (to the chair and named
    members) and released to every member, with when and by whom."""

    meeting = models.OneToOneField(
        Meeting, models.CASCADE, related_name="release", verbose_name=_("meeting")
    )
    review_requested_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        verbose_name = _("release of the agenda")
        verbose_name_plural = _("releases of agendas")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def released(self) -> bool:
        return self.released_at is not None


class AgendaReviewerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaReviewerQuerySet":
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class AgendaReviewer(models.Model):
    """A seat the agenda is sent to for review before its release."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="agenda_reviewers", verbose_name=_("meeting")
    )
    seat = models.ForeignKey(
        BodyRepresentative, models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    asked_at = models.DateTimeField(_("asked at"))
    mails = GenericRelation(OutgoingMail, related_query_name="agenda_reviewer")

    objects = AgendaReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "seat__name"]
        verbose_name = _("reviewer of the agenda")
        verbose_name_plural = _("reviewers of the agenda")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"], name="one_review_per_seat_and_meeting"
            )
        ]

    def __str__(self) -> str:
        return str(self.seat)


class AgendaComment(models.Model):
    """A reviewer's comment on the agenda (or one of its items) before release."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="agenda_comments", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("agenda item"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    text = models.TextField(_("comment"))
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("comment on the agenda")
        verbose_name_plural = _("comments on the agenda")

    def __str__(self) -> str:
        return self.text[:60]


class AgendaChange(models.Model):
    """A change of an agenda after its release ("ændret efter udsendelse")."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="agenda_changes", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("agenda item"),
    )
    description = models.CharField(_("change"), max_length=400)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("change after release")
        verbose_name_plural = _("changes after release")

    def __str__(self) -> str:
        return self.description


# Disqualification (inhabilitet) ---------------------------------------------------------


class ItemExclusion(models.Model):
    """A member disqualified on an item: the member reads its title only."""

    item = models.ForeignKey(
        AgendaItem, models.CASCADE, related_name="exclusions", verbose_name=_("agenda item")
    )
    seat = models.ForeignKey(
        BodyRepresentative, models.CASCADE, related_name="+", verbose_name=_("member")
    )
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "seat__name"]
        verbose_name = _("disqualification")
        verbose_name_plural = _("disqualifications")
        constraints = [
            models.UniqueConstraint(fields=["item", "seat"], name="one_exclusion_per_seat_and_item")
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.item}"


# Members' notes -----------------------------------------------------------------------


class MemberNoteQuerySet(models.QuerySet):
    def written_by(self, user) -> "MemberNoteQuerySet":
        """A note is its author's only: no role, not even the secretariat's,
        reads another's."""
        return self.filter(author=user.pk or 0)


class MemberNote(models.Model):
    """A member's private note on an agenda item or a paper. A note on a paper
    stays when the paper gets a new version, and says which it was written on."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("author")
    )
    item = models.ForeignKey(
        AgendaItem,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    document = models.ForeignKey(
        Document,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    document_version = models.PositiveIntegerField(_("written on version"), null=True, blank=True)
    text = models.TextField(_("note"))
    written_at = models.DateTimeField(_("written at"))

    objects = MemberNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("member's note")
        verbose_name_plural = _("members' notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, document__isnull=True, document_version=None)
                | Q(item__isnull=True, document__isnull=False, document_version__isnull=False),
                name="note_on_an_item_or_a_document_version",
            ),
            models.UniqueConstraint(fields=["author", "item"], name="one_note_per_author_and_item"),
            models.UniqueConstraint(
                fields=["author", "document"], name="one_note_per_author_and_document"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
