"""Contracts on the pages of each role, and acceptance 1 for contracts: 404 for
another provider's and another municipality's contracts and PDFs (real ids)."""

import datetime

import time_machine
from django.urls import reverse
from icalendar import Calendar

from portal.models import CalendarFeed
from tests.conftest import (
    make_individual_contract,
    make_signed_individual_contract,
    make_signed_standard_contract,
    make_standard_contract,
)

STANDARD_PAGES = ("contracts:standard_contract_detail", "contracts:standard_contract_pdf")
INDIVIDUAL_PAGES = ("contracts:individual_contract_detail", "contracts:individual_contract_pdf")


def _status(client, name: str, pk: int) -> int:
    return client.get(reverse(name, args=[pk])).status_code


def test_leader_of_a_gets_404_for_the_contracts_and_pdfs_of_b(
    client, provider_leader, offer, other_offer, randers
):
    own = make_signed_standard_contract(offer=offer)
    own_individual = make_signed_individual_contract(own)
    foreign = make_signed_standard_contract(offer=other_offer, authority=randers)
    foreign_individual = make_signed_individual_contract(foreign)
    client.force_login(provider_leader)
    for name in STANDARD_PAGES:
        assert _status(client, name, own.pk) == 200, name
        assert _status(client, name, foreign.pk) == 404, name
    for name in INDIVIDUAL_PAGES:
        assert _status(client, name, own_individual.pk) == 200, name
        assert _status(client, name, foreign_individual.pk) == 404, name


def test_municipality_gets_404_for_another_municipalitys_contracts(
    client, municipality_user, aarhus, randers, offer
):
    own = make_signed_standard_contract(offer=offer, authority=aarhus)
    own_individual = make_signed_individual_contract(own)
    foreign = make_signed_standard_contract(offer=offer, authority=randers)
    foreign_individual = make_signed_individual_contract(foreign)
    client.force_login(municipality_user)
    for name in STANDARD_PAGES:
        assert _status(client, name, own.pk) == 200, name
        assert _status(client, name, foreign.pk) == 404, name
    for name in INDIVIDUAL_PAGES:
        assert _status(client, name, own_individual.pk) == 200, name
        assert _status(client, name, foreign_individual.pk) == 404, name
    body = client.get(reverse("portal:municipality")).content.decode()
    assert own.number in body
    assert foreign.number not in body


def test_leader_page_lists_the_providers_contracts_with_state_pdf_and_masked_cpr(
    client, provider_leader, provider, offer
):
    standard = make_signed_standard_contract(offer=offer)
    individual = make_signed_individual_contract(standard)
    draft = make_standard_contract(offer=offer, intervention_type=None)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_provider", args=[provider.pk])).content.decode()
    assert f"{standard.number} v1" in body
    assert f"{draft.number} v1" in body
    assert "Underskrevet" in body
    assert "Udkast" in body
    assert reverse("contracts:standard_contract_pdf", args=[standard.pk]) in body
    assert reverse("contracts:individual_contract_pdf", args=[individual.pk]) in body
    assert individual.masked_citizen_cpr in body
    assert individual.citizen_cpr not in body


def test_municipality_page_shows_contracts_as_authority_acting_and_paying(
    client, municipality_user, aarhus, randers, offer
):
    as_authority = make_signed_standard_contract(offer=offer, authority=aarhus)
    elsewhere = make_signed_standard_contract(offer=offer, authority=randers)
    acting = make_signed_individual_contract(elsewhere, acting_municipality=aarhus)
    paying = make_signed_individual_contract(
        elsewhere, acting_municipality=randers, paying_municipality=aarhus
    )
    neither = make_signed_individual_contract(elsewhere)
    client.force_login(municipality_user)
    response = client.get(reverse("portal:municipality"))
    assert list(response.context["standard_contracts"]) == [as_authority]
    assert list(response.context["acting_contracts"]) == [acting]
    assert list(response.context["paying_contracts"]) == [paying]
    assert neither.number not in response.content.decode()


def test_dashboard_lists_contracts_awaiting_signature(client, secretariat_user, offer):
    waiting = make_standard_contract(offer=offer, status="awaiting_signature")
    signed = make_signed_standard_contract(offer=offer)
    waiting_individual = make_individual_contract(signed, status="awaiting_signature")
    client.force_login(secretariat_user)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("contracts:standard_contract_detail", args=[waiting.pk]) in body
    assert reverse("contracts:standard_contract_detail", args=[signed.pk]) not in body
    assert reverse("contracts:individual_contract_detail", args=[waiting_individual.pk]) in body


@time_machine.travel(datetime.date(2026, 12, 1), tick=False)
def test_feed_has_the_contract_ends_of_the_leaders_provider_only(
    client, provider_leader, offer, other_offer
):
    ends = datetime.date(2027, 6, 30)
    own = make_signed_standard_contract(offer=offer, ends_on=ends)
    make_signed_standard_contract(offer=other_offer, ends_on=datetime.date(2027, 7, 31))
    individual = make_signed_individual_contract(own, ends_on=datetime.date(2026, 12, 31))
    feed = CalendarFeed.for_user(provider_leader)
    response = client.get(reverse("portal:calendar_feed", args=[feed.token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(event.decoded("dtstart") for event in events) == [
        datetime.date(2026, 12, 31),
        ends,
    ]
    assert individual.citizen_name not in response.content.decode()
