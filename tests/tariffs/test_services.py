"""The steering agreement's rules and the submission workflow, each at its boundary."""

import datetime
from decimal import Decimal

import pytest

from providers.models import Offer, Tariff
from tariffs import services
from tariffs.models import AddOnService, CalculationBasis, PriceIndex, TariffError, TariffRound
from tests.conftest import make_offer
from tests.tariffs.helpers import (
    RESIDENTIAL,
    make_basis,
    make_policy,
    make_round,
    make_takstgruppe_member,
    midtjylland,
)


@pytest.fixture
def operated_offer(aarhus) -> Offer:
    """An offer operated by Aarhus, under Midtjylland's agreement."""
    offer = make_offer()
    offer.framework_agreements.add(midtjylland())
    return offer


@pytest.fixture
def open_round(secretariat_user):
    return make_round(secretariat_user)


def test_occupancy_of_95_percent_is_accepted_for_a_residential_offer(operated_offer):
    basis = make_basis(operated_offer, budgeted_occupancy=Decimal("95.00"))
    assert services.basis_flags(basis) == []


def test_occupancy_of_94_9_percent_is_flagged_with_the_numbers(operated_offer):
    basis = make_basis(operated_offer, budgeted_occupancy=Decimal("94.90"))
    assert services.basis_flags(basis) == ["Budgetteret belægning 94,9 % er under 95 %"]


def test_occupancy_of_88_percent_reads_as_the_seed_writes_it(operated_offer):
    basis = make_basis(operated_offer, budgeted_occupancy=Decimal("88"))
    assert services.basis_flags(basis) == ["Budgetteret belægning 88 % er under 95 %"]


def test_a_day_offer_has_the_residential_interval(operated_offer):
    basis = make_basis(operated_offer, occupancy_kind="day", budgeted_occupancy=Decimal("94.99"))
    assert services.basis_flags(basis) == ["Budgetteret belægning 94,99 % er under 95 %"]


def test_90_percent_is_accepted_for_respite_and_89_99_flagged(operated_offer):
    basis = make_basis(operated_offer, occupancy_kind="respite", budgeted_occupancy=Decimal("90"))
    assert services.basis_flags(basis) == []
    basis.budgeted_occupancy = Decimal("89.99")
    assert services.basis_flags(basis) == ["Budgetteret belægning 89,99 % er under 90 %"]


def test_occupancy_above_the_policy_maximum_is_flagged(operated_offer):
    make_policy(occupancy_max_residential=Decimal("98"))
    basis = make_basis(operated_offer, budgeted_occupancy=Decimal("98.01"))
    assert services.basis_flags(basis) == ["Budgetteret belægning 98,01 % er over 98 %"]


def test_respite_occupancy_follows_the_policy_not_a_constant(operated_offer):
    make_policy(occupancy_min_short_stay=Decimal("92"))
    basis = make_basis(operated_offer, occupancy_kind="acute", budgeted_occupancy=Decimal("91"))
    assert services.basis_flags(basis) == ["Budgetteret belægning 91 % er under 92 %"]


def test_overhead_at_the_cap_is_accepted_and_above_it_flagged(operated_offer):
    # Direct costs 10.500.000; the cap is 10 %: 1.050.000.
    basis = make_basis(operated_offer, overhead_costs=Decimal("1050000.00"))
    assert services.basis_flags(basis) == []
    basis.overhead_costs = Decimal("1050000.01")
    assert services.basis_flags(basis) == [
        "Overhead udgør 10 % af de direkte omkostninger, over loftet på 10 %"
    ]
    basis.overhead_costs = Decimal("1260000")
    assert services.basis_flags(basis) == [
        "Overhead udgør 12 % af de direkte omkostninger, over loftet på 10 %"
    ]


def test_regulation_older_than_the_policy_allows_is_flagged(operated_offer):
    basis = make_basis(operated_offer, regulation_from_year=2024)
    assert services.basis_flags(basis) == []  # 2026 − 2024 = 2 years: allowed
    basis.regulation_from_year = 2023
    assert services.basis_flags(basis) == [
        "Efterreguleringen stammer fra 2023, mere end 2 år før 2026"
    ]


