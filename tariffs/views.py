"""The tariff pages. Thin: each fetches through `visible_to(user)`, validates
with a form and calls one service; what a user may not see is a 404."""

import datetime
from decimal import Decimal

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.access import (
    any_of,
    anyone_logged_in,
    decide,
    provider_leader,
    public,
    secretariat,
    visible_or_404,
)
from agreements.models import FrameworkAgreement, add_years
from domain.steps import post_step
from listing.pages import DOWNLOAD_FORMATS, ListPage, list_page, spreadsheet_response, summarise
from outbox.models import OutgoingMail
from providers.models import Offer, Provider, Tariff
from register_io.services import write_xlsx
from tariffs import charts, importing, reports, services
from tariffs.filters import (
    ADD_ON_COLUMNS,
    TARIFF_LIST_COLUMNS,
    AddOnReportFilter,
    OccupancyReportFilter,
    OfferReportFilter,
    TariffListFilter,
    chosen_year,
    expenditure_columns,
    occupancy_columns,
    tariff_report_columns,
)
from tariffs.forms import (
    AddOnForm,
    BasisForm,
    CostShareForm,
    DeficitForm,
    ImportForm,
    ReviewForm,
    RoundForm,
)
from tariffs.models import CalculationBasis, CostShare, TariffError, TariffRound
from tariffs.pdf import render_statement
from tariffs.permissions import (
    may_enter_basis_for,
    may_review,
    tariff_operator,
    tariff_reader,
    tariff_reviewer,
)
from tariffs.queries import (
    not_submitted,
    published_tariffs,
    published_years,
    round_offers,
    rounds_with_counts,
)
from tariffs.usage import contract_days_by_offer

PAGE_SIZE = 50
AddOnFormSet = formset_factory(AddOnForm, extra=2)


# The open tariff list ----------------------------------------------------------------


def _tariff_listing(request: HttpRequest) -> tuple[ListPage, int | None]:
    years = published_years()
    year = chosen_year(request, years, years[0] if years else None)
    listing = list_page(
        request,
        published_tariffs(year or 0),
        TariffListFilter,
        empty_label=_("No tariffs are approved yet."),
        no_match_label=_("No approved tariffs match the filters"),
        filterset_kwargs={"years": years},
    )
    return listing, year


@public
def tariff_list(request: HttpRequest) -> HttpResponse:
    """Takstoversigt: every offer's approved tariff for the year, open to all."""
    listing, year = _tariff_listing(request)
    if response := listing.response(TARIFF_LIST_COLUMNS, f"takstoversigt-{year or 'tom'}"):
        return response
    return render(request, "tariffs/tariff_list.html", {"listing": listing, "year": year})


def _tariff_list_file(request: HttpRequest, kind: str) -> HttpResponse:
    """The list's own download addresses (takstoversigt.xlsx and .csv)."""
    listing, year = _tariff_listing(request)
    stem = f"takstoversigt-{year or 'tom'}"
    if response := listing.download_response(TARIFF_LIST_COLUMNS, stem, kind):
        return response
    return render(request, "tariffs/tariff_list.html", {"listing": listing, "year": year})


@public
def tariff_list_xlsx(request: HttpRequest) -> HttpResponse:
    return _tariff_list_file(request, "xlsx")


@public
def tariff_list_csv(request: HttpRequest) -> HttpResponse:
    return _tariff_list_file(request, "csv")


# A calculation basis -------------------------------------------------------------------


