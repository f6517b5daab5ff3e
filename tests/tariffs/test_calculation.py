"""The tariff function and the split, with numbers computed by hand."""

from decimal import Decimal

import pytest

from tariffs.calculation import split_by_use, tariff_per_unit


def test_residential_offer_tariff_per_day():
    # (10.500.000 + 735.000 + 765.000 + 100.000) ÷ (20 × 365 × 0,95)
    # = 12.100.000 ÷ 6.935 = 1.744,7728… → 1.744,77
    assert tariff_per_unit(
        direct=Decimal("10500000"),
        indirect=Decimal("735000"),
        capital=Decimal("765000"),
        regulation=Decimal("100000"),
        places=20,
        days=365,
        occupancy_percent=Decimal("95"),
    ) == Decimal("1744.77")


def test_respite_offer_tariff_with_a_surplus_deducted():
    # (2.300.000 + 161.000 + 139.000 − 50.000) ÷ (6 × 365 × 0,90)
    # = 2.550.000 ÷ 1.971 = 1.293,7595… → 1.293,76
    assert tariff_per_unit(
        direct=Decimal("2300000"),
        indirect=Decimal("161000"),
        capital=Decimal("139000"),
        regulation=Decimal("-50000"),
        places=6,
        days=365,
        occupancy_percent=Decimal("90"),
    ) == Decimal("1293.76")


def test_day_offer_tariff_over_250_opening_days():
    # (3.500.000 + 245.000 + 255.000) ÷ (15 × 250 × 0,96) = 4.000.000 ÷ 3.600 = 1.111,11…
    assert tariff_per_unit(
        direct=Decimal("3500000"),
        indirect=Decimal("245000"),
        capital=Decimal("255000"),
        regulation=Decimal("0"),
        places=15,
        days=250,
        occupancy_percent=Decimal("96"),
    ) == Decimal("1111.11")


def test_a_half_ore_rounds_up_once_at_the_end():
    # 2,25 ÷ (1 × 2 × 1,00) = 1,125 → 1,13 (half up, not to even)
    assert tariff_per_unit(
        direct=Decimal("2.25"),
        indirect=Decimal("0"),
        capital=Decimal("0"),
        regulation=Decimal("0"),
        places=1,
        days=2,
        occupancy_percent=Decimal("100"),
    ) == Decimal("1.13")


def test_tariff_per_month_divides_the_year_by_twelve_occupied_months():
    # 12.100.000 ÷ (20 × 0,95 × 12) = 53.070,1754… → 53.070,18
    assert tariff_per_unit(
        direct=Decimal("10500000"),
        indirect=Decimal("735000"),
        capital=Decimal("765000"),
        regulation=Decimal("100000"),
        places=20,
        days=365,
        occupancy_percent=Decimal("95"),
        unit="month",
    ) == Decimal("53070.18")


@pytest.mark.parametrize("field", ["places", "days", "occupancy_percent"])
def test_no_tariff_without_a_positive_divisor(field):
    values = {"places": 10, "days": 365, "occupancy_percent": Decimal("95")}
    values[field] = 0
    with pytest.raises(ValueError):
        tariff_per_unit(
            direct=Decimal("1"),
            indirect=Decimal("0"),
            capital=Decimal("0"),
            regulation=Decimal("0"),
            **values,
        )


def test_closure_cost_split_50_30_20():
    shares = split_by_use(Decimal("1000000.00"), {"Aarhus": 5000, "Randers": 3000, "Viborg": 2000})
    assert shares == {
        "Aarhus": Decimal("500000.00"),
        "Randers": Decimal("300000.00"),
        "Viborg": Decimal("200000.00"),
    }


def test_split_with_remainders_adds_up_to_the_ore():
    # 100,00 over three equal users: 33,34 + 33,33 + 33,33.
    shares = split_by_use(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})
    assert sum(shares.values()) == Decimal("100.00")
    assert sorted(shares.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_largest_remainder_gets_the_odd_ore():
    # 1.000,01 over 2/1 days: 666,673… and 333,336…: remainders ,3 and ,6 → the second.
    shares = split_by_use(Decimal("1000.01"), {"a": 2, "b": 1})
    assert shares == {"a": Decimal("666.67"), "b": Decimal("333.34")}
    assert sum(shares.values()) == Decimal("1000.01")


def test_many_buyers_still_add_up():
    use = {index: index * 37 + 11 for index in range(1, 18)}
    shares = split_by_use(Decimal("987654.32"), use)
    assert sum(shares.values()) == Decimal("987654.32")


def test_buyers_without_use_get_nothing_and_no_use_is_refused():
    assert split_by_use(Decimal("10.00"), {"a": 3, "b": 0}) == {"a": Decimal("10.00")}
    with pytest.raises(ValueError):
        split_by_use(Decimal("10.00"), {"a": 0})
