"""The capacity workflow of seed 004 (and 001's stricter rules), one function per step.

Every path — pages, admin, the `capacity_deadlines` command, the demo — goes
through these functions. Each is atomic, takes the acting user, locks what it
changes, records history and raises `CapacityError` with a Danish message when
the step is refused; a refused step changes nothing.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import require_in_scope
from accounts.roles import is_secretariat
from agreements.models import (
    BodyMember,
    BodyRepresentative,
    GoverningBody,
    Meeting,
    Municipality,
    Region,
)
from capacity import notifications
from capacity.affected import municipalities_buying_places
from capacity.models import (
    CapacityAdjustment,
    CapacityError,
    CapacityPolicy,
    Consultation,
    Hearing,
    HearingMember,
    HearingResponse,
)
from providers.models import Offer

Kind = CapacityAdjustment.Kind
Status = CapacityAdjustment.Status
Route = CapacityAdjustment.Route


# Who may ---------------------------------------------------------------------


def may_request_for(user, offer: Offer) -> bool:
    """The operating municipality's staff ask for their offers; a
    secretariat may register a request on behalf of the operator of any
    offer its agreements cover."""
    if is_secretariat(user) and Offer.objects.visible_to(user).filter(pk=offer.pk).exists():
        return True
    operator = offer.provider.operating_municipality_id
    return (
        operator is not None and Municipality.objects.staffed_by(user).filter(pk=operator).exists()
    )


def _require_secretariat(user, adjustment: CapacityAdjustment) -> None:
    """The secretariat of the agreements covering the adjustment's offer."""
    if not is_secretariat(user):
        raise CapacityError(_("Only the secretariat may take this step."))
    require_in_scope(
        CapacityAdjustment.objects.visible_to(user),
        adjustment,
        CapacityError(_("The adjustment is not covered by your secretariat's agreements.")),
    )


def _require_operator_or_secretariat(user, adjustment: CapacityAdjustment) -> None:
    if is_secretariat(user):
        _require_secretariat(user, adjustment)
        return
    municipality = adjustment.requested_by_municipality_id
    if (
        municipality is None
        or not Municipality.objects.staffed_by(user).filter(pk=municipality).exists()
    ):
        raise CapacityError(
            _("Only the operating municipality or the secretariat may take this step.")
        )


# Helpers ---------------------------------------------------------------------


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _save(obj, user, reason: str, **kwargs) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save(**kwargs)


def _lock(adjustment: CapacityAdjustment) -> CapacityAdjustment:
    """Lock the adjustment row and read it afresh (another request may have
    moved it on while this one waited)."""
    return CapacityAdjustment.objects.select_for_update().get(pk=adjustment.pk)


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def approving_bodies(adjustment: CapacityAdjustment) -> QuerySet:
    """R2/R4: the bodies that may approve capacity under the offer's agreements
    (DASSOS, and the Forretningsudvalg deciding on its behalf)."""
    agreements = adjustment.offer.agreements_in_force()
    return GoverningBody.objects.filter(may_approve_capacity=True, agreement__in=agreements)


def coming_meetings(adjustment: CapacityAdjustment, today: datetime.date | None = None):
    return (
        Meeting.objects.filter(body__in=approving_bodies(adjustment), date__gte=_today(today))
        .select_related("body")
        .order_by("date", "body__name")
    )


# R3: affected municipalities ----------------------------------------------------


def affected_municipalities(adjustment: CapacityAdjustment) -> list[Municipality]:
    """Those listed on the adjustment plus any that have started buying places
    in the offer since it was requested — the operator itself excepted."""
    listed = {c.municipality_id for c in adjustment.consultations.all()}
    buying = municipalities_buying_places(adjustment.offer).exclude(
        pk=adjustment.requested_by_municipality_id
    )
    return list(
        Municipality.objects.filter(pk__in=listed | set(buying.values_list("pk", flat=True)))
    )


def missing_consultations(adjustment: CapacityAdjustment) -> list[Municipality]:
    recorded = {
        c.municipality_id for c in adjustment.consultations.all() if c.contacted_on is not None
    }
    return [m for m in affected_municipalities(adjustment) if m.pk not in recorded]


