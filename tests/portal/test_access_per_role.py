"""Acceptance 1: a provider leader of A gets 404 for every page, history and
feed of provider B, with real ids; each role's pages are closed to the others."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Municipality
from portal.models import CalendarFeed
from providers.models import Offer, OperatingAgreement, Provider, Tariff
from tests.conftest import make_operating_agreement, make_user

LEADER_PAGES = ["portal:leader", "portal:leader_calendar", "portal:leader_deadlines"]
SECRETARIAT_PAGES = ["portal:dashboard", "portal:capacity_overview"]


def test_leader_of_a_gets_404_for_every_page_of_provider_b(
    client, provider_leader, provider, offer, other_provider, other_offer
):
    client.force_login(provider_leader)
    for name in ("portal:leader_provider", "portal:leader_obligations"):
        assert client.get(reverse(name, args=[provider.pk])).status_code == 200
        assert client.get(reverse(name, args=[other_provider.pk])).status_code == 404
    assert client.get(reverse("portal:offer_capacity", args=[offer.pk])).status_code == 200
    assert client.get(reverse("portal:offer_capacity", args=[other_offer.pk])).status_code == 404


def test_an_unknown_id_and_a_foreign_id_answer_alike(client, provider_leader, other_provider):
    client.force_login(provider_leader)
    foreign = client.get(reverse("portal:leader_provider", args=[other_provider.pk]))
    unknown = client.get(reverse("portal:leader_provider", args=[other_provider.pk + 1000]))
    assert foreign.status_code == unknown.status_code == 404
    assert other_provider.name not in foreign.content.decode()


def test_leader_of_a_cannot_read_the_feed_of_b(
    client, provider_leader, other_leader, other_provider
):
    make_operating_agreement(other_provider, model=1)
    own = CalendarFeed.for_user(provider_leader)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:calendar_feed", args=[own.token])).content.decode()
    assert other_provider.name not in body
    guessed = reverse("portal:calendar_feed", args=["not-" + own.token])
    assert client.get(guessed).status_code == 404


def test_leader_pages_are_closed_to_other_roles(
    client, secretariat_user, municipality_user, body_member_user, provider, provider_leader
):
    # Open to the leader, so that the 404s below are the role's, not the page's.
    client.force_login(provider_leader)
    for name in LEADER_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    for user in (secretariat_user, municipality_user, body_member_user):
        client.force_login(user)
        for name in LEADER_PAGES:
            assert client.get(reverse(name)).status_code == 404, (user, name)
        # The secretariat reads every provider, but not through a leader's pages.
        page = reverse("portal:leader_provider", args=[provider.pk])
        assert client.get(page).status_code == 404, user


def test_the_dashboard_is_closed_to_everyone_but_the_secretariat(
    client, provider_leader, municipality_user, body_member_user, secretariat_user
):
    client.force_login(secretariat_user)
    for name in SECRETARIAT_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    for user in (provider_leader, municipality_user, body_member_user):
        client.force_login(user)
        for name in SECRETARIAT_PAGES:
            assert client.get(reverse(name)).status_code == 404, (user, name)


def test_the_municipality_workspace_is_for_staff_and_body_members(
    client, provider_leader, municipality_user, body_member_user, secretariat_user
):
    url = reverse("portal:municipality")
    for user in (provider_leader, secretariat_user):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    for user in (municipality_user, body_member_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_a_municipality_sees_only_the_offers_it_operates(
    client, municipality_user, offer, other_offer
):
    # offer is operated by Aarhus (the user's), other_offer by Randers.
    client.force_login(municipality_user)
    body = client.get(reverse("portal:municipality")).content.decode()
    assert offer.name in body
    assert other_offer.name not in body


# visible_to: one module decides what each role sees of the register ---------


def test_a_leader_sees_only_their_own_providers_offers_and_tariffs(
    provider_leader, provider, offer, other_provider, other_offer
):
    from tests.conftest import make_tariff

    make_tariff(offer)
    make_tariff(other_offer)
    make_operating_agreement(provider)
    make_operating_agreement(other_provider)
    assert set(Provider.objects.visible_to(provider_leader)) == {provider}
    assert set(Offer.objects.visible_to(provider_leader)) == {offer}
    assert {t.offer for t in Tariff.objects.visible_to(provider_leader)} == {offer}
    assert {a.provider for a in OperatingAgreement.objects.visible_to(provider_leader)} == {
        provider
    }


def test_a_leader_sees_the_municipalities_that_concern_their_provider(provider_leader, provider):
    visible = set(Municipality.objects.visible_to(provider_leader))
    assert visible == {provider.operating_municipality}


@pytest.mark.parametrize("persona", ["secretariat_user", "municipality_user", "body_member_user"])
def test_the_register_readers_see_every_provider(request, persona, provider, other_provider):
    user = request.getfixturevalue(persona)
    assert set(Provider.objects.visible_to(user)) >= {provider, other_provider}
    assert Municipality.objects.visible_to(user).count() == Municipality.objects.count()


def test_a_user_linked_to_nothing_sees_nothing(db, provider, offer):
    user = make_user("ingen")
    assert not Provider.objects.visible_to(user).exists()
    assert not Offer.objects.visible_to(user).exists()
    assert not Municipality.objects.visible_to(user).exists()


def test_an_inactive_leader_sees_nothing(provider_leader, provider):
    provider_leader.is_active = False
    provider_leader.save()
    assert not Provider.objects.visible_to(provider_leader).exists()


def test_a_feed_of_a_user_who_no_longer_leads_is_gone(client, provider_leader, provider):
    feed = CalendarFeed.for_user(provider_leader)
    url = reverse("portal:calendar_feed", args=[feed.token])
    assert client.get(url).status_code == 200
    provider.leaders.remove(provider_leader)
    assert client.get(url).status_code == 404


def test_deadline_dates_are_real_dates(provider):
    agreement = make_operating_agreement(provider, last_review_on=datetime.date(2022, 5, 1))
    assert agreement.next_review_on == datetime.date(2027, 5, 1)
