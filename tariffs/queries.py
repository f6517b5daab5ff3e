"""The querysets the tariff pages and downloads share."""

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from providers.models import Offer, Tariff
from tariffs.models import CalculationBasis, TariffRound


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


def _count(queryset: QuerySet, group: str) -> Subquery:
    return Subquery(
        queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def rounds_with_counts() -> QuerySet:
    """Rounds with `offer_count` (open offers under the agreement) and
    `submitted_count` (bases submitted or approved), in one query."""
    offers = Offer.objects.filter(
        framework_agreements=OuterRef("agreement"), closed_on__isnull=True
    )
    submitted = CalculationBasis.objects.filter(
        agreement=OuterRef("agreement"),
        year=OuterRef("year"),
        status__in=[CalculationBasis.Status.SUBMITTED, CalculationBasis.Status.APPROVED],
    )
    return (
        TariffRound.objects.select_related("agreement")
        .annotate(
            offer_count=Coalesce(_count(offers, "framework_agreements"), 0),
            submitted_count=Coalesce(_count(submitted, "agreement"), 0),
        )
        .order_by("-year", "agreement__name")
    )


def rounds_waiting(user, today) -> list[TariffRound]:
    """The rounds of the user's agreements the dashboard shows: deadline not
    long past, with who has not submitted yet."""
    rounds = list(
        rounds_with_counts()
        .visible_to(user)
        .filter(deadline__gte=today - datetime.timedelta(days=60))[:5]
    )
    for tariff_round in rounds:
        tariff_round.missing_count = max(tariff_round.offer_count - tariff_round.submitted_count, 0)
        tariff_round.days_left_count = (tariff_round.deadline - today).days
    return rounds


def round_offers(tariff_round: TariffRound) -> QuerySet:
    """The open offers under the round's agreement, each with its basis's
    status for the year (`basis_status`, None when none is entered)."""
    basis = CalculationBasis.objects.filter(offer=OuterRef("pk"), year=tariff_round.year)
    return (
        Offer.objects.filter(framework_agreements=tariff_round.agreement, closed_on__isnull=True)
        .annotate(
            basis_status=Subquery(basis.values("status")[:1]),
            basis_pk=Subquery(basis.values("pk")[:1]),
        )
        .select_related("provider__operating_municipality", "provider__operating_region")
        .order_by("provider__operating_municipality__name", "name", "pk")
    )


def not_submitted(offers: QuerySet) -> QuerySet:
    return offers.filter(
        Q(basis_status__isnull=True)
        | Q(basis_status__in=[CalculationBasis.Status.DRAFT, CalculationBasis.Status.CORRECTION])
    )
