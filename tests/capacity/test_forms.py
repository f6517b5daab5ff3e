"""The capacity forms offer what their user may act on, on GET and POST alike:
an id from outside it is a field error before any service is asked."""

import datetime

import pytest

from agreements.models import GoverningBody, Meeting, Municipality
from capacity.forms import (
    ConsultationAnswerForm,
    ConsultationRecordForm,
    MunicipalityForm,
    OpenHearingForm,
    RouteToMeetingForm,
)

INVALID = "Marker en gyldig valgmulighed"


@pytest.fixture
def meetings(db, copenhagen_agreement):
    """A coming meeting of Midtjylland's DASSOS and of København's direktion."""
    day = datetime.date.today() + datetime.timedelta(days=10)
    return {
        "midtjylland": Meeting.objects.create(
            body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS), date=day
        ),
        "copenhagen": Meeting.objects.create(
            body=GoverningBody.objects.get(agreement=copenhagen_agreement), date=day
        ),
    }


def _choices(form) -> set:
    return set(form.fields[form.choice_field].queryset)


def test_the_municipalities_to_list_are_those_the_user_sees(
    secretariat_user, provider_leader, aarhus
):
    # Any municipality may buy places (R3): a secretariat lists any of them.
    assert _choices(MunicipalityForm(user=secretariat_user)) == set(Municipality.objects.all())
    # A provider leader sees only the municipalities of their own providers.
    assert _choices(ConsultationRecordForm(user=provider_leader)) == {aarhus}


def test_a_municipality_answers_a_consultation_only_for_itself(
    municipality_user, other_municipality_user, aarhus, randers
):
    assert _choices(ConsultationAnswerForm(user=municipality_user)) == {aarhus}
    assert _choices(ConsultationAnswerForm(user=other_municipality_user)) == {randers}
    crafted = ConsultationAnswerForm(
        {"municipality": aarhus.pk, "answer": "agrees"}, user=other_municipality_user
    )
    assert INVALID in crafted.errors["municipality"][0]


def test_the_view_narrows_the_choices_within_the_users_own(municipality_user, aarhus, randers):
    both = Municipality.objects.filter(pk__in=[aarhus.pk, randers.pk])
    form = ConsultationAnswerForm(user=municipality_user, choices=both)
    assert _choices(form) == {aarhus}
    assert form.fields["municipality"].empty_label is None


def test_each_secretariat_routes_to_its_own_bodies_meetings_only(
    secretariat_user, copenhagen_secretary, meetings
):
    for user, own, other in (
        (secretariat_user, meetings["midtjylland"], meetings["copenhagen"]),
        (copenhagen_secretary, meetings["copenhagen"], meetings["midtjylland"]),
    ):
        assert _choices(RouteToMeetingForm(user=user)) == {own}
        crafted = RouteToMeetingForm({"meeting": other.pk}, user=user)
        assert INVALID in crafted.errors["meeting"][0]
        assert RouteToMeetingForm({"meeting": own.pk}, user=user).is_valid()


def test_each_secretariat_hears_its_own_bodies_only(
    secretariat_user, copenhagen_secretary, midtjylland, copenhagen_agreement
):
    midtjylland_bodies = set(GoverningBody.objects.filter(agreement=midtjylland))
    copenhagen_bodies = set(GoverningBody.objects.filter(agreement=copenhagen_agreement))
    assert _choices(OpenHearingForm(user=secretariat_user)) == midtjylland_bodies
    assert _choices(OpenHearingForm(user=copenhagen_secretary)) == copenhagen_bodies
    other = next(iter(copenhagen_bodies))
    crafted = OpenHearingForm({"body": other.pk}, user=secretariat_user)
    assert INVALID in crafted.errors["body"][0]
