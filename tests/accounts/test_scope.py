"""The user's scope: the ids every `visible_to` filters on, worked out once."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody
from providers.models import Offer, Provider
from tests.conftest import make_offer, make_provider, make_user


def test_a_leaders_links_and_roles_take_one_query(provider, provider_leader, aarhus):
    aarhus.staff.add(provider_leader)
    user = type(provider_leader).objects.get(pk=provider_leader.pk)
    with CaptureQueriesContext(connection) as queries:
        scope = user.scope
        assert scope.provider_ids == {provider.pk}
        assert scope.municipality_ids == {aarhus.pk}
        assert scope.provider_leader and scope.municipality_staff
        assert not scope.secretariat and not scope.body_member
        assert scope.reads_whole_register
    assert len(queries) == 1


def test_the_scope_is_worked_out_once_per_user_object(provider_leader):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert provider_leader.scope.provider_leader
    assert len(queries) == 1


def test_a_seat_gives_its_body_its_municipality_and_the_chair(randers):
    user = make_user("chair")
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    BodyRepresentative.objects.create(
        body=body, municipality=randers, user=user, name="Formand", role="chair"
    )
    scope = user.scope
    assert scope.body_ids == {body.pk}
    assert scope.seat_municipality_ids == {randers.pk}
    assert scope.chaired_body_ids == {body.pk}
    assert scope.tariff_group_agreement_ids == frozenset()


def test_a_takstgruppe_seat_names_its_agreement(randers, midtjylland):
    user = make_user("tove")
    body = GoverningBody.objects.create(
        name="Takstgruppen for testen", kind=GoverningBody.Kind.TARIFF_GROUP, agreement=midtjylland
    )
    BodyRepresentative.objects.create(body=body, municipality=randers, user=user, name="Tove")
    assert user.scope.tariff_group_agreement_ids == {midtjylland.pk}


def test_a_secretariat_member_administers_its_agreements_and_their_parties(
    secretariat_user, midtjylland, copenhagen_agreement, aarhus, copenhagen
):
    scope = secretariat_user.scope
    assert scope.secretariat and not scope.everything
    assert midtjylland.pk in scope.agreement_ids
    assert copenhagen_agreement.pk not in scope.agreement_ids
    assert aarhus.pk in scope.party_municipality_ids
    assert copenhagen.pk not in scope.party_municipality_ids


def test_links_to_a_municipality_a_provider_or_a_seat_never_widen_a_secretariat_member(
    secretariat_user, copenhagen, copenhagen_agreement
):
    """Issue 22: a secretary linked to København's municipality, a
    København provider and a seat sees no more than her secretariat's rows."""
    provider = make_provider(operating_municipality=copenhagen, name="Kanariefuglen")
    offer = make_offer(provider, name="Kanariefuglens bosted")
    offer.framework_agreements.set([copenhagen_agreement])
    copenhagen.staff.add(secretariat_user)
    provider.leaders.add(secretariat_user)
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=copenhagen,
        user=secretariat_user,
        name="Sara",
    )
    user = type(secretariat_user).objects.get(pk=secretariat_user.pk)
    scope = user.scope
    assert scope.municipality_ids == scope.provider_ids == scope.body_ids == frozenset()
    assert not scope.reads_whole_register
    assert not Provider.objects.visible_to(user).filter(pk=provider.pk).exists()
    assert not Offer.objects.visible_to(user).filter(pk=offer.pk).exists()
    assert not FrameworkAgreement.objects.visible_to(user).filter(pk=copenhagen_agreement.pk)


def test_a_superuser_sees_everything(admin_user, copenhagen_agreement):
    assert admin_user.scope.everything and admin_user.scope.secretariat
    assert FrameworkAgreement.objects.visible_to(admin_user).filter(pk=copenhagen_agreement.pk)


def test_an_anonymous_or_inactive_user_has_no_scope_and_sees_nothing(provider_leader, offer):
    provider_leader.is_active = False
    for user in (AnonymousUser(), provider_leader):
        scope = user.scope
        assert not (scope.active or scope.secretariat or scope.provider_ids)
        assert not Offer.objects.visible_to(user).exists()
        assert not FrameworkAgreement.objects.visible_to(user).exists()
