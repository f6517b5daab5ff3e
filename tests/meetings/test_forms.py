"""The meetings forms offer what the user's secretariat administers, on GET
and POST alike: a crafted id from another secretariat is a field error."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import FrameworkAgreement, GoverningBody, Meeting
from meetings.forms import ItemForm, MeetingForm, MoveForm
from meetings.models import Mandate
from tests.meetings.conftest import make_meeting

INVALID = "Marker en gyldig valgmulighed"


@pytest.fixture
def direktion(db, copenhagen_agreement) -> GoverningBody:
    return GoverningBody.objects.get(agreement=copenhagen_agreement)


def _mandate(group: GoverningBody, **fields) -> Mandate:
    return Mandate.objects.create(
        group=group, purpose="Afdække behovet.", time_frame="2026", participants="Fem", **fields
    )


def test_each_secretariat_plans_meetings_of_its_own_bodies_only(
    secretariat_user, copenhagen_secretary, midtjylland, copenhagen_agreement, dassos, direktion
):
    for user, agreement, other in (
        (secretariat_user, midtjylland, direktion),
        (copenhagen_secretary, copenhagen_agreement, dassos),
    ):
        form = MeetingForm(user=user)
        assert set(form.fields["body"].queryset) == set(agreement.bodies.all())
        crafted = MeetingForm(
            {"body": other.pk, "date": "2099-01-01", "location": "Rådhuset"}, user=user
        )
        assert INVALID in crafted.errors["body"][0]


def test_a_crafted_meeting_of_another_secretariats_body_is_not_created(
    client, copenhagen_secretary, dassos
):
    client.force_login(copenhagen_secretary)
    response = client.post(
        reverse("meetings:meeting_create"),
        {"body": dassos.pk, "date": "2099-01-01", "location": "Viborg"},
    )
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not Meeting.objects.filter(body=dassos).exists()


def test_an_item_is_about_the_secretariats_own_agreements_and_mandates(
    secretariat_user, copenhagen_secretary, midtjylland, copenhagen_agreement
):
    ad_hoc = GoverningBody.objects.filter(kind=GoverningBody.Kind.AD_HOC, agreement=midtjylland)
    open_mandate = _mandate(ad_hoc.first())
    own = ItemForm(user=secretariat_user)
    assert list(own.fields["evaluation_of"].queryset) == [midtjylland]
    assert list(own.fields["mandate"].queryset) == [open_mandate]
    other = ItemForm(user=copenhagen_secretary)
    assert list(other.fields["evaluation_of"].queryset) == [copenhagen_agreement]
    assert list(other.fields["mandate"].queryset) == []
    crafted = ItemForm(
        {
            "kind": "decision",
            "title": "Evaluering",
            "evaluation_of": midtjylland.pk,
            "mandate": open_mandate.pk,
        },
        user=copenhagen_secretary,
    )
    assert INVALID in crafted.errors["evaluation_of"][0]
    assert INVALID in crafted.errors["mandate"][0]


def test_an_expired_agreement_is_not_offered_for_evaluation(secretariat_user, midtjylland):
    midtjylland.status = FrameworkAgreement.Status.EXPIRED
    midtjylland.save()
    assert list(ItemForm(user=secretariat_user).fields["evaluation_of"].queryset) == []


def test_an_item_moves_only_to_a_meeting_the_user_sees(
    secretariat_user, copenhagen_secretary, dassos, direktion
):
    own = make_meeting(dassos, 10)
    other = make_meeting(direktion, 10)
    assert list(MoveForm(user=secretariat_user).fields["meeting"].queryset) == [own]
    assert list(MoveForm(user=copenhagen_secretary).fields["meeting"].queryset) == [other]
    narrowed = MoveForm(
        user=secretariat_user,
        meetings=Meeting.objects.filter(date__gte=datetime.date.today()),
    )
    assert list(narrowed.fields["meeting"].queryset) == [own]
    crafted = MoveForm({"meeting": other.pk}, user=secretariat_user)
    assert INVALID in crafted.errors["meeting"][0]
