"""The tariff workflow, one function per step (seeds 001, 003, 004).

Every path — pages, admin, commands, the demo — goes through these functions.
Each is atomic, takes the acting user, locks what it changes and raises
`TariffError` with a Danish message when the step is refused; a refused step
changes nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import require_in_scope, secretariat
from agreements.models import FrameworkAgreement, add_years
from providers.models import Offer, Tariff
from tariffs.calculation import split_by_use
from tariffs.models import (
    AddOnService,
    CalculationBasis,
    CostShare,
    CostShareLine,
    TariffError,
    TariffPolicy,
    TariffRound,
    add_on_refusal,
    default_occupancy_kind,
)
from tariffs.permissions import may_enter_basis_for, may_review
from tariffs.usage import contract_days_by_municipality

Status = CalculationBasis.Status


def percent_text(value: Decimal) -> str:
    """95.00 → "95", 94.90 → "94,9": a percentage as the seeds write it."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# Validation ------------------------------------------------------------------


def previous_tariff(basis: CalculationBasis) -> Decimal | None:
    """Last year's published tariff of the offer in the same unit."""
    return (
        Tariff.objects.filter(offer=basis.offer_id, year=basis.year - 1, unit=basis.unit)
        .values_list("amount", flat=True)
        .first()
    )


def rise_above_index(
    *, tariff: Decimal, previous: Decimal | None, index: Decimal | None
) -> Decimal | None:
    """The rise in per cent when `tariff` rises more than the PL index from
    `previous`; None when it does not (or there is nothing to compare)."""
    if previous is None or index is None or previous <= 0:
        return None
    if tariff <= previous * (1 + index / 100):
        return None
    return ((tariff / previous - 1) * 100).quantize(Decimal("0.1"))


def basis_flags(basis: CalculationBasis, *, policy: TariffPolicy | None = None) -> list[str]:
    """Every rule of the steering agreement the basis breaks, each with its
    numbers (e.g. "Budgetteret belægning 88 % er under 95 %"). A flagged basis
    is not refused: the Takstgruppe sees the flags when it reviews."""
    policy = policy or TariffPolicy.for_agreement(basis.agreement)
    flags: list[str] = []
    low, high = policy.occupancy_interval(basis.occupancy_kind)
    occupancy = basis.budgeted_occupancy
    if occupancy < low:
        flags.append(
            _("Budgeted occupancy %(value)s %% is below %(limit)s %%")
            % {"value": percent_text(occupancy), "limit": percent_text(low)}
        )
    elif occupancy > high:
        flags.append(
            _("Budgeted occupancy %(value)s %% is above %(limit)s %%")
            % {"value": percent_text(occupancy), "limit": percent_text(high)}
        )
    direct = basis.direct_costs
    if basis.indirect_costs > direct * policy.overhead_cap_percent / 100:
        if direct > 0:
            share = (basis.indirect_costs / direct * 100).quantize(Decimal("0.1"))
            flags.append(
                _("Overhead is %(share)s %% of the direct costs, above the cap of %(cap)s %%")
                % {"share": percent_text(share), "cap": percent_text(policy.overhead_cap_percent)}
            )
        else:
            flags.append(_("Overhead is entered without any direct costs"))
    if (
        basis.regulation
        and basis.regulation_from_year
        and basis.year - basis.regulation_from_year > policy.regulation_years
    ):
        flags.append(
            _("The regulation is carried from %(from)s, more than %(years)s years before %(year)s")
            % {
                "from": basis.regulation_from_year,
                "years": policy.regulation_years,
                "year": basis.year,
            }
        )
    index = policy.price_index(basis.year)
    rise = rise_above_index(
        tariff=basis.compute_tariff(), previous=previous_tariff(basis), index=index
    )
    if rise is not None:
        flags.append(
            _(
                "The tariff rises %(rise)s %% from last year, more than the price and wage "
                "index of %(index)s %%. The operator's reason: %(reason)s"
            )
            % {
                "rise": percent_text(rise),
                "index": percent_text(index),
                "reason": basis.increase_reason.strip() or "–",
            }
        )
    return flags


# The round -------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, user, agreement: FrameworkAgreement, year: int, deadline: datetime.date
) -> TariffRound:
    """The secretariat opens the year's submission round with a deadline."""
    if not secretariat(user):
        raise TariffError(_("Only the secretariat may open a tariff round."))
    require_in_scope(
        FrameworkAgreement.objects.administered_by(user),
        agreement,
        TariffError(_("Your secretariat does not administer this framework agreement.")),
    )
    if deadline < timezone.localdate():
        raise TariffError(_("The deadline cannot be in the past."))
    FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    if TariffRound.objects.filter(agreement=agreement, year=year).exists():
        raise TariffError(
            _("A round for %(year)s is already open under this agreement.") % {"year": year}
        )
    return TariffRound.objects.create(
        agreement=agreement, year=year, deadline=deadline, opened_by=user
    )


def round_for(offer: Offer, year: int) -> TariffRound | None:
    """The open round of the year under one of the agreements covering the offer."""
    return (
        TariffRound.objects.filter(agreement__offers=offer, year=year)
        .select_related("agreement")
        .order_by("agreement__name")
        .first()
    )


