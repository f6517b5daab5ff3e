"""Start pages summarise: counts and the first rows of each kind, chosen and
limited by the database, with a link to the full list; the calendar feed
holds the past month and the coming 12 months."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from agreements.models import BodyRepresentative, GoverningBody
from capacity.models import CapacityAdjustment
from contracts.models import StandardContract
from portal.models import CalendarFeed
from tests.conftest import (
    make_offer,
    make_operating_agreement,
    make_signed_standard_contract,
    make_standard_contract,
)
from tests.listing import bulk

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
INDIVIDUAL_LINK = re.compile(r'href="/contracts/individual/(\d+)/"')


def _days(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def _ending(provider, *days: int, prefix: str = "IK-E"):
    """Signed individual contracts of the provider ending `days` from TODAY."""
    standard = StandardContract.objects.filter(
        provider=provider, status="signed"
    ).first() or make_signed_standard_contract(offer=make_offer(provider))
    made = []
    for index, day in enumerate(days):
        made += bulk.individual_contracts(
            standard, 1, prefix=f"{prefix}{index:04d}-", ends_on=_days(day)
        )
    return made


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The leader's home --------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_leader_home_with_300_contracts_ending_shows_the_next_10_and_links_to_all(
    client, provider_leader, provider
):
    # 300 contracts ending over the coming ten months, made in shuffled order.
    days = [(index * 7919) % 300 + 1 for index in range(300)]
    made = _ending(provider, *days)
    soonest = sorted(made, key=lambda c: c.ends_on)[:10]
    client.force_login(provider_leader)

    response = client.get(reverse("portal:leader"))
    body = response.content.decode()
    deadlines = response.context["deadlines"]
    assert [row["deadline"].date for row in deadlines] == [c.ends_on for c in soonest]
    assert response.context["deadline_total"] == 300
    assert "De næste 10 af 300 kommende frister." in body
    assert reverse("portal:leader_deadlines") in body
    # The contracts ending soonest: the same ten, with the link to the full list.
    assert response.context["ending"].total == 300
    assert [c.pk for c in response.context["ending"]] == [c.pk for c in soonest]
    assert "Viser 10 af 300." in body
    full = "/contracts/?status=signed&amp;sort=ends_on"
    assert full in body
    listing = client.get(full.replace("&amp;", "&")).context["listing"]
    assert listing.total == 300
    assert [c.pk for c in listing.rows[:10]] == [c.pk for c in soonest]


@time_machine.travel(TODAY, tick=False)
def test_leader_home_shows_a_signed_contract_without_an_end_date_as_in_force(
    client, provider_leader, provider
):
    [ending] = _ending(provider, 30)
    standard = StandardContract.objects.filter(provider=provider, status="signed").first()
    [open_ended] = bulk.individual_contracts(standard, 1, prefix="IK-O-", ends_on=None)
    client.force_login(provider_leader)

    response = client.get(reverse("portal:leader"))

    assert [c.pk for c in response.context["ending"]] == [ending.pk, open_ended.pk]
    assert "Ingen individuelle kontrakter" not in response.content.decode()
    full = client.get("/contracts/", {"status": "signed", "sort": "ends_on"})
    assert [c.pk for c in full.context["listing"].rows] == [ending.pk, open_ended.pk]


@time_machine.travel(TODAY, tick=False)
def test_leader_home_makes_the_same_few_queries_at_10_and_300_contracts(
    client, provider_leader, provider
):
    client.force_login(provider_leader)
    _ending(provider, *range(1, 11), prefix="IK-A")
    small = _queries(client, reverse("portal:leader"))
    _ending(provider, *range(1, 291), prefix="IK-B")
    assert _queries(client, reverse("portal:leader")) == small <= 15


# The full deadline list -----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_deadline_list_pages_every_coming_deadline(client, provider_leader, provider):
    _ending(provider, *range(-5, 70))
    client.force_login(provider_leader)
    url = reverse("portal:leader_deadlines")
    from_today = client.get(url, {"start": TODAY.isoformat()})
    assert from_today.context["page"].paginator.count == 70
    assert [row["deadline"].date for row in from_today.context["rows"]] == [
        _days(day) for day in range(50)
    ]
    second = client.get(url, {"start": TODAY.isoformat(), "page": 2})
    assert [row["deadline"].date for row in second.context["rows"]] == [
        _days(day) for day in range(50, 70)
    ]
    # Without a day: from the oldest deadline passed, marked overdue.
    first = client.get(url)
    assert first.context["page"].paginator.count == 75
    assert [row["overdue_days"] for row in first.context["rows"][:6]] == [5, 4, 3, 2, 1, None]
    assert "dage overskredet" in first.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_deadline_list_shows_no_other_providers_deadlines(
    client, provider_leader, provider, other_provider
):
    _ending(provider, 1, 2)
    _ending(other_provider, 3, 4, 5, prefix="IK-O")
    client.force_login(provider_leader)
    url = reverse("portal:leader_deadlines")
    assert client.get(url).context["page"].paginator.count == 2
    foreign = client.get(url, {"provider": other_provider.pk})
    assert foreign.context["form"].errors
    assert foreign.context["page"].paginator.count == 2


@pytest.mark.parametrize(
    "persona", ["secretariat_user", "municipality_user", "body_member_user", "other_leader"]
)
def test_the_deadline_list_is_the_leaders_alone(client, request, persona, provider_leader):
    client.force_login(provider_leader)
    assert client.get(reverse("portal:leader_deadlines")).status_code == 200
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona == "other_leader" else 404
    assert client.get(reverse("portal:leader_deadlines")).status_code == expected


# The calendar feed ----------------------------------------------------------------------


def _feed_dates(client, user) -> list[datetime.date]:
    token = CalendarFeed.for_user(user).token
    response = client.get(reverse("portal:calendar_feed", args=[token]))
    return sorted(
        event.decoded("dtstart") for event in Calendar.from_ical(response.content).walk("VEVENT")
    )


@time_machine.travel(TODAY, tick=False)
def test_the_feed_holds_the_past_month_and_the_coming_12_months_only(
    client, provider_leader, provider
):
    month_ago, year_ahead = datetime.date(2026, 10, 22), datetime.date(2027, 11, 22)
    inside = [month_ago, TODAY, year_ahead]
    outside = [
        month_ago - datetime.timedelta(days=1),
        year_ahead + datetime.timedelta(days=1),
        datetime.date(2027, 12, 22),  # 13 months ahead
        datetime.date(2026, 9, 22),  # 2 months back
    ]
    _ending(provider, *[(day - TODAY).days for day in inside + outside])
    # A service review 13 months ahead is left out too.
    make_operating_agreement(provider, model=1, last_review_on=datetime.date(2022, 12, 22))

    assert _feed_dates(client, provider_leader) == inside


@time_machine.travel(TODAY, tick=False)
def test_the_feed_makes_the_same_queries_at_two_sizes(client, provider_leader, provider):
    token = CalendarFeed.for_user(provider_leader).token
    url = reverse("portal:calendar_feed", args=[token])
    _ending(provider, *range(0, 10), prefix="IK-A")
    small = _queries(client, url)
    _ending(provider, *range(0, 200), prefix="IK-B")
    assert _queries(client, url) == small <= 15


# The provider page ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_provider_page_shows_the_first_rows_of_each_list_with_links(
    client, provider_leader, provider, secretariat_user
):
    _ending(provider, *range(1, 31))
    offers = bulk.offers(provider, 12)
    bulk.tariffs(offers)
    bulk.adjustments(offers[0], 15, secretariat_user)
    for _ in range(12):
        make_standard_contract(offer=make_offer(provider))
    client.force_login(provider_leader)

    response = client.get(reverse("portal:leader_provider", args=[provider.pk]))
    body = response.content.decode()
    context = response.context
    # Ten contracts, and the ten deadlines (their ends) link to them too.
    assert len(INDIVIDUAL_LINK.findall(body)) == 20
    for key, total in (
        ("individual_contracts", 30),
        ("standard_contracts", 13),
        ("tariffs", 12),
        ("adjustments", 15),
    ):
        assert len(context[key].rows) == 10, key
        assert context[key].total == total, key
    assert len(context["deadlines"]) == 10
    for link in (
        f"/contracts/?provider={provider.pk}",
        f"/contracts/standard/?provider={provider.pk}",
        f"/takstregister/?provider={provider.pk}",
        f"/kapacitet/liste/?provider={provider.pk}",
        f"/leder/frister/?provider={provider.pk}",
    ):
        assert f'href="{link}"' in body, link


def test_the_provider_page_makes_the_same_few_queries_at_two_sizes(
    client, provider_leader, provider, secretariat_user
):
    client.force_login(provider_leader)
    url = reverse("portal:leader_provider", args=[provider.pk])
    bulk.tariffs(bulk.offers(provider, 3))
    _ending(provider, *range(1, 4), prefix="IK-A")
    small = _queries(client, url)
    bulk.tariffs(bulk.offers(make_offer(provider).provider, 1))
    _ending(provider, *range(1, 100), prefix="IK-B")
    bulk.adjustments(make_offer(provider), 30, secretariat_user)
    assert _queries(client, url) == small <= 15


# The municipality's home ----------------------------------------------------------------


def test_the_municipality_home_shows_the_first_rows_with_totals_and_links(
    client, municipality_user, provider, aarhus, secretariat_user
):
    standard = make_signed_standard_contract(offer=make_offer(provider))
    bulk.individual_contracts(standard, 40)
    offers = bulk.offers(provider, 25)
    bulk.adjustments(offers[0], 12, secretariat_user)
    client.force_login(municipality_user)

    response = client.get(reverse("portal:municipality"))
    body = response.content.decode()
    assert response.context["acting_contracts"].total == 40
    assert len(INDIVIDUAL_LINK.findall(body)) == 10
    assert response.context["offers"].total == 26
    assert len(response.context["offers"].rows) == 10
    assert response.context["adjustments"].total == 12
    for link in (
        f"/contracts/?acting_municipality={aarhus.pk}",
        f"/contracts/standard/?authority={aarhus.pk}",
        f"/tilbud/?operating_municipality={aarhus.pk}",
        f"/kapacitet/liste/?municipality={aarhus.pk}",
    ):
        assert f'href="{link}"' in body, link
    full = client.get(f"/contracts/?acting_municipality={aarhus.pk}")
    assert full.context["listing"].total == 40


def test_the_municipality_home_makes_at_most_15_queries(
    client, municipality_user, provider, secretariat_user, aarhus
):
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=aarhus,
        user=municipality_user,
    )
    client.force_login(municipality_user)
    standard = make_signed_standard_contract(offer=make_offer(provider))
    bulk.individual_contracts(standard, 5, prefix="IK-A")
    small = _queries(client, reverse("portal:municipality"))
    bulk.individual_contracts(standard, 200, prefix="IK-B")
    bulk.adjustments(bulk.offers(provider, 30)[0], 20, secretariat_user)
    assert _queries(client, reverse("portal:municipality")) == small <= 15


# The secretariat's dashboard and capacity overview ------------------------------------------


def test_the_dashboard_limits_each_list_and_links_to_all(client, secretariat_user, provider):
    for _ in range(12):
        make_standard_contract(offer=make_offer(provider), status="awaiting_signature")
    standard = make_signed_standard_contract(offer=make_offer(provider))
    bulk.individual_contracts(standard, 25, status="awaiting_signature")
    bulk.adjustments(make_offer(provider), 14, secretariat_user)
    client.force_login(secretariat_user)

    response = client.get(reverse("portal:dashboard"))
    body = response.content.decode()
    context = response.context
    assert len(context["standard_awaiting"]) == 10
    assert context["standard_awaiting"].total == 12
    assert len(context["individual_awaiting"]) == 10
    assert context["individual_awaiting"].total == 25
    assert len(context["to_carry_out"]) == 10
    assert context["to_carry_out"].total == 14
    assert 'href="/contracts/?status=awaiting_signature"' in body
    assert 'href="/contracts/standard/?status=awaiting_signature"' in body
    assert "Se alle 25" in body


def test_the_dashboard_makes_at_most_19_queries_at_two_sizes(client, secretariat_user, provider):
    client.force_login(secretariat_user)
    make_operating_agreement(provider, last_review_on=datetime.date(2016, 1, 1))
    standard = make_signed_standard_contract(offer=make_offer(provider))
    bulk.individual_contracts(standard, 3, prefix="IK-A", status="awaiting_signature")
    # With an adjustment to show: the adjustments are numbered in one query
    # and the shown ones read in another (none to read, none read).
    bulk.adjustments(make_offer(provider), 1, secretariat_user)
    small = _queries(client, reverse("portal:dashboard"))
    bulk.individual_contracts(standard, 100, prefix="IK-B", status="awaiting_signature")
    for _ in range(5):
        make_operating_agreement(provider, last_review_on=datetime.date(2016, 1, 1))
    bulk.adjustments(make_offer(provider), 30, secretariat_user)
    # A query or two per section: adjustments, hearings, contracts, reviews,
    # meetings, evaluations, the annual cycle, undelivered mails, archiving,
    # the agreement's hearings and publication; none grows with the rows.
    assert _queries(client, reverse("portal:dashboard")) == small <= 19


def test_the_capacity_overview_shows_10_per_section_and_links_to_the_list(
    client, secretariat_user, offer
):
    bulk.adjustments(offer, 13, secretariat_user)
    client.force_login(secretariat_user)
    response = client.get(reverse("capacity:overview"))
    sections = {key: (summary, link) for _t, key, summary, link in response.context["sections"]}
    summary, link = sections["approval_free"]
    assert len(summary.rows) == 10
    assert summary.total == 13
    assert "Se alle 13" in response.content.decode()
    assert client.get(link).context["listing"].total == 13
    assert {a.status for a in client.get(link).context["listing"].rows} == {
        CapacityAdjustment.Status.REQUESTED
    }


def test_the_capacity_overview_makes_the_same_queries_at_two_sizes(client, secretariat_user, offer):
    client.force_login(secretariat_user)
    bulk.adjustments(offer, 3, secretariat_user)
    small = _queries(client, reverse("capacity:overview"))
    bulk.adjustments(offer, 40, secretariat_user)
    assert _queries(client, reverse("capacity:overview")) == small <= 15


@time_machine.travel(TODAY, tick=False)
def test_leader_home_shows_the_oldest_10_passed_deadlines_and_links_to_all(
    client, provider_leader, provider
):
    _ending(provider, *range(-30, 0))
    client.force_login(provider_leader)
    response = client.get(reverse("portal:leader"))
    assert [row["overdue_days"] for row in response.context["overdue"]] == list(range(30, 20, -1))
    assert response.context["overdue_total"] == 30
    link = "/leder/frister/?start=2026-10-23"
    assert link in response.content.decode()
    assert client.get(link).context["page"].paginator.count == 30
