"""R1, R2, R6: which adjustments need approval, read from the agreement's policy."""

import datetime

import pytest

from agreements.models import FrameworkAgreement
from capacity.models import CapacityError, CapacityPolicy
from providers.models import Offer
from tests.capacity.helpers import request
from tests.conftest import make_capacity_offer


@pytest.mark.parametrize(
    ("kind", "places", "needs"),
    [
        ("increase", 10, False),
        ("decrease", 10, False),
        ("increase", 11, True),
        ("decrease", 11, True),
        ("increase", 1, False),
    ],
)
def test_threshold_of_ten_places(secretariat_user, kind, places, needs):
    offer = make_capacity_offer(places=30)
    adjustment = request(secretariat_user, offer, kind=kind, places=places)
    assert adjustment.requires_approval is needs
    assert adjustment.change == (places if kind == "increase" else -places)
    assert adjustment.route == ("meeting" if needs else "none")


def test_closure_of_a_three_place_offer_needs_approval(secretariat_user):
    offer = make_capacity_offer(places=3)
    adjustment = request(secretariat_user, offer, kind="closure", places=None)
    assert adjustment.requires_approval
    assert adjustment.change == -3


def test_closure_follows_the_threshold_when_the_policy_does_not_ask_for_approval(
    secretariat_user, midtjylland
):
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(closure_requires_approval=False)
    adjustment = request(
        secretariat_user, make_capacity_offer(places=3), kind="closure", places=None
    )
    assert not adjustment.requires_approval


def _closed_offer() -> Offer:
    return make_capacity_offer(places=0, opened_on=None)


def test_opening_needs_no_approval_under_midtjylland(secretariat_user):
    adjustment = request(secretariat_user, _closed_offer(), kind="opening", places=6)
    assert not adjustment.requires_approval


def test_opening_needs_approval_under_a_policy_that_says_so(secretariat_user, midtjylland):
    # Seed 001 (K17): no municipality opens or closes an offer without approval.
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(opening_requires_approval=True)
    adjustment = request(secretariat_user, _closed_offer(), kind="opening", places=6)
    assert adjustment.requires_approval


@pytest.mark.parametrize(("places", "needs"), [(5, False), (6, True)])
def test_a_threshold_of_five_moves_the_boundary(secretariat_user, midtjylland, places, needs):
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(approval_threshold=5)
    adjustment = request(secretariat_user, make_capacity_offer(), places=places)
    assert adjustment.requires_approval is needs
    assert adjustment.approval_threshold == 5


def test_several_agreements_give_the_strictest_policy(midtjylland, copenhagen_agreement):
    copenhagen_agreement.approval_threshold = 4
    copenhagen_agreement.hearing_days = 21
    copenhagen_agreement.opening_requires_approval = True
    copenhagen_agreement.save()
    policy = CapacityPolicy.from_agreements([midtjylland, copenhagen_agreement])
    assert policy.approval_threshold == 4
    assert policy.hearing_days == 21
    assert policy.opening_requires_approval
    assert policy.closure_requires_approval


def test_an_offer_without_an_agreement_in_force_is_refused(secretariat_user, offer):
    with pytest.raises(CapacityError, match="ikke omfattet af en gældende rammeaftale"):
        request(secretariat_user, offer)
    assert not offer.capacity_adjustments.exists()


def test_an_expired_agreement_does_not_count(secretariat_user, midtjylland):
    offer = make_capacity_offer()
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(status="expired")
    with pytest.raises(CapacityError):
        request(secretariat_user, offer)


@pytest.mark.parametrize(("period_end", "in_force"), [(-1, False), (0, True)])
def test_an_agreement_counts_through_the_last_day_of_its_period(midtjylland, period_end, in_force):
    """The capacity policy and the relabelling rule read the same agreements:
    marked in force, and the period covering the day."""
    offer = make_capacity_offer()
    today = datetime.date.today()
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(
        period_start=today - datetime.timedelta(days=730),
        period_end=today + datetime.timedelta(days=period_end),
        relabelling_requires_approval=True,
    )
    assert offer.relabelling_needs_approval() is in_force
    if in_force:
        assert CapacityPolicy.for_offer(offer).agreements == (midtjylland,)
    else:
        with pytest.raises(CapacityError, match="ikke omfattet af en gældende rammeaftale"):
            CapacityPolicy.for_offer(offer)