@public
def basis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A calculation basis: approved ones are open to all (001: "åbenhed om
    beregningsgrundlag"); others only to those who work on them."""
    basis = visible_or_404(
        CalculationBasis.objects.visible_to(request.user).select_related(
            "offer__provider", "agreement"
        ),
        pk=pk,
    )
    user = request.user
    works_on_it = user.is_authenticated and (
        may_enter_basis_for(user, basis.offer) or may_review(user, basis)
    )
    return render(
        request,
        "tariffs/basis_detail.html",
        {
            "basis": basis,
            "add_ons": list(basis.add_on_services.all()),
            "works_on_it": works_on_it,
            "may_edit": works_on_it
            and basis.is_editable
            and may_enter_basis_for(user, basis.offer),
            "may_review": works_on_it
            and basis.status == CalculationBasis.Status.SUBMITTED
            and may_review(user, basis),
        },
    )


# Closure costs and the deficit guarantee -------------------------------------------------


@decide(tariff_reviewer)
def cost_shares(request: HttpRequest) -> HttpResponse:
    """What the secretariat divides: closed offers whose closure costs are not
    divided yet, offers in their deficit guarantee, and the splits made."""
    today = timezone.localdate()
    closed = (
        Offer.objects.visible_to(request.user)
        .filter(closed_on__isnull=False)
        .exclude(cost_shares__kind=CostShare.Kind.CLOSURE)
        .select_related("provider")
        .order_by("-closed_on", "name")
    )
    guaranteed = guaranteed_offers(request.user, today)
    splits = (
        CostShare.objects.visible_to(request.user)
        .select_related("offer__provider")
        .annotate(buyers=Count("lines"))
        .order_by("-entered_at")
    )
    return render(
        request,
        "tariffs/cost_shares.html",
        {
            "closed": Paginator(closed, PAGE_SIZE).get_page(request.GET.get("lukket")),
            "guaranteed": guaranteed,
            "splits": Paginator(splits, PAGE_SIZE).get_page(request.GET.get("side")),
            "is_secretariat": secretariat(request.user),
        },
    )


def guaranteed_offers(user, today) -> list[Offer]:
    """Offers within their deficit guarantee today (001: the first years of an
    offer's life), each with `guaranteed_until`."""
    longest = (
        FrameworkAgreement.objects.aggregate(years=Max("new_offer_deficit_guarantee_years"))[
            "years"
        ]
        or 0
    )
    if not longest:
        return []
    offers = (
        Offer.objects.visible_to(user)
        .filter(opened_on__gt=add_years(today, -longest), closed_on__isnull=True)
        .annotate(guarantee_years=Max("framework_agreements__new_offer_deficit_guarantee_years"))
        .filter(guarantee_years__gt=0)
        .select_related("provider")
        .order_by("opened_on", "name")
    )
    marked = []
    for offer in offers:
        offer.guaranteed_until = services.guaranteed_until(offer, offer.guarantee_years)
        if offer.guaranteed_until >= today:
            marked.append(offer)
    return marked


def _divide_page(request, offer, form, perform, title: str) -> HttpResponse:
    def page() -> HttpResponse:
        return render(
            request, "tariffs/divide.html", {"offer": offer, "form": form, "title": title}
        )

    if request.method != "POST":
        return page()
    return post_step(
        request,
        perform,
        form=form,
        done=_("The amount is divided among the buyers."),
        then=lambda share: reverse("tariffs:cost_share", args=[share.pk]),
        page=page,
    )


@decide(secretariat)
def closure_costs(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = visible_or_404(
        Offer.objects.visible_to(request.user).select_related("provider"), pk=offer_pk
    )
    divided = CostShare.objects.filter(offer=offer, kind=CostShare.Kind.CLOSURE).first()
    if divided is not None:
        return redirect("tariffs:cost_share", divided.pk)
    form = CostShareForm(request.POST or None)
    return _divide_page(
        request,
        offer,
        form,
        lambda data: services.closure_costs_divide(
            user=request.user, offer=offer, total=data["total"], description=data["description"]
        ),
        _("Closure costs of %(offer)s") % {"offer": offer.name},
    )


@decide(secretariat)
def deficit(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = visible_or_404(
        Offer.objects.visible_to(request.user).select_related("provider"), pk=offer_pk
    )
    form = DeficitForm(request.POST or None)
    return _divide_page(
        request,
        offer,
        form,
        lambda data: services.deficit_divide(
            user=request.user,
            offer=offer,
            year=data["year"],
            total=data["total"],
            description=data["description"],
        ),
        _("Guaranteed deficit of %(offer)s") % {"offer": offer.name},
    )


def _cost_share(user, pk: int) -> CostShare:
    share = visible_or_404(
        CostShare.objects.visible_to(user).select_related("offer__provider", "entered_by"), pk=pk
    )
    share.all_lines = list(share.lines.select_related("municipality"))
    whole = sum(line.contract_days for line in share.all_lines)
    for line in share.all_lines:
        line.percent = Decimal(line.contract_days * 100) / whole
    share.total_days = whole
    share.lines_total = sum(line.amount for line in share.all_lines)
    return share


@decide(anyone_logged_in)
def cost_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The split: one line per buying municipality, adding up to the øre."""
    return render(request, "tariffs/cost_share.html", {"share": _cost_share(request.user, pk)})


@decide(anyone_logged_in)
def cost_share_pdf(request: HttpRequest, pk: int, code: int) -> HttpResponse:
    """One municipality's statement as a PDF."""
    share = _cost_share(request.user, pk)
    line = next((line for line in share.all_lines if line.municipality.code == code), None)
    if line is None:
        raise Http404
    content = render_statement(share, line)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="fordeling-{share.pk}-{line.municipality.code}.pdf"'
    )
    return response


# The Takstgruppe's reports ---------------------------------------------------------------


def _report_year(request: HttpRequest, years: list[int]) -> int:
    return chosen_year(request, years, years[-1] if years else timezone.localdate().year)


def _xlsx(dataset: tablib.Dataset, name: str) -> HttpResponse:
    response = HttpResponse(
        write_xlsx(dataset),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@decide(tariff_reader)
def report_tariffs(request: HttpRequest) -> HttpResponse:
    """Tariff development per offer and per target group, nominal and PL-adjusted."""
    years = reports.approved_years()
    listing = list_page(
        request,
        reports.offers_with_tariffs().select_related("provider"),
        OfferReportFilter,
        empty_label=_("No offer has an approved tariff yet."),
        no_match_label=_("No offers match the search"),
    )
    if response := listing.response(tariff_report_columns(years), "takstudvikling"):
        return response
    groups = reports.target_group_rows(years)
    nominal = charts.line_chart(
        years,
        [charts.Series(row["group"], [c and c["nominal"] for c in row["years"]]) for row in groups],
    )
    adjusted = charts.line_chart(
        years,
        [
            charts.Series(row["group"], [c and c["adjusted"] for c in row["years"]])
            for row in groups
        ],
    )
    return render(
        request,
        "tariffs/report_tariffs.html",
        {
            "years": years,
            "groups": groups,
            "nominal_chart": nominal,
            "adjusted_chart": adjusted,
            "listing": listing,
            "rows": reports.tariff_rows(listing.rows, years),
        },
    )


def _offers_read_by(user) -> QuerySet:
    """Occupancy and expenditure are read off the contracts: an approved basis
    is open to all, but the reports show only the offers the user reads (a
    secretariat its own agreements' offers, never another secretariat's)."""
    return Offer.objects.visible_to(user).values("pk")


@decide(tariff_reader)
def report_occupancy(request: HttpRequest) -> HttpResponse:
    """Occupancy against the budgeted occupancy, per offer and per month."""
    years = reports.approved_years()
    year = _report_year(request, years)
    bases = reports.occupancy_bases(year, offers=_offers_read_by(request.user))
    listing = list_page(
        request,
        bases,
        OccupancyReportFilter,
        empty_label=_("No basis is approved for this year."),
        no_match_label=_("No offers match the search"),
        filterset_kwargs={"years": sorted(years, reverse=True)},
    )
    columns = occupancy_columns(year, listing.filterset.qs)
    if response := listing.response(columns, f"belaegning-{year}"):
        return response
    months = reports.monthly_occupancy(bases, year)
    budget = reports.budgeted_average(bases)
    chart = charts.line_chart(
        [month["month"].strftime("%m") for month in months],
        [
            charts.Series(_("Occupancy"), [month["occupancy"] for month in months]),
            charts.Series(
                _("Budgeted occupancy"), [budget] * 12 if budget is not None else [None] * 12
            ),
        ],
    )
    return render(
        request,
        "tariffs/report_occupancy.html",
        {
            "year": year,
            "listing": listing,
            "rows": reports.occupancy_rows(listing.rows, year),
            "months": months,
            "budget": budget,
            "chart": chart,
        },
    )


@decide(tariff_reader)
def report_offer_occupancy(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer's occupancy per month of a year, beside its budget."""
    basis = visible_or_404(
        CalculationBasis.objects.visible_to(request.user)
        .filter(offer__in=_offers_read_by(request.user))
        .select_related("offer__provider"),
        pk=pk,
    )
    months = reports.offer_months(basis)
    start, end = reports.year_bounds(basis.year)
    used = contract_days_by_offer([basis.offer_id], start, end).get(basis.offer_id, 0)
    chart = charts.line_chart(
        [month["month"].strftime("%m") for month in months],
        [
            charts.Series(_("Occupancy"), [month["occupancy"] for month in months]),
            charts.Series(_("Budgeted occupancy"), [basis.budgeted_occupancy] * 12),
        ],
    )
    return render(
        request,
        "tariffs/report_offer_occupancy.html",
        {
            "basis": basis,
            "months": months,
            "chart": chart,
            "year_days": used,
            "year_occupancy": reports.occupancy_percent(
                used, basis.approved_places, reports.days_in_year(basis.year)
            ),
        },
    )


@decide(tariff_reader)
def report_add_ons(request: HttpRequest) -> HttpResponse:
    """The add-on tariffs of the approved bases."""
    years = reports.approved_years()
    year = _report_year(request, years)
    listing = list_page(
        request,
        reports.add_ons(year),
        AddOnReportFilter,
        empty_label=_("No approved basis has add-on services this year."),
        no_match_label=_("No add-on services match the search"),
        filterset_kwargs={"years": sorted(years, reverse=True)},
    )
    if response := listing.response(ADD_ON_COLUMNS, f"tillaegstakster-{year}"):
        return response
    per_group = reports.add_ons_per_target_group(year)
    return render(
        request,
        "tariffs/report_add_ons.html",
        {
            "year": year,
            "listing": listing,
            "per_group": per_group,
            "chart": charts.bar_chart(per_group),
        },
    )


@decide(tariff_reader)
def report_expenditure(request: HttpRequest) -> HttpResponse:
    """Expenditure per buying municipality: contract days × tariff."""
    years = reports.approved_years()
    year = _report_year(request, years)
    rows = reports.expenditure(year, offers=_offers_read_by(request.user))
    if (kind := request.GET.get("download")) in DOWNLOAD_FORMATS:
        return spreadsheet_response(rows, expenditure_columns(year), f"udgifter-{year}", kind)
    return render(
        request,
        "tariffs/report_expenditure.html",
        {
            "years": years,
            "year": year,
            "rows": rows,
            "chart": charts.bar_chart([(row["municipality"], row["amount"]) for row in rows]),
        },
    )


# The submission round ---------------------------------------------------------------------


@decide(tariff_reviewer)
def rounds(request: HttpRequest) -> HttpResponse:
    """The rounds, with how many offers have submitted; the secretariat opens one."""
    form = RoundForm(request.POST or None, user=request.user) if secretariat(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                tariff_round = services.round_open(user=request.user, **form.cleaned_data)
            except TariffError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The round is open."))
                return redirect("tariffs:round", tariff_round.pk)
    page = Paginator(rounds_with_counts().visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(request, "tariffs/rounds.html", {"form": form, "page": page})


@decide(tariff_reviewer)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has not submitted, and the bases waiting for the Takstgruppe."""
    tariff_round = visible_or_404(
        TariffRound.objects.visible_to(request.user).select_related("agreement"), pk=pk
    )
    offers = round_offers(tariff_round)
    waiting = (
        CalculationBasis.objects.visible_to(request.user)
        .filter(agreement=tariff_round.agreement, year=tariff_round.year, status="submitted")
        .select_related("offer__provider")
        .order_by("submitted_at", "pk")
    )
    return render(
        request,
        "tariffs/round.html",
        {
            "round": tariff_round,
            "missing": Paginator(not_submitted(offers), PAGE_SIZE).get_page(
                request.GET.get("side")
            ),
            "waiting": Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("venter")),
            "offer_count": offers.count(),
            # The reminders' addresses and status, for the secretariat only.
            "reminder_mails": OutgoingMail.objects.filter(
                tariff_reminder__round=tariff_round
            ).defer("attachment", "text", "html")
            if secretariat(request.user)
            else None,
        },
    )


def _operator_rows(user):
    """The operator's offers in the open rounds, one row per offer and year,
    with the basis's status (`basis_status`, None when none is entered)."""
    today = timezone.localdate()
    open_rounds = TariffRound.objects.filter(deadline__gte=today - datetime.timedelta(days=60))
    basis = CalculationBasis.objects.filter(offer=OuterRef("pk"), year=OuterRef("year"))
    return (
        Offer.objects.filter(
            provider__operating_municipality__in=roles.municipality_ids_of(user),
            closed_on__isnull=True,
            framework_agreements__tariff_rounds__in=open_rounds,
        )
        .annotate(
            year=F("framework_agreements__tariff_rounds__year"),
            deadline=F("framework_agreements__tariff_rounds__deadline"),
        )
        .annotate(
            basis_status=Subquery(basis.values("status")[:1]),
            basis_pk=Subquery(basis.values("pk")[:1]),
        )
        .select_related("provider")
        .order_by("-year", "name", "pk")
    )


def _leaders_tariffs(request: HttpRequest) -> HttpResponse:
    """A provider leader's Takster: their offers' tariffs, and who submits the
    calculation basis (the operating municipality, not the provider)."""
    providers = Provider.objects.filter(
        pk__in=roles.provider_ids_led_by(request.user)
    ).select_related("operating_municipality", "operating_region")
    tariffs = summarise(
        Tariff.objects.filter(offer__provider__in=providers)
        .select_related("offer__provider")
        .order_by("-year", "offer__name", "unit", "pk"),
        limit=PAGE_SIZE,
    )
    return render(
        request,
        "tariffs/mine_leader.html",
        {"providers": providers.order_by("name"), "tariffs": tariffs},
    )


@decide(any_of(tariff_operator, provider_leader))
def my_bases(request: HttpRequest) -> HttpResponse:
    """The operator's offers in the open rounds, with each basis's state, and
    the import of bases from a spreadsheet; for a provider leader who is not
    municipality staff, their offers' tariffs."""
    if not tariff_operator(request.user):
        return _leaders_tariffs(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = importing.bases_import(
                user=request.user, content=upload.read(), file_name=upload.name
            )
        except TariffError as error:
            problems = error.message if isinstance(error.message, list) else [error.message]
            for problem in problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("%(count)s bases are saved as drafts. Check and submit each.")
                % {"count": len(saved)},
            )
            return redirect("tariffs:mine")
    page = Paginator(_operator_rows(request.user), PAGE_SIZE).get_page(request.GET.get("side"))
    for offer in page.object_list:
        offer.basis_status_label = (
            CalculationBasis.Status(offer.basis_status).label if offer.basis_status else None
        )
    return render(request, "tariffs/mine.html", {"page": page, "form": form})


@decide(tariff_operator)
def bases_template(request: HttpRequest) -> HttpResponse:
    """A spreadsheet with a row per offer and year still to enter."""
    rows = not_submitted(_operator_rows(request.user))
    dataset = importing.template((offer, offer.year) for offer in rows)
    return _xlsx(dataset, "beregningsgrundlag")


def _initial_values(offer: Offer) -> dict:
    from tariffs.models import default_occupancy_kind

    return {
        "approved_places": offer.approved_places or None,
        "opening_days": 365,
        "occupancy_kind": default_occupancy_kind(offer),
        "unit": "day",
        "regulation": Decimal("0.00"),
    }


@decide(any_of(secretariat, tariff_operator))
def basis_edit(request: HttpRequest, offer_pk: int, year: int) -> HttpResponse:
    """The operator enters the offer's basis for the year and submits it."""
    offer = visible_or_404(
        Offer.objects.visible_to(request.user).select_related("provider"), pk=offer_pk
    )
    if not may_enter_basis_for(request.user, offer):
        raise Http404
    tariff_round = services.round_for(offer, year)
    if tariff_round is None:
        raise Http404
    basis = CalculationBasis.objects.filter(offer=offer, year=year).first()
    if basis is not None and not basis.is_editable:
        return redirect("tariffs:basis", basis.pk)
    allowed = tariff_round.agreement.add_on_services_allowed
    instance = basis or CalculationBasis(offer=offer, year=year, agreement=tariff_round.agreement)
    form = BasisForm(
        request.POST or None,
        instance=instance,
        initial=None if basis else _initial_values(offer),
    )
    initial_add_ons = (
        [{"name": a.name, "price": a.price, "unit": a.unit} for a in basis.add_on_services.all()]
        if basis
        else []
    )
    add_on_forms = (
        AddOnFormSet(request.POST or None, initial=initial_add_ons, prefix="tillaeg")
        if allowed
        else None
    )
    if request.method == "POST":
        valid = form.is_valid() and (add_on_forms is None or add_on_forms.is_valid())
        if valid:
            add_ons = (
                [
                    {key: data[key] for key in ("name", "price", "unit")}
                    for data in add_on_forms.cleaned_data
                    if data and data.get("name")
                ]
                if add_on_forms is not None
                else None
            )
            values = {name: form.cleaned_data[name] for name in BasisForm.Meta.fields}
            try:
                with transaction.atomic():
                    saved = services.basis_save(
                        user=request.user, offer=offer, year=year, values=values, add_ons=add_ons
                    )
                    if "submit" in request.POST:
                        saved = services.basis_submit(user=request.user, basis=saved)
            except (TariffError, ValidationError) as error:
                form.add_error(
                    None, error.messages if isinstance(error, ValidationError) else str(error)
                )
            else:
                if saved.status == CalculationBasis.Status.SUBMITTED:
                    messages.success(request, _("The basis is submitted to the Takstgruppe."))
                    return redirect("tariffs:basis", saved.pk)
                messages.success(request, _("The basis is saved as a draft."))
                return redirect("tariffs:basis_edit", offer.pk, year)
    return render(
        request,
        "tariffs/basis_edit.html",
        {
            "offer": offer,
            "year": year,
            "round": tariff_round,
            "basis": basis,
            "form": form,
            "add_on_forms": add_on_forms,
            "add_ons_allowed": allowed,
        },
    )


@decide(tariff_reviewer)
def basis_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The Takstgruppe approves the basis or asks for a correction."""
    basis = visible_or_404(
        CalculationBasis.objects.visible_to(request.user).select_related(
            "offer__provider", "agreement", "submitted_by"
        ),
        pk=pk,
    )
    if not may_review(request.user, basis):
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.basis_approve(
                    user=request.user, basis=basis, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The basis is approved and its tariff published."))
            else:
                services.basis_request_correction(
                    user=request.user, basis=basis, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The basis is returned to the operator."))
        except TariffError as error:
            form.add_error(None, str(error))
        else:
            return redirect("tariffs:basis", basis.pk)
    return render(
        request,
        "tariffs/basis_review.html",
        {"basis": basis, "add_ons": list(basis.add_on_services.all()), "form": form},
    )
