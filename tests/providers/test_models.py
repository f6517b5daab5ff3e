import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import FrameworkAgreement
from providers.models import CollaborationModel, Offer, OperatingAgreement, Provider, Tariff
from tests.conftest import make_offer, make_operating_agreement, make_provider, make_tariff

# CVR --------------------------------------------------------------------------


@pytest.mark.parametrize("cvr", ["12345678", "1234567", "ABCDEFGH", "123456789"])
def test_invalid_cvr_is_refused_with_a_danish_message(db, aarhus, cvr):
    provider = Provider(name="Forkert CVR", cvr=cvr, kind="private", operating_municipality=aarhus)
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "cvr" in error.value.message_dict
    assert any(
        "CVR-nummer" in message and "ikke gyldigt" in message
        for message in error.value.message_dict["cvr"]
    )


def test_valid_cvr_is_accepted(db, aarhus):
    # 13585628: a CVR number whose check digit is right (modulus 11).
    Provider(
        name="Rigtig", cvr="13585628", kind="private", operating_municipality=aarhus
    ).full_clean()


def test_cvr_is_unique(db, provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_provider(cvr=provider.cvr)


def test_only_self_governing_providers_have_a_collaboration_model(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_provider(kind="private", collaboration_model=CollaborationModel.objects.get(number=1))


# Offers and tariffs -----------------------------------------------------------


def test_offer_places_cannot_be_negative(provider):
    offer = make_offer(provider)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(approved_places=-1)


def test_offer_with_zero_places_is_allowed(provider):
    assert make_offer(provider, approved_places=0).approved_places == 0


def test_offer_cannot_close_before_it_opens(provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_offer(
            provider, opened_on=datetime.date(2020, 1, 2), closed_on=datetime.date(2020, 1, 1)
        )


def test_offer_is_open_until_its_closing_day(offer):
    offer.closed_on = datetime.date(2026, 6, 1)
    assert offer.is_open(datetime.date(2026, 5, 31))
    assert not offer.is_open(datetime.date(2026, 6, 1))


def test_open_offers_exclude_those_closed_on_or_before_the_day(provider):
    open_offer = make_offer(provider)
    closing_tomorrow = make_offer(provider, closed_on=datetime.date(2026, 6, 2))
    make_offer(provider, closed_on=datetime.date(2026, 6, 1))
    assert set(Offer.objects.open(datetime.date(2026, 6, 1))) == {open_offer, closing_tomorrow}


@pytest.mark.parametrize(("period_end", "needs"), [(-1, False), (0, True)])
def test_relabelling_needs_approval_through_the_agreements_last_day(
    offer, midtjylland, period_end, needs
):
    """001: an agreement marked in force whose period ended yesterday no
    longer asks for approval; one that ends today still does."""
    today = datetime.date.today()
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(
        period_start=today - datetime.timedelta(days=730),
        period_end=today + datetime.timedelta(days=period_end),
        relabelling_requires_approval=True,
    )
    offer.framework_agreements.add(midtjylland)
    assert offer.relabelling_needs_approval() is needs


def test_one_tariff_per_offer_year_and_unit(offer):
    make_tariff(offer)
    with pytest.raises(ValidationError) as error:
        Tariff(offer=offer, year=2026, unit="day", amount=Decimal("1")).full_clean()
    assert "Tilbuddet har allerede en takst for dette år og denne enhed." in str(error.value)


def test_a_tariff_of_zero_is_allowed(offer):
    assert make_tariff(offer, amount=Decimal("0.00")).amount == 0


def test_negative_tariff_is_refused(offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_tariff(offer, amount=Decimal("-0.01"))


# Operating agreements (R10–R12) -------------------------------------------------


@pytest.mark.parametrize("model", [1, 2])
def test_next_service_review_is_five_years_after_the_last(provider, model):
    agreement = make_operating_agreement(
        provider, model=model, last_review_on=datetime.date(2022, 9, 15)
    )
    assert agreement.next_review_on == datetime.date(2027, 9, 15)


def test_next_service_review_counts_from_signing_when_never_reviewed(provider):
    agreement = make_operating_agreement(provider, signed_on=datetime.date(2021, 4, 1))
    assert agreement.next_review_on == datetime.date(2026, 4, 1)


def test_next_service_review_reads_the_policy_number(provider, copenhagen_agreement):
    copenhagen_agreement.operating_agreement_review_years = 3
    copenhagen_agreement.save()
    agreement = make_operating_agreement(
        provider,
        framework_agreement=copenhagen_agreement,
        last_review_on=datetime.date(2022, 9, 15),
    )
    assert agreement.next_review_on == datetime.date(2025, 9, 15)


def test_model_3_review_is_the_individually_agreed_date(provider):
    agreement = make_operating_agreement(
        provider,
        model=3,
        committed_places=12,
        yearly_payment=Decimal("2400000"),
        individual_review_on=datetime.date(2027, 2, 1),
    )
    assert agreement.next_review_on == datetime.date(2027, 2, 1)


def test_model_3_without_committed_places_is_refused(provider):
    agreement = OperatingAgreement(
        provider=provider,
        municipality=provider.operating_municipality,
        model=CollaborationModel.objects.get(number=3),
        signed_on=datetime.date(2020, 1, 1),
        yearly_payment=Decimal("1000000"),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "committed_places" in error.value.message_dict
    assert "yearly_payment" not in error.value.message_dict


def test_model_3_without_yearly_payment_is_refused(provider):
    agreement = OperatingAgreement(
        provider=provider,
        municipality=provider.operating_municipality,
        model=CollaborationModel.objects.get(number=3),
        signed_on=datetime.date(2020, 1, 1),
        committed_places=10,
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert error.value.message_dict["yearly_payment"] == [
        "En samarbejdsaftale (model 3) skal angive den faste årlige ydelse."
    ]


def test_database_refuses_places_without_payment(provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_operating_agreement(provider, model=3, committed_places=10)


def test_model_3_with_places_and_payment_is_accepted(provider):
    agreement = OperatingAgreement(
        provider=provider,
        municipality=provider.operating_municipality,
        model=CollaborationModel.objects.get(number=3),
        signed_on=datetime.date(2020, 1, 1),
        committed_places=10,
        yearly_payment=Decimal("1500000"),
    )
    agreement.full_clean()


def test_model_4_has_no_operating_agreement(provider):
    agreement = OperatingAgreement(
        provider=provider,
        municipality=provider.operating_municipality,
        model=CollaborationModel.objects.get(number=4),
        signed_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "model" in error.value.message_dict


def test_review_overdue_and_due_within_filters(db):
    today = datetime.date(2026, 11, 22)
    overdue = make_operating_agreement(last_review_on=datetime.date(2021, 11, 21))
    due_today = make_operating_agreement(last_review_on=datetime.date(2021, 11, 22))
    due_in_90 = make_operating_agreement(last_review_on=datetime.date(2022, 2, 20))
    due_in_91 = make_operating_agreement(last_review_on=datetime.date(2022, 2, 21))
    model_3_overdue = make_operating_agreement(
        model=3,
        committed_places=5,
        yearly_payment=Decimal("100"),
        individual_review_on=datetime.date(2026, 11, 1),
    )
    assert set(OperatingAgreement.objects.review_overdue(today)) == {overdue, model_3_overdue}
    assert set(OperatingAgreement.objects.review_due_within(90, today)) == {
        overdue,
        due_today,
        due_in_90,
        model_3_overdue,
    }
    assert due_in_91 not in OperatingAgreement.objects.review_due_within(90, today)
    assert overdue.review_overdue(today) and not due_today.review_overdue(today)


# The offers a secretariat administers ---------------------------------------------------


def test_each_secretariat_administers_its_own_offers_covered_or_operated_by_a_party(
    secretariat_user, copenhagen_secretary
):
    """The condition is compiled once a process for each secretariat's ids:
    two secretariats, each with its own rows, and a covered offer whichever
    municipality operates it."""
    from agreements.models import Municipality

    copenhagen = Municipality.objects.get(code=101)
    aarhus_uncovered = make_offer(make_provider())
    kbh_uncovered = make_offer(make_provider(operating_municipality=copenhagen))
    kbh_covered = make_offer(make_provider(operating_municipality=copenhagen))
    kbh_covered.framework_agreements.add(
        FrameworkAgreement.objects.get(secretariat__members=secretariat_user)
    )
    for _ in range(2):  # the second time from the compiled condition
        midt = set(Offer.objects.administered_by(secretariat_user))
        kbh = set(Offer.objects.administered_by(copenhagen_secretary))
        assert {aarhus_uncovered, kbh_covered} <= midt
        assert kbh_uncovered not in midt
        assert kbh_uncovered in kbh
        assert not {aarhus_uncovered, kbh_covered} & kbh


def test_a_secretariat_without_agreements_administers_no_offers(db):
    from agreements.models import Secretariat
    from tests.conftest import ensure_secretariat_group, make_user

    make_offer()
    lonely = make_user("ensom", is_staff=True)
    lonely.groups.add(ensure_secretariat_group())
    Secretariat.objects.create(name="Et nyt sekretariat").members.add(lonely)
    assert list(Offer.objects.administered_by(lonely)) == []
    assert list(Offer.objects.visible_to(lonely)) == []
