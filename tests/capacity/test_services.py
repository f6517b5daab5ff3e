"""The workflow of seed 004, step by step, with every refusal changing nothing."""

import datetime

import pytest

from agreements.models import Meeting, Municipality
from capacity import services
from capacity.models import CapacityAdjustment, CapacityError, Consultation
from tests.capacity.helpers import PAST, approve_at_meeting, consult_all, request
from tests.conftest import make_buyer, make_capacity_offer, make_user

TODAY = datetime.date(2026, 3, 2)


# Requesting ------------------------------------------------------------------------


def test_the_operating_municipality_asks_and_buyers_are_listed(
    municipality_user, capacity_offer, randers, aarhus
):
    make_buyer(capacity_offer, randers)
    make_buyer(capacity_offer, aarhus)  # the operator itself is not consulted
    adjustment = request(municipality_user, capacity_offer, places=4)
    assert adjustment.requested_by_municipality == aarhus
    assert adjustment.places_before == 20
    assert adjustment.status == "requested"
    assert [c.municipality for c in adjustment.consultations.all()] == [randers]
    assert adjustment.consultations.get().source == "contracts"
    assert adjustment.history.latest().history_user == municipality_user


def test_acting_and_paying_municipalities_are_both_affected(
    secretariat_user, capacity_offer, randers
):
    from tests.conftest import make_signed_individual_contract, make_signed_standard_contract

    viborg = Municipality.objects.get(code=791)
    standard = make_signed_standard_contract(authority=randers, offer=capacity_offer)
    make_signed_individual_contract(
        standard, acting_municipality=randers, paying_municipality=viborg
    )
    adjustment = request(secretariat_user, capacity_offer)
    assert {c.municipality for c in adjustment.consultations.all()} == {randers, viborg}


def test_ended_contracts_do_not_make_a_municipality_affected(
    secretariat_user, capacity_offer, randers
):
    from tests.conftest import make_signed_individual_contract, make_signed_standard_contract

    standard = make_signed_standard_contract(authority=randers, offer=capacity_offer)
    make_signed_individual_contract(standard, ends_on=datetime.date(2025, 6, 1))
    adjustment = request(secretariat_user, capacity_offer)
    assert not adjustment.consultations.exists()


def test_another_municipality_cannot_ask_for_the_offer(other_municipality_user, capacity_offer):
    with pytest.raises(CapacityError, match="driftskommunen"):
        request(other_municipality_user, capacity_offer)
    assert not CapacityAdjustment.objects.exists()


def test_a_decrease_to_nothing_must_be_asked_as_a_closure(secretariat_user):
    offer = make_capacity_offer(places=3)
    with pytest.raises(CapacityError, match="lukning"):
        request(secretariat_user, offer, kind="decrease", places=3)
    assert not CapacityAdjustment.objects.exists()


def test_an_open_offer_cannot_be_opened(secretariat_user, capacity_offer):
    with pytest.raises(CapacityError, match="allerede åbent"):
        request(secretariat_user, capacity_offer, kind="opening", places=3)


# R3: consultations --------------------------------------------------------------------


@pytest.fixture
def big(municipality_user, capacity_offer, randers):
    """+12 places on an offer Randers buys places in: needs approval."""
    make_buyer(capacity_offer, randers)
    return request(municipality_user, capacity_offer, places=12)


@pytest.fixture
def small(municipality_user, capacity_offer, randers):
    make_buyer(capacity_offer, randers)
    return request(municipality_user, capacity_offer, places=4)


def test_nothing_goes_to_approval_before_every_consultation_is_recorded(
    secretariat_user, big, dassos, dassos_meeting
):
    with pytest.raises(CapacityError, match="Randers"):
        services.hearing_open(user=secretariat_user, adjustment=big, body=dassos, today=TODAY)
    with pytest.raises(CapacityError, match="Randers"):
        services.adjustment_route_to_meeting(
            user=secretariat_user, adjustment=big, meeting=dassos_meeting
        )
    big.refresh_from_db()
    assert big.status == "requested"
    assert not hasattr(big, "hearing") or big.hearing is None


