"""Contract days, counted in the database, against numbers counted by hand."""

import datetime

import pytest

from tariffs.usage import contract_days_by_municipality, contract_days_by_offer
from tests.conftest import (
    make_capacity_offer,
    make_individual_contract,
    make_signed_standard_contract,
)

D = datetime.date


@pytest.fixture
def offer(db):
    return make_capacity_offer(places=10)


def buy(offer, municipality, starts_on, ends_on=None, **fields):
    standard = offer.standard_contracts.filter(authority=municipality).first()
    standard = standard or make_signed_standard_contract(authority=municipality, offer=offer)
    fields.setdefault("status", "signed")
    return make_individual_contract(standard, starts_on=starts_on, ends_on=ends_on, **fields)


def test_days_are_counted_inside_the_period_both_ends_included(offer, aarhus, randers):
    buy(offer, aarhus, D(2025, 1, 1))  # whole of 2026: 365
    buy(offer, randers, D(2026, 3, 1), D(2026, 3, 31))  # 31
    buy(offer, randers, D(2025, 12, 20), D(2026, 1, 10))  # 10 in 2026
    buy(offer, randers, D(2027, 1, 1))  # after the period: 0
    days = contract_days_by_municipality(offer, D(2026, 1, 1), D(2026, 12, 31))
    assert days == {aarhus.pk: 365, randers.pk: 41}


def test_a_terminated_contract_counts_until_its_termination(offer, aarhus):
    buy(offer, aarhus, D(2026, 1, 1), status="terminated", terminated_on=D(2026, 1, 15))
    assert contract_days_by_municipality(offer, D(2026, 1, 1), D(2026, 12, 31)) == {aarhus.pk: 15}


def test_drafts_and_superseded_versions_do_not_count(offer, aarhus):
    buy(offer, aarhus, D(2026, 1, 1), status="superseded")
    standard = offer.standard_contracts.get()
    make_individual_contract(standard, starts_on=D(2026, 1, 1))  # draft
    assert contract_days_by_municipality(offer, D(2026, 1, 1), D(2026, 12, 31)) == {}


def test_the_paying_municipality_is_the_buyer(offer, aarhus, randers):
    buy(offer, aarhus, D(2026, 1, 1), D(2026, 1, 10), paying_municipality=randers)
    assert contract_days_by_municipality(offer, D(2026, 1, 1), D(2026, 1, 31)) == {randers.pk: 10}


def test_days_per_offer_in_one_query(offer, aarhus, django_assert_num_queries):
    other = make_capacity_offer(places=5)
    buy(offer, aarhus, D(2026, 2, 1), D(2026, 2, 28))
    buy(other, aarhus, D(2026, 2, 15), D(2026, 3, 15))
    with django_assert_num_queries(1):
        days = contract_days_by_offer([offer.pk, other.pk], D(2026, 2, 1), D(2026, 2, 28))
    assert days == {offer.pk: 28, other.pk: 14}
