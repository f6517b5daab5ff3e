"""The single-object tariff pages answer in a number of queries that does not
grow with what they list (add-on services, buyers of a split, months)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Municipality
from tariffs.models import AddOnService, CostShare, CostShareLine
from tests.conftest import make_offer
from tests.tariffs.helpers import make_basis, make_round, midtjylland


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_ons(basis, start: int, count: int) -> None:
    AddOnService.objects.bulk_create(
        AddOnService(basis=basis, name=f"Ydelse {index}", price=Decimal("100"), unit="hour")
        for index in range(start, start + count)
    )


@pytest.mark.parametrize(
    "status,name", [("draft", "edit"), ("submitted", "review"), ("approved", "basis")]
)
def test_basis_pages_keep_their_query_count(client, secretariat_user, status, name):
    offer = make_offer()
    offer.framework_agreements.add(midtjylland())
    make_round(secretariat_user)
    basis = make_basis(offer, status=status)
    url = {
        "edit": reverse("tariffs:basis_edit", args=[offer.pk, 2026]),
        "review": reverse("tariffs:basis_review", args=[basis.pk]),
        "basis": reverse("tariffs:basis", args=[basis.pk]),
    }[name]
    client.force_login(secretariat_user)
    _add_ons(basis, 0, 1)
    small = _queries(client, url)
    _add_ons(basis, 1, 20)
    assert _queries(client, url) == small


def test_the_split_page_keeps_its_query_count(client, secretariat_user):
    offer = make_offer(closed_on=datetime.date(2026, 1, 1))
    share = CostShare.objects.create(
        kind="closure",
        offer=offer,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        total=Decimal("1000.00"),
        entered_by=secretariat_user,
    )
    municipalities = list(Municipality.objects.order_by("code")[:40])

    def lines(chosen) -> None:
        CostShareLine.objects.bulk_create(
            CostShareLine(share=share, municipality=m, contract_days=10, amount=Decimal("1"))
            for m in chosen
        )

    client.force_login(secretariat_user)
    url = reverse("tariffs:cost_share", args=[share.pk])
    lines(municipalities[:2])
    small = _queries(client, url)
    lines(municipalities[2:])
    assert _queries(client, url) == small
