"""The capacity workflow's pages: thin views over capacity/services.py."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
from accounts.roles import is_secretariat, municipality_ids_of
from agreements.models import Meeting, Municipality
from capacity import forms, services
from capacity.filters import COLUMNS, AdjustmentFilter
from capacity.models import (
    CapacityAdjustment,
    CapacityError,
    CapacityPolicy,
    Consultation,
    Hearing,
)
from domain.steps import post_step
from listing.pages import list_page, summarise
from outbox.models import OutgoingMail
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


def _offers_to_request(user) -> QuerySet:
    # Closed offers too: a closed offer can be asked to open again.
    offers = Offer.objects.select_related("provider__operating_municipality")
    if is_secretariat(user):
        return offers.visible_to(user).filter(framework_agreements__isnull=False).distinct()
    return offers.filter(provider__operating_municipality__in=Municipality.objects.staffed_by(user))


# Overview and lists ------------------------------------------------------------------


def _section_link(**query) -> str:
    return f"{reverse('capacity:list')}?{urlencode(query)}" if query else reverse("capacity:list")


@decide(secretariat)
def overview(request: HttpRequest) -> HttpResponse:
    """The secretariat's overview by status: per section the first rows and
    the total, with a link to the full list; days left of each hearing."""
    today = timezone.localdate()
    adjustments = _adjustments(request.user)
    recent = timezone.now() - datetime.timedelta(days=90)
    sections = [
        (
            _("To route: awaiting a meeting or an e-mail hearing"),
            "to_route",
            adjustments.to_route(),
            _section_link(status=Status.REQUESTED, requires_approval="true", sort="effective_on"),
        ),
        (
            _("In e-mail hearing"),
            "in_hearing",
            adjustments.filter(status=Status.IN_HEARING),
            _section_link(status=Status.IN_HEARING, sort="effective_on"),
        ),
        (
            _("On a meeting's agenda"),
            "on_agenda",
            adjustments.filter(status=Status.ON_AGENDA),
            _section_link(status=Status.ON_AGENDA, sort="effective_on"),
        ),
        (
            _("Approved, not yet carried out"),
            "approved",
            adjustments.to_carry_out().filter(status=Status.APPROVED),
            _section_link(status=Status.APPROVED, sort="effective_on"),
        ),
        (
            _("Needs no approval, not yet carried out"),
            "approval_free",
            adjustments.to_carry_out().filter(status=Status.REQUESTED),
            _section_link(status=Status.REQUESTED, requires_approval="false", sort="effective_on"),
        ),
        (
            _("Closed cases requested in the last 90 days"),
            "closed",
            adjustments.filter(
                status__in=[Status.CARRIED_OUT, Status.REJECTED, Status.WITHDRAWN],
                requested_at__gte=recent,
            ),
            _section_link(sort="-requested_at"),
        ),
    ]
    summaries = [
        (title, key, summarise(queryset.order_by("effective_on", "pk")), link)
        for title, key, queryset, link in sections
    ]
    shown = [adjustment for _t, _k, summary, _l in summaries for adjustment in summary.rows]
    prefetch_related_objects(shown, "consultations")
    warnings = services.cumulative_warnings(shown)
    for adjustment in shown:
        adjustment.warning_total = warnings.get(adjustment.pk)
        adjustment.unrecorded = sum(
            1 for c in adjustment.consultations.all() if c.contacted_on is None
        )
        if adjustment.status == Status.IN_HEARING:
            adjustment.days_left = adjustment.hearing.days_left(today)
    return render(
        request,
        "capacity/overview.html",
        {"sections": summaries, "today": today, "warning_count": len(warnings)},
    )


@decide(participant)
def adjustment_list(request: HttpRequest) -> HttpResponse:
    """Every capacity adjustment the user may see, one page at a time."""
    # What the list and its download show, and no more: every join costs the planner.
    adjustments = CapacityAdjustment.objects.visible_to(request.user).select_related(
        "offer__provider", "requested_by_municipality", "requested_by_region"
    )
    listing = list_page(
        request,
        adjustments,
        AdjustmentFilter,
        empty_label=_("There are no capacity adjustments you may see yet."),
        no_match_label=_("No capacity adjustments match the filter"),
    )
    if response := listing.response(COLUMNS, "kapacitet"):
        return response
    return render(request, "capacity/list.html", {"listing": listing})


@decide(any_of(municipality_staff, body_member))
def mine(request: HttpRequest) -> HttpResponse:
    """A municipality's and a body member's tasks: consultations and hearings
    to answer for their own municipality, and their own requests."""
    user = request.user
    municipalities = Municipality.objects.staffed_by(user)
    adjustments = CapacityAdjustment.objects.visible_to(user).select_related("offer")
    consultations = Consultation.objects.waiting_for(municipalities).select_related(
        "adjustment__offer", "municipality"
    )
    hearings = (
        Hearing.objects.open_for_seats_of(user)
        .select_related("adjustment__offer", "body")
        .prefetch_related("responses")
    )
    # What waits for an answer is listed whole (open cases only); the
    # requests and the offers grow with time: their first rows, the total and
    # a link to the full list.
    ids = sorted(municipality_ids_of(user))
    one = {"municipality": ids[0]} if len(ids) == 1 else {}
    return render(
        request,
        "capacity/mine.html",
        {
            "consultations": consultations,
            "hearings": hearings,
            "requests": summarise(
                adjustments.filter(requested_by_municipality__in=ids).order_by(
                    "-requested_at", "pk"
                )
            ),
            "requests_url": _section_link(**one),
            "offers": summarise(_offers_to_request(user).order_by("provider__name", "name", "pk")),
            "offers_url": reverse("portal:offers")
            + (f"?operating_municipality={ids[0]}" if len(ids) == 1 else ""),
            "today": timezone.localdate(),
        },
    )


@decide(any_of(secretariat, body_member))
def meetings(request: HttpRequest) -> HttpResponse:
    """The meetings and their agendas are the meetings pages now."""
    return redirect("meetings:calendar")


@decide(any_of(secretariat, body_member))
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """An old address of an agenda: the meeting's page, for those who may see it."""
    meeting = visible_or_404(Meeting.objects.material_visible_to(request.user), pk=pk)
    return redirect("meetings:meeting", pk=meeting.pk)


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
    pending = list(CapacityAdjustment.objects.approved_not_carried_out(offer.pk))
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
        {
            "offer": offer,
            "form": form,
            "policy": policy,
            "policy_error": policy_error,
            "pending": pending,
            "places_after_pending": offer.approved_places + sum(a.change for a in pending),
        },
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
    own = Municipality.objects.staffed_by(user)
    if adjustment.status == Status.IN_HEARING and services.representative_seats(
        user, adjustment.hearing
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


def _pending_before(adjustment: CapacityAdjustment) -> dict:
    """The offer's other approved adjustments not yet carried out, and the
    places the offer has once they and this one are: "28 → 39" alone would
    hide an approved +12 still to come."""
    if adjustment.is_final:
        return {"pending": []}
    pending = list(
        CapacityAdjustment.objects.approved_not_carried_out(adjustment.offer_id).exclude(
            pk=adjustment.pk
        )
    )
    return {
        "pending": pending,
        "places_after_pending": adjustment.places_planned_after + sum(a.change for a in pending),
    }


@decide(participant)
def adjustment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _adjustment_page(request, visible_or_404(_adjustments(request.user), pk=pk))


def _adjustment_page(request: HttpRequest, adjustment: CapacityAdjustment, **sent) -> HttpResponse:
    """The adjustment page; a form a step refused (`sent`, by its name in the
    page) is shown again as it was sent, with its errors beside its fields."""
    user = request.user
    today = timezone.localdate()
    missing = services.missing_consultations(adjustment)
    step = _next_step(adjustment, user, missing)
    consultations = adjustment.consultations.select_related("municipality")
    listed = {c.municipality_id for c in consultations}
    late = [m for m in services.affected_municipalities(adjustment) if m.pk not in listed]
    hearing = Hearing.objects.filter(adjustment=adjustment).select_related("body").first()
    responses = list(hearing.responses.select_related("municipality", "region")) if hearing else []
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
        **_pending_before(adjustment),
        "may_withdraw": not adjustment.is_final
        and (
            is_secretariat(user)
            or Municipality.objects.staffed_by(user)
            .filter(pk=adjustment.requested_by_municipality_id)
            .exists()
        ),
    }
    if hearing:
        members = list(
            hearing.members.select_related("municipality", "region").prefetch_related("mails")
        )
        answers = {response.member_key: response for response in responses}
        context["hearing_members"] = [(member, answers.get(member.key)) for member in members]
        context["all_notified"] = all(member.notified_at for member in members)
        context["days_left"] = hearing.days_left(today)
    if context["is_secretariat"]:
        context["notifications"] = adjustment.notifications.all()
        context["mails"] = mails_about(adjustment)
        if not adjustment.is_final:
            context["add_form"] = forms.MunicipalityForm(
                user=user,
                choices=Municipality.objects.exclude(
                    pk__in=listed | {adjustment.requested_by_municipality_id}
                ),
                auto_id="id_add_%s",  # the page's other forms have a municipality too
            )
    if step == "record_consultation":
        context["form"] = forms.ConsultationRecordForm(
            user=user,
            choices=Municipality.objects.filter(pk__in=[m.pk for m in missing]),
            initial={"contacted_on": today},
        )
    elif step == "answer_consultation":
        context["form"] = forms.ConsultationAnswerForm(
            user=user,
            choices=Municipality.objects.staffed_by(user).filter(
                capacity_consultations__adjustment=adjustment
            ),
        )
    elif step == "answer_hearing":
        context["form"] = forms.HearingAnswerForm(
            members=services.representative_seats(user, hearing)
        )
    elif step == "route":
        context["meeting_form"] = forms.RouteToMeetingForm(
            user=user, choices=services.coming_meetings(adjustment, today)
        )
        if not Hearing.objects.filter(adjustment=adjustment).exists():
            bodies = services.approving_bodies(adjustment)
            context["hearing_form"] = forms.OpenHearingForm(user=user, choices=bodies)
            # R4: before the hearing opens, each member and its address; a
            # member without one is shown in red and needs a written reason.
            context["hearing_bodies"] = [
                {"body": body, "members": services.hearing_members(body)}
                for body in bodies.prefetch_related("members")
            ]
    elif step == "decide":
        context["meeting_form"] = forms.RouteToMeetingForm(
            user=user,
            choices=services.coming_meetings(adjustment, today).exclude(pk=adjustment.meeting_id),
        )
        if adjustment.meeting.date <= today:
            context["form"] = forms.DecisionForm()
    elif step == "conclude_hearing":
        context["may_conclude"] = hearing.may_be_concluded(today)
    if hearing and hearing.is_open and context["is_secretariat"]:
        context["record_form"] = forms.HearingRecordForm(
            members=hearing.heard_members(), initial={"received_on": today}
        )
    for name, form in sent.items():
        shown = context.get(name)
        if type(shown) is not type(form):  # the page offers the step no more
            for error in form.non_field_errors() or [e for es in form.errors.values() for e in es]:
                messages.error(request, error)
            continue
        # Validated again with the page's own choices, then the service's refusal.
        shown.is_bound, shown.data = True, form.data
        if shown.is_valid():
            for error in form.non_field_errors():
                shown.add_error(None, error)
    return render(request, "capacity/adjustment.html", context)


