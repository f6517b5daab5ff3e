"""The pages of each role. Thin: each fetches through `visible_to(user)` and
renders; what a user may not see is a 404 (accounts.access)."""

import datetime

from django.contrib import messages
from django.db.models import Count, F, Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.access import (
    any_of,
    body_member,
    by_token,
    decide,
    municipality_staff,
    provider_leader,
    secretariat,
    visible_or_404,
)
from agreements.models import FrameworkAgreement, Meeting, Municipality
from capacity.models import CapacityAdjustment, Consultation, Hearing
from contracts.models import IndividualContract, StandardContract
from portal import charts
from portal.deadlines import coming_and_overdue, days_left, deadlines_for
from portal.feed import feed_bytes
from portal.models import CalendarFeed
from portal.obligations import obligations_of
from providers.models import (
    Offer,
    OperatingAgreement,
    Provider,
    SolutionRequirement,
    Tariff,
)

REVIEW_HORIZON_DAYS = 90
reads_register = any_of(secretariat, municipality_staff, body_member, provider_leader)


# Provider leader -------------------------------------------------------------


def _led_providers(user):
    """The leader's own providers: a leader's pages show only these, even when
    the same user also reads the register as municipality staff."""
    return roles.providers_led_by(user).select_related(
        "collaboration_model", "operating_municipality", "operating_region"
    )


def _led_provider_or_404(user, pk: int) -> Provider:
    return visible_or_404(_led_providers(user), pk=pk)


@decide(provider_leader)
def leader_home(request: HttpRequest) -> HttpResponse:
    providers = _led_providers(request.user).annotate(
        offer_count=Count("offers", distinct=True),
        places=Coalesce(Sum("offers__approved_places"), 0),
    )
    today = datetime.date.today()
    coming, overdue = coming_and_overdue(
        deadlines_for(roles.provider_ids_led_by(request.user), today), today, limit=10
    )
    return render(
        request,
        "portal/leader/home.html",
        {"providers": providers, "deadlines": coming, "overdue": overdue, "today": today},
    )


