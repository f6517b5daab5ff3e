"""The open tariff list's and the reports' filters, and what their downloads
hold (listing/ does the rest). The year is in the URL as `aar`."""

import functools

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import Region
from listing.filters import ListFilterSet
from listing.pages import Column
from providers.models import Offer, Tariff
from tariffs import reports
from tariffs.models import AddOnService, CalculationBasis
from tariffs.usage import contract_days_by_offer

YEAR = "aar"


def unit_label(unit: str) -> str:
    return str(Tariff.Unit(unit).label)


class YearListFilter(ListFilterSet):
    """A list of one year at a time: `aar` chooses among `years`, the first
    of them being the view's default. The view narrows the rows to the year,
    so the filter itself changes nothing."""

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        year = django_filters.ChoiceFilter(
            label=_("Year"),
            choices=[(str(year), str(year)) for year in years],
            empty_label=None,
            method="chosen_year",
        )
        year.parent = self
        year.model = self.queryset.model
        self.filters = {YEAR: year, **self.filters}

    def chosen_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


def chosen_year(request, years: list[int], default: int | None) -> int | None:
    """The year `aar` asks for when there are tariffs for it, else `default`."""
    try:
        year = int(request.GET.get(YEAR, ""))
    except ValueError:
        return default
    return year if year in years else default


