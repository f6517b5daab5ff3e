"""Capacity adjustments (seed 004 "Arbejdsgang ved kapacitetsjusteringer"; seed 001, K17).

The rules R1–R6 read the policy of the framework agreements that cover the
offer (`CapacityPolicy.for_offer`). The workflows that change these objects
are the functions in `capacity/services.py`; the models hold the one-object
rules (the state machine, the deadline arithmetic) and the constraints.
"""

import dataclasses
import datetime
import functools
import operator

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import (
    BodyMember,
    BodyRepresentative,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
    Region,
    add_years,
)
from domain.errors import Refusal
from outbox.models import OutgoingMail
from providers.models import Offer, offers_administered_q

REMINDER_DAYS_BEFORE_DEADLINE = 3


class CapacityError(Refusal):
    """A refused step: the message says in Danish why; nothing was changed."""


# The policy --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CapacityPolicy:
    """The capacity rules of the framework agreements covering one offer.

    An offer covered by several agreements (a regional one and a municipal
    one, say) follows the strictest of them: the lowest approval threshold,
    the longest hearing, and approval for closing or opening if any of them
    asks for it. Only agreements in force today count (`Offer.agreements_in_force`:
    marked in force, and their period covering the day); an offer covered by
    none is not subject to the agreed workflow, and requests for it are
    refused (`for_offer` raises).
    """

    approval_threshold: int
    hearing_days: int
    closure_requires_approval: bool
    opening_requires_approval: bool
    agreements: tuple[FrameworkAgreement, ...]
    relabelling_requires_approval: bool = False

    @classmethod
    def from_agreements(cls, agreements) -> "CapacityPolicy":
        agreements = tuple(agreements)
        if not agreements:
            raise CapacityError(
                _(
                    "The offer is not covered by a framework agreement in force, so the "
                    "agreed capacity workflow does not apply to it. Ask the secretariat to "
                    "register the agreement that covers it."
                )
            )
        return cls(
            approval_threshold=min(a.approval_threshold for a in agreements),
            hearing_days=max(a.hearing_days for a in agreements),
            closure_requires_approval=any(a.closure_requires_approval for a in agreements),
            opening_requires_approval=any(a.opening_requires_approval for a in agreements),
            relabelling_requires_approval=any(a.relabelling_requires_approval for a in agreements),
            agreements=agreements,
        )

    @classmethod
    def for_offer(cls, offer: Offer) -> "CapacityPolicy":
        return cls.from_agreements(offer.agreements_in_force())

    def requires_approval(self, kind: str, change: int) -> bool:
        """R1/R2/R6: more than the threshold, a closure, or (where the policy
        says so) an opening needs prior approval; the rest does not."""
        if kind == CapacityAdjustment.Kind.CLOSURE and self.closure_requires_approval:
            return True
        if kind == CapacityAdjustment.Kind.OPENING and self.opening_requires_approval:
            return True
        if kind == CapacityAdjustment.Kind.RELABELLING:
            return self.relabelling_requires_approval
        return abs(change) > self.approval_threshold

    def hearing_deadline(self, opened_on: datetime.date) -> datetime.date:
        """R2: calendar days from the day the hearing opens."""
        return opened_on + datetime.timedelta(days=self.hearing_days)


# Adjustments -------------------------------------------------------------------


class AddYears(Func):
    """`add_years` in SQL: the same calendar day `years` later, 29 February
    becoming 28 February (as PostgreSQL's interval arithmetic does)."""

    output_field = models.DateField()

    def __init__(self, expression, years: int):
        self.years = int(years)
        super().__init__(expression)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql}) + INTERVAL '{self.years} years' AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        shift = f"'{self.years:+d} years'"
        return (
            f"(CASE WHEN strftime('%%m-%%d', {sql}) = '02-29' "
            f"THEN date({sql}, '-1 day', {shift}) ELSE date({sql}, {shift}) END)",
            params * 3,
        )


class CapacityAdjustmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CapacityAdjustmentQuerySet":
        """A secretariat sees the adjustments of the offers its agreements
        cover (superusers all); a municipality sees what it asked for and
        where it is affected; a provider leader sees their offers'; a body
        member sees what is in hearing or on the agenda of their body.

        Each condition is on a column of the adjustment itself (a list of ids,
        or an id in a subquery): a page's order and limit still read off the
        adjustments' indexes, joined to nothing before the limit."""
        scope = user.scope
        if scope.everything:
            return self.all()
        municipalities, bodies = scope.municipality_ids, scope.body_ids
        conditions = []
        if municipalities:
            conditions += [
                Q(requested_by_municipality__in=municipalities),
                Q(
                    pk__in=Consultation.objects.filter(municipality__in=municipalities).values(
                        "adjustment"
                    )
                ),
            ]
        if scope.provider_ids:
            conditions.append(
                Q(offer__in=Offer.objects.filter(provider__in=scope.provider_ids).values("pk"))
            )
        if bodies:
            conditions += [
                Q(pk__in=Hearing.objects.filter(body__in=bodies).values("adjustment")),
                Q(meeting__in=Meeting.objects.filter(body__in=bodies).values("pk")),
            ]
        if scope.secretariat:
            conditions.append(offers_administered_q(scope, "offer"))
        if not conditions:
            return self.none()
        return self.filter(functools.reduce(operator.or_, conditions))

    def open(self) -> "CapacityAdjustmentQuerySet":
        return self.exclude(status__in=CapacityAdjustment.FINAL_STATUSES)

    def to_route(self) -> "CapacityAdjustmentQuerySet":
        """R4: requests needing approval, waiting for the secretariat to put
        them on a meeting's agenda or into an e-mail hearing."""
        return self.filter(TO_ROUTE)

    def to_carry_out(self) -> "CapacityAdjustmentQuerySet":
        """R1/R2/R5: approved, or needing no approval, and not carried out yet."""
        return self.filter(TO_CARRY_OUT)

    def approved_not_carried_out(self, offer_id: int) -> "CapacityAdjustmentQuerySet":
        """The offer's approved adjustments whose places are not yet in its
        approved places: a new request counts from the places after them."""
        return self.filter(offer_id=offer_id, status=CapacityAdjustment.Status.APPROVED).order_by(
            "effective_on", "pk"
        )

    def with_cumulative_totals(self) -> "CapacityAdjustmentQuerySet":
        """Annotate each adjustment with the approval-free, not withdrawn or
        rejected adjustments of its offer in the same direction within the 12
        months up to its effective date (`back_places`, `back_count`) and the
        12 months from it (`ahead_places`, `ahead_count`) — itself included.
        One query, whatever the number of adjustments."""
        upward = ExpressionWrapper(Q(change__gt=0), output_field=models.BooleanField())
        pool = (
            CapacityAdjustment.objects.order_by()
            .annotate(upward=upward)
            .filter(offer=OuterRef("offer"), upward=OuterRef("upward"), requires_approval=False)
            .exclude(
                status__in=[CapacityAdjustment.Status.WITHDRAWN, CapacityAdjustment.Status.REJECTED]
            )
        )
        back = pool.filter(
            effective_on__gt=AddYears(OuterRef("effective_on"), -1),
            effective_on__lte=OuterRef("effective_on"),
        )
        ahead = pool.filter(
            effective_on__gte=OuterRef("effective_on"),
            effective_on__lt=AddYears(OuterRef("effective_on"), 1),
        )

        def total(window, aggregate):
            return Subquery(
                window.values("offer").annotate(value=aggregate).values("value"),
                output_field=models.IntegerField(),
            )

        return self.annotate(upward=upward).annotate(
            back_places=total(back, Sum(Abs("change"))),
            back_count=total(back, Count("pk")),
            ahead_places=total(ahead, Sum(Abs("change"))),
            ahead_count=total(ahead, Count("pk")),
        )


