import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import FrameworkAgreement, Municipality, Principle, add_years


def test_period_must_start_before_it_ends(db):
    agreement = FrameworkAgreement(
        name="Omvendt periode",
        kind=FrameworkAgreement.Kind.REGIONAL,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "Perioden skal begynde, før den slutter." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_period_that_ends_the_day_it_starts_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkAgreement.objects.create(
            name="Samme dag",
            kind="regional",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 1),
        )


def test_period_of_one_day_is_allowed(db):
    FrameworkAgreement.objects.create(
        name="Kort",
        kind="regional",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 1, 2),
    )


def test_municipality_code_is_unique(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(code=101, name="Endnu et København", region_id=1084)


def test_municipality_code_has_three_digits(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(code=99, name="Tocifret", region_id=1084)


def test_municipality_cvr_must_pass_the_modulus_11_check(aarhus):
    aarhus.cvr = "29189847"  # 29189846 with a wrong check digit
    with pytest.raises(ValidationError) as error:
        aarhus.full_clean()
    assert "cvr" in error.value.message_dict

    aarhus.cvr = "29189846"
    aarhus.full_clean()


def test_municipality_cvr_is_unique_when_set(aarhus, randers, copenhagen):
    aarhus.cvr = "29189846"
    aarhus.save()
    # Empty for many: the secretariat enters the numbers one by one.
    assert Municipality.objects.filter(cvr="").count() > 1

    randers.cvr = "29189846"
    with pytest.raises(ValidationError) as error:
        randers.full_clean()
    assert "En anden kommune har dette CVR-nummer." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        randers.save()


def test_principle_numbers_are_unique_per_agreement(copenhagen_agreement):
    with pytest.raises(ValidationError):
        Principle(agreement=copenhagen_agreement, number=1, title="Dublet", text="x").full_clean()


def test_yearly_evaluation_is_due_a_year_after_the_last(midtjylland):
    assert midtjylland.next_evaluation_on() == datetime.date(2026, 1, 1)
    midtjylland.last_evaluated_on = datetime.date(2026, 3, 15)
    assert midtjylland.next_evaluation_on() == datetime.date(2027, 3, 15)


def test_add_years_moves_29_february_to_28():
    assert add_years(datetime.date(2024, 2, 29), 5) == datetime.date(2029, 2, 28)
    assert add_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)


def test_in_force_includes_open_ended_agreements(copenhagen_agreement, midtjylland):
    on = datetime.date(2026, 6, 1)
    sjaelland = FrameworkAgreement.objects.get(region__code=1085)
    assert set(FrameworkAgreement.objects.in_force(on)) == {
        copenhagen_agreement,
        midtjylland,
        sjaelland,
    }
    assert set(FrameworkAgreement.objects.in_force(datetime.date(2027, 1, 1))) == {
        copenhagen_agreement
    }