class TariffListFilter(YearListFilter):
    search_fields = (
        "offer__name__icontains",
        "offer__provider__name__icontains",
        "offer__provider__operating_municipality__name__icontains",
    )
    search_label = _("Offer, provider or operating municipality")
    sorts = {
        "offer": (_("Offer"), ("offer__name", "offer__provider__name", "unit")),
        "price": (_("Lowest price first"), ("published_amount", "offer__name")),
        "-price": (_("Highest price first"), ("-published_amount", "offer__name")),
    }
    default_sort = "offer"

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        method="filter_region",
        empty_label=_("All regions"),
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"),
        field_name="offer__target_group",
        choices=Offer.TargetGroup.choices,
        empty_label=_("All target groups"),
    )
    legal_basis = django_filters.ChoiceFilter(
        label=_("Paragraph"),
        field_name="offer__legal_basis",
        choices=Offer.LegalBasis.choices,
        empty_label=_("All paragraphs"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Specialisation level"),
        field_name="offer__specialisation_level",
        choices=Offer.SpecialisationLevel.choices,
        empty_label=_("All levels"),
    )

    class Meta:
        model = Tariff
        fields: list[str] = []

    def filter_region(self, queryset, name, value):
        """An offer lies in the region of its operating municipality, or of
        the region that runs it."""
        return queryset.filter(
            Q(offer__provider__operating_municipality__region=value)
            | Q(offer__provider__operating_region=value)
        )


def _operator(tariff: Tariff) -> str:
    provider = tariff.offer.provider
    return str(provider.operating_municipality or provider.operating_region or "")


def _region(tariff: Tariff) -> str:
    provider = tariff.offer.provider
    if provider.operating_municipality:
        return str(provider.operating_municipality.region or "")
    return str(provider.operating_region or "")


# The open list holds no personal data.
TARIFF_LIST_COLUMNS = [
    Column(_("Offer"), lambda t: t.offer.name),
    Column(_("Provider"), lambda t: t.offer.provider.name),
    Column(_("Operator"), _operator),
    Column(_("Places"), lambda t: t.offer.approved_places),
    Column(_("Region"), _region),
    Column(_("Target group"), lambda t: str(t.offer.get_target_group_display())),
    Column(_("Paragraph"), lambda t: t.offer.legal_basis),
    Column(_("Specialisation level"), lambda t: str(t.offer.get_specialisation_level_display())),
    Column(_("Year"), lambda t: t.year),
    Column(_("Unit"), lambda t: unit_label(t.unit)),
    Column(_("Tariff (DKK)"), lambda t: t.published_amount),
]


# The Takstgruppe's reports -------------------------------------------------------------


class OfferReportFilter(ListFilterSet):
    """The tariff development's offers: by name or provider."""

    search_label = _("Offer or provider")
    search_fields = ("name__icontains", "provider__name__icontains")

    class Meta:
        model = Offer
        fields: list[str] = []


class OccupancyReportFilter(YearListFilter):
    search_label = _("Offer or provider")
    search_fields = ("offer__name__icontains", "offer__provider__name__icontains")

    class Meta:
        model = CalculationBasis
        fields: list[str] = []


class AddOnReportFilter(YearListFilter):
    search_label = _("Offer, provider or add-on service")
    search_fields = (
        "basis__offer__name__icontains",
        "basis__offer__provider__name__icontains",
        "name__icontains",
    )

    class Meta:
        model = AddOnService
        fields: list[str] = []


def tariff_report_columns(years: list[int]) -> list[Column]:
    """A line per offer; per year its approved tariff, nominal and in the last
    year's prices, and its unit (read for every offer at once, when the first
    line is written)."""

    @functools.cache
    def cells() -> dict[int, dict[int, dict]]:
        return reports.tariff_cells(years)

    def cell(year: int, key: str, show=lambda value: value):
        def value(offer: Offer):
            found = cells().get(offer.pk, {}).get(year)
            return show(found[key]) if found else None

        return value

    columns = [
        Column(_("Offer"), lambda o: o.name),
        Column(_("Provider"), lambda o: o.provider.name),
        Column(_("Target group"), lambda o: str(o.get_target_group_display())),
    ]
    for year in years:
        columns += [
            Column(_("Tariff %(year)s (DKK)") % {"year": year}, cell(year, "nominal")),
            Column(
                _("Tariff %(year)s in last year's prices (DKK)") % {"year": year},
                cell(year, "adjusted"),
            ),
            Column(_("Unit %(year)s") % {"year": year}, cell(year, "unit", unit_label)),
        ]
    return columns


def occupancy_columns(year: int, bases: QuerySet) -> list[Column]:
    """A line per approved basis, with its offer's contract days in the year
    (counted for all of `bases` at once, when the first line is written)."""

    @functools.cache
    def days() -> dict[int, int]:
        start, end = reports.year_bounds(year)
        return contract_days_by_offer(list(bases.values_list("offer", flat=True)), start, end)

    def contract_days(basis: CalculationBasis) -> int:
        return days().get(basis.offer_id, 0)

    def actual(basis: CalculationBasis):
        return reports.occupancy_percent(
            contract_days(basis), basis.approved_places, reports.days_in_year(year)
        )

    return [
        Column(_("Offer"), lambda b: b.offer.name),
        Column(_("Provider"), lambda b: b.offer.provider.name),
        Column(_("Year"), lambda b: b.year),
        Column(_("Approved places"), lambda b: b.approved_places),
        Column(_("Contract days"), contract_days),
        Column(_("Occupancy (per cent)"), actual),
        Column(_("Budgeted occupancy (per cent)"), lambda b: b.budgeted_occupancy),
    ]


ADD_ON_COLUMNS = [
    Column(_("Offer"), lambda a: a.basis.offer.name),
    Column(_("Provider"), lambda a: a.basis.offer.provider.name),
    Column(_("Year"), lambda a: a.basis.year),
    Column(_("Add-on service"), lambda a: a.name),
    Column(_("Unit"), lambda a: unit_label(a.unit)),
    Column(_("Price (DKK)"), lambda a: a.price),
]


def expenditure_columns(year: int) -> list[Column]:
    """A line per buying municipality (`reports.expenditure`)."""
    return [
        Column(_("Municipality"), lambda row: row["municipality"]),
        Column(_("Year"), lambda row: year),
        Column(_("Contract days"), lambda row: row["days"]),
        Column(_("Expenditure (DKK)"), lambda row: row["amount"]),
    ]