def test_nothing_is_carried_out_before_every_consultation_is_recorded(
    secretariat_user, small, capacity_offer
):
    with pytest.raises(CapacityError, match="Randers"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=small)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 20
    small.refresh_from_db()
    assert small.status == "requested"


def test_a_municipality_that_starts_buying_after_the_request_must_be_consulted(
    secretariat_user, municipality_user, small, capacity_offer
):
    consult_all(municipality_user, small)
    viborg = Municipality.objects.get(code=791)
    make_buyer(capacity_offer, viborg)
    with pytest.raises(CapacityError, match="Viborg"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=small)
    consult_all(municipality_user, small)
    services.adjustment_carry_out(user=secretariat_user, adjustment=small)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 24


def test_a_municipality_added_by_the_secretariat_must_be_consulted(
    secretariat_user, municipality_user, small
):
    consult_all(municipality_user, small)
    herning = Municipality.objects.get(code=657)
    services.adjustment_add_affected_municipality(
        user=secretariat_user, adjustment=small, municipality=herning
    )
    assert small.consultations.get(municipality=herning).source == "secretariat"
    with pytest.raises(CapacityError, match="Herning"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=small)


def test_only_the_secretariat_adds_affected_municipalities(municipality_user, small):
    with pytest.raises(CapacityError, match="sekretariatet"):
        services.adjustment_add_affected_municipality(
            user=municipality_user,
            adjustment=small,
            municipality=Municipality.objects.get(code=657),
        )


def test_an_affected_municipality_answers_for_itself(other_municipality_user, small, randers):
    consultation = services.consultation_answer(
        user=other_municipality_user,
        adjustment=small,
        municipality=randers,
        answer="agrees",
        comment="Fint",
        today=TODAY,
    )
    assert consultation.contacted_on == TODAY
    assert consultation.method == "system"
    assert consultation.answer == "agrees"


def test_a_municipality_cannot_answer_for_another(municipality_user, small, randers):
    with pytest.raises(CapacityError, match="egen kommune"):
        services.consultation_answer(
            user=municipality_user, adjustment=small, municipality=randers, answer="agrees"
        )
    assert small.consultations.get().answer == ""


def test_a_contact_date_in_the_future_is_refused(municipality_user, small, randers):
    with pytest.raises(CapacityError, match="fremtiden"):
        services.consultation_record(
            user=municipality_user,
            adjustment=small,
            municipality=randers,
            contacted_on=TODAY + datetime.timedelta(1),
            method="phone",
            today=TODAY,
        )
    assert not small.consultations.get().is_recorded
    services.consultation_record(
        user=municipality_user,
        adjustment=small,
        municipality=randers,
        contacted_on=TODAY,
        method="phone",
        today=TODAY,
    )
    assert small.consultations.get().contacted_on == TODAY


def test_another_municipality_cannot_record_the_operators_contacts(
    other_municipality_user, small, randers
):
    with pytest.raises(CapacityError):
        services.consultation_record(
            user=other_municipality_user,
            adjustment=small,
            municipality=randers,
            contacted_on=PAST,
            method="phone",
        )


# R4: meetings ------------------------------------------------------------------------


def test_the_secretariat_puts_it_on_a_coming_meeting(
    secretariat_user, municipality_user, big, dassos_meeting
):
    consult_all(municipality_user, big)
    services.adjustment_route_to_meeting(
        user=secretariat_user, adjustment=big, meeting=dassos_meeting
    )
    big.refresh_from_db()
    assert big.status == "on_agenda"
    assert list(dassos_meeting.capacity_items.all()) == [big]