# The basis -------------------------------------------------------------------


def _check_add_ons(agreement: FrameworkAgreement, add_ons) -> None:
    if add_ons and (refusal := add_on_refusal(agreement)):
        raise TariffError(refusal)


@transaction.atomic
def basis_save(
    *, user, offer: Offer, year: int, values: dict, add_ons: list[dict] | None = None
) -> CalculationBasis:
    """The operator enters (or changes) the offer's basis for the year, as a
    draft. `add_ons` (name, price, unit, description) replace the basis's
    add-on services; none are allowed under a policy without them (R6)."""
    if not may_enter_basis_for(user, offer):
        raise TariffError(
            _("Only the operating municipality or the secretariat may enter this basis.")
        )
    tariff_round = round_for(offer, year)
    if tariff_round is None:
        raise TariffError(
            _("No tariff round is open for %(year)s for this offer.") % {"year": year}
        )
    _check_add_ons(tariff_round.agreement, add_ons)
    Offer.objects.select_for_update().get(pk=offer.pk)
    basis = CalculationBasis.objects.select_for_update().filter(offer=offer, year=year).first()
    if basis is None:
        basis = CalculationBasis(
            offer=offer,
            year=year,
            agreement=tariff_round.agreement,
            occupancy_kind=default_occupancy_kind(offer),
        )
    elif not basis.is_editable:
        raise TariffError(
            _("The basis is %(status)s and cannot be changed now.")
            % {"status": basis.get_status_display().lower()}
        )
    for name in CalculationBasis.INPUT_FIELDS:
        if name in values:
            setattr(basis, name, values[name])
    basis.full_clean()
    basis._change_reason = _("Basis entered")
    basis.save()
    if add_ons is not None:
        basis.add_on_services.all().delete()
        for add_on in add_ons:
            AddOnService.objects.create(basis=basis, **add_on)
    return basis


@transaction.atomic
def basis_submit(*, user, basis: CalculationBasis) -> CalculationBasis:
    """The operator submits the basis to the Takstgruppe. The tariff is
    computed, and every broken rule flagged with its numbers."""
    basis = (
        CalculationBasis.objects.select_for_update().select_related("agreement").get(pk=basis.pk)
    )
    if not may_enter_basis_for(user, basis.offer):
        raise TariffError(
            _("Only the operating municipality or the secretariat may submit this basis.")
        )
    if not basis.may_transition_to(Status.SUBMITTED):
        raise TariffError(
            _("The basis is %(status)s and cannot be submitted.")
            % {"status": basis.get_status_display().lower()}
        )
    _check_add_ons(basis.agreement, basis.add_on_services.exists())
    policy = TariffPolicy.for_agreement(basis.agreement)
    tariff = basis.compute_tariff()
    rise = rise_above_index(
        tariff=tariff, previous=previous_tariff(basis), index=policy.price_index(basis.year)
    )
    if rise is not None and not basis.increase_reason.strip():
        raise TariffError(
            _(
                "The tariff rises %(rise)s %% from last year, more than the price and wage "
                "index: give the reason for the Takstgruppe."
            )
            % {"rise": percent_text(rise)}
        )
    with translation.override(settings.LANGUAGE_CODE):
        basis.flags = basis_flags(basis, policy=policy)
    basis.tariff_amount = tariff
    basis.transition_to(Status.SUBMITTED)
    basis.submitted_by = user
    basis.submitted_at = timezone.now()
    basis._change_reason = _("Basis submitted")
    basis.save()
    return basis


def _reviewable(user, basis: CalculationBasis) -> CalculationBasis:
    basis = CalculationBasis.objects.select_for_update().get(pk=basis.pk)
    if not may_review(user, basis):
        raise TariffError(
            _("Only the Takstgruppe, or the secretariat for it, may review this basis.")
        )
    if basis.status != Status.SUBMITTED:
        raise TariffError(
            _("The basis is %(status)s: only a submitted basis is reviewed.")
            % {"status": basis.get_status_display().lower()}
        )
    return basis


@transaction.atomic
def basis_request_correction(*, user, basis: CalculationBasis, comment: str) -> CalculationBasis:
    """The Takstgruppe returns the basis to the operator with a comment."""
    basis = _reviewable(user, basis)
    if not comment.strip():
        raise TariffError(_("Say what must be corrected."))
    basis.transition_to(Status.CORRECTION)
    basis.review_comment = comment.strip()
    basis.reviewed_by = user
    basis.reviewed_at = timezone.now()
    basis._change_reason = _("Returned for correction")
    basis.save()
    return basis