def _require_consultations(adjustment: CapacityAdjustment) -> None:
    """R3: nothing goes to approval or is carried out before every affected
    municipality has a recorded consultation."""
    missing = missing_consultations(adjustment)
    if missing:
        raise CapacityError(
            _(
                "The operator must contact every affected municipality first. "
                "No consultation is recorded for: %(names)s."
            )
            % {"names": ", ".join(m.name for m in missing)}
        )


def _add_consultation(
    adjustment: CapacityAdjustment, municipality: Municipality, source: str, user
) -> Consultation:
    consultation = Consultation(adjustment=adjustment, municipality=municipality, source=source)
    _save(consultation, user, _("Listed as affected"))
    notifications.consultation_requested(consultation)
    return consultation


# The workflow ----------------------------------------------------------------


@transaction.atomic
def adjustment_request(
    *,
    user,
    offer: Offer,
    kind: str,
    places: int | None,
    effective_on: datetime.date,
    reason: str,
    target_group: str = "",
    legal_basis: str = "",
    answers_by: datetime.date | None = None,
    today: datetime.date | None = None,
) -> CapacityAdjustment:
    """The operator asks for an adjustment. R1/R2/R6 decide from the policy
    whether it needs approval; R3 lists the municipalities that buy places.
    A relabelling (001: a new target group or paragraph) is an adjustment
    only where the policy asks for approval of it."""
    offer = Offer.objects.select_for_update().select_related("provider").get(pk=offer.pk)
    if not may_request_for(user, offer):
        raise CapacityError(_("Only the operating municipality may ask to adjust this offer."))
    provider = offer.provider
    if provider.operating_municipality_id is None and provider.operating_region_id is None:
        raise CapacityError(
            _("The offer's provider has no operating municipality or region registered.")
        )
    policy = CapacityPolicy.for_offer(offer)
    before = offer.approved_places
    is_open = offer.is_open() and offer.opened_on is not None
    if not reason.strip():
        raise CapacityError(_("Give the reason for the adjustment."))
    if effective_on < _today(today):
        raise CapacityError(_("An adjustment takes effect from today or later, not in the past."))
    # R3: the affected municipalities answer by the date the operator asks for,
    # by default as long as a hearing would give them.
    answers_by = answers_by or policy.hearing_deadline(_today(today))
    if answers_by < _today(today):
        raise CapacityError(_("The date to answer by cannot be in the past."))
    if kind == Kind.RELABELLING:
        if not policy.relabelling_requires_approval:
            raise CapacityError(
                _(
                    "The offer's framework agreements do not treat a relabelling as a "
                    "capacity adjustment; the secretariat changes the target group or "
                    "paragraph in the register."
                )
            )
        if not is_open:
            raise CapacityError(_("Only an open offer can be relabelled."))
        target_group = "" if target_group == offer.target_group else target_group
        legal_basis = "" if legal_basis == offer.legal_basis else legal_basis
        if target_group and target_group not in Offer.TargetGroup.values:
            raise CapacityError(_("Choose a target group."))
        if legal_basis and legal_basis not in Offer.LegalBasis.values:
            raise CapacityError(_("Choose a paragraph."))
        if not target_group and not legal_basis:
            raise CapacityError(
                _("A relabelling changes the offer's target group or paragraph; choose a new one.")
            )
        change = 0
    elif kind == Kind.CLOSURE:
        if not is_open or before == 0:
            raise CapacityError(_("Only an open offer with places can be closed."))
        change = -before
    else:
        if not places or places < 1:
            raise CapacityError(_("State the number of places, at least 1."))
        if kind == Kind.OPENING:
            if is_open and before > 0:
                raise CapacityError(_("The offer is already open; ask for an increase instead."))
            change = places
        elif not is_open:
            raise CapacityError(_("The offer is closed; ask for an opening instead."))
        elif kind == Kind.INCREASE:
            change = places
        elif kind == Kind.DECREASE:
            if places >= before:
                # A decrease to nothing is a closure, which always follows R2.
                raise CapacityError(
                    _(
                        "The offer has %(before)s places. Removing all of them is a closure "
                        "of the offer: ask for a closure instead."
                    )
                    % {"before": before}
                )
            change = -places
        else:
            raise CapacityError(_("Unknown kind of adjustment."))
    requires_approval = policy.requires_approval(kind, change)
    adjustment = CapacityAdjustment(
        offer=offer,
        requested_by_municipality=provider.operating_municipality,
        requested_by_region=provider.operating_region,
        requested_by_user=user,
        kind=kind,
        places_before=before,
        change=change,
        effective_on=effective_on,
        answers_by=answers_by,
        new_target_group=target_group if kind == Kind.RELABELLING else "",
        new_legal_basis=legal_basis if kind == Kind.RELABELLING else "",
        reason=reason.strip(),
        requires_approval=requires_approval,
        approval_threshold=policy.approval_threshold,
        route=Route.MEETING if requires_approval else Route.NONE,
    )
    _save(adjustment, user, _("Requested"))
    for municipality in municipalities_buying_places(offer).exclude(
        pk=provider.operating_municipality_id
    ):
        _add_consultation(adjustment, municipality, Consultation.Source.CONTRACTS, user)
    return adjustment