def test_an_adjustment_in_e_mail_hearing_is_not_put_on_a_meeting(
    secretariat_user, municipality_user, big, dassos, dassos_meeting
):
    """R4: a running hearing decides, or sends it to a meeting on an objection;
    it cannot also be on an agenda, where the hearing would later approve it."""
    consult_all(municipality_user, big)
    hearing = services.hearing_open(user=secretariat_user, adjustment=big, body=dassos)
    with pytest.raises(CapacityError, match="høring"):
        services.adjustment_route_to_meeting(
            user=secretariat_user, adjustment=big, meeting=dassos_meeting
        )
    big.refresh_from_db()
    assert big.status == "in_hearing"
    assert big.meeting is None
    assert hearing.adjustment.hearing.is_open


def test_a_held_meeting_is_refused(secretariat_user, municipality_user, big, dassos):
    consult_all(municipality_user, big)
    held = Meeting.objects.create(body=dassos, date=datetime.date.today() - datetime.timedelta(1))
    with pytest.raises(CapacityError, match="kommende møde"):
        services.adjustment_route_to_meeting(user=secretariat_user, adjustment=big, meeting=held)


def test_a_body_that_may_not_approve_capacity_is_refused(secretariat_user, municipality_user, big):
    from agreements.models import GoverningBody

    consult_all(municipality_user, big)
    tariff_group = GoverningBody.objects.get(kind="takstgruppe")
    meeting = Meeting.objects.create(
        body=tariff_group, date=datetime.date.today() + datetime.timedelta(5)
    )
    with pytest.raises(CapacityError, match="Takstgruppen"):
        services.adjustment_route_to_meeting(user=secretariat_user, adjustment=big, meeting=meeting)


def test_the_executive_committee_decides_on_behalf_of_dassos(
    secretariat_user, municipality_user, big, capacity_offer
):
    from agreements.models import GoverningBody

    consult_all(municipality_user, big)
    committee = GoverningBody.objects.get(kind="forretningsudvalg")
    meeting = Meeting.objects.create(body=committee, date=datetime.date.today())
    services.adjustment_route_to_meeting(user=secretariat_user, adjustment=big, meeting=meeting)
    services.adjustment_record_meeting_decision(
        user=secretariat_user, adjustment=big, approved=True, grounds="Enig"
    )
    big.refresh_from_db()
    assert big.status == "approved"
    assert big.decided_by_body == committee
    services.adjustment_carry_out(user=secretariat_user, adjustment=big)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 32


def test_a_decision_cannot_be_recorded_before_the_meeting(
    secretariat_user, municipality_user, big, dassos_meeting
):
    consult_all(municipality_user, big)
    services.adjustment_route_to_meeting(
        user=secretariat_user, adjustment=big, meeting=dassos_meeting
    )
    with pytest.raises(CapacityError, match="Mødet er den"):
        services.adjustment_record_meeting_decision(
            user=secretariat_user, adjustment=big, approved=True, grounds="Enig"
        )
    big.refresh_from_db()
    assert big.status == "on_agenda"


def test_a_rejected_adjustment_cannot_be_carried_out(
    secretariat_user, municipality_user, big, dassos, capacity_offer
):
    consult_all(municipality_user, big)
    meeting = Meeting.objects.create(body=dassos, date=datetime.date.today())
    services.adjustment_route_to_meeting(user=secretariat_user, adjustment=big, meeting=meeting)
    services.adjustment_record_meeting_decision(
        user=secretariat_user, adjustment=big, approved=False, grounds="Ikke behov"
    )
    with pytest.raises(CapacityError, match="Afvist"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=big)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 20


def test_an_adjustment_needing_approval_is_not_carried_out_unapproved(
    secretariat_user, municipality_user, big, capacity_offer
):
    consult_all(municipality_user, big)
    with pytest.raises(CapacityError, match="godkendes"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=big)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 20


# R5: carrying out ---------------------------------------------------------------------


def test_carrying_out_changes_the_places_once_with_history(
    secretariat_user, municipality_user, small, capacity_offer
):
    consult_all(municipality_user, small)
    services.adjustment_carry_out(user=secretariat_user, adjustment=small)
    services.adjustment_carry_out(user=secretariat_user, adjustment=small)  # a second click
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 24
    small.refresh_from_db()
    assert small.status == "carried_out"
    assert small.places_after == 24
    latest = capacity_offer.history.latest()
    assert latest.history_user == secretariat_user
    assert "gennemført" in latest.history_change_reason
    assert capacity_offer.history.filter(approved_places=24).count() == 1