@transaction.atomic
def basis_approve(*, user, basis: CalculationBasis, comment: str = "") -> CalculationBasis:
    """The Takstgruppe approves the basis: its tariff becomes the offer's
    published tariff for the year and unit (`providers.Tariff`)."""
    basis = _reviewable(user, basis)
    amount = basis.compute_tariff()
    basis.transition_to(Status.APPROVED)
    basis.tariff_amount = amount
    basis.review_comment = comment.strip()
    basis.reviewed_by = user
    basis.reviewed_at = timezone.now()
    basis._change_reason = _("Basis approved")
    basis.save()
    tariff = (
        Tariff.objects.select_for_update()
        .filter(offer=basis.offer_id, year=basis.year, unit=basis.unit)
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        covers = _("Computed from the calculation basis approved on %(date)s.") % {
            "date": date_format(timezone.localdate(), "d.m.Y")
        }
    if tariff is None:
        tariff = Tariff(offer_id=basis.offer_id, year=basis.year, unit=basis.unit)
    tariff.amount = amount
    tariff.covers = covers
    tariff._change_reason = _("Basis approved")
    tariff.save()
    return basis


# Closure costs and the deficit guarantee ------------------------------------------------


def policy_for_offer(offer: Offer) -> TariffPolicy:
    """The steering agreement of the (first) framework agreement covering the offer."""
    agreement = offer.framework_agreements.order_by("name").first()
    if agreement is None:
        raise TariffError(_("The offer is covered by no framework agreement."))
    return TariffPolicy.for_agreement(agreement)


def guarantee_years(offer: Offer) -> int:
    """001: the deficit guarantee's years for a new offer — the longest any
    agreement covering the offer gives."""
    return max(
        offer.framework_agreements.values_list("new_offer_deficit_guarantee_years", flat=True),
        default=0,
    )


def guaranteed_until(offer: Offer, years: int) -> datetime.date | None:
    """The last day of the offer's deficit guarantee, or None without one."""
    if not years or offer.opened_on is None:
        return None
    return add_years(offer.opened_on, years) - datetime.timedelta(days=1)


def closure_period(offer: Offer, policy: TariffPolicy) -> tuple[datetime.date, datetime.date]:
    """The policy's years of use before the closure (003)."""
    closed = offer.closed_on
    return add_years(closed, -policy.closure_use_years), closed - datetime.timedelta(days=1)


def deficit_period(offer: Offer, year: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 1, 1)
    if offer.opened_on and offer.opened_on > first:
        first = offer.opened_on
    return first, datetime.date(year, 12, 31)


def _require_administered_offer(user, offer: Offer) -> None:
    require_in_scope(
        Offer.objects.administered_by(user),
        offer,
        TariffError(_("The offer is not covered by your secretariat's agreements.")),
    )


def _divide(*, share: CostShare) -> None:
    if share.total is None or share.total <= 0:
        raise TariffError(_("The amount to divide must be positive."))
    use = contract_days_by_municipality(share.offer, share.period_start, share.period_end)
    if not use:
        raise TariffError(
            _("No municipality bought places in the offer from %(start)s to %(end)s.")
            % {
                "start": date_format(share.period_start, "d.m.Y"),
                "end": date_format(share.period_end, "d.m.Y"),
            }
        )
    share.save()
    amounts = split_by_use(share.total, use)
    CostShareLine.objects.bulk_create(
        CostShareLine(
            share=share,
            municipality_id=municipality,
            contract_days=use[municipality],
            amount=amount,
        )
        for municipality, amount in amounts.items()
    )


@transaction.atomic
def closure_costs_divide(*, user, offer: Offer, total: Decimal, description: str = "") -> CostShare:
    """When an offer's closure is carried out, the secretariat enters the
    closure costs; they are divided among the municipalities that bought
    places, by their contract days in the policy's years before the closure
    (003: "regler om deling af nedlukningsomkostninger")."""
    if not secretariat(user):
        raise TariffError(_("Only the secretariat may divide closure costs."))
    _require_administered_offer(user, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.closed_on is None:
        raise TariffError(_("The offer is not closed: carry out its closure first."))
    if CostShare.objects.filter(offer=offer, kind=CostShare.Kind.CLOSURE).exists():
        raise TariffError(_("The offer's closure costs are already divided."))
    start, end = closure_period(offer, policy_for_offer(offer))
    share = CostShare(
        kind=CostShare.Kind.CLOSURE,
        offer=offer,
        period_start=start,
        period_end=end,
        total=total,
        description=description,
        entered_by=user,
    )
    _divide(share=share)
    return share


@transaction.atomic
def deficit_divide(
    *, user, offer: Offer, year: int, total: Decimal, description: str = ""
) -> CostShare:
    """001: a new offer's deficit in its guarantee years is divided among the
    buyers by their contract days that year."""
    if not secretariat(user):
        raise TariffError(_("Only the secretariat may divide a deficit."))
    _require_administered_offer(user, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    until = guaranteed_until(offer, guarantee_years(offer))
    if until is None or not (offer.opened_on.year <= year <= until.year):
        raise TariffError(_("The offer has no deficit guarantee in %(year)s.") % {"year": year})
    if CostShare.objects.filter(offer=offer, kind=CostShare.Kind.DEFICIT, year=year).exists():
        raise TariffError(_("The offer's deficit for this year is already divided."))
    start, end = deficit_period(offer, year)
    share = CostShare(
        kind=CostShare.Kind.DEFICIT,
        offer=offer,
        year=year,
        period_start=start,
        period_end=min(end, until),
        total=total,
        description=description,
        entered_by=user,
    )
    _divide(share=share)
    return share