class CapacityAdjustment(models.Model):
    class Kind(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")
        CLOSURE = "closure", _("Closure of the offer")
        OPENING = "opening", _("Opening of the offer")
        RELABELLING = "relabelling", _("Relabelling (target group or paragraph)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_HEARING = "in_hearing", _("In e-mail hearing")
        ON_AGENDA = "on_agenda", _("On a meeting's agenda")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CARRIED_OUT = "carried_out", _("Carried out")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Route(models.TextChoices):
        NONE = "none", _("No prior approval needed")
        MEETING = "meeting", _("Decision at a meeting")
        HEARING = "hearing", _("E-mail hearing")

    # The state machine: the only transitions `transition_to` performs.
    # Requested → carried out only for an adjustment that needs no approval;
    # on agenda → on agenda is a move to another meeting.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.REQUESTED: frozenset(
            {Status.IN_HEARING, Status.ON_AGENDA, Status.CARRIED_OUT, Status.WITHDRAWN}
        ),
        Status.IN_HEARING: frozenset(
            {Status.APPROVED, Status.ON_AGENDA, Status.REQUESTED, Status.WITHDRAWN}
        ),
        Status.ON_AGENDA: frozenset(
            {Status.ON_AGENDA, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
        ),
        Status.APPROVED: frozenset({Status.CARRIED_OUT, Status.WITHDRAWN}),
        Status.REJECTED: frozenset(),
        Status.CARRIED_OUT: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }
    FINAL_STATUSES = (Status.REJECTED, Status.CARRIED_OUT, Status.WITHDRAWN)

    offer = models.ForeignKey(
        Offer, models.PROTECT, related_name="capacity_adjustments", verbose_name=_("offer")
    )
    requested_by_municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_capacity_adjustments",
        verbose_name=_("requested by (municipality)"),
    )
    requested_by_region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_capacity_adjustments",
        verbose_name=_("requested by (region)"),
    )
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="requested_capacity_adjustments",
        verbose_name=_("registered by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    places_before = models.PositiveIntegerField(_("places before"))
    change = models.IntegerField(_("change in places"))
    effective_on = models.DateField(_("effective from"))
    answers_by = models.DateField(
        _("answers asked for by"),
        null=True,
        blank=True,
        help_text=_("The date the operator asks the affected municipalities to answer by."),
    )
    new_target_group = models.CharField(
        _("new target group"),
        max_length=30,
        choices=Offer.TargetGroup.choices,
        blank=True,
        help_text=_("For a relabelling."),
    )
    new_legal_basis = models.CharField(
        _("new legal basis"),
        max_length=20,
        choices=Offer.LegalBasis.choices,
        blank=True,
        help_text=_("For a relabelling."),
    )
    reason = models.TextField(_("reason"))
    requires_approval = models.BooleanField(
        _("requires prior approval"),
        help_text=_("Decided from the framework agreement's policy when the request is made."),
    )
    approval_threshold = models.PositiveSmallIntegerField(
        _("approval threshold (places)"),
        help_text=_("The policy's threshold when the request was made."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    route = models.CharField(_("route to approval"), max_length=20, choices=Route.choices)
    meeting = models.ForeignKey(
        Meeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="capacity_items",
        verbose_name=_("meeting"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by_body = models.ForeignKey(
        GoverningBody,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="capacity_decisions",
        verbose_name=_("decided by"),
    )
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_capacity_decisions",
        verbose_name=_("decision recorded by"),
    )
    decision_grounds = models.TextField(_("grounds for the decision"), blank=True)
    places_after = models.PositiveIntegerField(_("places after"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_out_capacity_adjustments",
        verbose_name=_("carried out by"),
    )

    mails = GenericRelation(OutgoingMail, related_query_name="concerning_adjustment")

    objects = CapacityAdjustmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("capacity adjustment")
        verbose_name_plural = _("capacity adjustments")
        indexes = [
            # The lists and the overview filter by status and sort by effective date.
            models.Index(fields=["status", "effective_on"], name="adjustment_status_idx"),
            models.Index(fields=["-requested_at"], name="capacity_adjustment_order"),
            models.Index(fields=["status", "-requested_at"], name="capacity_adjustment_status"),
            # The 12-month warning sums an offer's adjustments by effective date.
            models.Index(fields=["offer", "effective_on"], name="capacity_adjustment_window"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_by_municipality__isnull=True)
                ^ Q(requested_by_region__isnull=True),
                name="capacity_requested_by_municipality_or_region",
                violation_error_message=_(
                    "An adjustment is requested by the operating municipality or region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="increase", change__gt=0)
                | Q(kind="decrease", change__lt=0)
                | Q(kind="closure", change=-models.F("places_before"))
                | Q(kind="opening", change__gt=0, places_before=0)
                | Q(kind="relabelling", change=0)
                & (~Q(new_target_group="") | ~Q(new_legal_basis="")),
                name="capacity_change_matches_kind",
                violation_error_message=_("The change in places does not match the kind."),
            ),
            models.CheckConstraint(
                condition=~Q(status="on_agenda") | Q(meeting__isnull=False),
                name="capacity_on_agenda_has_a_meeting",
                violation_error_message=_("An adjustment on an agenda needs its meeting."),
            ),
            models.CheckConstraint(
                condition=~Q(status="carried_out")
                | Q(places_after__isnull=False, carried_out_at__isnull=False),
                name="capacity_carried_out_has_places_after",
            ),
            models.CheckConstraint(
                condition=Q(requires_approval=True) | Q(route="none"),
                name="capacity_route_only_when_approval_needed",
            ),
        ]

    def __str__(self) -> str:
        return _("Adjustment %(number)s: %(offer)s, %(change)s places") % {
            "number": self.pk,
            "offer": self.offer,
            "change": f"{self.change:+d}",
        }

    # One-object rules ------------------------------------------------------

    @property
    def operator(self) -> Municipality | Region:
        return self.requested_by_municipality or self.requested_by_region

    @property
    def places_planned_after(self) -> int:
        return self.places_before + self.change

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    def may_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def transition_to(self, status: str) -> None:
        """The one place a status changes. Raises CapacityError when the state
        machine does not allow it; the caller saves."""
        if not self.may_transition_to(status):
            raise CapacityError(
                _("An adjustment that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": self.get_status_display(),
                    "new": self.Status(status).label,
                }
            )
        self.status = status

    def may_be_carried_out(self) -> bool:
        """R1/R2: approved, or never needing approval: this adjustment's values
        checked against the `to_carry_out` set."""
        return TO_CARRY_OUT.check(
            {"status": self.status, "requires_approval": self.requires_approval}
        )

    def cumulative_window_start(self) -> datetime.date:
        """The first day of the 12 months up to the effective date."""
        return add_years(self.effective_on, -1) + datetime.timedelta(days=1)

    def cumulative_window_end(self) -> datetime.date:
        """The last day of the 12 months from the effective date."""
        return add_years(self.effective_on, 1) - datetime.timedelta(days=1)


# What waits for the secretariat, defined once: `to_route()` and
# `to_carry_out()` filter by these, the dashboard counts by them, and
# `may_be_carried_out` checks an adjustment against the second.
TO_ROUTE = Q(status=CapacityAdjustment.Status.REQUESTED, requires_approval=True)
TO_CARRY_OUT = Q(status=CapacityAdjustment.Status.APPROVED) | Q(
    status=CapacityAdjustment.Status.REQUESTED, requires_approval=False
)


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsultationQuerySet":
        return self.filter(adjustment__in=CapacityAdjustment.objects.visible_to(user))

    def waiting_for(self, municipalities) -> "ConsultationQuerySet":
        """Consultations these municipalities have not answered, on adjustments
        still under way."""
        return self.filter(municipality__in=municipalities, answer="").exclude(
            adjustment__status__in=CapacityAdjustment.FINAL_STATUSES
        )


class HearingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HearingQuerySet":
        return self.filter(adjustment__in=CapacityAdjustment.objects.visible_to(user))

    def open_for_seats_of(self, user) -> "HearingQuerySet":
        """Running hearings of the bodies where the user holds a seat, each
        annotated `unanswered`: one of the user's seats has not answered yet."""
        seats = BodyRepresentative.objects.filter(user=user).exclude(municipality=None, region=None)
        answered = HearingResponse.objects.filter(
            Q(municipality=OuterRef("municipality")) | Q(region=OuterRef("region")),
            hearing=OuterRef(OuterRef("pk")),
        )
        unanswered_seats = seats.filter(body=OuterRef("body")).exclude(Exists(answered))
        return self.filter(concluded_on=None, body__in=seats.values("body")).annotate(
            unanswered=Exists(unanswered_seats)
        )


class Consultation(models.Model):
    """R3: the operator's contact with one affected municipality before the change."""

    class Method(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")
        SYSTEM = "system", _("Answered in Rammeaftale")

    class Answer(models.TextChoices):
        AGREES = "agrees", _("Agrees")
        CONCERNS = "concerns", _("Has concerns")
        NO_COMMENT = "no_comment", _("No comment")

    class Source(models.TextChoices):
        CONTRACTS = "contracts", _("Buys places in the offer")
        SECRETARIAT = "secretariat", _("Added by the secretariat")

    adjustment = models.ForeignKey(
        CapacityAdjustment,
        models.CASCADE,
        related_name="consultations",
        verbose_name=_("capacity adjustment"),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="capacity_consultations",
        verbose_name=_("municipality"),
    )
    source = models.CharField(_("why affected"), max_length=20, choices=Source.choices)
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    mails = GenericRelation(OutgoingMail, related_query_name="consultation")

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["adjustment", "municipality"],
                name="one_consultation_per_adjustment_and_municipality",
                violation_error_message=_("The municipality is already listed as affected."),
            ),
            models.CheckConstraint(
                condition=Q(contacted_on__isnull=True, method="", answer="")
                | Q(contacted_on__isnull=False) & ~Q(method=""),
                name="consultation_recorded_with_date_and_method",
                violation_error_message=_("A recorded consultation has a date and a method."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.adjustment_id}"

    @property
    def is_recorded(self) -> bool:
        return self.contacted_on is not None


class Hearing(models.Model):
    """R2/R4: an e-mail hearing of a body's members, with its deadline."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved: no objection")
        OBJECTION = "objection", _("Objection: to a meeting")
        WITHDRAWN = "withdrawn", _("Ended: the request was withdrawn")

    adjustment = models.OneToOneField(
        CapacityAdjustment,
        models.CASCADE,
        related_name="hearing",
        verbose_name=_("capacity adjustment"),
    )
    body = models.ForeignKey(
        GoverningBody, models.PROTECT, related_name="hearings", verbose_name=_("governing body")
    )
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    reminder_sent_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concluded by"),
        help_text=_("Empty when concluded automatically at the deadline."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    objects = HearingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("e-mail hearing")
        verbose_name_plural = _("e-mail hearings")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opened_on")),
                name="hearing_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True, outcome="")
                | Q(concluded_on__isnull=False) & ~Q(outcome=""),
                name="hearing_concluded_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return _("Hearing on %(adjustment)s") % {"adjustment": self.adjustment}

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    def heard_members(self) -> list["HearingMember"]:
        """The members heard: every member of the body when the hearing
        opened, but those the secretariat left out (with its reason)."""
        return [m for m in self.members.all() if not m.left_out_reason]

    def missing_members(self) -> list["HearingMember"]:
        answered = {response.member_key for response in self.responses.all()}
        return [m for m in self.heard_members() if m.key not in answered]

    def all_notified(self) -> bool:
        return all(m.notified_at is not None for m in self.members.all())

    def may_be_concluded(self, today: datetime.date) -> bool:
        """R4: after the deadline day (the members have all of it), or
        earlier once every member heard has answered."""
        return today > self.deadline or not self.missing_members()

    def reminder_due(self, today: datetime.date) -> bool:
        return (
            self.is_open
            and self.reminder_sent_on is None
            and self.deadline - datetime.timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE)
            <= today
            <= self.deadline
        )


class HearingMemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HearingMemberQuerySet":
        return self.filter(hearing__in=Hearing.objects.visible_to(user))


class HearingMember(models.Model):
    """R2/R4: one member of the body in one hearing — who was notified, when
    and at which address, or why the secretariat left the member out."""

    hearing = models.ForeignKey(
        Hearing, models.CASCADE, related_name="members", verbose_name=_("e-mail hearing")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # R2/R4: set when the mail server accepted the mail to the member
    # (`outbox_sent`), not when the mail was written.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    mails = GenericRelation(OutgoingMail, related_query_name="hearing_member")
    left_out_reason = models.TextField(
        _("why left out"),
        blank=True,
        help_text=_("Recorded by the secretariat when the member had no address."),
    )

    objects = HearingMemberQuerySet.as_manager()

    class Meta:
        ordering = ["region", "municipality__name"]
        verbose_name = _("member heard")
        verbose_name_plural = _("members heard")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "municipality"], name="one_hearing_member_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["hearing", "region"], name="one_hearing_member_per_region"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) ^ Q(region__isnull=True),
                name="hearing_member_is_municipality_or_region",
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | ~Q(email=""),
                name="hearing_member_notified_at_an_address",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def member(self) -> BodyMember:
        return BodyMember(municipality=self.municipality, region=self.region)

    def outbox_sent(self, mail: OutgoingMail) -> None:
        """The outbox calls this in the transaction that marks a mail to the
        member sent: the member is notified from then."""
        if self.notified_at is None:
            self.notified_at = mail.sent_at
            self.save(update_fields=["notified_at"])

    @property
    def first_mail(self) -> OutgoingMail | None:
        """The mail that opened the hearing to the member (prefetch `mails`)."""
        mails = sorted(self.mails.all(), key=lambda mail: mail.pk)
        return mails[0] if mails else None

    @property
    def key(self) -> str:
        return f"m{self.municipality_id}" if self.municipality_id else f"r{self.region_id}"

    @property
    def name(self) -> str:
        return (self.municipality or self.region).name


class HearingResponse(models.Model):
    class Answer(models.TextChoices):
        SUPPORT = "support", _("Support")
        OBJECTION = "objection", _("Objection")
        NO_COMMENT = "no_comment", _("No comment")

    class Channel(models.TextChoices):
        PAGE = "page", _("Answered in Rammeaftale")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")

    hearing = models.ForeignKey(
        Hearing, models.CASCADE, related_name="responses", verbose_name=_("e-mail hearing")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(
        _("how"), max_length=20, choices=Channel.choices, default=Channel.PAGE
    )
    respondent = models.CharField(
        _("answered by (person)"),
        max_length=200,
        blank=True,
        help_text=_("Who gave the answer, when the secretariat records it for the member."),
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "municipality__name"]
        verbose_name = _("hearing response")
        verbose_name_plural = _("hearing responses")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "municipality"],
                name="one_response_per_hearing_and_municipality",
                violation_error_message=_("The municipality has already answered the hearing."),
            ),
            models.UniqueConstraint(
                fields=["hearing", "region"],
                name="one_response_per_hearing_and_region",
                violation_error_message=_("The region has already answered the hearing."),
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) ^ Q(region__isnull=True),
                name="hearing_response_from_municipality_or_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name}: {self.get_answer_display()}"

    @property
    def member_key(self) -> str:
        return f"m{self.municipality_id}" if self.municipality_id else f"r{self.region_id}"

    @property
    def member_name(self) -> str:
        return (self.municipality or self.region).name


class Notification(models.Model):
    """An e-mail the workflow sent, keyed so that it is sent once only."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    adjustment = models.ForeignKey(
        CapacityAdjustment,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("capacity adjustment"),
    )
    template = models.CharField(_("template"), max_length=50)
    recipients = models.TextField(_("recipients"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject
