"""Closure costs (003) and the deficit guarantee (001), divided by use."""

import datetime
from decimal import Decimal

import pytest

from agreements.models import Municipality
from tariffs import services
from tariffs.models import CostShare, TariffError
from tests.conftest import (
    make_capacity_offer,
    make_individual_contract,
    make_offer,
    make_provider,
    make_signed_standard_contract,
)
from tests.tariffs.helpers import make_policy

D = datetime.date


def buy(offer, municipality, starts_on, ends_on):
    standard = offer.standard_contracts.filter(authority=municipality).first()
    standard = standard or make_signed_standard_contract(authority=municipality, offer=offer)
    return make_individual_contract(standard, status="signed", starts_on=starts_on, ends_on=ends_on)


@pytest.fixture
def buyers(db):
    return [
        Municipality.objects.get(code=code) for code in (751, 730, 791)
    ]  # Aarhus, Randers, Viborg


@pytest.fixture
def closed_offer(buyers):
    """Closed 1 January 2026; the policy counts 3 years of use before it:
    1.1.2023–31.12.2025. Aarhus, Randers and Viborg bought 500, 300 and 200 days."""
    offer = make_capacity_offer(places=10)
    start = D(2023, 1, 1)
    for municipality, days in zip(buyers, (500, 300, 200), strict=True):
        buy(offer, municipality, start, start + datetime.timedelta(days=days - 1))
    buy(offer, buyers[1], D(2020, 1, 1), D(2022, 12, 31))  # before the period: not counted
    offer.closed_on = D(2026, 1, 1)
    offer.save()
    return offer


def test_closure_costs_split_50_30_20(closed_offer, buyers, secretariat_user):
    share = services.closure_costs_divide(
        user=secretariat_user, offer=closed_offer, total=Decimal("1000000.00")
    )
    assert (share.period_start, share.period_end) == (D(2023, 1, 1), D(2025, 12, 31))
    lines = {line.municipality: (line.contract_days, line.amount) for line in share.lines.all()}
    assert lines == {
        buyers[0]: (500, Decimal("500000.00")),
        buyers[1]: (300, Decimal("300000.00")),
        buyers[2]: (200, Decimal("200000.00")),
    }


def test_a_split_with_remainders_adds_up_to_the_ore(closed_offer, secretariat_user):
    share = services.closure_costs_divide(
        user=secretariat_user, offer=closed_offer, total=Decimal("1000000.01")
    )
    amounts = sorted(share.lines.values_list("amount", flat=True))
    assert sum(amounts) == Decimal("1000000.01")
    assert amounts == [Decimal("200000.00"), Decimal("300000.00"), Decimal("500000.01")]


def test_the_policy_names_the_years_of_use(closed_offer, buyers, secretariat_user):
    make_policy(closure_use_years=1)  # only 2025: nobody bought then
    with pytest.raises(TariffError, match="Ingen kommune købte pladser"):
        services.closure_costs_divide(user=secretariat_user, offer=closed_offer, total=100)
    assert not CostShare.objects.exists()


def test_closure_costs_of_an_open_offer_are_refused(db, secretariat_user):
    offer = make_capacity_offer()
    with pytest.raises(TariffError, match="ikke lukket"):
        services.closure_costs_divide(user=secretariat_user, offer=offer, total=100)


def test_closure_costs_are_divided_once(closed_offer, secretariat_user):
    services.closure_costs_divide(user=secretariat_user, offer=closed_offer, total=100)
    with pytest.raises(TariffError, match="allerede fordelt"):
        services.closure_costs_divide(user=secretariat_user, offer=closed_offer, total=100)
    assert CostShare.objects.count() == 1


@pytest.mark.parametrize("total", [Decimal("0"), Decimal("-1")])
def test_a_non_positive_amount_is_refused(closed_offer, secretariat_user, total):
    with pytest.raises(TariffError, match="positivt"):
        services.closure_costs_divide(user=secretariat_user, offer=closed_offer, total=total)
    assert not CostShare.objects.exists()


def test_only_the_secretariat_divides(closed_offer, municipality_user):
    with pytest.raises(TariffError):
        services.closure_costs_divide(user=municipality_user, offer=closed_offer, total=100)


def copenhagen_offer(agreement, **fields):
    """An offer operated by København under its own agreement."""
    offer = make_offer(make_provider(operating_municipality=agreement.municipality), **fields)
    offer.framework_agreements.add(agreement)
    return offer


