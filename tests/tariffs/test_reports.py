"""The Takstgruppe's reports: occupancy against a hand count, PL adjustment,
expenditure, access per role, and the same query count at 10 and 1.000 offers."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import Offer, Tariff
from tariffs import reports
from tariffs.models import AddOnService, CalculationBasis, PriceIndex
from tests.conftest import make_capacity_offer, make_provider
from tests.tariffs.helpers import RESIDENTIAL, make_policy, make_takstgruppe_member, midtjylland
from tests.tariffs.test_cost_shares import buy

D = datetime.date
REPORTS = ["report_tariffs", "report_occupancy", "report_add_ons", "report_expenditure"]


@pytest.fixture
def used_offer(aarhus, randers):
    """10 places, approved basis 2026 at 95 %; contracts by hand:
    Aarhus: 1.1–31.12 (365 days) × 3 contracts = 1.095;
    Randers: 1.3–31.3 (31 days) and 15.12.2025–15.1.2026 (15 days in 2026).
    2026: 1.095 + 31 + 15 = 1.141 days ÷ (10 × 365) = 31,26… % → 31,3 %.
    March: 3 × 31 + 31 = 124 ÷ (10 × 31) = 40,0 %; January: 93 + 15 = 108 ÷ 310 = 34,8 %."""
    offer = make_capacity_offer(places=10, name="Solsikken")
    for _ in range(3):
        buy(offer, aarhus, D(2026, 1, 1), D(2026, 12, 31))
    buy(offer, randers, D(2026, 3, 1), D(2026, 3, 31))
    buy(offer, randers, D(2025, 12, 15), D(2026, 1, 15))
    CalculationBasis.objects.create(
        offer=offer,
        year=2026,
        agreement=midtjylland(),
        status="approved",
        tariff_amount=Decimal("1744.77"),
        **RESIDENTIAL | {"approved_places": 10},
    )
    Tariff.objects.create(offer=offer, year=2026, unit="day", amount=Decimal("1744.77"))
    return offer


def test_occupancy_matches_the_hand_count(used_offer):
    basis = used_offer.calculation_bases.get()
    [row] = reports.occupancy_rows([basis], 2026)
    assert row["contract_days"] == 1141
    assert row["actual"] == Decimal("31.3")
    assert row["budget"] == Decimal("95.00")
    months = reports.offer_months(basis)
    assert months[0]["contract_days"] == 108
    assert months[0]["occupancy"] == Decimal("34.8")
    assert months[2]["contract_days"] == 124
    assert months[2]["occupancy"] == Decimal("40.0")


def test_monthly_occupancy_over_all_offers_is_computed_in_the_database(used_offer):
    bases = reports.occupancy_bases(2026, offers=Offer.objects.all())
    with CaptureQueriesContext(connection) as queries:
        months = reports.monthly_occupancy(bases, 2026)
    assert len(queries) == 13  # the places, then one per month
    assert months[2]["occupancy"] == Decimal("40.0")


def test_expenditure_is_contract_days_times_tariff(used_offer, aarhus, randers):
    rows = reports.expenditure(2026, offers=Offer.objects.all())
    assert rows == [
        {
            "municipality": "Aarhus",
            "days": 1095,
            "amount": Decimal("1910523.15"),
        },  # 1.095 × 1.744,77
        {"municipality": "Randers", "days": 46, "amount": Decimal("80259.42")},  # 46 × 1.744,77
    ]


def test_pl_adjustment_brings_old_tariffs_to_the_last_years_prices(db):
    policy = make_policy()
    PriceIndex.objects.create(policy=policy, year=2026, percent=Decimal("2.00"))
    offer = make_capacity_offer()
    for year, amount in ((2025, "1000.00"), (2026, "1030.00")):
        CalculationBasis.objects.create(
            offer=offer,
            year=year,
            agreement=midtjylland(),
            status="approved",
            tariff_amount=Decimal(amount),
            **RESIDENTIAL,
        )
    [row] = reports.tariff_rows([offer], [2025, 2026])
    assert row["years"][0]["nominal"] == Decimal("1000.00")
    assert row["years"][0]["adjusted"] == Decimal("1020.00")
    assert row["years"][1]["adjusted"] == Decimal("1030.00")
    [group] = reports.target_group_rows([2025, 2026])
    assert group["years"][0] == {"nominal": Decimal("1000.00"), "adjusted": Decimal("1020.00")}


@pytest.mark.parametrize("name", REPORTS)
def test_reports_per_role(
    client, used_offer, name, secretariat_user, municipality_user, randers, provider_leader
):
    url = reverse(f"tariffs:{name}")
    for user in (secretariat_user, municipality_user, make_takstgruppe_member(randers)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "<svg" in response.content.decode() or name == "report_add_ons"
    client.force_login(provider_leader)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("name", REPORTS)
def test_reports_download_as_xlsx(client, used_offer, secretariat_user, name):
    client.force_login(secretariat_user)
    response = client.get(reverse(f"tariffs:{name}"), {"download": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 1


def test_occupancy_xlsx_holds_the_numbers(client, used_offer, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(reverse("tariffs:report_occupancy"), {"download": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == "Solsikken"
    assert rows[1][4] == 1141


def test_the_offer_occupancy_page_per_role(client, used_offer, secretariat_user, provider_leader):
    basis = used_offer.calculation_bases.get()
    url = reverse("tariffs:report_offer_occupancy", args=[basis.pk])
    client.force_login(secretariat_user)
    page = client.get(url).content.decode()
    assert "1141" in page.replace(".", "")
    client.force_login(provider_leader)  # not the offer's leader
    assert client.get(url).status_code == 404


def test_another_secretariats_occupancy_is_404_and_absent_from_the_report(
    client, used_offer, copenhagen_secretary
):
    basis = used_offer.calculation_bases.get()
    client.force_login(copenhagen_secretary)
    url = reverse("tariffs:report_offer_occupancy", args=[basis.pk])
    assert client.get(url).status_code == 404
    response = client.get(reverse("tariffs:report_occupancy"), {"aar": 2026})
    assert "Solsikken" not in response.content.decode()
    assert url not in response.content.decode()
    assert all(month["contract_days"] == 0 for month in response.context["months"])
    download = client.get(reverse("tariffs:report_occupancy"), {"aar": 2026, "download": "xlsx"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(download.content)).active.values)) == 1
    # The approved basis itself stays open to all (001).
    assert client.get(reverse("tariffs:basis", args=[basis.pk])).status_code == 200


def test_another_secretariats_contracts_are_not_in_its_expenditure(
    client, used_offer, copenhagen_secretary
):
    client.force_login(copenhagen_secretary)
    response = client.get(reverse("tariffs:report_expenditure"), {"aar": 2026})
    assert response.context["rows"] == []
    download = client.get(reverse("tariffs:report_expenditure"), {"aar": 2026, "download": "xlsx"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(download.content)).active.values)) == 1


def _bulk_offers(provider, start: int, count: int) -> None:
    offers = Offer.objects.bulk_create(
        Offer(
            provider=provider,
            name=f"Rapport {index:05}",
            legal_basis="SEL § 108",
            target_group="autism" if index % 2 else "adults_psychiatric",
            specialisation_level=2,
            approved_places=10,
        )
        for index in range(start, start + count)
    )
    agreement = midtjylland()
    bases = CalculationBasis.objects.bulk_create(
        CalculationBasis(
            offer=offer,
            year=year,
            agreement=agreement,
            status="approved",
            tariff_amount=Decimal("1744.77"),
            **RESIDENTIAL,
        )
        for offer in offers
        for year in (2025, 2026)
    )
    Tariff.objects.bulk_create(
        Tariff(offer=offer, year=year, unit="day", amount=Decimal("1744.77"))
        for offer in offers
        for year in (2025, 2026)
    )
    AddOnService.objects.bulk_create(
        AddOnService(basis=basis, name="Ledsagelse", price=Decimal("350"), unit="hour")
        for basis in bases
    )


@pytest.mark.parametrize("name", REPORTS)
def test_report_query_count_is_the_same_at_10_and_1000_offers(
    client, used_offer, secretariat_user, name
):
    provider = make_provider()
    client.force_login(secretariat_user)
    url = reverse(f"tariffs:{name}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _bulk_offers(provider, 0, 9)  # with the used offer: 10
    small = queries()
    _bulk_offers(provider, 9, 990)  # 1.000
    assert queries() == small