# Steps (POST) -------------------------------------------------------------------------


def _step(request: HttpRequest, adjustment: CapacityAdjustment, form, perform, done, name=""):
    """A step on the adjustment's page (`post_step`); back to the page after.
    A form with typed input (`name`: its name in the page) is refused in the
    page, as it was sent."""
    then = reverse("capacity:adjustment", args=[adjustment.pk])
    page = None
    if name:

        def page():
            return _adjustment_page(request, adjustment, **{name: form})

    return post_step(request, perform, form=form, done=done, then=then, page=page)


@decide(secretariat)
@require_POST
def add_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.MunicipalityForm(request.POST, user=request.user),
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
        forms.ConsultationRecordForm(request.POST, user=request.user),
        lambda data: services.consultation_record(user=request.user, adjustment=adjustment, **data),
        _("The consultation is recorded."),
        "form",
    )


@decide(municipality_staff)
@require_POST
def answer_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.ConsultationAnswerForm(request.POST, user=request.user),
        lambda data: services.consultation_answer(user=request.user, adjustment=adjustment, **data),
        _("Your municipality's answer is recorded."),
        "form",
    )


@decide(secretariat)
@require_POST
def route_to_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    return _step(
        request,
        adjustment,
        forms.RouteToMeetingForm(request.POST, user=request.user),
        lambda data: services.adjustment_route_to_meeting(
            user=request.user, adjustment=adjustment, meeting=data["meeting"]
        ),
        _("The adjustment is on the meeting's agenda."),
    )


