"""The leader's and the municipality's pages answer in a number of queries
that does not grow with the data they list."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import BodyRepresentative, GoverningBody, Municipality
from capacity import services
from tests.conftest import (
    make_adjustment,
    make_offer,
    make_operating_agreement,
    make_provider,
    make_signed_individual_contract,
    make_standard_contract,
    make_tariff,
    seat_every_member,
)


def _queries(client, url: str, expected_text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert expected_text in response.content.decode()
    return len(queries)


def _add_to_provider(provider, count: int, user) -> None:
    """`count` more of each kind of thing a provider's and a municipality's
    pages list: offers, tariffs, agreements, contracts, adjustments, hearings."""
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    seat_every_member(body)
    today = datetime.date.today()
    for _ in range(count):
        offer = make_offer(provider)
        make_tariff(offer)
        make_operating_agreement(
            provider, signed_on=datetime.date(2012, 1, 1), last_review_on=datetime.date(2015, 1, 1)
        )
        make_operating_agreement(
            provider, model=3, individual_review_on=today, committed_places=2, yearly_payment=1000
        )
        # One signed standard contract per authority, provider and type: the
        # rest await signature.
        standard = make_standard_contract(offer=offer, status="awaiting_signature")
        make_signed_individual_contract(standard, ends_on=today + datetime.timedelta(days=100))
        make_adjustment(offer, user=user)
        in_hearing = make_adjustment(offer, user=user)
        for consultation in in_hearing.consultations.all():
            services.consultation_record(
                user=user,
                adjustment=in_hearing,
                municipality=consultation.municipality,
                contacted_on=today,
                method="email",
                answer="agrees",
            )
        services.hearing_open(user=user, adjustment=in_hearing, body=body)


def test_leader_pages_query_count_does_not_grow_with_the_data(
    client, provider, provider_leader, secretariat_user
):
    second = make_provider()
    second.leaders.add(provider_leader)
    client.force_login(provider_leader)
    home = reverse("portal:leader")
    page = reverse("portal:leader_provider", args=[provider.pk])

    _add_to_provider(provider, 1, secretariat_user)
    _add_to_provider(second, 1, secretariat_user)
    small = (_queries(client, home, second.name), _queries(client, page, provider.name))
    _add_to_provider(provider, 5, secretariat_user)
    _add_to_provider(second, 5, secretariat_user)
    large = (_queries(client, home, second.name), _queries(client, page, provider.name))
    assert small == large
    assert max(large) <= 15


def test_municipality_page_query_count_does_not_grow_with_the_data(
    client, municipality_user, secretariat_user, aarhus
):
    # The staff member also holds a seat in DASSOS, so open hearings are listed too.
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=aarhus,
        user=municipality_user,
        name="Karen Kommune",
        email="karen@aarhus.example",
    )
    client.force_login(municipality_user)
    url = reverse("portal:municipality")
    provider = make_provider(operating_municipality=aarhus)
    # Another municipality's provider, whose offers Aarhus buys places in: Aarhus
    # is consulted on each adjustment.
    elsewhere = make_provider(operating_municipality=Municipality.objects.get(code=730))

    _add_to_provider(provider, 1, secretariat_user)
    _add_to_provider(elsewhere, 1, secretariat_user)
    small = _queries(client, url, provider.name)
    _add_to_provider(provider, 5, secretariat_user)
    _add_to_provider(elsewhere, 5, secretariat_user)
    large = _queries(client, url, provider.name)
    assert small == large <= 15
    # The page did list what grew.
    context = client.get(url).context
    assert context["consultations"].total == 6
    assert context["hearings"].total == 12
    assert context["acting_contracts"].total == 12
