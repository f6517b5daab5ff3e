"""Coming deadlines of a provider leader's providers, for the page and the feed.

Each source yields the deadlines of one kind; the list is merged and sorted.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import add_years
from capacity.models import Hearing
from contracts.models import IndividualContract, StandardContract, Status
from providers.models import OperatingAgreement


@dataclass(frozen=True)
class Deadline:
    uid: str
    date: datetime.date
    title: str
    kind: str
    url: str
    # (source, primary key): the order the database sorts ties by, so that
    # merging the sources' first rows gives the same order at every limit.
    rank: tuple = field(default=(), compare=False)


def _between(queryset, field: str, start: datetime.date | None, end: datetime.date | None):
    """Rows whose `field` falls on or after `start` and on or before `end`."""
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset.order_by(field, "pk")


def _review_deadline(agreement: OperatingAgreement) -> Deadline:
    due = agreement.next_review_on
    return Deadline(
        uid=f"review-{agreement.pk}-{due.isoformat()}",
        date=due,
        title=_("Service review: %(provider)s (%(municipality)s)")
        % {"provider": agreement.provider, "municipality": agreement.municipality},
        kind=_("Service review"),
        url=reverse("portal:leader_provider", args=[agreement.provider_id]),
        rank=(0, agreement.pk),
    )


def service_reviews(provider_ids: frozenset[int]) -> list[Deadline]:
    """A provider has one or two operating agreements: their next review date
    (a rule of the model, OperatingAgreement.next_review_on) is computed here."""
    agreements = OperatingAgreement.objects.filter(provider__in=provider_ids).select_related(
        "provider", "model", "framework_agreement", "municipality"
    )
    return [_review_deadline(a) for a in agreements if a.next_review_on is not None]


def _standard_deadline(contract: StandardContract) -> Deadline:
    return Deadline(
        uid=f"standard-contract-end-{contract.pk}-{contract.ends_on.isoformat()}",
        date=contract.ends_on,
        title=_("Standard contract %(number)s ends (%(authority)s, %(type)s)")
        % {
            "number": contract.reference,
            "authority": contract.authority,
            "type": contract.intervention_type,
        },
        kind=_("Contract ends"),
        url=reverse("contracts:standard_contract_detail", args=[contract.pk]),
        rank=(1, contract.pk),
    )


def _individual_deadline(contract: IndividualContract) -> Deadline:
    # No citizen's name in a calendar: the contract number is enough.
    return Deadline(
        uid=f"individual-contract-end-{contract.pk}-{contract.ends_on.isoformat()}",
        date=contract.ends_on,
        title=_("Individual contract %(number)s ends (%(municipality)s)")
        % {"number": contract.reference, "municipality": contract.acting_municipality},
        kind=_("Contract ends"),
        url=reverse("contracts:individual_contract_detail", args=[contract.pk]),
        rank=(2, contract.pk),
    )


def _hearing_deadline(hearing: Hearing) -> Deadline:
    return Deadline(
        uid=f"hearing-{hearing.pk}-{hearing.deadline.isoformat()}",
        date=hearing.deadline,
        title=_("Hearing deadline: %(offer)s (%(body)s)")
        % {"offer": hearing.adjustment.offer, "body": hearing.body},
        kind=_("E-mail hearing"),
        url=reverse("capacity:adjustment", args=[hearing.adjustment_id]),
        rank=(3, hearing.pk),
    )


@dataclass(frozen=True)
class Source:
    """Deadlines of one kind that the database chooses, sorts and limits."""

    rows: Callable[[frozenset[int]], QuerySet]
    field: str
    related: tuple[str, ...]
    deadline: Callable[[object], Deadline]


SOURCES: list[Source] = [
    # Signed contracts of the providers that end on a set day.
    Source(
        lambda ids: StandardContract.objects.filter(
            provider__in=ids, status=Status.SIGNED, ends_on__isnull=False
        ),
        "ends_on",
        ("authority", "intervention_type"),
        _standard_deadline,
    ),
    Source(
        lambda ids: IndividualContract.objects.filter(
            provider__in=ids, status=Status.SIGNED, ends_on__isnull=False
        ),
        "ends_on",
        ("acting_municipality",),
        _individual_deadline,
    ),
    # Open e-mail hearings on capacity adjustments of the providers' offers.
    Source(
        lambda ids: Hearing.objects.filter(concluded_on=None, adjustment__offer__provider__in=ids),
        "deadline",
        ("adjustment__offer", "body"),
        _hearing_deadline,
    ),
]


def _soonest(deadlines: list[Deadline], limit: int | None = None) -> list[Deadline]:
    return sorted(deadlines, key=lambda deadline: (deadline.date, deadline.rank))[:limit]


def _in_period(deadline: Deadline, start, end) -> bool:
    return (start is None or deadline.date >= start) and (end is None or deadline.date <= end)


def deadlines_for(
    provider_ids: frozenset[int],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    limit: int | None = None,
) -> list[Deadline]:
    """The providers' deadlines from `start` to `end` (both inclusive, open
    when None), soonest first, at most `limit`: each source gives at most
    `limit` rows, sorted by the database, so the merge is exact."""
    found = [d for d in service_reviews(provider_ids) if _in_period(d, start, end)]
    for source in SOURCES:
        rows = _between(source.rows(provider_ids), source.field, start, end)
        found += [source.deadline(row) for row in rows.select_related(*source.related)[:limit]]
    return _soonest(found, limit)


def count_deadlines(
    provider_ids: frozenset[int],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> int:
    """How many deadlines `deadlines_for` would give without a limit."""
    reviews = [d for d in service_reviews(provider_ids) if _in_period(d, start, end)]
    return len(reviews) + sum(
        _between(source.rows(provider_ids), source.field, start, end).count() for source in SOURCES
    )


class DeadlineList(Sequence):
    """The deadlines in a period as a sequence a Paginator can page through:
    a page is the first `stop` of each source, merged, then cut."""

    def __init__(self, provider_ids, start=None, end=None):
        self.provider_ids, self.start, self.end = provider_ids, start, end

    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._count = count_deadlines(self.provider_ids, start=self.start, end=self.end)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            found = deadlines_for(
                self.provider_ids, start=self.start, end=self.end, limit=index.stop
            )
            return found[index]
        return self[index : index + 1][0]


@dataclass(frozen=True)
class Split:
    """The first deadlines from today on and the first already past, with
    how many there are on each side."""

    coming: list[Deadline]
    overdue: list[Deadline]
    coming_total: int
    overdue_total: int


def split_at(provider_ids: frozenset[int], today: datetime.date, limit: int) -> Split:
    """One query per source: its rows are numbered and counted on each side
    of today (window functions), and only the first `limit` of each side
    are read."""
    reviews = service_reviews(provider_ids)
    coming = [d for d in reviews if d.date >= today]
    overdue = [d for d in reviews if d.date < today]
    coming_total, overdue_total = len(coming), len(overdue)
    for source in SOURCES:
        past = Case(
            When(**{f"{source.field}__lt": today}, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        rows = (
            source.rows(provider_ids)
            .annotate(
                is_past=past,
                side_number=Window(
                    RowNumber(),
                    partition_by=[past],
                    order_by=[F(source.field).asc(), F("pk").asc()],
                ),
                side_total=Window(Count("pk"), partition_by=[past]),
            )
            .filter(side_number__lte=limit)
            .select_related(*source.related)
            .order_by(source.field, "pk")
        )
        totals = {}
        for row in rows:
            (overdue if row.is_past else coming).append(source.deadline(row))
            totals[row.is_past] = row.side_total
        coming_total += totals.get(False, 0)
        overdue_total += totals.get(True, 0)
    return Split(_soonest(coming, limit), _soonest(overdue, limit), coming_total, overdue_total)


def days_left(due: datetime.date | None, today: datetime.date) -> dict:
    """Days until `due` (negative when overdue) and, when overdue, by how many."""
    if due is None:
        return {"days_left": None, "overdue_days": None}
    left = (due - today).days
    return {"days_left": left, "overdue_days": -left if left < 0 else None}


def rows(deadlines: list[Deadline], today: datetime.date) -> list[dict]:
    return [{"deadline": deadline} | days_left(deadline.date, today) for deadline in deadlines]


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar feed holds the past month and the coming 12 months:
    from the same day a month ago to the same day a year ahead."""
    month_ago = today.replace(day=1) - datetime.timedelta(days=1)
    start = month_ago.replace(day=min(today.day, month_ago.day))
    return start, add_years(today, 1)