@decide(secretariat)
@require_POST
def open_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    form = forms.OpenHearingForm(request.POST, user=request.user)
    return _step(
        request,
        adjustment,
        form,
        lambda data: services.hearing_open(
            user=request.user, adjustment=adjustment, body=data["body"], left_out=form.left_out()
        ),
        _hearing_opened_message,
    )


def mails_about(adjustment: CapacityAdjustment) -> list[OutgoingMail]:
    """Every mail of the adjustment's workflow: about the adjustment, its
    consultations and its hearing's members, newest first."""
    return list(
        OutgoingMail.objects.filter(
            Q(concerning_adjustment=adjustment)
            | Q(consultation__adjustment=adjustment)
            | Q(hearing_member__hearing__adjustment=adjustment)
        ).defer("attachment", "text", "html")
    )


def _hearing_opened_message(hearing: Hearing) -> str:
    """R4: "the members are notified" only when the mail server accepted
    every member's mail; until then the page says which are waiting."""
    members = list(hearing.members.all())
    left_out = [member.name for member in members if member.left_out_reason]
    waiting = [m.name for m in members if not m.left_out_reason and m.notified_at is None]
    if not left_out and not waiting:
        return _("The e-mail hearing is open and the members are notified.")
    message = _("The e-mail hearing is open.")
    if waiting:
        message += " " + _(
            "The e-mails to %(count)s members are waiting to be sent; the table shows when "
            "each is sent."
        ) % {"count": len(waiting)}
    if left_out:
        message += " " + _("Not notified: %(names)s.") % {"names": ", ".join(left_out)}
    return message


@decide(body_member)
@require_POST
def answer_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    hearing = visible_or_404(Hearing.objects.all(), adjustment=adjustment)
    form = forms.HearingAnswerForm(
        request.POST, members=services.representative_seats(request.user, hearing)
    )
    return _step(
        request,
        adjustment,
        form,
        lambda data: services.hearing_answer(
            user=request.user, hearing=hearing, **form.service_data()
        ),
        _("Your answer to the hearing is recorded."),
    )


@decide(secretariat)
@require_POST
def record_hearing_answer(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = visible_or_404(_adjustments(request.user), pk=pk)
    hearing = visible_or_404(Hearing.objects.all(), adjustment=adjustment)
    form = forms.HearingRecordForm(request.POST, members=hearing.members.all())
    return _step(
        request,
        adjustment,
        form,
        lambda data: services.hearing_record_answer(
            user=request.user, hearing=hearing, **form.service_data()
        ),
        _("The member's answer is recorded."),
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
        "form",
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
