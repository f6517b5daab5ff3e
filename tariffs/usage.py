"""Use of an offer, counted in the database: contract days of the individual
contracts in the offer (DESIGN.md: belægning = contract days ÷ (places × days)).

A contract counts from its start to its end (the earlier of `ends_on` and
`terminated_on`), both days included, within the period asked for. Signed,
terminated and expired contracts count; a superseded version does not, since
its amendment carries the same place on from the same start.
"""

import datetime

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from contracts.models import IndividualContract, Status

COUNTED_STATUSES = (Status.SIGNED, Status.TERMINATED, Status.EXPIRED)


def contracts_in_period(start: datetime.date, end: datetime.date) -> QuerySet:
    """Counted individual contracts overlapping [start, end], annotated with
    `first` and `last`: the days of the period they cover."""
    start_value = Value(start, output_field=DateField())
    end_value = Value(end, output_field=DateField())
    return (
        IndividualContract.objects.filter(status__in=COUNTED_STATUSES, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=start))
        .annotate(
            first=Greatest("starts_on", start_value),
            last=Least(
                Coalesce("ends_on", end_value),
                Coalesce("terminated_on", end_value),
                end_value,
            ),
        )
        .filter(last__gte=F("first"))
    )


def contract_span():
    return ExpressionWrapper(F("last") - F("first"), output_field=DurationField())


def days_of(row: dict) -> int:
    """Contract days of an aggregated row: the summed spans plus one day per
    contract (both ends count)."""
    span = row["span"] or datetime.timedelta(0)
    return span.days + row["contracts"]


def contract_days_by_municipality(
    offer, start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """{paying municipality id: contract days in the offer within [start, end]}."""
    rows = (
        contracts_in_period(start, end)
        .filter(offer=offer)
        .values("paying_municipality")
        .annotate(span=Sum(contract_span()), contracts=Count("pk"))
        .order_by("paying_municipality")
    )
    return {row["paying_municipality"]: days_of(row) for row in rows}


def contract_days_by_offer(offer_ids, start: datetime.date, end: datetime.date) -> dict[int, int]:
    """{offer id: contract days within [start, end]} for many offers in one query."""
    rows = (
        contracts_in_period(start, end)
        .filter(offer__in=offer_ids)
        .values("offer")
        .annotate(span=Sum(contract_span()), contracts=Count("pk"))
        .order_by("offer")
    )
    return {row["offer"]: days_of(row) for row in rows}