def _with_last_year(offer, amount: str, index: str = "2.00"):
    policy = make_policy()
    PriceIndex.objects.create(policy=policy, year=2026, percent=Decimal(index))
    Tariff.objects.create(offer=offer, year=2025, unit="day", amount=Decimal(amount))


def test_a_rise_within_the_price_index_is_not_flagged(operated_offer):
    # 1.710,56 × 1,02 = 1.744,7712 ≥ 1.744,77
    _with_last_year(operated_offer, "1710.56")
    basis = make_basis(operated_offer)
    assert services.basis_flags(basis) == []


def test_a_rise_above_the_price_index_is_flagged_with_the_reason(operated_offer):
    # 1.744,77 ÷ 1.600,00 = +9,0 % against an index of 2 %.
    _with_last_year(operated_offer, "1600.00")
    basis = make_basis(operated_offer, increase_reason="Ny nattevagt.")
    assert services.basis_flags(basis) == [
        "Taksten stiger 9 % fra sidste år, mere end pris- og lønskønnet på 2 %. "
        "Driftsherrens begrundelse: Ny nattevagt."
    ]


def test_a_rise_above_the_index_without_a_reason_is_refused(
    operated_offer, open_round, municipality_user
):
    _with_last_year(operated_offer, "1600.00")
    basis = make_basis(operated_offer)
    with pytest.raises(TariffError, match="giv Takstgruppen begrundelsen"):
        services.basis_submit(user=municipality_user, basis=basis)
    basis.refresh_from_db()
    assert basis.status == "draft"
    assert basis.tariff_amount is None


# R6: add-on services -----------------------------------------------------------------


def test_a_basis_with_an_add_on_is_refused_under_a_policy_without_them(
    operated_offer, open_round, municipality_user
):
    agreement = midtjylland()
    agreement.add_on_services_allowed = False
    agreement.save()
    with pytest.raises(TariffError, match="tillader ingen tillægsydelser"):
        services.basis_save(
            user=municipality_user,
            offer=operated_offer,
            year=2026,
            values=RESIDENTIAL,
            add_ons=[{"name": "Ekstra støtte", "price": Decimal("450.00"), "unit": "hour"}],
        )
    assert not CalculationBasis.objects.exists()
    assert not AddOnService.objects.exists()


def test_an_add_on_is_kept_under_a_policy_that_allows_them(
    operated_offer, open_round, municipality_user
):
    basis = services.basis_save(
        user=municipality_user,
        offer=operated_offer,
        year=2026,
        values=RESIDENTIAL,
        add_ons=[{"name": "Ekstra støtte", "price": Decimal("450.00"), "unit": "hour"}],
    )
    assert list(basis.add_on_services.values_list("name", "price")) == [
        ("Ekstra støtte", Decimal("450.00"))
    ]


def test_submitting_a_basis_whose_add_on_became_forbidden_is_refused(
    operated_offer, open_round, municipality_user
):
    basis = make_basis(operated_offer)
    AddOnService.objects.create(basis=basis, name="Ledsagelse", price=300, unit="hour")
    agreement = midtjylland()
    agreement.add_on_services_allowed = False
    agreement.save()
    with pytest.raises(TariffError, match="tillader ingen tillægsydelser"):
        services.basis_submit(user=municipality_user, basis=basis)
    assert CalculationBasis.objects.get().status == "draft"


# The workflow ----------------------------------------------------------------------


def test_the_secretariat_opens_a_round_once_per_year(secretariat_user):
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    services.round_open(
        user=secretariat_user, agreement=midtjylland(), year=2027, deadline=deadline
    )
    with pytest.raises(TariffError, match="allerede"):
        services.round_open(
            user=secretariat_user, agreement=midtjylland(), year=2027, deadline=deadline
        )
    assert TariffRound.objects.count() == 1


def test_a_round_with_a_past_deadline_is_refused(secretariat_user):
    with pytest.raises(TariffError):
        services.round_open(
            user=secretariat_user,
            agreement=midtjylland(),
            year=2027,
            deadline=datetime.date.today() - datetime.timedelta(days=1),
        )
    assert not TariffRound.objects.exists()


def test_each_secretariat_opens_rounds_under_its_own_agreements_only(
    secretariat_user, copenhagen_secretary, copenhagen_agreement
):
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    for user, agreement in (
        (secretariat_user, copenhagen_agreement),
        (copenhagen_secretary, midtjylland()),
    ):
        with pytest.raises(TariffError, match="administrerer ikke denne rammeaftale"):
            services.round_open(user=user, agreement=agreement, year=2027, deadline=deadline)
    assert not TariffRound.objects.exists()
    for user, agreement in (
        (secretariat_user, midtjylland()),
        (copenhagen_secretary, copenhagen_agreement),
    ):
        services.round_open(user=user, agreement=agreement, year=2027, deadline=deadline)
    assert TariffRound.objects.count() == 2


def test_only_the_secretariat_opens_a_round(municipality_user):
    with pytest.raises(TariffError):
        services.round_open(
            user=municipality_user,
            agreement=midtjylland(),
            year=2027,
            deadline=datetime.date.today(),
        )


def test_no_basis_without_an_open_round(operated_offer, municipality_user):
    with pytest.raises(TariffError, match="Der er ingen takstrunde"):
        services.basis_save(
            user=municipality_user, offer=operated_offer, year=2026, values=RESIDENTIAL
        )


def test_another_municipality_cannot_enter_the_basis(
    operated_offer, open_round, other_municipality_user
):
    with pytest.raises(TariffError):
        services.basis_save(
            user=other_municipality_user, offer=operated_offer, year=2026, values=RESIDENTIAL
        )
    assert not CalculationBasis.objects.exists()


def test_submit_flags_correct_and_approve_publishes_the_tariff(
    operated_offer, open_round, municipality_user, randers
):
    reviewer = make_takstgruppe_member(randers)
    basis = services.basis_save(
        user=municipality_user,
        offer=operated_offer,
        year=2026,
        values=RESIDENTIAL | {"budgeted_occupancy": Decimal("88")},
    )
    basis = services.basis_submit(user=municipality_user, basis=basis)
    assert basis.status == "submitted"
    assert basis.flags == ["Budgetteret belægning 88 % er under 95 %"]
    assert basis.tariff_amount == Decimal("1883.56")  # 12.100.000 ÷ (20 × 365 × 0,88) = 1.883,5616…
    assert not Tariff.objects.exists()

    with pytest.raises(TariffError):
        services.basis_request_correction(user=reviewer, basis=basis, comment=" ")
    basis = services.basis_request_correction(
        user=reviewer, basis=basis, comment="Belægningen skal op på 95 %."
    )
    assert basis.status == "correction"

    basis = services.basis_save(
        user=municipality_user,
        offer=operated_offer,
        year=2026,
        values={"budgeted_occupancy": Decimal("95")},
    )
    basis = services.basis_submit(user=municipality_user, basis=basis)
    assert basis.flags == []
    basis = services.basis_approve(user=reviewer, basis=basis)
    assert basis.status == "approved"
    tariff = Tariff.objects.get(offer=operated_offer, year=2026, unit="day")
    assert tariff.amount == Decimal("1744.77")


def test_approving_updates_an_existing_tariff(operated_offer, open_round, secretariat_user):
    Tariff.objects.create(offer=operated_offer, year=2026, unit="day", amount=Decimal("1500"))
    basis = make_basis(operated_offer, status="submitted")
    services.basis_approve(user=secretariat_user, basis=basis)
    assert Tariff.objects.get(offer=operated_offer, year=2026).amount == Decimal("1744.77")


def test_an_approved_basis_cannot_be_changed(operated_offer, open_round, municipality_user):
    make_basis(operated_offer, status="approved")
    with pytest.raises(TariffError):
        services.basis_save(
            user=municipality_user, offer=operated_offer, year=2026, values={"rent": 1}
        )


def test_a_draft_is_not_reviewed(operated_offer, secretariat_user):
    basis = make_basis(operated_offer)
    with pytest.raises(TariffError, match="indsendt"):
        services.basis_approve(user=secretariat_user, basis=basis)
    assert not Tariff.objects.exists()


def test_only_the_takstgruppe_or_the_secretariat_reviews(
    operated_offer, municipality_user, body_member_user
):
    basis = make_basis(operated_offer, status="submitted")
    for user in (municipality_user, body_member_user):
        with pytest.raises(TariffError):
            services.basis_approve(user=user, basis=basis)
    assert CalculationBasis.objects.get().status == "submitted"
