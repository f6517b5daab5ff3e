"""The header's menu: the start pages of the roles a user holds."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts.context_processors import navigation
from tests.conftest import make_user


def _menu(user, path: str = "/") -> list[dict]:
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["navigation"]


def _urls(user, path: str = "/") -> list[str]:
    return [item["url"] for item in _menu(user, path)]


def test_an_anonymous_user_has_no_menu():
    assert _menu(AnonymousUser()) == []


def test_a_user_linked_to_nothing_has_an_empty_menu(db):
    assert _menu(make_user("ingen")) == []


def test_the_secretariat_menu_leads_to_the_dashboard_and_the_register(secretariat_user):
    urls = _urls(secretariat_user)
    assert urls[0] == reverse("portal:dashboard")
    assert reverse("admin:index") in urls
    assert reverse("meetings:calendar") in urls
    assert reverse("portal:municipality") not in urls
    assert reverse("portal:leader") not in urls


def test_municipality_staff_see_their_page_and_contracts(municipality_user):
    assert _urls(municipality_user) == [
        reverse("portal:municipality"),
        reverse("contracts:contract_list"),
        reverse("tariffs:mine"),
        reverse("hearings:mine"),
    ]


def test_a_body_member_sees_the_municipality_page_and_meetings_but_not_contracts(
    body_member_user,
):
    assert _urls(body_member_user) == [
        reverse("portal:municipality"),
        reverse("meetings:calendar"),
    ]


def test_a_provider_leader_sees_their_providers_calendar_and_tariffs(provider_leader):
    assert _urls(provider_leader) == [
        reverse("portal:leader"),
        reverse("portal:leader_calendar"),
        reverse("tariffs:mine"),
    ]


def test_a_leader_who_is_also_municipality_staff_sees_both(provider_leader, aarhus):
    aarhus.staff.add(provider_leader)
    urls = _urls(provider_leader)
    assert reverse("portal:municipality") in urls
    assert reverse("portal:leader") in urls


def test_the_current_item_is_the_longest_matching_address(provider_leader):
    menu = _menu(provider_leader, reverse("portal:leader_calendar"))
    current = [item["url"] for item in menu if item["current"]]
    # /leder/ is a start of /leder/kalender/ too; only the calendar is current.
    assert current == [reverse("portal:leader_calendar")]
    assert _menu(provider_leader, "/elsewhere/")[0]["current"] is False
