"""The capacity workflow's pages: thin views over capacity/services.py."""

import datetime

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    any_of,
    body_member,
    decide,
    municipality_staff,
    provider_leader,
    secretariat,
    visible_or_404,
)
from accounts.roles import is_secretariat, municipalities_of
from agreements.models import Meeting, Municipality
from capacity import forms, services
from capacity.models import (
    CapacityAdjustment,
    CapacityError,
    CapacityPolicy,
    Consultation,
    Hearing,
)
from providers.models import Offer

Status = CapacityAdjustment.Status
participant = any_of(secretariat, municipality_staff, body_member, provider_leader)


def _adjustments(user) -> QuerySet:
    return CapacityAdjustment.objects.visible_to(user).select_related(
        "offer__provider",
        "requested_by_municipality",
        "requested_by_region",
        "meeting__body",
        "hearing__body",
    )


def meetings_visible_to(user) -> QuerySet:
    """A secretariat sees the meetings of its agreements' bodies; a body member
    their bodies' meetings."""
    if is_secretariat(user):
        return Meeting.objects.visible_to(user)
    return Meeting.objects.filter(body__representatives__user=user).distinct()


def _offers_to_request(user) -> QuerySet:
    # Closed offers too: a closed offer can be asked to open again.
    offers = Offer.objects.select_related("provider__operating_municipality")
    if is_secretariat(user):
        return offers.visible_to(user).filter(framework_agreements__isnull=False).distinct()
    return offers.filter(provider__operating_municipality__in=municipalities_of(user))


# Overview and lists ------------------------------------------------------------------


@decide(secretariat)
def overview(request: HttpRequest) -> HttpResponse:
    """The secretariat's overview by status, with days left of each hearing."""
    today = timezone.localdate()
    adjustments = list(
        _adjustments(request.user)
        .filter(
            Q(status__in=[Status.REQUESTED, Status.IN_HEARING, Status.ON_AGENDA, Status.APPROVED])
            | Q(requested_at__gte=timezone.now() - datetime.timedelta(days=90))
        )
        .prefetch_related("consultations")
        .order_by("effective_on", "pk")
    )
    warnings = services.cumulative_warnings(adjustments)
    for adjustment in adjustments:
        adjustment.warning_total = warnings.get(adjustment.pk)
        adjustment.unrecorded = sum(
            1 for c in adjustment.consultations.all() if c.contacted_on is None
        )
        if adjustment.status == Status.IN_HEARING:
            adjustment.days_left = adjustment.hearing.days_left(today)

    def group(*statuses, approval=None):
        return [
            a
            for a in adjustments
            if a.status in statuses and (approval is None or a.requires_approval == approval)
        ]

    sections = [
        (
            _("To route: awaiting a meeting or an e-mail hearing"),
            "to_route",
            group(Status.REQUESTED, approval=True),
        ),
        (_("In e-mail hearing"), "in_hearing", group(Status.IN_HEARING)),
        (_("On a meeting's agenda"), "on_agenda", group(Status.ON_AGENDA)),
        (_("Approved, not yet carried out"), "approved", group(Status.APPROVED)),
        (
            _("Needs no approval, not yet carried out"),
            "approval_free",
            group(Status.REQUESTED, approval=False),
        ),
        (
            _("Closed cases requested in the last 90 days"),
            "closed",
            group(Status.CARRIED_OUT, Status.REJECTED, Status.WITHDRAWN),
        ),
    ]
    return render(
        request,
        "capacity/overview.html",
        {"sections": sections, "today": today, "warning_count": len(warnings)},
    )


@decide(any_of(municipality_staff, body_member))
def mine(request: HttpRequest) -> HttpResponse:
    """A municipality's and a body member's tasks: consultations and hearings
    to answer for their own municipality, and their own requests."""
    user = request.user
    municipalities = municipalities_of(user)
    adjustments = _adjustments(user)
    consultations = Consultation.objects.waiting_for(municipalities).select_related(
        "adjustment__offer", "municipality"
    )
    hearings = (
        Hearing.objects.open_for_seats_of(user)
        .select_related("adjustment__offer", "body")
        .prefetch_related("responses")
    )
    return render(
        request,
        "capacity/mine.html",
        {
            "consultations": consultations,
            "hearings": hearings,
            "requests": adjustments.filter(requested_by_municipality__in=municipalities),
            "offers": _offers_to_request(user),
            "today": timezone.localdate(),
        },
    )