@transaction.atomic
def adjustment_add_affected_municipality(
    *, user, adjustment: CapacityAdjustment, municipality: Municipality
) -> Consultation:
    """R3: the secretariat adds a municipality to be consulted."""
    _require_secretariat(user, adjustment)
    adjustment = _lock(adjustment)
    if adjustment.is_final or adjustment.status == Status.APPROVED:
        raise CapacityError(_("Municipalities can only be added before the decision."))
    if municipality.pk == adjustment.requested_by_municipality_id:
        raise CapacityError(_("The operating municipality is not consulted about its own offer."))
    if adjustment.consultations.filter(municipality=municipality).exists():
        raise CapacityError(_("The municipality is already listed as affected."))
    return _add_consultation(adjustment, municipality, Consultation.Source.SECRETARIAT, user)


def _consultation_for(adjustment: CapacityAdjustment, municipality: Municipality):
    """The consultation row of an affected municipality, created when it has
    started buying places after the request."""
    if municipality.pk not in {m.pk for m in affected_municipalities(adjustment)}:
        raise CapacityError(_("The municipality is not affected by this adjustment."))
    consultation = (
        Consultation.objects.select_for_update()
        .filter(adjustment=adjustment, municipality=municipality)
        .first()
    )
    if consultation is None:
        consultation = Consultation(
            adjustment=adjustment,
            municipality=municipality,
            source=Consultation.Source.CONTRACTS,
        )
    return consultation


def _require_open_for_consultation(adjustment: CapacityAdjustment) -> None:
    if adjustment.is_final:
        raise CapacityError(_("The adjustment is closed; consultations can no longer change."))