@pytest.fixture
def copenhagen_closed_offer(copenhagen, copenhagen_agreement):
    """Closed 1 January 2026 under København's agreement; København bought places."""
    offer = copenhagen_offer(copenhagen_agreement, approved_places=10)
    buy(offer, copenhagen, D(2024, 1, 1), D(2024, 12, 31))
    offer.closed_on = D(2026, 1, 1)
    offer.save()
    return offer


def test_each_secretariat_divides_the_closure_costs_of_its_own_offers_only(
    closed_offer, copenhagen_closed_offer, secretariat_user, copenhagen_secretary
):
    for user, offer in (
        (secretariat_user, copenhagen_closed_offer),
        (copenhagen_secretary, closed_offer),
    ):
        with pytest.raises(TariffError, match="Tilbuddet er ikke omfattet"):
            services.closure_costs_divide(user=user, offer=offer, total=100)
    assert not CostShare.objects.exists()
    services.closure_costs_divide(user=secretariat_user, offer=closed_offer, total=100)
    services.closure_costs_divide(
        user=copenhagen_secretary, offer=copenhagen_closed_offer, total=100
    )
    assert CostShare.objects.count() == 2


# The deficit guarantee ---------------------------------------------------------------


@pytest.fixture
def new_offer(buyers, midtjylland):
    """Opened 1 July 2024 under a policy with a 3-year guarantee: 1.7.2024–30.6.2027."""
    midtjylland.new_offer_deficit_guarantee_years = 3
    midtjylland.save()
    offer = make_capacity_offer(places=4, opened_on=D(2024, 7, 1))
    buy(offer, buyers[0], D(2024, 7, 1), D(2025, 12, 31))
    buy(offer, buyers[1], D(2025, 1, 1), D(2025, 6, 30))
    return offer


def test_a_guaranteed_deficit_is_divided_by_use_the_same_way(new_offer, buyers, secretariat_user):
    share = services.deficit_divide(
        user=secretariat_user, offer=new_offer, year=2025, total=Decimal("100000.00")
    )
    # 2025: Aarhus 365 days, Randers 181 days; 100.000 × 365/546 = 66.849,816… → 66.849,82
    lines = {line.municipality: (line.contract_days, line.amount) for line in share.lines.all()}
    assert lines == {
        buyers[0]: (365, Decimal("66849.82")),
        buyers[1]: (181, Decimal("33150.18")),
    }


def test_the_guarantee_years_bound_the_deficit(new_offer, secretariat_user):
    assert services.guaranteed_until(new_offer, 3) == D(2027, 6, 30)
    with pytest.raises(TariffError, match="ingen underskudsgaranti i 2028"):
        services.deficit_divide(user=secretariat_user, offer=new_offer, year=2028, total=100)
    with pytest.raises(TariffError, match="ingen underskudsgaranti i 2023"):
        services.deficit_divide(user=secretariat_user, offer=new_offer, year=2023, total=100)


def test_each_secretariat_divides_the_deficit_of_its_own_offers_only(
    new_offer, buyers, secretariat_user, copenhagen_secretary, copenhagen, copenhagen_agreement
):
    copenhagen_agreement.new_offer_deficit_guarantee_years = 3
    copenhagen_agreement.save()
    guaranteed = copenhagen_offer(copenhagen_agreement, approved_places=4, opened_on=D(2024, 7, 1))
    buy(guaranteed, copenhagen, D(2025, 1, 1), D(2025, 12, 31))
    for user, offer in ((secretariat_user, guaranteed), (copenhagen_secretary, new_offer)):
        with pytest.raises(TariffError, match="Tilbuddet er ikke omfattet"):
            services.deficit_divide(user=user, offer=offer, year=2025, total=100)
    assert not CostShare.objects.exists()
    services.deficit_divide(user=secretariat_user, offer=new_offer, year=2025, total=100)
    services.deficit_divide(user=copenhagen_secretary, offer=guaranteed, year=2025, total=100)
    assert CostShare.objects.count() == 2


def test_no_guarantee_under_a_policy_without_one(db, buyers, secretariat_user):
    offer = make_capacity_offer(places=4, opened_on=D(2025, 1, 1))  # Midtjylland: 0 years
    buy(offer, buyers[0], D(2025, 1, 1), D(2025, 12, 31))
    with pytest.raises(TariffError, match="ingen underskudsgaranti"):
        services.deficit_divide(user=secretariat_user, offer=offer, year=2025, total=100)
