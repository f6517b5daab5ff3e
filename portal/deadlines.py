"""Coming deadlines of a provider leader's providers, for the page and the feed.

Each source yields the deadlines of one kind; the list is merged and sorted.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
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


def service_reviews(
    provider_ids: frozenset[int],
    start: datetime.date | None,
    end: datetime.date | None,
    limit: int | None,
) -> list[Deadline]:
    """A provider has one or two operating agreements: their next review date
    (a rule of the model, OperatingAgreement.next_review_on) is computed here."""
    agreements = OperatingAgreement.objects.filter(provider__in=provider_ids).select_related(
        "provider", "model", "framework_agreement", "municipality"
    )
    found = []
    for agreement in agreements:
        due = agreement.next_review_on
        if due is None or (start and due < start) or (end and due > end):
            continue
        found.append(
            Deadline(
                uid=f"review-{agreement.pk}-{due.isoformat()}",
                date=due,
                title=_("Service review: %(provider)s (%(municipality)s)")
                % {"provider": agreement.provider, "municipality": agreement.municipality},
                kind=_("Service review"),
                url=reverse("portal:leader_provider", args=[agreement.provider_id]),
                rank=(0, agreement.pk),
            )
        )
    return found


def _standard_ends(provider_ids, start, end) -> QuerySet:
    return _between(
        StandardContract.objects.filter(provider__in=provider_ids, status=Status.SIGNED),
        "ends_on",
        start,
        end,
    ).exclude(ends_on=None)


def _individual_ends(provider_ids, start, end) -> QuerySet:
    return _between(
        IndividualContract.objects.filter(
            standard_contract__provider__in=provider_ids, status=Status.SIGNED
        ),
        "ends_on",
        start,
        end,
    ).exclude(ends_on=None)


def _open_hearings(provider_ids, start, end) -> QuerySet:
    return _between(
        Hearing.objects.filter(concluded_on=None, adjustment__offer__provider__in=provider_ids),
        "deadline",
        start,
        end,
    )


def contract_ends(
    provider_ids: frozenset[int],
    start: datetime.date | None,
    end: datetime.date | None,
    limit: int | None,
) -> list[Deadline]:
    """Signed contracts of the providers that end on a set day, in the
    period: chosen, sorted and limited by the database."""
    standard = _standard_ends(provider_ids, start, end).select_related(
        "authority", "intervention_type"
    )[:limit]
    found = [
        Deadline(
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
        for contract in standard
    ]
    individual = _individual_ends(provider_ids, start, end).select_related("acting_municipality")[
        :limit
    ]
    # No citizen's name in a calendar: the contract number is enough.
    found += [
        Deadline(
            uid=f"individual-contract-end-{contract.pk}-{contract.ends_on.isoformat()}",
            date=contract.ends_on,
            title=_("Individual contract %(number)s ends (%(municipality)s)")
            % {"number": contract.reference, "municipality": contract.acting_municipality},
            kind=_("Contract ends"),
            url=reverse("contracts:individual_contract_detail", args=[contract.pk]),
            rank=(2, contract.pk),
        )
        for contract in individual
    ]
    return found


def hearings(
    provider_ids: frozenset[int],
    start: datetime.date | None,
    end: datetime.date | None,
    limit: int | None,
) -> list[Deadline]:
    """Open e-mail hearings on capacity adjustments of the providers' offers."""
    open_hearings = _open_hearings(provider_ids, start, end).select_related(
        "adjustment__offer", "body"
    )[:limit]
    return [
        Deadline(
            uid=f"hearing-{hearing.pk}-{hearing.deadline.isoformat()}",
            date=hearing.deadline,
            title=_("Hearing deadline: %(offer)s (%(body)s)")
            % {"offer": hearing.adjustment.offer, "body": hearing.body},
            kind=_("E-mail hearing"),
            url=reverse("capacity:adjustment", args=[hearing.adjustment_id]),
            rank=(3, hearing.pk),
        )
        for hearing in open_hearings
    ]


Source = Callable[
    [frozenset[int], datetime.date | None, datetime.date | None, int | None], list[Deadline]
]
SOURCES: list[Source] = [service_reviews, contract_ends, hearings]


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
    found = [deadline for source in SOURCES for deadline in source(provider_ids, start, end, limit)]
    return sorted(found, key=lambda deadline: (deadline.date, deadline.rank))[:limit]


def count_deadlines(
    provider_ids: frozenset[int],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> int:
    """How many deadlines `deadlines_for` would give without a limit."""
    return (
        len(service_reviews(provider_ids, start, end, None))
        + _standard_ends(provider_ids, start, end).count()
        + _individual_ends(provider_ids, start, end).count()
        + _open_hearings(provider_ids, start, end).count()
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


def days_left(due: datetime.date | None, today: datetime.date) -> dict:
    """Days until `due` (negative when overdue) and, when overdue, by how many."""
    if due is None:
        return {"days_left": None, "overdue_days": None}
    left = (due - today).days
    return {"days_left": left, "overdue_days": -left if left < 0 else None}


def rows(deadlines: list[Deadline], today: datetime.date) -> list[dict]:
    return [{"deadline": deadline} | days_left(deadline.date, today) for deadline in deadlines]


def coming_and_overdue(
    provider_ids: frozenset[int], today: datetime.date, limit: int | None = None
) -> tuple[list[dict], list[dict]]:
    """The rows of the first `limit` deadlines from today on and of the
    first `limit` already past, oldest first."""
    coming = deadlines_for(provider_ids, start=today, limit=limit)
    overdue = deadlines_for(provider_ids, end=today - datetime.timedelta(days=1), limit=limit)
    return rows(coming, today), rows(overdue, today)


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar feed holds the past month and the coming 12 months:
    from the same day a month ago to the same day a year ahead."""
    month_ago = today.replace(day=1) - datetime.timedelta(days=1)
    start = month_ago.replace(day=min(today.day, month_ago.day))
    return start, add_years(today, 1)