def test_a_closure_sets_places_to_zero_and_closes_the_offer(secretariat_user, municipality_user):
    offer = make_capacity_offer(places=3)
    closure = request(municipality_user, offer, kind="closure", places=None)
    services.adjustment_route_to_meeting(
        user=secretariat_user,
        adjustment=closure,
        meeting=Meeting.objects.create(
            body_id=closure.offer.framework_agreements.get().bodies.get(kind="dassos").pk,
            date=datetime.date.today(),
        ),
    )
    services.adjustment_record_meeting_decision(
        user=secretariat_user, adjustment=closure, approved=True, grounds="Enig"
    )
    services.adjustment_carry_out(user=secretariat_user, adjustment=closure)
    offer.refresh_from_db()
    assert offer.approved_places == 0
    assert offer.closed_on == PAST
    assert not offer.is_open()


def test_an_opening_gives_the_offer_its_places(secretariat_user):
    offer = make_capacity_offer(places=0, opened_on=None)
    opening = request(secretariat_user, offer, kind="opening", places=8)
    services.adjustment_carry_out(user=secretariat_user, adjustment=opening)
    offer.refresh_from_db()
    assert offer.approved_places == 8
    assert offer.opened_on == PAST


def test_an_adjustment_is_not_carried_out_before_it_takes_effect(secretariat_user, capacity_offer):
    future = request(
        secretariat_user, capacity_offer, effective_on=datetime.date.today() + datetime.timedelta(3)
    )
    with pytest.raises(CapacityError, match="træder i kraft"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=future)


def test_only_the_secretariat_carries_out(municipality_user, small, capacity_offer):
    consult_all(municipality_user, small)
    with pytest.raises(CapacityError, match="sekretariatet"):
        services.adjustment_carry_out(user=municipality_user, adjustment=small)
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 20


def test_a_withdrawn_adjustment_cannot_be_carried_out(
    secretariat_user, municipality_user, small, capacity_offer
):
    consult_all(municipality_user, small)
    services.adjustment_withdraw(user=municipality_user, adjustment=small)
    with pytest.raises(CapacityError, match="Trukket tilbage"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=small)


def test_the_state_machine_refuses_a_jump(small):
    with pytest.raises(CapacityError):
        small.transition_to(CapacityAdjustment.Status.REJECTED)
    assert small.status == "requested"


def test_a_consultation_needs_date_and_method_in_the_database(small):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(adjustment=small).update(contacted_on=PAST)


# The 12-month warning -----------------------------------------------------------------


def _warned(adjustment) -> int | None:
    return services.cumulative_warnings([adjustment]).get(adjustment.pk)


@pytest.mark.parametrize(("second", "warns"), [(6, True), (5, True), (4, False)])
def test_small_adjustments_adding_up_within_twelve_months_warn(
    secretariat_user, capacity_offer, second, warns
):
    first = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2026, 1, 1)
    )
    later = request(
        secretariat_user, capacity_offer, places=second, effective_on=datetime.date(2026, 9, 1)
    )
    assert (_warned(later) == 6 + second) if warns else (_warned(later) is None)
    assert (_warned(first) is not None) is warns


def test_adjustments_more_than_twelve_months_apart_do_not_warn(secretariat_user, capacity_offer):
    first = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2025, 1, 1)
    )
    later = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2026, 1, 1)
    )
    assert _warned(later) is None
    # The window looks as far forward as back: the first does not warn either.
    assert _warned(first) is None


def test_adjustments_a_day_less_than_twelve_months_apart_warn(secretariat_user, capacity_offer):
    first = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2025, 1, 2)
    )
    later = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2026, 1, 1)
    )
    assert _warned(later) == 12
    assert _warned(first) == 12


