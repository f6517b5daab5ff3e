"""The open tariff list (takstoversigt): open without login, approved tariffs
only, no personal data, filters in the URL, and downloads that read back."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Municipality, Region
from providers.models import Offer, Tariff
from tariffs.queries import published_years
from tests.conftest import (
    DEMO_CPR_CHILD,
    make_buyer,
    make_offer,
    make_provider,
)
from tests.tariffs.helpers import make_basis


def publish(offer, amount: str, year: int = 2026, **basis) -> Tariff:
    """An approved basis and the tariff approving it wrote."""
    make_basis(offer, year=year, status="approved", tariff_amount=Decimal(amount), **basis)
    return Tariff.objects.create(offer=offer, year=year, unit="day", amount=Decimal(amount))


@pytest.fixture
def published(db):
    offer = make_offer(name="Fjordglimt – Botilbud")
    return publish(offer, "1744.77")


def test_the_list_answers_without_login(client, published):
    response = client.get(reverse("tariffs:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fjordglimt – Botilbud" in page
    assert "1.744,77" in page
    basis = published.offer.calculation_bases.get()
    assert reverse("tariffs:basis", args=[basis.pk]) in page


def test_the_lists_year_reads_as_a_year_without_a_thousands_point(client, published):
    page = client.get(reverse("tariffs:list"), {"year": 2026}).content.decode()
    assert "Takstoversigt 2026</h1>" in page
    assert "2.026" not in page


def test_the_list_shows_only_approved_tariffs(client, published):
    submitted = make_offer(name="Indsendt Hus")
    make_basis(submitted, status="submitted")
    Tariff.objects.create(offer=submitted, year=2026, unit="day", amount=Decimal("999.00"))
    without_basis = make_offer(name="Uden Grundlag")
    Tariff.objects.create(offer=without_basis, year=2026, unit="day", amount=Decimal("888.00"))
    page = client.get(reverse("tariffs:list")).content.decode()
    assert "Fjordglimt – Botilbud" in page
    assert "Indsendt Hus" not in page
    assert "Uden Grundlag" not in page


def test_a_register_amount_changed_after_approval_is_not_published(client, published):
    # E.g. edited in the register (the admin refuses it; tests/providers/test_admin.py).
    Tariff.objects.filter(pk=published.pk).update(amount=Decimal("9999.99"))

    page = client.get(reverse("tariffs:list")).content.decode()
    content = client.get(reverse("tariffs:list_csv")).content.decode("utf-8-sig")
    response = client.get(reverse("tariffs:list_xlsx"))

    assert "1.744,77" in page
    assert "9.999,99" not in page
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[-1] for row in rows[1:]] == ["1744,77"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert Decimal(str(sheet["K2"].value)).quantize(Decimal("0.01")) == Decimal("1744.77")


def test_each_tariff_is_listed_with_the_amount_of_its_own_years_and_units_basis(client, db):
    offer = make_offer(name="Fjordglimt – Botilbud")
    publish(offer, "1744.77", year=2026)
    publish(offer, "1650.00", year=2025)
    make_basis(offer, year=2027, status="submitted", tariff_amount=Decimal("1800.00"))
    Tariff.objects.create(offer=offer, year=2027, unit="day", amount=Decimal("1800.00"))

    pages = {year: client.get(reverse("tariffs:list"), {"aar": year}) for year in (2025, 2026)}

    assert published_years() == [2026, 2025]  # 2027's basis is not approved
    for year, amount in ((2025, "1650.00"), (2026, "1744.77")):
        assert pages[year].context["year"] == year
        listed = pages[year].context["listing"].rows
        assert [tariff.published_amount for tariff in listed] == [Decimal(amount)]


def test_the_list_holds_no_personal_data(client, published, secretariat_user):
    make_buyer(published.offer, Municipality.objects.get(code=730))
    basis = published.offer.calculation_bases.get()
    basis.submitted_by = secretariat_user
    basis.reviewed_by = secretariat_user
    basis.save()
    for url in (
        reverse("tariffs:list"),
        reverse("tariffs:list_csv"),
        reverse("tariffs:basis", args=[basis.pk]),
    ):
        content = client.get(url).content.decode("utf-8")
        assert DEMO_CPR_CHILD not in content
        assert "Testbarn" not in content
        assert "Sekretær" not in content  # who submitted or reviewed


def test_an_unapproved_basis_answers_404_without_login(client, db):
    basis = make_basis(make_offer(), status="submitted")
    assert client.get(reverse("tariffs:basis", args=[basis.pk])).status_code == 404


def test_the_approved_basis_is_one_click_away_and_shows_the_formula(client, published):
    basis = published.offer.calculation_bases.get()
    page = client.get(reverse("tariffs:basis", args=[basis.pk])).content.decode()
    assert "12.100.000,00" in page  # the total of the costs
    assert "1.744,77" in page


def test_xlsx_reads_back_to_the_same_numbers(client, published):
    second = publish(make_offer(name="Aflastning Solsikken"), "1293.76")
    response = client.get(reverse("tariffs:list_xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tilbud"
    assert rows[0][-1] == "Takst (kr.)"
    amounts = {row[0]: Decimal(str(row[-1])).quantize(Decimal("0.01")) for row in rows[1:]}
    assert amounts == {
        published.offer.name: Decimal("1744.77"),
        second.offer.name: Decimal("1293.76"),
    }


def test_csv_is_formula_safe_with_danish_headers(client, db):
    publish(make_offer(name="=HYPERLINK(1)"), "100.50")
    content = client.get(reverse("tariffs:list_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:2] == ["Tilbud", "Leverandør"]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "100,50"


def test_xlsx_stores_a_formula_like_name_as_text(client, db):
    publish(make_offer(name="=1+1"), "100.50")
    response = client.get(reverse("tariffs:list_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=1+1"


def test_filters_narrow_the_list_and_stay_in_the_url(client, db):
    nordjylland = Region.objects.get(code=1081)
    aalborg = nordjylland.municipalities.get(code=851)
    north = make_offer(
        make_provider(operating_municipality=aalborg),
        name="Nordlys",
        target_group=Offer.TargetGroup.AUTISM,
        legal_basis=Offer.LegalBasis.SEL_107,
        specialisation_level=1,
    )
    publish(north, "2000.00")
    publish(make_offer(name="Midtby"), "1500.00")  # Aarhus, Midtjylland
    url = reverse("tariffs:list")
    assert "Midtby" not in client.get(url, {"region": nordjylland.pk}).content.decode()
    for params in (
        {"region": nordjylland.pk},
        {"target_group": "autism"},
        {"legal_basis": "SEL § 107"},
        {"level": "1"},
    ):
        page = client.get(url, params).content.decode()
        assert "Nordlys" in page, params
        assert "Midtby" not in page, params
    response = client.get(reverse("tariffs:list_csv"), {"level": "1"})
    assert "Midtby" not in response.content.decode("utf-8-sig")


def test_the_search_finds_offer_provider_and_operating_municipality(client, db):
    aalborg = Municipality.objects.get(code=851)
    north = make_offer(
        make_provider(name="Fjordhuset", operating_municipality=aalborg),
        name="Nordlys",
        approved_places=17,
    )
    publish(north, "2000.00")
    publish(make_offer(name="Midtby"), "1500.00")  # Aarhus
    url = reverse("tariffs:list")
    for text in ("Nordlys", "fjordhus", "Aalborg"):
        page = client.get(url, {"q": text}).content.decode()
        assert "Nordlys" in page, text
        assert "Midtby" not in page, text
    page = client.get(url, {"q": "Nordlys"}).content.decode()
    assert "<td>Aalborg</td>" in page
    assert '<td class="numeric">17</td>' in page


def test_the_list_sorts_by_price_both_ways(client, db):
    publish(make_offer(name="Dyrt Hus"), "3000.00")
    publish(make_offer(name="Billigt Hus"), "1000.00")
    publish(make_offer(name="Mellem Hus"), "2000.00")
    url = reverse("tariffs:list")

    def order(sort: str) -> list[str]:
        page = client.get(url, {"sort": sort}).content.decode()
        names = ("Billigt Hus", "Mellem Hus", "Dyrt Hus")
        return sorted(names, key=page.index)

    assert order("price") == ["Billigt Hus", "Mellem Hus", "Dyrt Hus"]
    assert order("-price") == ["Dyrt Hus", "Mellem Hus", "Billigt Hus"]


def test_the_year_is_chosen_in_the_url(client, db):
    offer = make_offer(name="Toårig")
    publish(offer, "1000.00", year=2025)
    publish(offer, "1100.00", year=2026)
    assert "1.100,00" in client.get(reverse("tariffs:list")).content.decode()
    page = client.get(reverse("tariffs:list"), {"aar": "2025"}).content.decode()
    assert "1.000,00" in page
    assert "1.100,00" not in page


def test_the_list_pages_by_50_with_links_and_a_total(client, db):
    provider = make_provider()
    _publish_rows(Offer.objects.bulk_create([_offer_row(provider, n) for n in range(51)]))
    page = client.get(reverse("tariffs:list")).content.decode()
    assert "51 rækker" in page
    assert "side 1 af 2" in page
    assert "?page=2" in page
    second = client.get(reverse("tariffs:list"), {"page": 2}).content.decode()
    assert second.count("Beregningsgrundlag for") == 1


def _offer_row(provider, number: int) -> Offer:
    return Offer(
        provider=provider,
        name=f"Masseplads {number:04}",
        legal_basis=Offer.LegalBasis.SEL_108,
        target_group=Offer.TargetGroup.ADULTS_INTELLECTUAL,
        specialisation_level=2,
        approved_places=10,
    )


def _publish_rows(offers) -> None:
    from tariffs.models import CalculationBasis
    from tests.tariffs.helpers import RESIDENTIAL, midtjylland

    agreement = midtjylland()
    CalculationBasis.objects.bulk_create(
        [
            CalculationBasis(
                offer=offer, year=2026, agreement=agreement, status="approved", **RESIDENTIAL
            )
            for offer in offers
        ]
    )
    Tariff.objects.bulk_create(
        [Tariff(offer=offer, year=2026, unit="day", amount=Decimal("1744.77")) for offer in offers]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_the_data(client, db):
    provider = make_provider()
    _publish_rows(Offer.objects.bulk_create([_offer_row(provider, n) for n in range(10)]))
    small = _queries(client, reverse("tariffs:list"))
    _publish_rows(Offer.objects.bulk_create([_offer_row(provider, n) for n in range(10, 1000)]))
    assert _queries(client, reverse("tariffs:list")) == small
