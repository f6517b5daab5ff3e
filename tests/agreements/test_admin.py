"""The secretariat enters a municipality's CVR number in the admin (single
sign-on links municipal staff by it); a meeting with approved minutes keeps
its date, times and place."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import GoverningBody, Meeting, Municipality
from meetings.models import Minutes
from tests.conftest import COPENHAGEN_SECRETARIAT, make_secretary

pytestmark = pytest.mark.django_db


def _post(client, municipality: Municipality, cvr: str):
    return client.post(
        reverse("admin:agreements_municipality_change", args=[municipality.pk]),
        {
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region_id,
            "cvr": cvr,
        },
    )


def test_the_secretariat_enters_a_valid_cvr_number(client, secretariat_user, aarhus):
    client.force_login(secretariat_user)

    response = _post(client, aarhus, "29189846")

    assert response.status_code == 302
    assert Municipality.objects.get(pk=aarhus.pk).cvr == "29189846"


@pytest.mark.parametrize("cvr", ["29189847", "1234567"])
def test_an_invalid_cvr_number_is_refused_with_a_danish_message(
    client, secretariat_user, aarhus, cvr
):
    client.force_login(secretariat_user)

    response = _post(client, aarhus, cvr)

    assert response.status_code == 200
    assert f"CVR-nummeret {cvr} er ikke gyldigt" in response.content.decode()
    assert Municipality.objects.get(pk=aarhus.pk).cvr == ""


def test_a_cvr_number_another_municipality_has_is_refused(
    client, secretariat_user, aarhus, randers
):
    randers.cvr = "29189846"
    randers.save()
    client.force_login(secretariat_user)

    response = _post(client, aarhus, "29189846")

    assert response.status_code == 200
    assert "En anden kommune har dette CVR-nummer." in response.content.decode()
    assert Municipality.objects.get(pk=aarhus.pk).cvr == ""


# A meeting whose minutes are approved ------------------------------------------------


def _meeting_form(meeting: Meeting, **changes) -> dict:
    data = {
        "body": meeting.body_id,
        "date": meeting.date.strftime("%d.%m.%Y"),
        "starts_at": "09:30",
        "ends_at": "",
        "location": meeting.location,
        "online_link": meeting.online_link,
        "agenda_note": meeting.agenda_note,
        "minutes": meeting.minutes,
    }
    return data | changes


@pytest.fixture
def meeting(db) -> Meeting:
    return Meeting.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        date=datetime.date(2026, 3, 5),
        starts_at=datetime.time(9, 30),
        location="Viborg Rådhus",
    )


@pytest.fixture
def approved_meeting(meeting) -> Meeting:
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.APPROVED,
        approved_on=datetime.date(2026, 3, 20),
        pdf_sha256="0" * 64,
    )
    return meeting


def test_the_admin_shows_an_approved_meetings_date_times_and_place_read_only(
    client, secretariat_user, approved_meeting
):
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:agreements_meeting_change", args=[approved_meeting.pk]))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not set(Meeting.RECORDED_FIELDS) & set(form.fields)
    assert "agenda_note" in form.fields
    assert "Viborg Rådhus" in response.content.decode()


def test_posting_a_new_date_and_place_for_an_approved_meeting_changes_nothing(
    client, secretariat_user, approved_meeting
):
    client.force_login(secretariat_user)
    before = Meeting.objects.values(*Meeting.RECORDED_FIELDS).get(pk=approved_meeting.pk)

    response = client.post(
        reverse("admin:agreements_meeting_change", args=[approved_meeting.pk]),
        _meeting_form(
            approved_meeting,
            date="06.03.2026",
            starts_at="10:00",
            location="Aarhus Rådhus",
            online_link="https://moede.example.dk/dassos",
            agenda_note="Ny note",
        ),
    )

    assert response.status_code == 302
    assert Meeting.objects.values(*Meeting.RECORDED_FIELDS).get(pk=approved_meeting.pk) == before
    assert Meeting.objects.get(pk=approved_meeting.pk).agenda_note == "Ny note"


def test_reverting_an_approved_meeting_to_an_earlier_place_keeps_its_place(
    client, secretariat_user, meeting
):
    earlier = meeting.history.get()
    meeting.location = "Aarhus Rådhus"
    meeting.save()
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.APPROVED,
        approved_on=datetime.date(2026, 3, 20),
        pdf_sha256="0" * 64,
    )
    client.force_login(secretariat_user)
    url = reverse("admin:agreements_meeting_simple_history", args=[meeting.pk, earlier.history_id])

    response = client.post(url, {"agenda_note": "Tilbage", "minutes": ""})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.agenda_note) == ("Aarhus Rådhus", "Tilbage")


def test_the_admin_changes_the_place_of_a_meeting_whose_minutes_are_not_approved(
    client, secretariat_user, meeting
):
    Minutes.objects.create(meeting=meeting)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:agreements_meeting_change", args=[meeting.pk]),
        _meeting_form(meeting, date="06.03.2026", location="Aarhus Rådhus"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.date, meeting.location) == (datetime.date(2026, 3, 6), "Aarhus Rådhus")


# The archiving status of an agreement's contract records ----------------------------------


def change_form_data(response, **changes) -> dict:
    """The admin change form as it was shown (with its inlines), and `changes`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            data[form.add_prefix(name)] = value
    return data | changes


def test_the_secretariat_records_a_discard_decision_on_its_agreement(
    client, secretariat_user, midtjylland
):
    client.force_login(secretariat_user)
    url = reverse("admin:agreements_frameworkagreement_change", args=[midtjylland.pk])
    shown = client.get(url)

    response = client.post(
        url,
        change_form_data(
            shown,
            archiving_status="discard",
            archiving_reference="Rigsarkivet j.nr. 2026-0042",
            archiving_date="2026-03-01",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    midtjylland.refresh_from_db()
    assert (midtjylland.get_archiving_status_display(), midtjylland.archiving_reference) == (
        "Kassation tilladt",
        "Rigsarkivet j.nr. 2026-0042",
    )
    assert "Arkiveringsversion afleveret" in shown.content.decode()


def test_a_status_without_its_reference_and_date_is_refused_in_the_admin(
    client, secretariat_user, midtjylland
):
    client.force_login(secretariat_user)
    url = reverse("admin:agreements_frameworkagreement_change", args=[midtjylland.pk])

    response = client.post(url, change_form_data(client.get(url), archiving_status="delivered"))

    assert response.status_code == 200
    assert "registreres med reference og dato" in response.content.decode()
    midtjylland.refresh_from_db()
    assert midtjylland.archiving_status == ""


def test_another_secretariat_cannot_open_the_agreement_to_record_its_status(client, midtjylland):
    client.force_login(make_secretary("karl", COPENHAGEN_SECRETARIAT))

    response = client.get(
        reverse("admin:agreements_frameworkagreement_change", args=[midtjylland.pk])
    )

    assert response.status_code in (302, 404)
    midtjylland.refresh_from_db()
    assert midtjylland.archiving_status == ""