@decide(any_of(secretariat, body_member))
def meetings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    coming = (
        meetings_visible_to(request.user)
        .filter(body__may_approve_capacity=True, date__gte=today - datetime.timedelta(days=30))
        .select_related("body")
        .annotate(items=Count("capacity_items"))
        .order_by("date")
    )
    return render(request, "capacity/meetings.html", {"meetings": coming, "today": today})


@decide(any_of(secretariat, body_member))
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's agenda: its capacity items with the facts a member needs."""
    meeting = visible_or_404(meetings_visible_to(request.user).select_related("body"), pk=pk)
    items = (
        meeting.capacity_items.select_related(
            "offer__provider", "requested_by_municipality", "requested_by_region"
        )
        .prefetch_related(
            Prefetch(
                "consultations",
                queryset=Consultation.objects.select_related("municipality"),
            )
        )
        .order_by("pk")
    )
    return render(request, "capacity/meeting.html", {"meeting": meeting, "items": items})


# Requesting --------------------------------------------------------------------------


@decide(any_of(secretariat, municipality_staff))
def request_adjustment(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = visible_or_404(_offers_to_request(request.user), pk=offer_pk)
    try:
        policy = CapacityPolicy.for_offer(offer)
    except CapacityError as error:
        policy, policy_error = None, error.message
    else:
        policy_error = None
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.adjustment_request(
                user=request.user, offer=offer, **form.cleaned_data
            )
        except CapacityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The request is registered."))
            return redirect("capacity:adjustment", pk=adjustment.pk)
    return render(
        request,
        "capacity/request.html",
        {"offer": offer, "form": form, "policy": policy, "policy_error": policy_error},
    )


# The adjustment page ------------------------------------------------------------------


def _next_step(adjustment: CapacityAdjustment, user, missing: list[Municipality]) -> str:
    """The one next step the viewer can take, by name (the template renders it).
    `missing` are the affected municipalities without a recorded consultation."""
    final = adjustment.is_final
    if is_secretariat(user):
        if final:
            return ""
        if adjustment.status == Status.REQUESTED:
            if missing:
                return "record_consultation"
            return "route" if adjustment.requires_approval else "carry_out"
        if adjustment.status == Status.IN_HEARING:
            return "conclude_hearing"
        if adjustment.status == Status.ON_AGENDA:
            return "decide"
        if adjustment.status == Status.APPROVED:
            return "carry_out"
        return ""
    own = municipalities_of(user)
    if (
        adjustment.status == Status.IN_HEARING
        and services.representative_seats(user, adjustment.hearing).exists()
    ):
        return "answer_hearing"
    if not final and adjustment.consultations.filter(municipality__in=own, answer="").exists():
        return "answer_consultation"
    if (
        adjustment.status == Status.REQUESTED
        and own.filter(pk=adjustment.requested_by_municipality_id).exists()
        and missing
    ):
        return "record_consultation"
    return ""


@decide(participant)
def adjustment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    user = request.user
    today = timezone.localdate()
    missing = services.missing_consultations(adjustment)
    step = _next_step(adjustment, user, missing)
    consultations = adjustment.consultations.select_related("municipality")
    listed = {c.municipality_id for c in consultations}
    late = [m for m in services.affected_municipalities(adjustment) if m.pk not in listed]
    hearing = Hearing.objects.filter(adjustment=adjustment).select_related("body").first()
    responses = hearing.responses.select_related("municipality") if hearing else []
    context = {
        "adjustment": adjustment,
        "step": step,
        "today": today,
        "consultations": consultations,
        "late_affected": late,
        "missing": missing,
        "hearing": hearing,
        "responses": responses,
        "history": adjustment.history.select_related("history_user").order_by("history_date"),
        "is_secretariat": is_secretariat(user),
        "warning_total": services.cumulative_warnings([adjustment]).get(adjustment.pk),
        "may_withdraw": not adjustment.is_final
        and (
            is_secretariat(user)
            or municipalities_of(user).filter(pk=adjustment.requested_by_municipality_id).exists()
        ),
    }
    if hearing:
        context["missing_members"] = hearing.missing_members()
        context["days_left"] = hearing.days_left(today)
    if context["is_secretariat"]:
        context["notifications"] = adjustment.notifications.all()
        if not adjustment.is_final:
            context["add_form"] = forms.MunicipalityForm(
                choices=Municipality.objects.exclude(
                    pk__in=listed | {adjustment.requested_by_municipality_id}
                )
            )
    if step == "record_consultation":
        context["form"] = forms.ConsultationRecordForm(
            choices=Municipality.objects.filter(pk__in=[m.pk for m in missing]),
            initial={"contacted_on": today},
        )
    elif step == "answer_consultation":
        context["form"] = forms.ConsultationAnswerForm(
            choices=municipalities_of(user).filter(capacity_consultations__adjustment=adjustment)
        )
    elif step == "answer_hearing":
        context["form"] = forms.HearingAnswerForm(
            choices=services.representative_seats(user, hearing)
        )
    elif step == "route":
        context["meeting_form"] = forms.RouteToMeetingForm(
            choices=services.coming_meetings(adjustment, today)
        )
        if not Hearing.objects.filter(adjustment=adjustment).exists():
            context["hearing_form"] = forms.OpenHearingForm(
                choices=services.approving_bodies(adjustment)
            )
    elif step == "decide":
        context["meeting_form"] = forms.RouteToMeetingForm(
            choices=services.coming_meetings(adjustment, today).exclude(pk=adjustment.meeting_id)
        )
        if adjustment.meeting.date <= today:
            context["form"] = forms.DecisionForm()
    elif step == "conclude_hearing":
        context["may_conclude"] = hearing.may_be_concluded(today)
    return render(request, "capacity/adjustment.html", context)


# Steps (POST) -------------------------------------------------------------------------


def _step(request: HttpRequest, adjustment: CapacityAdjustment, form, perform, done: str):
    """Validate the form, perform the service; say in Danish what happened."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            perform(form.cleaned_data if form is not None else {})
        except CapacityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("capacity:adjustment", pk=adjustment.pk)


@decide(secretariat)
@require_POST
def add_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.MunicipalityForm(request.POST),
        lambda data: services.adjustment_add_affected_municipality(
            user=request.user, adjustment=adjustment, municipality=data["municipality"]
        ),
        _("The municipality is added and asked for its view."),
    )


@decide(any_of(secretariat, municipality_staff))
@require_POST
def record_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.ConsultationRecordForm(request.POST),
        lambda data: services.consultation_record(user=request.user, adjustment=adjustment, **data),
        _("The consultation is recorded."),
    )


@decide(municipality_staff)
@require_POST
def answer_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.ConsultationAnswerForm(request.POST),
        lambda data: services.consultation_answer(user=request.user, adjustment=adjustment, **data),
        _("Your municipality's answer is recorded."),
    )


@decide(secretariat)
@require_POST
def route_to_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.RouteToMeetingForm(request.POST),
        lambda data: services.adjustment_route_to_meeting(
            user=request.user, adjustment=adjustment, meeting=data["meeting"]
        ),
        _("The adjustment is on the meeting's agenda."),
    )


@decide(secretariat)
@require_POST
def open_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.OpenHearingForm(request.POST),
        lambda data: services.hearing_open(
            user=request.user, adjustment=adjustment, body=data["body"]
        ),
        _("The e-mail hearing is open and the members are notified."),
    )


@decide(body_member)
@require_POST
def answer_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    hearing = visible_or_404(Hearing.objects.all(), adjustment=adjustment)
    return _step(
        request,
        adjustment,
        forms.HearingAnswerForm(request.POST),
        lambda data: services.hearing_answer(user=request.user, hearing=hearing, **data),
        _("Your answer to the hearing is recorded."),
    )


@decide(secretariat)
@require_POST
def conclude_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    hearing = visible_or_404(Hearing.objects.all(), adjustment=adjustment)
    return _step(
        request,
        adjustment,
        None,
        lambda data: services.hearing_conclude(user=request.user, hearing=hearing),
        _("The hearing is concluded."),
    )


@decide(secretariat)
@require_POST
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.DecisionForm(request.POST),
        lambda data: services.adjustment_record_meeting_decision(
            user=request.user,
            adjustment=adjustment,
            approved=data["decision"] == "approved",
            grounds=data["grounds"],
        ),
        _("The meeting's decision is recorded."),
    )


@decide(secretariat)
@require_POST
def carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        None,
        lambda data: services.adjustment_carry_out(user=request.user, adjustment=adjustment),
        _("The adjustment is carried out and the offer's places are changed."),
    )


@decide(any_of(secretariat, municipality_staff))
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        None,
        lambda data: services.adjustment_withdraw(user=request.user, adjustment=adjustment),
        _("The request is withdrawn."),
    )
