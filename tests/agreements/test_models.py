import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import (
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    MeetingFrozen,
    Municipality,
    Principle,
    add_years,
)
from meetings.models import Minutes


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


# A meeting whose minutes are approved -----------------------------------------------


def _meeting(minutes_status: str | None, date=datetime.date(2026, 3, 5)) -> Meeting:
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    meeting = Meeting.objects.create(
        body=body,
        date=date,
        starts_at=datetime.time(9, 30),
        ends_at=datetime.time(12, 0),
        location="Viborg Rådhus",
    )
    if minutes_status == "approved":
        Minutes.objects.create(
            meeting=meeting,
            status=minutes_status,
            approved_on=datetime.date(2026, 3, 20),
            pdf_sha256="0" * 64,
        )
    elif minutes_status == "draft":
        Minutes.objects.create(meeting=meeting)
    return meeting


RECORDED_CHANGES = {
    "date": datetime.date(2026, 3, 6),
    "starts_at": datetime.time(10, 0),
    "ends_at": datetime.time(13, 0),
    "location": "Aarhus Rådhus",
    "online_link": "https://moede.example.dk/dassos",
}


@pytest.mark.parametrize(("name", "value"), RECORDED_CHANGES.items())
def test_a_meeting_with_approved_minutes_refuses_a_saved_change_of_its_date_times_or_place(
    db, name, value
):
    meeting = _meeting("approved")
    before = Meeting.objects.values().get(pk=meeting.pk)
    setattr(meeting, name, value)

    with pytest.raises(MeetingFrozen, match="Referatet af mødet er godkendt"):
        meeting.save()
    with pytest.raises(MeetingFrozen):
        meeting.save(update_fields=[name])

    assert Meeting.objects.values().get(pk=meeting.pk) == before


def test_a_meeting_with_approved_minutes_keeps_its_body(db):
    meeting = _meeting("approved")
    meeting.body = GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE)

    with pytest.raises(MeetingFrozen):
        meeting.save()


@pytest.mark.parametrize(("name", "value"), RECORDED_CHANGES.items())
def test_a_meeting_with_approved_minutes_refuses_a_queryset_update_of_its_date_times_or_place(
    db, name, value
):
    meeting = _meeting("approved")
    other = _meeting(None, date=datetime.date(2026, 4, 1))
    before = Meeting.objects.values().get(pk=meeting.pk)

    with pytest.raises(MeetingFrozen):
        Meeting.objects.filter(pk__in=[meeting.pk, other.pk]).update(**{name: value})
    setattr(meeting, name, value)
    # bulk_update writes in a transaction without a savepoint of its own.
    with pytest.raises(MeetingFrozen), transaction.atomic():
        Meeting.objects.bulk_update([meeting], [name])

    assert Meeting.objects.values().get(pk=meeting.pk) == before
    assert Meeting.objects.get(pk=other.pk).date == datetime.date(2026, 4, 1)


def test_a_meeting_with_approved_minutes_may_change_what_the_minutes_do_not_record(db):
    meeting = _meeting("approved")

    meeting.agenda_note = "Rettet note"
    meeting.save()
    Meeting.objects.filter(pk=meeting.pk).update(agenda_note="Rettet igen")

    assert Meeting.objects.get(pk=meeting.pk).agenda_note == "Rettet igen"


@pytest.mark.parametrize("minutes_status", [None, "draft"])
def test_a_meeting_without_approved_minutes_may_move(db, minutes_status):
    meeting = _meeting(minutes_status)

    meeting.location = "Aarhus Rådhus"
    meeting.save()
    Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2026, 3, 6))

    meeting.refresh_from_db()
    assert (meeting.location, meeting.date) == ("Aarhus Rådhus", datetime.date(2026, 3, 6))
