"""The querysets the tariff pages and downloads share."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from providers.models import Tariff
from tariffs.models import CalculationBasis


def approved_basis(year_ref: str = "year") -> QuerySet:
    return CalculationBasis.objects.approved().filter(
        offer=OuterRef("offer"), year=OuterRef(year_ref), unit=OuterRef("unit")
    )


def published_tariffs(year: int) -> QuerySet:
    """The year's tariffs that rest on an approved calculation basis — the
    open tariff list (001: "gennemskuelig takstoversigt"). A tariff without
    one is not on the list."""
    return (
        Tariff.objects.filter(year=year)
        .filter(Exists(approved_basis()))
        .annotate(basis_id=Subquery(approved_basis().values("pk")[:1]))
        .select_related(
            "offer__provider__operating_municipality__region",
            "offer__provider__operating_region",
        )
        .order_by("offer__name", "offer__provider__name", "unit", "pk")
    )


def published_years() -> list[int]:
    return list(
        CalculationBasis.objects.approved()
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