@decide(provider_leader)
def leader_provider(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _led_provider_or_404(request.user, pk)
    today = datetime.date.today()
    offers = list(provider.offers.order_by("name"))
    agreements = list(
        provider.operating_agreements.select_related("model", "municipality", "framework_agreement")
    )
    for agreement in agreements:
        agreement.due = days_left(agreement.next_review_on, today)
    tariffs = Tariff.objects.filter(offer__provider=provider).select_related("offer")
    coming, overdue = coming_and_overdue(deadlines_for(frozenset([provider.pk]), today), today)
    standard, individual = _contracts(request.user)
    return render(
        request,
        "portal/leader/provider.html",
        {
            "provider": provider,
            "offers": offers,
            "agreements": agreements,
            "tariffs": tariffs,
            "deadlines": coming,
            "overdue": overdue,
            "today": today,
            "standard_contracts": standard.filter(provider=provider),
            "individual_contracts": individual.filter(standard_contract__provider=provider),
            "adjustments": _adjustments(request.user).filter(offer__provider=provider),
        },
    )


def _adjustments(user):
    """Capacity adjustments the user may see (capacity.models decides)."""
    return CapacityAdjustment.objects.visible_to(user).select_related(
        "offer__provider", "requested_by_municipality", "requested_by_region", "meeting__body"
    )


def _contracts(user):
    """The contracts the user may see (contracts.models decides), ready to list."""
    standard = (
        StandardContract.objects.visible_to(user)
        .select_related("authority", "provider", "offer", "intervention_type")
        .order_by("number", "version")
    )
    individual = (
        IndividualContract.objects.visible_to(user)
        .select_related(
            "standard_contract__provider",
            "standard_contract__intervention_type",
            "acting_municipality",
            "paying_municipality",
        )
        .order_by("number", "version")
    )
    return standard, individual


@decide(provider_leader)
def leader_obligations(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _led_provider_or_404(request.user, pk)
    model = provider.collaboration_model
    obligations = None
    if model is not None:
        prefetch_related_objects(
            [model],
            Prefetch(
                "requirements", queryset=SolutionRequirement.objects.select_related("solution")
            ),
        )
        obligations = obligations_of(model)
    return render(
        request,
        "portal/leader/obligations.html",
        {"provider": provider, "model": model, "obligations": obligations},
    )


@decide(provider_leader)
def leader_calendar(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.for_user(request.user)
    url = request.build_absolute_uri(reverse("portal:calendar_feed", args=[feed.token]))
    return render(request, "portal/leader/calendar.html", {"feed": feed, "feed_url": url})


@decide(provider_leader)
@require_POST
def leader_calendar_renew(request: HttpRequest) -> HttpResponse:
    CalendarFeed.for_user(request.user).renew()
    messages.success(
        request, _("The calendar address has been renewed. The old address no longer works.")
    )
    return redirect("portal:leader_calendar")


@by_token
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The leader's deadlines as iCalendar. Found by the secret alone; an
    unknown or renewed secret, or a user who no longer leads a provider, is 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    provider_ids = roles.provider_ids_led_by(feed.user)
    if not provider_ids:
        raise Http404
    body = feed_bytes(deadlines_for(provider_ids), request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rammeaftale-frister.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# Capacity history (every role that reads offers) -----------------------------


@decide(reads_register)
def offer_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    offer = visible_or_404(Offer.objects.visible_to(request.user).select_related("provider"), pk=pk)
    today = datetime.date.today()
    points = charts.places_history(offer)
    return render(
        request,
        "portal/offer_capacity.html",
        {
            "offer": offer,
            "points": points,
            "chart": charts.step_chart(points, today),
            "leads_provider": offer.provider_id in roles.provider_ids_led_by(request.user),
        },
    )


# Municipality ----------------------------------------------------------------


@decide(any_of(municipality_staff, body_member))
def municipality_home(request: HttpRequest) -> HttpResponse:
    ids = roles.municipality_ids_of(request.user) | roles.body_seat_municipality_ids(request.user)
    municipalities = list(Municipality.objects.filter(pk__in=ids).select_related("region"))
    offers = (
        Offer.objects.filter(provider__operating_municipality__in=ids)
        .select_related("provider", "provider__operating_municipality")
        .order_by("provider__name", "name")
    )
    agreements = list(
        OperatingAgreement.objects.filter(municipality__in=ids).select_related(
            "provider", "model", "municipality", "framework_agreement"
        )
    )
    today = datetime.date.today()
    for agreement in agreements:
        agreement.due = days_left(agreement.next_review_on, today)
    staff_of = roles.municipality_ids_of(request.user)
    standard, individual = _contracts(request.user)
    consultations = (
        Consultation.objects.waiting_for(staff_of)
        .select_related("adjustment__offer__provider", "municipality")
        .order_by("adjustment__effective_on", "pk")
    )
    hearings = list(
        Hearing.objects.open_for_seats_of(request.user)
        .filter(unanswered=True)
        .select_related("adjustment__offer__provider", "body")
        .order_by("deadline")
    )
    for hearing in hearings:
        hearing.due = days_left(hearing.deadline, today)
    adjustments = (
        _adjustments(request.user)
        .filter(offer__provider__operating_municipality__in=ids)
        .order_by("-requested_at")
    )
    return render(
        request,
        "portal/municipality/home.html",
        {
            "municipalities": municipalities,
            "offers": offers,
            "agreements": agreements,
            # DESIGN.md: contracts are for the municipality's staff, not for
            # body members as such.
            "standard_contracts": standard.filter(authority__in=staff_of),
            "acting_contracts": individual.filter(acting_municipality__in=staff_of),
            "paying_contracts": individual.filter(paying_municipality__in=staff_of).exclude(
                acting_municipality__in=staff_of
            ),
            "is_staff_of_a_municipality": bool(staff_of),
            "staff_of": staff_of,
            "consultations": consultations,
            "hearings": hearings,
            "adjustments": adjustments,
        },
    )


# Secretariat -----------------------------------------------------------------


@decide(secretariat)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    review_related = ("provider", "municipality", "model", "framework_agreement")
    agreements = OperatingAgreement.objects.visible_to(request.user)
    overdue_qs = agreements.review_overdue(today)
    overdue = list(overdue_qs.select_related(*review_related))
    due_soon = list(
        agreements.review_due_within(REVIEW_HORIZON_DAYS, today)
        .exclude(pk__in=overdue_qs.values("pk"))
        .select_related(*review_related)
    )
    for agreement in overdue + due_soon:
        agreement.due = days_left(agreement.next_review_on, today)
    overdue.sort(key=lambda a: a.next_review_on)
    due_soon.sort(key=lambda a: a.next_review_on)
    meetings = list(
        Meeting.objects.visible_to(request.user)
        .coming(today)
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "capacity_items",
                queryset=CapacityAdjustment.objects.visible_to(request.user)
                .select_related("offer")
                .order_by("pk"),
            )
        )
        .order_by("date")[:5]
    )
    adjustments = _adjustments(request.user).select_related("hearing__body")
    to_route = adjustments.filter(
        status=CapacityAdjustment.Status.REQUESTED, requires_approval=True
    ).order_by("effective_on", "pk")
    in_hearing = list(
        adjustments.filter(status=CapacityAdjustment.Status.IN_HEARING).order_by(
            "hearing__deadline", "pk"
        )
    )
    for adjustment in in_hearing:
        adjustment.due = days_left(adjustment.hearing.deadline, today)
    to_carry_out = adjustments.filter(
        Q(status=CapacityAdjustment.Status.APPROVED)
        | Q(status=CapacityAdjustment.Status.REQUESTED, requires_approval=False)
    ).order_by("effective_on", "pk")
    evaluations = []
    for agreement in FrameworkAgreement.objects.visible_to(request.user).exclude(
        status=FrameworkAgreement.Status.EXPIRED
    ):
        due = agreement.next_evaluation_on()
        evaluations.append({"agreement": agreement, "date": due} | days_left(due, today))
    evaluations.sort(key=lambda item: item["date"])
    standard, individual = _contracts(request.user)
    return render(
        request,
        "portal/secretariat/dashboard.html",
        {
            "today": today,
            "horizon_days": REVIEW_HORIZON_DAYS,
            "reviews_overdue": overdue,
            "reviews_due": due_soon,
            "meetings": meetings,
            "evaluations": evaluations,
            "standard_awaiting": standard.awaiting_signature(),
            "individual_awaiting": individual.awaiting_signature(),
            "to_route": to_route,
            "hearings_running": [a for a in in_hearing if a.due["days_left"] >= 0],
            "hearings_due": [a for a in in_hearing if a.due["days_left"] < 0],
            "to_carry_out": to_carry_out,
        },
    )


@decide(secretariat)
def capacity_overview(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    open_offers = Offer.objects.visible_to(request.user).open(today)
    region = Coalesce(
        F("provider__operating_municipality__region__name"),
        F("provider__operating_region__name"),
    )
    by_region = (
        open_offers.annotate(region_name=region)
        .values("region_name")
        .annotate(places=Sum("approved_places"), offers=Count("pk"))
        .order_by("region_name")
    )
    target_labels = dict(Offer.TargetGroup.choices)
    by_target = [
        {**row, "label": target_labels.get(row["target_group"], row["target_group"])}
        for row in open_offers.values("target_group")
        .annotate(places=Sum("approved_places"), offers=Count("pk"))
        .order_by("target_group")
    ]
    level_labels = dict(Offer.SpecialisationLevel.choices)
    by_level = [
        {**row, "label": level_labels.get(row["specialisation_level"])}
        for row in open_offers.values("specialisation_level")
        .annotate(places=Sum("approved_places"), offers=Count("pk"))
        .order_by("specialisation_level")
    ]
    total = sum(row["places"] or 0 for row in by_level)
    offers = open_offers.select_related("provider").order_by("provider__name", "name")
    return render(
        request,
        "portal/secretariat/capacity.html",
        {
            "by_region": by_region,
            "by_target": by_target,
            "by_level": by_level,
            "total": total,
            "offers": offers,
        },
    )