def test_increases_and_decreases_do_not_add_up_to_a_warning(secretariat_user, capacity_offer):
    request(secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2026, 1, 1))
    later = request(
        secretariat_user,
        capacity_offer,
        kind="decrease",
        places=6,
        effective_on=datetime.date(2026, 3, 1),
    )
    assert _warned(later) is None


@pytest.mark.parametrize(
    ("first_on", "later_on", "first_warns", "later_warns"),
    [
        # From 29 February the window reaches back to 1 March the year before ...
        (datetime.date(2023, 3, 1), datetime.date(2024, 2, 29), True, True),
        (datetime.date(2023, 2, 28), datetime.date(2024, 2, 29), False, False),
        # ... and forward to 27 February (a year on is 28 February), while from
        # 28 February the window reaches back to 29 February the year before.
        (datetime.date(2024, 2, 29), datetime.date(2025, 2, 27), True, True),
        (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), False, True),
    ],
)
def test_the_twelve_months_around_a_leap_day_are_counted_as_add_years_counts_them(
    secretariat_user, capacity_offer, first_on, later_on, first_warns, later_warns
):
    first = request(secretariat_user, capacity_offer, places=6, effective_on=first_on)
    later = request(secretariat_user, capacity_offer, places=6, effective_on=later_on)
    assert (_warned(first) == 12) is first_warns
    assert (_warned(later) == 12) is later_warns


def test_withdrawn_adjustments_do_not_count_towards_a_warning(secretariat_user, capacity_offer):
    first = request(secretariat_user, capacity_offer, places=6, effective_on=PAST)
    later = request(
        secretariat_user, capacity_offer, places=6, effective_on=datetime.date(2026, 3, 1)
    )
    services.adjustment_withdraw(user=secretariat_user, adjustment=first)
    assert _warned(later) is None


def test_the_warnings_of_many_adjustments_take_one_query(
    secretariat_user, capacity_offer, django_assert_num_queries
):
    other = make_capacity_offer()
    adjustments = [
        request(
            secretariat_user,
            offer,
            places=3,
            effective_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=20 * n),
        )
        for n in range(12)
        for offer in (capacity_offer, other)
    ]
    with django_assert_num_queries(1):
        warnings = services.cumulative_warnings(adjustments)
    # Each offer: 12 adjustments of 3 places within 12 months, all warn.
    assert set(warnings) == {a.pk for a in adjustments}
    assert max(warnings.values()) == 36


def test_a_user_without_a_role_cannot_ask(db):
    nobody = make_user("nobody")
    offer = make_capacity_offer()
    with pytest.raises(CapacityError):
        request(nobody, offer)


def test_withdrawing_ends_a_running_hearing(secretariat_user, municipality_user, big, dassos):
    consult_all(municipality_user, big)
    hearing = services.hearing_open(user=secretariat_user, adjustment=big, body=dassos)
    services.adjustment_withdraw(user=municipality_user, adjustment=big)
    hearing.refresh_from_db()
    assert hearing.outcome == "withdrawn"
    assert not hearing.is_open


def test_reopening_a_closed_offer_opens_it_again(secretariat_user):
    offer = make_capacity_offer(
        places=0, opened_on=datetime.date(2010, 1, 1), closed_on=datetime.date(2020, 1, 1)
    )
    opening = request(secretariat_user, offer, kind="opening", places=5)
    services.adjustment_carry_out(user=secretariat_user, adjustment=opening)
    offer.refresh_from_db()
    assert offer.approved_places == 5
    assert offer.closed_on is None
    assert offer.opened_on == PAST
    assert offer.history.latest().prev_record.closed_on == datetime.date(2020, 1, 1)


# R5: a closure ends the other requests on the offer -----------------------------------------


