"""Workflows of the framework agreements: the annual cycle (004)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_in_scope
from agreements.models import AgreementError, CycleDeadline, CycleStep, FrameworkAgreement


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


@transaction.atomic
def cycle_deadline_done(
    *, user, deadline: CycleDeadline, today: datetime.date | None = None
) -> CycleDeadline:
    """Mark a deadline of the annual cycle done (004): only a secretary of
    the agreement's secretariat, and only once (the day it was done stays)."""
    require_in_scope(
        FrameworkAgreement.objects.administered_by(user),
        deadline.agreement,
        AgreementError(_("Only the agreement's secretariat marks its deadlines done.")),
    )
    deadline = CycleDeadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.done_on is not None:
        raise AgreementError(
            _("The deadline was marked done on %(date)s.")
            % {"date": deadline.done_on.strftime("%d.%m.%Y")}
        )
    deadline.done_on = today or timezone.localdate()
    deadline._change_reason = _("Marked done")
    deadline.save(update_fields=["done_on"])
    return deadline
