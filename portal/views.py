"""The pages of each role. Thin: each fetches through `visible_to(user)` and
renders; what a user may not see is a 404 (accounts.access)."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, F, Prefetch, Q, Sum, When, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.access import (
    any_of,
    body_member,
    by_token,
    decide,
    municipality_staff,
    provider_leader,
    public,
    secretariat,
    visible_or_404,
)
from accounts.lockout import client_ip_address
from agreements import services as agreement_services
from agreements.models import (
    CycleDeadline,
    FrameworkAgreement,
    Meeting,
    Municipality,
    councils_missing,
    with_regional_approval,
)
from capacity.models import TO_CARRY_OUT, TO_ROUTE, CapacityAdjustment, Consultation, Hearing
from contracts import services as contract_services
from contracts.models import IndividualContract, StandardContract
from domain.steps import post_step
from hearings.queries import dashboard as agreement_year
from listing.pages import PAGE_SIZE, SUMMARY_SIZE, list_page, summarise, summarise_groups
from meetings.feed import meetings_feed
from outbox import services as outbox_services
from outbox.models import OutgoingMail
from portal import charts
from portal.deadlines import (
    DeadlineList,
    days_left,
    deadlines_for,
    feed_window,
    rows,
    split_at,
)
from portal.feed import feed_bytes
from portal.filters import OFFER_COLUMNS, TARIFF_COLUMNS, OfferFilter, TariffFilter
from portal.forms import DeadlineForm, SealedPdfForm
from portal.models import CalendarFeed, SealCheckCount
from portal.obligations import obligations_of, operator_label
from providers.models import (
    Offer,
    OperatingAgreement,
    Provider,
    SolutionRequirement,
    Tariff,
)
from seals.verification import verify_pdf
from tariffs.models import CalculationBasis
from tariffs.permissions import takstgruppe_member
from tariffs.queries import rounds_waiting

REVIEW_HORIZON_DAYS = 90
# Council approvals and the annual cycle: what falls due within this many days.
COUNCIL_HORIZON_DAYS = 90
# The meetings' feed holds a month back and a year ahead.
MEETINGS_FEED_PAST_DAYS = 31
MEETINGS_FEED_FUTURE_DAYS = 366
reads_register = any_of(secretariat, municipality_staff, body_member, provider_leader)


# Provider leader -------------------------------------------------------------


def _led_providers(user):
    """The leader's own providers: a leader's pages show only these, even when
    the same user also reads the register as municipality staff."""
    return Provider.objects.filter(pk__in=roles.provider_ids_led_by(user)).select_related(
        "collaboration_model", "operating_municipality", "operating_region"
    )


def _led_provider_or_404(user, pk: int) -> Provider:
    return visible_or_404(_led_providers(user), pk=pk)


def _query(url: str, **query) -> str:
    return f"{url}?{urlencode(query)}" if query else url


@decide(provider_leader)
def leader_home(request: HttpRequest) -> HttpResponse:
    """The leader's providers, the next and the passed deadlines, and the
    contracts ending soonest: each with its total and a link to the full list."""
    provider_ids = roles.provider_ids_led_by(request.user)
    providers = _led_providers(request.user).annotate(
        offer_count=Count("offers", distinct=True),
        places=Coalesce(Sum("offers__approved_places"), 0),
    )
    today = datetime.date.today()
    split = split_at(provider_ids, today, SUMMARY_SIZE)
    _standard, individual = _contracts(request.user)
    # In force: signed and not yet ended, an open-ended contract too (after
    # those with an end date).
    ending = summarise(
        individual.filter(provider__in=provider_ids, status=IndividualContract.Status.SIGNED)
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True))
        .order_by(F("ends_on").asc(nulls_last=True), "pk")
    )
    return render(
        request,
        "portal/leader/home.html",
        {
            "providers": providers,
            "deadlines": rows(split.coming, today),
            "overdue": rows(split.overdue, today),
            "deadline_total": split.coming_total,
            "overdue_total": split.overdue_total,
            "today": today,
            "ending": ending,
            "ending_url": _query(
                reverse("contracts:contract_list"),
                status=IndividualContract.Status.SIGNED,
                sort="ends_on",
            ),
        },
    )


@decide(provider_leader)
def leader_provider(request: HttpRequest, pk: int) -> HttpResponse:
    """One provider: its agreements and offers (a handful), and the first
    rows of its contracts, adjustments, tariffs and deadlines with a link to
    each full list."""
    provider = _led_provider_or_404(request.user, pk)
    today = datetime.date.today()
    offers = list(provider.offers.order_by("name"))
    agreements = list(
        provider.operating_agreements.select_related("model", "municipality", "framework_agreement")
    )
    for agreement in agreements:
        agreement.due = days_left(agreement.next_review_on, today)
    tariffs = summarise(
        Tariff.objects.filter(offer__provider=provider)
        .select_related("offer")
        .order_by("-year", "offer__name", "unit")
    )
    split = split_at(frozenset([provider.pk]), today, SUMMARY_SIZE)
    standard, individual = _contracts(request.user)
    by_provider = {"provider": provider.pk}
    return render(
        request,
        "portal/leader/provider.html",
        {
            "provider": provider,
            "offers": offers,
            "agreements": agreements,
            "tariffs": tariffs,
            "tariffs_url": _query(reverse("portal:tariffs"), **by_provider),
            "deadlines": rows(split.coming, today),
            "overdue": rows(split.overdue, today),
            "deadline_total": split.coming_total,
            "overdue_total": split.overdue_total,
            "deadlines_url": _query(reverse("portal:leader_deadlines"), **by_provider),
            "today": today,
            "standard_contracts": summarise(standard.filter(provider=provider)),
            "standard_url": _query(reverse("contracts:standard_contract_list"), **by_provider),
            "individual_contracts": summarise(
                individual.filter(provider=provider).order_by("-starts_on", "citizen_name", "pk")
            ),
            "individual_url": _query(reverse("contracts:contract_list"), **by_provider),
            "adjustments": summarise(
                _adjustments(request.user)
                .filter(offer__provider=provider)
                .order_by("-requested_at", "pk")
            ),
            "adjustments_url": _query(reverse("capacity:list"), **by_provider),
        },
    )


@decide(provider_leader)
def leader_deadlines(request: HttpRequest) -> HttpResponse:
    """All the leader's deadlines from a day on (today unless chosen), one
    page at a time; `?provider=` narrows to one of their providers."""
    form = DeadlineForm(request.GET, providers=_led_providers(request.user))
    today = datetime.date.today()
    provider_ids = roles.provider_ids_led_by(request.user)
    start = None
    if form.is_valid():
        if form.cleaned_data["provider"]:
            provider_ids = frozenset([form.cleaned_data["provider"].pk])
        start = form.cleaned_data["start"]
    if start is None:
        # Without a chosen day the list starts at the oldest deadline passed
        # and not dealt with (the start page shows those too), marked overdue.
        overdue = split_at(provider_ids, today, 1).overdue
        start = overdue[0].date if overdue else today
    page = Paginator(DeadlineList(provider_ids, start=start), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/leader/deadline_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows(list(page.object_list), today),
            # What includes/pagination.html reads.
            "pager": {
                "page": page,
                "page_numbers": list(
                    page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
                ),
            },
            "start": start,
            "today": today,
        },
    )


def _adjustments(user):
    """Capacity adjustments the user may see (capacity.models decides), with
    what the tables show."""
    return CapacityAdjustment.objects.visible_to(user).select_related("offer", "meeting__body")


def _contracts(user):
    """The contracts the user may see (contracts.models decides), ready to list."""
    standard = (
        StandardContract.objects.visible_to(user)
        .select_related("authority", "provider", "offer", "intervention_type")
        .order_by("number", "version")
    )
    # What the tables show, and no more: every join costs the planner.
    individual = (
        IndividualContract.objects.visible_to(user)
        .select_related("provider", "acting_municipality")
        .order_by("number", "version")
    )
    return standard, individual


@decide(provider_leader)
def leader_obligations(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _led_provider_or_404(request.user, pk)
    model = provider.collaboration_model
    obligations = None
    operating_agreements = provider.operating_agreements.select_related(
        "municipality", "model", "framework_agreement"
    ).order_by("-signed_on")
    # The agreements covering its offers or holding its operating agreements:
    # two id subqueries, not a join of both fanned out and made distinct.
    agreements = FrameworkAgreement.objects.filter(
        Q(pk__in=provider.offers.values("framework_agreements"))
        | Q(pk__in=provider.operating_agreements.values("framework_agreement"))
    )
    # A model belongs to the agreement that defines it (København's models 1–4,
    # seed 000): a provider under other agreements only is bound by its own
    # operating agreement's terms.
    model_applies = model is not None and (
        model.framework_agreement_id is None
        or not agreements
        or any(a.pk == model.framework_agreement_id for a in agreements)
    )
    if model_applies:
        prefetch_related_objects(
            [model],
            Prefetch(
                "requirements", queryset=SolutionRequirement.objects.select_related("solution")
            ),
        )
        obligations = obligations_of(model, operator_label(provider))
    return render(
        request,
        "portal/leader/obligations.html",
        {
            "provider": provider,
            "model": model,
            "model_applies": model_applies,
            "obligations": obligations,
            "operator": operator_label(provider),
            "agreements": agreements,
            "operating_agreements": operating_agreements,
        },
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
    """The leader's deadlines of the past month and the coming 12 months as
    iCalendar (older and later ones would only slow every calendar's
    refresh). Found by the secret alone; an
    unknown or renewed secret, or a user who no longer leads a provider, is 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    provider_ids = roles.provider_ids_led_by(feed.user)
    if not provider_ids:
        raise Http404
    start, end = feed_window(datetime.date.today())
    body = feed_bytes(
        deadlines_for(provider_ids, start=start, end=end), request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rammeaftale-frister.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# The meetings' calendar feed (secretariat and body members) ------------------


@decide(any_of(secretariat, body_member))
def meetings_feed_page(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.for_user(request.user)
    if request.method == "POST":
        feed.renew()
        messages.success(request, _("The feed has a new address; the old one no longer works."))
        return redirect("portal:meetings_feed_page")
    url = request.build_absolute_uri(reverse("portal:meetings_calendar_feed", args=[feed.token]))
    return render(request, "portal/meetings_feed.html", {"feed_url": url})


@by_token
def meetings_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings (and, for the secretariat, the annual cycle's
    deadlines) from a month back to a year ahead, as iCalendar."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    if not (roles.is_secretariat(user) or roles.is_body_member(user)):
        raise Http404
    today = timezone.localdate()
    start = today - datetime.timedelta(days=MEETINGS_FEED_PAST_DAYS)
    end = today + datetime.timedelta(days=MEETINGS_FEED_FUTURE_DAYS)
    meetings = (
        Meeting.objects.material_visible_to(user)
        .filter(date__range=(start, end))
        .select_related("body")
        .order_by("date")
    )
    deadlines = CycleDeadline.objects.none()
    if roles.is_secretariat(user):
        deadlines = (
            CycleDeadline.objects.visible_to(user)
            .open()
            .filter(due_on__range=(start, end))
            .select_related("agreement")
            .order_by("due_on")
        )
    body = meetings_feed(meetings, deadlines, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rammeaftale-moeder.ics"'
    return response


# Capacity history (every role that reads offers) -----------------------------


@decide(reads_register)
def offer_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    """An offer: its provider, operator, agreements and places, what the
    user may do with it, and its places over time."""
    offer = visible_or_404(
        Offer.objects.visible_to(request.user).select_related(
            "provider__operating_municipality", "provider__operating_region"
        ),
        pk=pk,
    )
    today = datetime.date.today()
    points = charts.places_history(offer)
    agreements = list(offer.framework_agreements.order_by("name"))
    user = request.user
    # Who may ask for an adjustment (capacity.views.request_adjustment decides
    # again): the operating municipality's staff, or a secretariat whose
    # agreement covers the offer.
    may_request = offer.provider.operating_municipality_id in roles.municipality_ids_of(user) or (
        roles.is_secretariat(user)
        and FrameworkAgreement.objects.visible_to(user).filter(offers=offer).exists()
    )
    return render(
        request,
        "portal/offer_capacity.html",
        {
            "offer": offer,
            "points": points,
            "chart": charts.step_chart(points, today),
            "agreements": agreements,
            "may_request": may_request,
            "leads_provider": offer.provider_id in roles.provider_ids_led_by(user),
        },
    )


# Municipality ----------------------------------------------------------------


@decide(any_of(municipality_staff, body_member))
def municipality_home(request: HttpRequest) -> HttpResponse:
    """What waits for the municipality's answer, and the first rows of its
    contracts, operated offers, adjustments and agreements, each with its
    total and a link to the full list."""
    ids = roles.municipality_ids_of(request.user) | roles.body_seat_municipality_ids(request.user)
    municipalities = list(Municipality.objects.filter(pk__in=ids).select_related("region"))
    # A link to a full list names the municipality when there is one.
    one = {"m": next(iter(ids))} if len(ids) == 1 else {}
    offers = summarise(
        Offer.objects.filter(provider__operating_municipality__in=ids)
        .select_related("provider", "provider__operating_municipality")
        .order_by("provider__name", "name", "pk")
    )
    today = datetime.date.today()
    # Every agreement: one per self-governing provider the municipality
    # cooperates with, a short list whatever the number of contracts.
    agreements = list(
        OperatingAgreement.objects.filter(municipality__in=ids)
        .select_related("provider", "model", "municipality", "framework_agreement")
        .order_by("provider__name", "pk")
    )
    for agreement in agreements:
        agreement.due = days_left(agreement.next_review_on, today)
    staff_of = roles.municipality_ids_of(request.user)
    staff_one = {"m": next(iter(staff_of))} if len(staff_of) == 1 else {}
    standard, individual = _contracts(request.user)
    consultations = summarise(
        Consultation.objects.waiting_for(staff_of)
        .select_related("adjustment__offer__provider", "municipality")
        .order_by("adjustment__answers_by", "adjustment__effective_on", "pk")
    )
    for consultation in consultations.rows:
        # The answer deadline: the date the operator asked for an answer by.
        consultation.due = days_left(consultation.adjustment.answers_by, today)
    hearings = summarise(
        Hearing.objects.open_for_seats_of(request.user)
        .filter(unanswered=True)
        .select_related("adjustment__offer__provider", "body")
        .order_by("deadline", "pk")
    )
    for hearing in hearings.rows:
        hearing.due = days_left(hearing.deadline, today)
    adjustments = summarise(
        _adjustments(request.user)
        .filter(offer__provider__operating_municipality__in=ids)
        .order_by("-requested_at", "pk")
    )
    context = {
        "municipalities": municipalities,
        "offers": offers,
        "offers_url": _query(
            reverse("portal:offers"),
            **({"operating_municipality": one["m"]} if one else {}),
        ),
        "agreements": agreements,
        "is_staff_of_a_municipality": bool(staff_of),
        "staff_of": staff_of,
        "consultations": consultations,
        "hearings": hearings,
        "adjustments": adjustments,
        "adjustments_url": _query(
            reverse("capacity:list"), **({"municipality": one["m"]} if one else {})
        ),
    }
    if takstgruppe_member(request.user):
        # The Takstgruppe reviews the bases submitted under its agreements.
        context["bases_to_review"] = summarise(
            CalculationBasis.objects.visible_to(request.user)
            .filter(
                agreement__in=request.user.scope.tariff_group_agreement_ids,
                status=CalculationBasis.Status.SUBMITTED,
            )
            .select_related("offer__provider", "agreement")
            .order_by("submitted_at", "pk")
        )
    if staff_of:
        # DESIGN.md: contracts are for the municipality's staff, not for
        # body members as such.
        newest = ("-starts_on", "citizen_name", "pk")
        context |= {
            "standard_contracts": summarise(standard.filter(authority__in=staff_of)),
            "standard_url": _query(
                reverse("contracts:standard_contract_list"),
                **({"authority": staff_one["m"]} if staff_one else {}),
            ),
            "acting_contracts": summarise(
                individual.filter(acting_municipality__in=staff_of).order_by(*newest)
            ),
            "acting_url": _query(
                reverse("contracts:contract_list"),
                **({"acting_municipality": staff_one["m"]} if staff_one else {}),
            ),
            "paying_contracts": summarise(
                individual.filter(paying_municipality__in=staff_of)
                .exclude(acting_municipality__in=staff_of)
                # Implied by the two above; says that the index of contracts
                # paid for elsewhere answers it.
                .exclude(paying_municipality=F("acting_municipality"))
                .order_by(*newest)
            ),
            "paying_url": _query(
                reverse("contracts:contract_list"),
                **({"paying_municipality": staff_one["m"]} if staff_one else {}),
            ),
        }
    return render(request, "portal/municipality/home.html", context)


# Lists every role that reads the register may see -------------------------------


@decide(reads_register)
def offer_list(request: HttpRequest) -> HttpResponse:
    """The offers the user may see, one page at a time."""
    listing = list_page(
        request,
        Offer.objects.visible_to(request.user).select_related(
            "provider", "provider__operating_municipality"
        ),
        OfferFilter,
        empty_label=_("There are no offers you may see yet."),
        no_match_label=_("No offers match the filter"),
    )
    if response := listing.response(OFFER_COLUMNS, "tilbud"):
        return response
    return render(
        request,
        "portal/offer_list.html",
        {"listing": listing, "staff_of": roles.municipality_ids_of(request.user)},
    )


@decide(reads_register)
def tariff_list(request: HttpRequest) -> HttpResponse:
    """The tariffs the user may see, one page at a time."""
    listing = list_page(
        request,
        Tariff.objects.visible_to(request.user).select_related("offer__provider"),
        TariffFilter,
        empty_label=_("There are no tariffs you may see yet."),
        no_match_label=_("No tariffs match the filter"),
    )
    if response := listing.response(TARIFF_COLUMNS, "takster"):
        return response
    return render(request, "portal/tariff_list.html", {"listing": listing})


# Secretariat -----------------------------------------------------------------


@decide(secretariat)
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs doing: each list is its first rows (SUMMARY_SIZE) and its
    total, with a link to the full list."""
    today = datetime.date.today()
    review_related = ("provider", "municipality", "model", "framework_agreement")
    # One read of the review intervals for both lists; the next review date
    # is a rule of the model (years from the policy), so the due agreements
    # (one per self-governing provider at most) are sorted here.
    due = list(
        OperatingAgreement.objects.visible_to(request.user)
        .review_due_within(REVIEW_HORIZON_DAYS, today)
        .select_related(*review_related)
    )
    for agreement in due:
        agreement.due = days_left(agreement.next_review_on, today)
    due.sort(key=lambda a: (a.next_review_on, a.pk))
    overdue = [a for a in due if a.next_review_on < today]
    due_soon = [a for a in due if a.next_review_on >= today]
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
    # The three lists of adjustments in one query (a window per list).
    Status = CapacityAdjustment.Status
    lists = summarise_groups(
        adjustments,
        {
            "to_route": TO_ROUTE,
            "hearings_running": Q(status=Status.IN_HEARING, hearing__deadline__gte=today),
            "hearings_due": Q(status=Status.IN_HEARING, hearing__deadline__lt=today),
            "to_carry_out": TO_CARRY_OUT,
        },
        order_by=[
            Case(
                When(status=Status.IN_HEARING, then=F("hearing__deadline")),
                default=F("effective_on"),
            ),
            "pk",
        ],
    )
    to_route, to_carry_out = lists["to_route"], lists["to_carry_out"]
    hearings_running, hearings_due = lists["hearings_running"], lists["hearings_due"]
    for adjustment in [*hearings_running.rows, *hearings_due.rows]:
        adjustment.due = days_left(adjustment.hearing.deadline, today)
    evaluations = []
    visible_agreements = FrameworkAgreement.objects.visible_to(request.user)
    agreements = list(
        with_regional_approval(
            visible_agreements.exclude(status=FrameworkAgreement.Status.EXPIRED)
        ).select_related("region")
    )
    for agreement in agreements:
        next_on = agreement.next_evaluation_on()
        evaluations.append({"agreement": agreement, "date": next_on} | days_left(next_on, today))
    evaluations.sort(key=lambda item: item["date"])
    # 004: the councils still to approve an agreement that starts within 90 days.
    horizon = today + datetime.timedelta(days=COUNCIL_HORIZON_DAYS)
    councils = councils_missing(
        sorted(
            (a for a in agreements if today <= a.period_start <= horizon),
            key=lambda a: (a.period_start, a.name),
        )
    )
    cycle = summarise(
        CycleDeadline.objects.current(today)
        .filter(agreement__in=visible_agreements.values("pk"), due_on__lte=horizon)
        .select_related("agreement")
        .order_by("due_on", "pk")
    )
    for deadline in cycle.rows:
        deadline.due = days_left(deadline.due_on, today)
    standard, individual = _contracts(request.user)
    awaiting = {"status": StandardContract.Status.AWAITING_SIGNATURE}
    return render(
        request,
        "portal/secretariat/dashboard.html",
        {
            "today": today,
            "horizon_days": REVIEW_HORIZON_DAYS,
            "reviews_overdue": overdue[:SUMMARY_SIZE],
            "reviews_overdue_total": len(overdue),
            "reviews_due": due_soon[:SUMMARY_SIZE],
            "reviews_due_total": len(due_soon),
            "reviews_url": reverse("admin:providers_operatingagreement_changelist"),
            "meetings": meetings,
            "evaluations": evaluations,
            "councils_missing": councils,
            "council_horizon_days": COUNCIL_HORIZON_DAYS,
            "cycle_deadlines": cycle,
            "standard_awaiting": summarise(standard.awaiting_signature()),
            "standard_awaiting_url": _query(
                reverse("contracts:standard_contract_list"), **awaiting
            ),
            # Read off the index on (status, -starts_on, citizen_name).
            "individual_awaiting": summarise(
                individual.awaiting_signature().order_by("-starts_on", "citizen_name", "pk")
            ),
            "individual_awaiting_url": _query(reverse("contracts:contract_list"), **awaiting),
            "archiving_waiting": contract_services.contracts_awaiting_archiving_decision(
                user=request.user, today=today
            ).count(),
            "retention_years": settings.CPR_RETENTION_YEARS,
            "to_route": to_route,
            "to_route_url": _query(
                reverse("capacity:list"),
                status=CapacityAdjustment.Status.REQUESTED,
                requires_approval="true",
                sort="effective_on",
            ),
            # Each table with its own total and full list: the counts agree.
            "hearings_running": hearings_running,
            "hearings_running_url": _query(
                reverse("capacity:list"),
                status=CapacityAdjustment.Status.IN_HEARING,
                hearing_from=today.isoformat(),
                sort="effective_on",
            ),
            "hearings_due": hearings_due,
            "hearings_due_url": _query(
                reverse("capacity:list"),
                status=CapacityAdjustment.Status.IN_HEARING,
                hearing_to=(today - datetime.timedelta(days=1)).isoformat(),
                sort="effective_on",
            ),
            "tariff_rounds": rounds_waiting(request.user, today),
            "agreement_year": agreement_year(request.user),
            "to_carry_out": to_carry_out,
            "to_carry_out_url": reverse("capacity:overview") + "#approved",
            "undelivered_mails": summarise(
                # Undelivered first: visibility then reads the kinds of
                # object of these few mails only, not of the whole outbox.
                OutgoingMail.objects.undelivered()
                .visible_to(request.user)
                .defer("attachment", "text", "html")
                .order_by("-created_at", "-pk"),
                few=True,
            ),
        },
    )


@decide(secretariat)
@require_POST
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Send igen": a mail that failed goes back in the outbox."""
    mail = visible_or_404(OutgoingMail.objects.filter(pk=pk).visible_to(request.user), pk=pk)
    return post_step(
        request,
        lambda data: outbox_services.mail_retry(user=request.user, mail=mail),
        done=_("The e-mail to %(recipient)s will be sent again.") % {"recipient": mail.recipient},
        then=reverse("portal:dashboard") + "#mails",
    )


@decide(secretariat)
def cycle_deadline_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a deadline of the annual cycle done, after a confirmation."""
    deadline = visible_or_404(
        CycleDeadline.objects.visible_to(request.user).select_related("agreement"), pk=pk
    )
    if request.method == "POST":
        return post_step(
            request,
            lambda data: agreement_services.cycle_deadline_done(
                user=request.user, deadline=deadline
            ),
            done=_("“%(title)s” is marked done.") % {"title": deadline.title},
            then=reverse("portal:dashboard") + "#cycle",
        )
    return render(request, "portal/secretariat/cycle_deadline_done.html", {"deadline": deadline})


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
    listing = list_page(
        request,
        open_offers.select_related("provider", "provider__operating_municipality"),
        OfferFilter,
        empty_label=_("There are no open offers."),
        no_match_label=_("No offers match the filter"),
    )
    if response := listing.response(OFFER_COLUMNS, "tilbud"):
        return response
    return render(
        request,
        "portal/secretariat/capacity.html",
        {
            "by_region": by_region,
            "by_target": by_target,
            "by_level": by_level,
            "total": total,
            "listing": listing,
        },
    )


# Checking a seal (open to everyone) ------------------------------------------------------------


def _verify_allowed(request: HttpRequest) -> bool:
    """At most VERIFY_RATE_PER_HOUR checks an hour from one address, counted
    in the database (SealCheckCount): the same limit on every server."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    address = salted_hmac("portal.seal-check", client_ip_address(request) or "").hexdigest()
    with transaction.atomic():
        SealCheckCount.objects.filter(hour__lt=hour).delete()
        counter, _created = SealCheckCount.objects.get_or_create(address=address, hour=hour)
        SealCheckCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        counter.refresh_from_db(fields=["count"])
    return counter.count <= settings.VERIFY_RATE_PER_HOUR


@public
@require_http_methods(["GET", "POST"])
def verify_seal(request: HttpRequest) -> HttpResponse:
    """Upload a PDF: is its seal valid, by whom, when, is the file unchanged,
    and which register document it is (its reference, no personal data).
    Nothing uploaded is kept."""
    form = SealedPdfForm(request.POST or None, request.FILES or None)
    verdict = None
    status = 200
    if request.method == "POST":
        limit = settings.DOCUMENT_MAX_BYTES
        if not _verify_allowed(request):
            form.add_error(
                None, _("Too many files checked from your address: try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            upload = form.cleaned_data["pdf"]
            if upload.size > limit:
                form.add_error(
                    "pdf", _("The file is larger than %(mb)d MB.") % {"mb": limit // 1_000_000}
                )
                status = 413
            else:
                verdict = verify_pdf(upload.read())
        else:
            status = 400
    return render(
        request, "portal/verify_seal.html", {"form": form, "verdict": verdict}, status=status
    )
