"""The Takstgruppe's reports (004: "rapporteringer af takstudvikling,
belægning og tillægstakster"; "synlighed … om takst- og udgiftsudviklingen").

Each function answers in a fixed number of queries whatever the number of
offers: the pages show a page of rows, the totals come from aggregates.
"""

import calendar
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, QuerySet, Sum

from providers.models import Offer, Tariff
from tariffs.models import AddOnService, CalculationBasis, PriceIndex
from tariffs.usage import contract_days_by_offer, contract_span, contracts_in_period, days_of

ORE = Decimal("0.01")
TENTH = Decimal("0.1")


def approved_years() -> list[int]:
    return sorted(
        set(CalculationBasis.objects.approved().values_list("year", flat=True).distinct())
    )


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def occupancy_percent(contract_days: int, places: int, days: int) -> Decimal | None:
    """Belægning = contract days ÷ (places × days), in per cent to one decimal."""
    if not places or not days:
        return None
    return (Decimal(contract_days) * 100 / (places * days)).quantize(TENTH, ROUND_HALF_UP)


# Tariff development -------------------------------------------------------------------


def pl_factors(years: list[int]) -> dict[tuple[int, int], Decimal]:
    """{(agreement id, year): factor} bringing a tariff of `year` to the
    prices of the last year shown, by the agreement's PL indices
    (a year without an index counts as 0 %)."""
    if not years:
        return {}
    last = max(years)
    indices: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = PriceIndex.objects.filter(year__gt=min(years), year__lte=last).values_list(
        "policy__agreement", "year", "percent"
    )
    for agreement, year, percent in rows:
        indices[agreement][year] = percent
    factors = {}
    for agreement in {*indices, None}:
        for year in years:
            factor = Decimal(1)
            for later in range(year + 1, last + 1):
                factor *= 1 + indices.get(agreement, {}).get(later, Decimal(0)) / 100
            factors[(agreement, year)] = factor
    return factors


def adjusted(amount: Decimal, factors, agreement: int, year: int) -> Decimal:
    factor = factors.get((agreement, year)) or factors.get((None, year), Decimal(1))
    return (amount * factor).quantize(ORE, ROUND_HALF_UP)


def offers_with_tariffs():
    return (
        Offer.objects.filter(calculation_bases__status="approved").distinct().order_by("name", "pk")
    )


def tariff_cells(years: list[int], offers=None) -> dict[int, dict[int, dict]]:
    """{offer id: {year: cell}}: the approved tariffs (of `offers`, else of
    every offer), each cell nominal, in the last year's prices and its unit."""
    factors = pl_factors(years)
    bases = CalculationBasis.objects.approved()
    if offers is not None:
        bases = bases.filter(offer__in=[offer.pk for offer in offers])
    by_offer: dict[int, dict[int, dict]] = defaultdict(dict)
    for basis in bases.values("offer", "year", "unit", "tariff_amount", "agreement"):
        amount = basis["tariff_amount"]
        by_offer[basis["offer"]][basis["year"]] = {
            "nominal": amount,
            "adjusted": adjusted(amount, factors, basis["agreement"], basis["year"]),
            "unit": basis["unit"],
        }
    return by_offer


def tariff_rows(offers, years: list[int]) -> list[dict]:
    """Per offer on the page: its approved tariff per year, nominal and in
    the last year's prices."""
    by_offer = tariff_cells(years, offers)
    return [
        {"offer": offer, "years": [by_offer[offer.pk].get(year) for year in years]}
        for offer in offers
    ]


def target_group_rows(years: list[int]) -> list[dict]:
    """Per target group and year: the average tariff per day of the approved
    bases, nominal and in the last year's prices."""
    factors = pl_factors(years)
    rows = (
        CalculationBasis.objects.approved()
        .filter(unit=Tariff.Unit.DAY)
        .values("offer__target_group", "year", "agreement")
        .annotate(total=Sum("tariff_amount"), count=Count("pk"))
        .order_by()
    )
    sums: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for row in rows:
        cell = sums[row["offer__target_group"]][row["year"]]
        cell[0] += row["total"]
        cell[1] += row["total"] * (factors.get((row["agreement"], row["year"])) or 1)
        cell[2] += row["count"]
    labels = dict(Offer.TargetGroup.choices)
    result = []
    for group in sorted(sums, key=lambda key: str(labels.get(key, key))):
        cells = []
        for year in years:
            nominal, adjusted_total, count = sums[group].get(year, (0, 0, 0))
            cells.append(
                {
                    "nominal": (nominal / count).quantize(ORE, ROUND_HALF_UP),
                    "adjusted": (Decimal(adjusted_total) / count).quantize(ORE, ROUND_HALF_UP),
                }
                if count
                else None
            )
        result.append({"group": labels.get(group, group), "years": cells})
    return result


# Occupancy -------------------------------------------------------------------------------


