"""The querysets the municipality's pages share: what waits for an answer."""

import datetime

import pytest

from agreements.models import BodyRepresentative
from capacity import services
from capacity.models import CapacityAdjustment, Consultation, Hearing
from tests.capacity.helpers import consult_all, request
from tests.conftest import make_buyer, make_user

OPENED = datetime.date(2026, 3, 2)


def _adjustment(municipality_user, capacity_offer, buyer, places=12):
    make_buyer(capacity_offer, buyer)
    return request(municipality_user, capacity_offer, places=places)


def test_a_consultation_waits_until_answered(municipality_user, capacity_offer, randers, aarhus):
    adjustment = _adjustment(municipality_user, capacity_offer, randers)
    consult_all(municipality_user, adjustment)
    waiting = Consultation.objects.waiting_for([randers])
    assert [c.adjustment_id for c in waiting] == [adjustment.pk]
    assert not Consultation.objects.waiting_for([aarhus]).exists()
    Consultation.objects.filter(adjustment=adjustment).update(answer="agrees")
    assert not Consultation.objects.waiting_for([randers]).exists()


def test_a_consultation_of_a_withdrawn_adjustment_no_longer_waits(
    municipality_user, capacity_offer, randers
):
    adjustment = _adjustment(municipality_user, capacity_offer, randers)
    consult_all(municipality_user, adjustment)
    services.adjustment_withdraw(user=municipality_user, adjustment=adjustment)
    assert not Consultation.objects.waiting_for([randers]).exists()


@pytest.fixture
def hearing(secretariat_user, municipality_user, capacity_offer, randers, dassos) -> Hearing:
    adjustment = _adjustment(municipality_user, capacity_offer, randers)
    consult_all(municipality_user, adjustment)
    return services.hearing_open(
        user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
    )


def test_a_hearing_awaits_a_seat_until_its_municipality_answers(
    hearing, randers, dassos, dassos_member
):
    assert [(h.pk, h.unanswered) for h in Hearing.objects.open_for_seats_of(dassos_member)] == [
        (hearing.pk, True)
    ]
    # Another member's answer does not answer for Randers.
    other = make_user("viborg-direktoer")
    viborg = dassos.members.get(code=791)
    BodyRepresentative.objects.filter(body=dassos, municipality=viborg).update(user=other)
    services.hearing_answer(
        user=other, hearing=hearing, municipality=viborg, answer="support", today=OPENED
    )
    assert Hearing.objects.open_for_seats_of(dassos_member).get().unanswered is True
    assert Hearing.objects.open_for_seats_of(other).get().unanswered is False
    services.hearing_answer(
        user=dassos_member, hearing=hearing, municipality=randers, answer="support", today=OPENED
    )
    assert Hearing.objects.open_for_seats_of(dassos_member).get().unanswered is False


def test_only_running_hearings_of_the_users_bodies_are_listed(
    hearing, secretariat_user, municipality_user, dassos_member
):
    assert not Hearing.objects.open_for_seats_of(municipality_user).exists()
    services.hearing_conclude(
        user=secretariat_user, hearing=hearing, today=OPENED + datetime.timedelta(days=15)
    )
    assert not Hearing.objects.open_for_seats_of(dassos_member).exists()


def test_the_regions_seat_holder_sees_the_hearing_until_the_region_answers(hearing, dassos):
    region_member = make_user("regionen")
    region = dassos.member_region
    BodyRepresentative.objects.filter(body=dassos, region=region).update(user=region_member)
    assert Hearing.objects.open_for_seats_of(region_member).get().unanswered is True
    services.hearing_answer(
        user=region_member, hearing=hearing, region=region, answer="support", today=OPENED
    )
    assert Hearing.objects.open_for_seats_of(region_member).get().unanswered is False


@pytest.mark.parametrize(
    ("status", "requires_approval", "to_route", "to_carry_out"),
    [
        ("requested", True, True, False),
        ("requested", False, False, True),
        ("approved", True, False, True),
        ("rejected", True, False, False),
        ("withdrawn", False, False, False),
    ],
)
def test_to_route_and_to_carry_out_are_the_sets_the_rules_name(
    municipality_user, capacity_offer, status, requires_approval, to_route, to_carry_out
):
    adjustment = request(municipality_user, capacity_offer, places=3)
    adjustment.status, adjustment.requires_approval = status, requires_approval
    assert adjustment.may_be_carried_out() is to_carry_out
    CapacityAdjustment.objects.filter(pk=adjustment.pk).update(
        status=status, requires_approval=requires_approval
    )
    adjustments = CapacityAdjustment.objects.filter(pk=adjustment.pk)
    assert adjustments.to_route().exists() is to_route
    assert adjustments.to_carry_out().exists() is to_carry_out
