"""Workflows of the framework agreements: the annual cycle (004)."""

import datetime

from django.db import transaction

from agreements.models import CycleDeadline, CycleStep, FrameworkAgreement


def _region_of(agreement: FrameworkAgreement):
    """A regional agreement's region, or the region of a municipal agreement's
    municipality: whose annual cycle applies."""
    if agreement.region_id:
        return agreement.region_id
    if agreement.municipality_id:
        return agreement.municipality.region_id
    return None


@transaction.atomic
def annual_cycle_generate(
    *, agreement: FrameworkAgreement, until_year: int | None = None
) -> list[CycleDeadline]:
    """Make the agreement's deadlines from its region's annual cycle. Running it
    again adds only what is missing (a new step, a new year of an open-ended
    agreement): deadlines already made keep their done date.

    An open-ended agreement gets its yearly steps up to `until_year` (default:
    next year)."""
    agreement = FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    region_id = _region_of(agreement)
    if region_id is None:
        return []
    until_year = until_year or datetime.date.today().year + 1
    existing = set(
        CycleDeadline.objects.filter(agreement=agreement).values_list("step_id", "due_on")
    )
    created = []
    for step in CycleStep.objects.filter(region_id=region_id):
        for due_on in step.due_dates(agreement, until_year=until_year):
            if (step.pk, due_on) in existing:
                continue
            created.append(
                CycleDeadline(
                    agreement=agreement,
                    step=step,
                    title=step.title,
                    kind=step.kind,
                    due_on=due_on,
                )
            )
    # Through save(), one by one, so that each deadline gets its history.
    for deadline in created:
        deadline.save()
    return created


def annual_cycle_generate_all() -> int:
    """The daily run: every agreement not expired gets what is missing of
    its annual cycle (safe to repeat). The number of deadlines made."""
    agreements = FrameworkAgreement.objects.exclude(status=FrameworkAgreement.Status.EXPIRED)
    return sum(
        len(annual_cycle_generate(agreement=agreement))
        for agreement in agreements.select_related("municipality")
    )