@transaction.atomic
def consultation_record(
    *,
    user,
    adjustment: CapacityAdjustment,
    municipality: Municipality,
    contacted_on: datetime.date,
    method: str,
    answer: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> Consultation:
    """R3: the operator (or the secretariat for it) records that it contacted
    an affected municipality, how, and what it answered."""
    adjustment = _lock(adjustment)
    _require_operator_or_secretariat(user, adjustment)
    _require_open_for_consultation(adjustment)
    if contacted_on > _today(today):
        raise CapacityError(_("The contact date cannot be in the future."))
    if method not in Consultation.Method.values:
        raise CapacityError(_("Say how the municipality was contacted."))
    if answer and answer not in Consultation.Answer.values:
        raise CapacityError(_("Choose an answer."))
    consultation = _consultation_for(adjustment, municipality)
    consultation.contacted_on = contacted_on
    consultation.method = method
    consultation.answer = answer
    consultation.comment = comment
    consultation.recorded_by = user
    _save(consultation, user, _("Consultation recorded"))
    return consultation


@transaction.atomic
def consultation_answer(
    *,
    user,
    adjustment: CapacityAdjustment,
    municipality: Municipality,
    answer: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> Consultation:
    """An affected municipality answers for itself — never for another."""
    require_in_scope(
        Municipality.objects.staffed_by(user),
        municipality,
        CapacityError(_("You can only answer for your own municipality.")),
    )
    adjustment = _lock(adjustment)
    _require_open_for_consultation(adjustment)
    if answer not in Consultation.Answer.values:
        raise CapacityError(_("Choose an answer."))
    consultation = _consultation_for(adjustment, municipality)
    if consultation.contacted_on is None:
        consultation.contacted_on = _today(today)
        consultation.method = Consultation.Method.SYSTEM
    consultation.answer = answer
    consultation.comment = comment
    consultation.recorded_by = user
    _save(consultation, user, _("Answered by the municipality"))
    return consultation


def _require_routable(adjustment: CapacityAdjustment, body: GoverningBody) -> None:
    """R4: only what needs approval, after R3's consultations, to a body that
    may approve capacity under the offer's agreement."""
    if not adjustment.requires_approval:
        raise CapacityError(
            _("This adjustment needs no prior approval; it can be carried out directly.")
        )
    _require_consultations(adjustment)
    if not approving_bodies(adjustment).filter(pk=body.pk).exists():
        raise CapacityError(
            _("%(body)s may not approve capacity adjustments under the offer's agreement.")
            % {"body": body}
        )


@transaction.atomic
def adjustment_route_to_meeting(
    *,
    user,
    adjustment: CapacityAdjustment,
    meeting: Meeting,
    today: datetime.date | None = None,
) -> CapacityAdjustment:
    """R4: the secretariat puts the adjustment on a coming meeting's agenda
    (or moves it to another one)."""
    _require_secretariat(user, adjustment)
    adjustment = _lock(adjustment)
    if adjustment.status == Status.ON_AGENDA and adjustment.meeting_id == meeting.pk:
        return adjustment
    if adjustment.status == Status.IN_HEARING:
        # The hearing decides; only an objection sends the adjustment to a meeting.
        raise CapacityError(
            _(
                "The adjustment is in e-mail hearing. It goes to a meeting only if "
                "a member objects by the deadline."
            )
        )
    _require_routable(adjustment, meeting.body)
    if meeting.date < _today(today):
        raise CapacityError(_("Choose a coming meeting; this one has been held."))
    adjustment.transition_to(Status.ON_AGENDA)
    adjustment.route = Route.MEETING
    adjustment.meeting = meeting
    _save(adjustment, user, _("Put on the agenda of %(meeting)s") % {"meeting": meeting})
    return adjustment


def hearing_members(body: GoverningBody) -> list[tuple[BodyMember, BodyRepresentative | None]]:
    """R4: every member of the body with its representative's seat — what the
    secretariat sees before it opens a hearing (a member without an address
    shown in red)."""
    return body.members_with_seats()


def members_without_address(body: GoverningBody) -> list[BodyMember]:
    return [member for member, seat in hearing_members(body) if seat is None or not seat.email]


@transaction.atomic
def hearing_open(
    *,
    user,
    adjustment: CapacityAdjustment,
    body: GoverningBody,
    left_out: dict[str, str] | None = None,
    today: datetime.date | None = None,
) -> Hearing:
    """R2/R4: the secretariat opens an e-mail hearing of the body's members;
    the deadline is `hearing_days` calendar days after today. Every member
    (its municipalities and, where it is a member, the region) is mailed at
    its representative's address. A member without an address blocks the
    hearing unless `left_out` gives, by member key, why it is left out."""
    _require_secretariat(user, adjustment)
    adjustment = _lock(adjustment)
    today = _today(today)
    if adjustment.status == Status.IN_HEARING:
        return adjustment.hearing
    if Hearing.objects.filter(adjustment=adjustment).exists():
        raise CapacityError(
            _("The adjustment has had its e-mail hearing; it must be decided at a meeting.")
        )
    _require_routable(adjustment, body)
    members = hearing_members(body)
    if not members:
        raise CapacityError(_("%(body)s has no members to hear.") % {"body": body})
    left_out = {key: reason.strip() for key, reason in (left_out or {}).items() if reason.strip()}
    unreachable = [
        member
        for member, seat in members
        if (seat is None or not seat.email) and member.key not in left_out
    ]
    if unreachable:
        raise CapacityError(
            _(
                "These members have no e-mail address: %(names)s. Register their "
                "representatives' addresses, or state why each is left out of the hearing."
            )
            % {"names": ", ".join(member.name for member in unreachable)}
        )
    policy = CapacityPolicy.for_offer(adjustment.offer)
    adjustment.transition_to(Status.IN_HEARING)
    adjustment.route = Route.HEARING
    _save(adjustment, user, _("E-mail hearing opened"))
    hearing = Hearing(
        adjustment=adjustment,
        body=body,
        opened_on=today,
        deadline=policy.hearing_deadline(today),
        opened_by=user,
    )
    _save(hearing, user, _("Opened"))
    HearingMember.objects.bulk_create(
        HearingMember(
            hearing=hearing,
            municipality=member.municipality,
            region=member.region,
            representative=seat.name if seat else "",
            email=seat.email if seat and seat.email else "",
            left_out_reason="" if seat and seat.email else left_out[member.key],
        )
        for member, seat in members
    )
    notifications.hearing_opened(hearing)
    return hearing


def _member_of(hearing: Hearing, municipality=None, region=None) -> HearingMember:
    """The hearing's member for the municipality or region, or a refusal."""
    party = municipality or region
    member = (
        hearing.members.filter(municipality=municipality, region=region).first()
        if party is not None
        else None
    )
    if member is None:
        raise CapacityError(
            _("%(member)s is not a member of %(body)s.")
            % {"member": party or "–", "body": hearing.body}
        )
    return member


def representative_seats(user, hearing: Hearing) -> list[HearingMember]:
    """The members the user answers for in the hearing (by their seats)."""
    seats = BodyRepresentative.objects.filter(user=user, body=hearing.body)
    keys = {
        seat.member.key
        for seat in seats.select_related("municipality", "region")
        if seat.member is not None
    }
    return [member for member in hearing.heard_members() if member.key in keys]


def _require_open_hearing(hearing: Hearing) -> None:
    if not hearing.is_open:
        raise CapacityError(
            _("The hearing was concluded on %(date)s; answers are no longer received.")
            % {"date": _day(hearing.concluded_on)}
        )


def _respond(
    hearing: Hearing, member: HearingMember, user, reason: str, **fields
) -> HearingResponse:
    if fields["answer"] not in HearingResponse.Answer.values:
        raise CapacityError(_("Choose an answer."))
    response = HearingResponse.objects.filter(
        hearing=hearing, municipality=member.municipality, region=member.region
    ).first()
    response = response or HearingResponse(
        hearing=hearing, municipality=member.municipality, region=member.region
    )
    for name, value in fields.items():
        setattr(response, name, value)
    response.answered_by = user
    response.answered_at = timezone.now()
    _save(response, user, reason)
    return response


@transaction.atomic
def hearing_answer(
    *,
    user,
    hearing: Hearing,
    municipality: Municipality | None = None,
    region: Region | None = None,
    answer: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> HearingResponse:
    """A body member answers for the member they represent (a municipality or
    the region), until the deadline (the deadline day included). A new answer
    replaces the old one."""
    hearing = Hearing.objects.select_for_update().select_related("body").get(pk=hearing.pk)
    party = municipality or region
    seats = BodyRepresentative.objects.filter(user=user, body=hearing.body)
    if party is None or not seats.filter(municipality=municipality, region=region).exists():
        raise CapacityError(
            _("You can only answer for the member you represent in %(body)s.")
            % {"body": hearing.body}
        )
    member = _member_of(hearing, municipality, region)
    _require_open_hearing(hearing)
    if _today(today) > hearing.deadline:
        raise CapacityError(
            _("The deadline of the hearing was %(deadline)s.")
            % {"deadline": _day(hearing.deadline)}
        )
    return _respond(
        hearing,
        member,
        user,
        _("Answered"),
        answer=answer,
        comment=comment,
        channel=HearingResponse.Channel.PAGE,
        respondent=user.get_full_name() or user.get_username(),
        received_on=_today(today),
    )


@transaction.atomic
def hearing_record_answer(
    *,
    user,
    hearing: Hearing,
    municipality: Municipality | None = None,
    region: Region | None = None,
    answer: str,
    comment: str = "",
    channel: str,
    respondent: str,
    received_on: datetime.date,
    today: datetime.date | None = None,
) -> HearingResponse:
    """R4: the secretariat records an answer a member gave by mail, phone or
    at a meeting — who gave it, when and how. It counts as an answer on the
    page; it must have been received by the deadline."""
    hearing = (
        Hearing.objects.select_for_update().select_related("body", "adjustment").get(pk=hearing.pk)
    )
    _require_secretariat(user, hearing.adjustment)
    member = _member_of(hearing, municipality, region)
    _require_open_hearing(hearing)
    if channel not in HearingResponse.Channel.values or channel == HearingResponse.Channel.PAGE:
        raise CapacityError(_("Say how the answer was received."))
    if not respondent.strip():
        raise CapacityError(_("Say who gave the answer."))
    if received_on > _today(today):
        raise CapacityError(_("The answer cannot be received in the future."))
    if received_on < hearing.opened_on:
        raise CapacityError(_("The answer cannot precede the hearing."))
    if received_on > hearing.deadline:
        raise CapacityError(
            _("The deadline of the hearing was %(deadline)s; the answer came after it.")
            % {"deadline": _day(hearing.deadline)}
        )
    return _respond(
        hearing,
        member,
        user,
        _("Answer recorded by the secretariat for %(member)s") % {"member": member.name},
        answer=answer,
        comment=comment,
        channel=channel,
        respondent=respondent.strip(),
        received_on=received_on,
    )


@transaction.atomic
def hearing_conclude(*, user=None, hearing: Hearing, today: datetime.date | None = None) -> Hearing:
    """R4: no objection by the deadline approves; an objection sends the
    adjustment to the next meeting. Not before the deadline day has ended,
    unless every member heard has answered. `user` None is the deadline command. Concluding a
    concluded hearing again changes nothing."""
    if user is not None:
        _require_secretariat(user, hearing.adjustment)
    today = _today(today)
    adjustment = _lock(hearing.adjustment)
    hearing = Hearing.objects.select_for_update().select_related("body").get(pk=hearing.pk)
    if not hearing.is_open:
        return hearing
    if not hearing.may_be_concluded(today):
        raise CapacityError(
            _(
                "The hearing runs until the end of %(deadline)s, and %(names)s have not "
                "answered yet. It can be concluded after the deadline day or when every "
                "member has answered."
            )
            % {
                "deadline": _day(hearing.deadline),
                "names": ", ".join(m.name for m in hearing.missing_members()),
            }
        )
    objections = hearing.responses.filter(answer=HearingResponse.Answer.OBJECTION)
    if objections.exists():
        hearing.outcome = Hearing.Outcome.OBJECTION
        meeting = coming_meetings(adjustment, today).first()
        adjustment.route = Route.MEETING
        if meeting is None:
            # No meeting planned yet: back to the secretariat, who routes it.
            adjustment.transition_to(Status.REQUESTED)
            reason = _("Objection in the e-mail hearing; to be put on a meeting's agenda")
        else:
            adjustment.transition_to(Status.ON_AGENDA)
            adjustment.meeting = meeting
            reason = _("Objection in the e-mail hearing; put on the agenda of %(meeting)s") % {
                "meeting": meeting
            }
    else:
        hearing.outcome = Hearing.Outcome.APPROVED
        adjustment.transition_to(Status.APPROVED)
        adjustment.decided_on = today
        adjustment.decided_by_body = hearing.body
        adjustment.decision_recorded_by = user
        adjustment.decision_grounds = _("Approved by e-mail hearing without objection.")
        reason = _("Approved by e-mail hearing")
    hearing.concluded_on = today
    hearing.concluded_by = user
    _save(hearing, user, _("Concluded"))
    _save(adjustment, user, reason)
    if adjustment.status == Status.APPROVED:
        notifications.decision(adjustment)
    return hearing


@transaction.atomic
def adjustment_record_meeting_decision(
    *,
    user,
    adjustment: CapacityAdjustment,
    approved: bool,
    grounds: str,
    today: datetime.date | None = None,
) -> CapacityAdjustment:
    """R2: the secretariat records the meeting's decision. Recording the same
    decision twice is harmless; a different one is refused."""
    _require_secretariat(user, adjustment)
    adjustment = _lock(adjustment)
    outcome = Status.APPROVED if approved else Status.REJECTED
    if adjustment.status == outcome and adjustment.route == Route.MEETING:
        return adjustment
    if adjustment.status != Status.ON_AGENDA:
        raise CapacityError(
            _("Only an adjustment on a meeting's agenda can be decided at a meeting.")
        )
    meeting = adjustment.meeting
    if meeting.date > _today(today):
        raise CapacityError(
            _("The meeting is on %(date)s; its decision can be recorded from that day.")
            % {"date": _day(meeting.date)}
        )
    if not grounds.strip():
        raise CapacityError(_("Give the grounds for the decision."))
    adjustment.transition_to(outcome)
    adjustment.decided_on = meeting.date
    adjustment.decided_by_body = meeting.body
    adjustment.decision_recorded_by = user
    adjustment.decision_grounds = grounds.strip()
    _save(
        adjustment,
        user,
        (_("Approved at %(meeting)s") if approved else _("Rejected at %(meeting)s"))
        % {"meeting": meeting},
    )
    notifications.decision(adjustment)
    return adjustment


@transaction.atomic
def adjustment_carry_out(
    *, user, adjustment: CapacityAdjustment, today: datetime.date | None = None
) -> CapacityAdjustment:
    """R5: change the offer's places exactly once. The adjustment and then the
    offer are locked, so two people carrying out the same adjustment at the
    same moment give one change; the second finds it carried out and nothing
    happens. A closure sets the places to 0 and closes the offer."""
    _require_secretariat(user, adjustment)
    adjustment = _lock(adjustment)
    if adjustment.status == Status.CARRIED_OUT:
        return adjustment
    today = _today(today)
    if not adjustment.may_be_carried_out():
        if adjustment.requires_approval and adjustment.status != Status.APPROVED:
            raise CapacityError(
                _("The adjustment needs approval before it is carried out (it is “%(status)s”).")
                % {"status": adjustment.get_status_display()}
            )
        raise CapacityError(
            _("An adjustment that is “%(status)s” cannot be carried out.")
            % {"status": adjustment.get_status_display()}
        )
    _require_consultations(adjustment)
    if adjustment.effective_on > today:
        raise CapacityError(
            _("The adjustment takes effect on %(date)s; carry it out from that day.")
            % {"date": _day(adjustment.effective_on)}
        )
    offer = Offer.objects.select_for_update().get(pk=adjustment.offer_id)
    if offer.closed_on is not None and adjustment.kind != Kind.OPENING:
        # R5: a closed offer has no places to change, whatever the adjustment
        # reached before the closure; only an opening brings it back.
        raise CapacityError(
            _(
                "The offer was closed on %(date)s; an adjustment of a closed offer cannot be "
                "carried out. Ask for an opening instead."
            )
            % {"date": _day(offer.closed_on)}
        )
    if adjustment.kind == Kind.OPENING and offer.closed_on is None and offer.approved_places:
        raise CapacityError(_("The offer is already open; ask for an increase instead."))
    reason = _("Capacity adjustment %(number)s carried out") % {"number": adjustment.pk}
    if adjustment.kind == Kind.RELABELLING:
        offer.target_group = adjustment.new_target_group or offer.target_group
        offer.legal_basis = adjustment.new_legal_basis or offer.legal_basis
    elif adjustment.kind == Kind.CLOSURE:
        offer.approved_places = 0
        offer.closed_on = max(adjustment.effective_on, offer.opened_on or adjustment.effective_on)
    elif adjustment.kind == Kind.OPENING:
        offer.approved_places = adjustment.change
        if offer.closed_on is not None or offer.opened_on is None:
            offer.opened_on = adjustment.effective_on
            offer.closed_on = None
    else:
        after = offer.approved_places + adjustment.change
        if after < 1:
            raise CapacityError(
                _(
                    "The offer now has %(places)s places; removing %(change)s would leave "
                    "none. Ask for a closure instead."
                )
                % {"places": offer.approved_places, "change": -adjustment.change}
            )
        offer.approved_places = after
    _save(offer, user, reason)
    adjustment.transition_to(Status.CARRIED_OUT)
    adjustment.places_after = offer.approved_places
    adjustment.carried_out_at = timezone.now()
    adjustment.carried_out_by = user
    _save(adjustment, user, _("Carried out"))
    if adjustment.kind == Kind.CLOSURE:
        # R5: the closed offer has no places left to adjust; every other
        # request on it ends here, and those it concerns are told.
        others = CapacityAdjustment.objects.select_for_update().filter(offer=offer).open()
        for other in others.exclude(pk=adjustment.pk).order_by("pk"):
            _withdraw(other, user, _("The offer is closed"))
            notifications.withdrawn(other, _("The offer is closed"))
    return adjustment


def _withdraw(adjustment: CapacityAdjustment, user, reason: str) -> None:
    adjustment.transition_to(Status.WITHDRAWN)
    _save(adjustment, user, reason)
    hearing = Hearing.objects.filter(adjustment=adjustment, concluded_on=None).first()
    if hearing is not None:
        # A withdrawn request leaves no hearing running.
        hearing.concluded_on = timezone.localdate()
        hearing.concluded_by = user
        hearing.outcome = Hearing.Outcome.WITHDRAWN
        _save(hearing, user, reason)


@transaction.atomic
def adjustment_withdraw(*, user, adjustment: CapacityAdjustment) -> CapacityAdjustment:
    """The operator (or the secretariat) withdraws a request not yet carried out."""
    adjustment = _lock(adjustment)
    _require_operator_or_secretariat(user, adjustment)
    if adjustment.status == Status.WITHDRAWN:
        return adjustment
    _withdraw(adjustment, user, _("Withdrawn"))
    return adjustment


# Deadlines -----------------------------------------------------------------------


def hearing_send_reminder(*, hearing: Hearing, today: datetime.date | None = None) -> bool:
    """Remind the members who have not answered, 3 days before the deadline,
    once. Returns whether a reminder was sent now."""
    today = _today(today)
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if not hearing.reminder_due(today):
            return False
        hearing.reminder_sent_on = today
        _save(hearing, None, _("Reminder sent"))
        notifications.hearing_reminder(hearing)
    return True


def run_deadlines(today: datetime.date | None = None) -> dict[str, int]:
    """Conclude the hearings whose deadline has passed (the deadline day
    itself still belongs to the members) and send the reminders that are due.
    Running it again the same day does nothing more."""
    today = _today(today)
    done = {"concluded": 0, "reminded": 0}
    for hearing in Hearing.objects.filter(concluded_on=None, deadline__lt=today):
        if hearing_conclude(hearing=hearing, today=today).concluded_on == today:
            done["concluded"] += 1
    for hearing in Hearing.objects.filter(
        concluded_on=None, reminder_sent_on=None, deadline__gte=today
    ):
        done["reminded"] += hearing_send_reminder(hearing=hearing, today=today)
    return done


# The 12-month warning ---------------------------------------------------------------


def cumulative_warnings(adjustments) -> dict[int, int]:
    """Beyond the seeds: the approval-free adjustments of one offer that, within
    12 months, add up to more than the threshold in one direction (a large
    change cut into small ones). Returns {adjustment id: places in the window}
    for those that should warn — a warning for the secretariat, not a refusal.

    The windows are summed in the database, one query per 500 adjustments
    asked about (`CapacityAdjustmentQuerySet.with_cumulative_totals`)."""
    ids = [a.pk for a in adjustments if not a.requires_approval]
    warnings = {}
    for start in range(0, len(ids), WARNING_BATCH):
        rows = (
            CapacityAdjustment.objects.filter(pk__in=ids[start : start + WARNING_BATCH])
            .with_cumulative_totals()
            .values_list(
                "pk",
                "approval_threshold",
                "back_places",
                "back_count",
                "ahead_places",
                "ahead_count",
            )
        )
        for pk, threshold, back_places, back_count, ahead_places, ahead_count in rows:
            # The 12 months up to this adjustment, and the 12 months from it.
            for places, count in ((back_places, back_count), (ahead_places, ahead_count)):
                if (count or 0) > 1 and (places or 0) > threshold:
                    warnings[pk] = max(places, warnings.get(pk, 0))
    return warnings


WARNING_BATCH = 500