def test_carrying_out_a_closure_withdraws_every_other_open_adjustment_and_tells_them(
    secretariat_user, municipality_user, randers, mailoutbox, django_capture_on_commit_callbacks
):
    offer = make_capacity_offer(places=20)
    make_buyer(offer, randers)
    randers.staff.add(make_user("rita", email="rita@randers.dk"))
    increase = request(municipality_user, offer, places=15)
    consult_all(municipality_user, increase)
    increase = approve_at_meeting(secretariat_user, increase)
    small = request(municipality_user, offer, places=2)
    closure = request(municipality_user, offer, kind="closure", places=None)
    consult_all(municipality_user, closure)
    consult_all(municipality_user, small)
    approve_at_meeting(secretariat_user, closure)
    with django_capture_on_commit_callbacks(execute=True):
        services.adjustment_carry_out(user=secretariat_user, adjustment=closure)

    for other in (increase, small):
        other.refresh_from_db()
        assert other.status == "withdrawn"
        assert other.history.latest().history_change_reason == "Tilbuddet er lukket"
    withdrawn_mails = [m for m in mailoutbox if "trukket tilbage" in m.subject]
    assert len(withdrawn_mails) == 2
    assert all("rita@randers.dk" in m.to for m in withdrawn_mails)
    assert all("Tilbuddet er lukket" in m.body for m in withdrawn_mails)


def test_an_adjustment_approved_before_a_closure_cannot_be_carried_out_after_it(
    secretariat_user, municipality_user
):
    offer = make_capacity_offer(places=20)
    increase = approve_at_meeting(secretariat_user, request(municipality_user, offer, places=15))
    closure = approve_at_meeting(
        secretariat_user, request(municipality_user, offer, kind="closure", places=None)
    )
    services.adjustment_carry_out(user=secretariat_user, adjustment=closure)
    # Even if it had stayed approved, it is refused on a closed offer.
    CapacityAdjustment.objects.filter(pk=increase.pk).update(status="approved")
    with pytest.raises(CapacityError, match="lukket"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=increase)
    offer.refresh_from_db()
    assert (offer.approved_places, offer.is_open()) == (0, False)


def test_a_second_closure_of_a_closed_offer_is_refused(secretariat_user):
    offer = make_capacity_offer(places=3)
    first = request(secretariat_user, offer, kind="closure", places=None)
    second = request(secretariat_user, offer, kind="closure", places=None)
    first = approve_at_meeting(secretariat_user, first)
    services.adjustment_carry_out(user=secretariat_user, adjustment=first)
    second.refresh_from_db()
    assert second.status == "withdrawn"
    CapacityAdjustment.objects.filter(pk=second.pk).update(status="approved")
    with pytest.raises(CapacityError, match="lukket"):
        services.adjustment_carry_out(user=secretariat_user, adjustment=second)


# A request takes effect from today, and counts what is approved before it -----------


def test_a_request_taking_effect_in_the_past_is_refused(municipality_user, capacity_offer):
    today = datetime.date(2026, 6, 1)
    with pytest.raises(CapacityError):
        services.adjustment_request(
            user=municipality_user,
            offer=capacity_offer,
            kind="increase",
            places=2,
            effective_on=today - datetime.timedelta(days=1),
            reason="Behov",
            today=today,
        )
    assert not CapacityAdjustment.objects.exists()


def test_a_request_taking_effect_today_is_accepted(municipality_user, capacity_offer):
    today = datetime.date(2026, 6, 1)
    adjustment = services.adjustment_request(
        user=municipality_user,
        offer=capacity_offer,
        kind="increase",
        places=2,
        effective_on=today,
        reason="Behov",
        today=today,
    )
    assert adjustment.effective_on == today


def test_approved_adjustments_not_yet_carried_out_are_the_offers_approved_ones_only(
    secretariat_user, municipality_user
):
    offer = make_capacity_offer(places=28)
    approved = approve_at_meeting(secretariat_user, request(municipality_user, offer, places=12))
    request(municipality_user, offer, places=11)
    carried_out = approve_at_meeting(secretariat_user, request(municipality_user, offer, places=13))
    services.adjustment_carry_out(user=secretariat_user, adjustment=carried_out)
    approve_at_meeting(
        secretariat_user, request(municipality_user, make_capacity_offer(), places=12)
    )

    assert list(CapacityAdjustment.objects.approved_not_carried_out(offer.pk)) == [approved]
