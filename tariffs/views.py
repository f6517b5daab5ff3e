"""The tariff pages. Thin: each fetches through `visible_to(user)`, validates
with a form and calls one service; what a user may not see is a 404."""

import tablib
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import public, visible_or_404
from register_io.services import write_csv, write_xlsx
from tariffs.filters import TariffListFilter
from tariffs.models import CalculationBasis
from tariffs.permissions import may_enter_basis_for, may_review
from tariffs.queries import published_tariffs, published_years

PAGE_SIZE = 50


# The open tariff list ----------------------------------------------------------------


def _year(request: HttpRequest, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("aar", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    return years[0] if years else None


def _filtered(request: HttpRequest):
    years = published_years()
    year = _year(request, years)
    filterset = TariffListFilter(request.GET, queryset=published_tariffs(year or 0))
    return years, year, filterset


@public
def tariff_list(request: HttpRequest) -> HttpResponse:
    """Takstoversigt: every offer's approved tariff for the year, open to all."""
    years, year, filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "tariffs/tariff_list.html",
        {"filter": filterset, "page": page, "years": years, "year": year},
    )


def _unit_label(unit: str) -> str:
    from providers.models import Tariff

    return str(Tariff.Unit(unit).label)


def tariff_dataset(tariffs) -> tablib.Dataset:
    """The list as rows with Danish headers; no personal data."""
    with translation.override(settings.LANGUAGE_CODE):
        dataset = tablib.Dataset(
            headers=[
                _("Offer"),
                _("Provider"),
                _("Operator"),
                _("Region"),
                _("Target group"),
                _("Paragraph"),
                _("Specialisation level"),
                _("Year"),
                _("Unit"),
                _("Tariff (DKK)"),
            ],
            title=_("Tariff list"),
        )
        for tariff in tariffs:
            offer = tariff.offer
            provider = offer.provider
            operator = provider.operating_municipality or provider.operating_region
            region = (
                provider.operating_municipality.region
                if provider.operating_municipality
                else provider.operating_region
            )
            dataset.append(
                [
                    offer.name,
                    provider.name,
                    str(operator or ""),
                    str(region or ""),
                    str(offer.get_target_group_display()),
                    offer.legal_basis,
                    str(offer.get_specialisation_level_display()),
                    tariff.year,
                    _unit_label(tariff.unit),
                    tariff.amount,
                ]
            )
    return dataset


def _download(request: HttpRequest, file_format: str) -> HttpResponse:
    _years, year, filterset = _filtered(request)
    dataset = tariff_dataset(filterset.qs.iterator(chunk_size=500))
    name = f"takstoversigt-{year or 'tom'}.{file_format}"
    if file_format == "xlsx":
        content = write_xlsx(dataset)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = write_csv(dataset)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
def tariff_list_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@public
def tariff_list_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


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
