"""Coming deadlines of a provider leader's providers, for the page and the feed.

Each source yields the deadlines of one kind; the list is merged and sorted.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

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


Source = Callable[[frozenset[int], datetime.date], Iterable[Deadline]]


def service_reviews(provider_ids: frozenset[int], today: datetime.date) -> Iterable[Deadline]:
    agreements = OperatingAgreement.objects.filter(provider__in=provider_ids).select_related(
        "provider", "model", "framework_agreement", "municipality"
    )
    for agreement in agreements:
        due = agreement.next_review_on
        if due is None:
            continue
        yield Deadline(
            uid=f"review-{agreement.pk}-{due.isoformat()}",
            date=due,
            title=_("Service review: %(provider)s (%(municipality)s)")
            % {"provider": agreement.provider, "municipality": agreement.municipality},
            kind=_("Service review"),
            url=reverse("portal:leader_provider", args=[agreement.provider_id]),
        )


def contract_ends(provider_ids: frozenset[int], today: datetime.date) -> Iterable[Deadline]:
    """Signed contracts of the providers that end on a set day."""
    standard = StandardContract.objects.filter(
        provider__in=provider_ids, status=Status.SIGNED, ends_on__isnull=False
    ).select_related("authority", "intervention_type")
    for contract in standard:
        yield Deadline(
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
        )
    individual = IndividualContract.objects.filter(
        standard_contract__provider__in=provider_ids, status=Status.SIGNED, ends_on__isnull=False
    ).select_related("acting_municipality")
    for contract in individual:
        # No citizen's name in a calendar: the contract number is enough.
        yield Deadline(
            uid=f"individual-contract-end-{contract.pk}-{contract.ends_on.isoformat()}",
            date=contract.ends_on,
            title=_("Individual contract %(number)s ends (%(municipality)s)")
            % {"number": contract.reference, "municipality": contract.acting_municipality},
            kind=_("Contract ends"),
            url=reverse("contracts:individual_contract_detail", args=[contract.pk]),
        )


def hearings(provider_ids: frozenset[int], today: datetime.date) -> Iterable[Deadline]:
    """Open e-mail hearings on capacity adjustments of the providers' offers."""
    open_hearings = Hearing.objects.filter(
        concluded_on=None, adjustment__offer__provider__in=provider_ids
    ).select_related("adjustment__offer", "body")
    for hearing in open_hearings:
        yield Deadline(
            uid=f"hearing-{hearing.pk}-{hearing.deadline.isoformat()}",
            date=hearing.deadline,
            title=_("Hearing deadline: %(offer)s (%(body)s)")
            % {"offer": hearing.adjustment.offer, "body": hearing.body},
            kind=_("E-mail hearing"),
            url=reverse("capacity:adjustment", args=[hearing.adjustment_id]),
        )


SOURCES: list[Source] = [service_reviews, contract_ends, hearings]


def deadlines_for(provider_ids: frozenset[int], today: datetime.date | None = None) -> list:
    """Every deadline of the providers, overdue ones included, soonest first."""
    today = today or datetime.date.today()
    found = [deadline for source in SOURCES for deadline in source(provider_ids, today)]
    return sorted(found, key=lambda deadline: (deadline.date, deadline.title))


def days_left(due: datetime.date | None, today: datetime.date) -> dict:
    """Days until `due` (negative when overdue) and, when overdue, by how many."""
    if due is None:
        return {"days_left": None, "overdue_days": None}
    left = (due - today).days
    return {"days_left": left, "overdue_days": -left if left < 0 else None}


def rows(deadlines: list[Deadline], today: datetime.date) -> list[dict]:
    return [{"deadline": deadline} | days_left(deadline.date, today) for deadline in deadlines]


def coming_and_overdue(
    deadlines: list[Deadline], today: datetime.date, limit: int | None = None
) -> tuple[list[dict], list[dict]]:
    """The rows of the deadlines from today on (the first `limit` of them) and
    of those already past."""
    coming = [deadline for deadline in deadlines if deadline.date >= today][:limit]
    overdue = [deadline for deadline in deadlines if deadline.date < today]
    return rows(coming, today), rows(overdue, today)