def occupancy_bases(year: int, *, offers: QuerySet):
    """The year's approved bases of `offers`: their budgeted occupancy is the budget."""
    return (
        CalculationBasis.objects.approved()
        .filter(year=year, offer__in=offers)
        .select_related("offer__provider")
        .order_by("offer__name", "pk")
    )


def occupancy_rows(bases, year: int) -> list[dict]:
    """Per basis on the page: contract days in the year and occupancy against budget."""
    start, end = year_bounds(year)
    days = contract_days_by_offer([basis.offer_id for basis in bases], start, end)
    rows = []
    for basis in bases:
        used = days.get(basis.offer_id, 0)
        actual = occupancy_percent(used, basis.approved_places, days_in_year(year))
        rows.append(
            {
                "basis": basis,
                "contract_days": used,
                "actual": actual,
                "budget": basis.budgeted_occupancy,
                "difference": actual - basis.budgeted_occupancy,
            }
        )
    return rows


def monthly_occupancy(bases, year: int) -> list[dict]:
    """Per month: contract days ÷ (places × days) over all the given bases'
    offers, one query per month."""
    places = bases.aggregate(places=Sum("approved_places"))["places"] or 0
    offers = bases.values("offer")
    months = []
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        row = (
            contracts_in_period(start, end)
            .filter(offer__in=offers)
            .aggregate(span=Sum(contract_span()), contracts=Count("pk"))
        )
        used = days_of(row)
        months.append(
            {
                "month": start,
                "contract_days": used,
                "occupancy": occupancy_percent(used, places, end.day),
            }
        )
    return months


def budgeted_average(bases) -> Decimal | None:
    """The budgeted occupancy weighted by places."""
    totals = bases.aggregate(
        places=Sum("approved_places"), weighted=Sum(F("approved_places") * F("budgeted_occupancy"))
    )
    if not totals["places"]:
        return None
    return (Decimal(totals["weighted"]) / totals["places"]).quantize(TENTH, ROUND_HALF_UP)


def offer_months(basis: CalculationBasis) -> list[dict]:
    """One offer's occupancy per month of the basis's year."""
    months = []
    for month in range(1, 13):
        start = datetime.date(basis.year, month, 1)
        end = datetime.date(basis.year, month, calendar.monthrange(basis.year, month)[1])
        used = contract_days_by_offer([basis.offer_id], start, end).get(basis.offer_id, 0)
        months.append(
            {
                "month": start,
                "contract_days": used,
                "occupancy": occupancy_percent(used, basis.approved_places, end.day),
            }
        )
    return months


# Add-on tariffs ----------------------------------------------------------------------------


def add_ons(year: int):
    return (
        AddOnService.objects.filter(basis__status="approved", basis__year=year)
        .select_related("basis__offer__provider")
        .order_by("basis__offer__name", "name", "pk")
    )


def add_ons_per_target_group(year: int) -> list[tuple[str, Decimal]]:
    labels = dict(Offer.TargetGroup.choices)
    rows = add_ons(year).values("basis__offer__target_group").annotate(count=Count("pk")).order_by()
    return [
        (str(labels.get(row["basis__offer__target_group"], "")), Decimal(row["count"]))
        for row in rows
    ]


# Expenditure per buying municipality --------------------------------------------------------


def per_day(amount: Decimal, unit: str, year: int) -> Decimal:
    """A tariff as a price per contract day."""
    if unit == Tariff.Unit.MONTH:
        return amount * 12 / days_in_year(year)
    if unit == Tariff.Unit.YEAR:
        return amount / days_in_year(year)
    return amount


def expenditure(year: int, *, offers: QuerySet) -> list[dict]:
    """Per paying municipality: contract days in `offers` × the offer's tariff
    for the year. Two queries: the days per municipality and offer, and the tariffs."""
    start, end = year_bounds(year)
    rows = (
        contracts_in_period(start, end)
        .filter(offer__in=offers)
        .values(
            "paying_municipality",
            "paying_municipality__name",
            "offer",
        )
        .annotate(span=Sum(contract_span()), contracts=Count("pk"))
        .order_by()
    )
    rows = list(rows)
    tariffs: dict[int, Decimal] = {}
    for offer, unit, amount in (
        Tariff.objects.filter(year=year)
        .order_by("offer", "unit")
        .values_list("offer", "unit", "amount")
    ):
        tariffs.setdefault(offer, per_day(amount, unit, year))
    totals: dict[int, dict] = {}
    for row in rows:
        days = days_of(row)
        entry = totals.setdefault(
            row["paying_municipality"],
            {"municipality": row["paying_municipality__name"], "days": 0, "amount": Decimal(0)},
        )
        entry["days"] += days
        tariff = tariffs.get(row["offer"])
        if tariff is not None:
            entry["amount"] += days * tariff
    for entry in totals.values():
        entry["amount"] = entry["amount"].quantize(ORE, ROUND_HALF_UP)
    return sorted(totals.values(), key=lambda entry: (-entry["amount"], entry["municipality"]))
