"""Every list page shows one page of rows and its total; filters, search and
sort come from the query string; the filtered rows download as CSV/XLSX with
the register export's safety rules; each page is tested per role."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agreements.models import Municipality
from capacity.models import CapacityAdjustment
from contracts.models import IndividualContract
from listing import pages
from tests.conftest import (
    make_offer,
    make_provider,
    make_signed_standard_contract,
    make_standard_contract,
    make_user,
)
from tests.listing import bulk

pytestmark = pytest.mark.django_db

MASKED = "010315-XXXX"
INDIVIDUAL_LINK = re.compile(r'href="/contracts/individual/(\d+)/"')


def _individual_pks(response) -> list[int]:
    return [int(pk) for pk in INDIVIDUAL_LINK.findall(response.content.decode())]


@pytest.fixture
def standard(provider):
    return make_signed_standard_contract(offer=make_offer(provider))


# Pagination ---------------------------------------------------------------------


def test_the_secretariats_contract_list_at_300_contracts_renders_50_rows_a_page(
    client, secretariat_user, standard
):
    made = bulk.individual_contracts(standard, 300)
    client.force_login(secretariat_user)
    url = reverse("contracts:contract_list")

    first = client.get(url)
    assert len(_individual_pks(first)) == 50
    assert "300 rækker" in first.content.decode()
    assert "side 1 af 6" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(_individual_pks(second)) == 50
    assert not set(_individual_pks(first)) & set(_individual_pks(second))
    seen = [pk for page in range(1, 7) for pk in _individual_pks(client.get(url, {"page": page}))]
    assert sorted(seen) == sorted(contract.pk for contract in made)


def test_page_two_holds_the_rest_and_the_page_links_keep_the_filter(
    client, secretariat_user, standard
):
    bulk.individual_contracts(standard, 70)
    client.force_login(secretariat_user)
    response = client.get(reverse("contracts:contract_list"), {"status": "signed", "page": 2})
    body = response.content.decode()
    assert len(_individual_pks(response)) == 20
    assert "70 rækker" in body
    assert "?status=signed&amp;page=1" in body


def test_a_page_beyond_the_last_shows_the_last_and_a_bad_page_the_first(
    client, secretariat_user, standard
):
    bulk.individual_contracts(standard, 60)
    client.force_login(secretariat_user)
    url = reverse("contracts:contract_list")
    assert client.get(url, {"page": 99}).context["listing"].page.number == 2
    assert client.get(url, {"page": "x"}).context["listing"].page.number == 1


# Filter, search and sort -----------------------------------------------------------


def test_a_filter_and_a_sort_in_the_query_string_give_the_right_rows(
    client, secretariat_user, standard, randers
):
    today = datetime.date.today()
    bulk.individual_contracts(standard, 5, prefix="IK-A")
    acting = [
        bulk.individual_contracts(
            standard,
            1,
            prefix=f"IK-R{days}-",
            acting_municipality=randers,
            ends_on=today + datetime.timedelta(days=days),
        )[0]
        for days in (10, 9, 8, 7, 6)
    ]
    bulk.individual_contracts(
        standard, 1, prefix="IK-T", acting_municipality=randers, status="terminated"
    )
    client.force_login(secretariat_user)

    response = client.get(
        reverse("contracts:contract_list"),
        {"acting_municipality": randers.pk, "status": "signed", "sort": "ends_on"},
    )
    assert _individual_pks(response) == [c.pk for c in reversed(acting)]
    assert "5 rækker" in response.content.decode()


def test_the_search_finds_number_name_and_cvr(client, secretariat_user, standard):
    bulk.individual_contracts(standard, 3, prefix="IK-S")
    other = make_signed_standard_contract(offer=make_offer(make_provider(name="Anden Udbyder")))
    bulk.individual_contracts(other, 2, prefix="IK-O")
    client.force_login(secretariat_user)
    url = reverse("contracts:contract_list")

    assert len(_individual_pks(client.get(url, {"q": "ik-o"}))) == 2
    assert len(_individual_pks(client.get(url, {"q": "Borger 0001"}))) == 2
    assert len(_individual_pks(client.get(url, {"q": other.provider.cvr}))) == 2
    assert len(_individual_pks(client.get(url, {"q": "Anden udbyder"}))) == 2


@pytest.mark.parametrize("cpr", ["0103159001", "010315-9001", "010315 9001"])
def test_a_list_is_not_searched_by_cpr_number_and_drops_it_from_the_address(
    client, secretariat_user, standard, cpr
):
    bulk.individual_contracts(standard, 3)
    client.force_login(secretariat_user)
    url = reverse("contracts:contract_list")
    response = client.get(url, {"q": cpr, "status": "signed", "download": "csv"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?status=signed"
    body = client.get(response["Location"]).content.decode()
    assert "Lister søges ikke på cpr-nummer" in body
    assert "9001" not in body


def test_a_bad_filter_value_is_said_and_nothing_is_filtered_by_it(
    client, secretariat_user, standard
):
    bulk.individual_contracts(standard, 3)
    client.force_login(secretariat_user)
    response = client.get(
        reverse("contracts:contract_list"), {"ends_from": "31.02.2026", "status": "nonsense"}
    )
    assert response.status_code == 200
    errors = response.context["listing"].form.errors
    assert set(errors) == {"ends_from", "status"}


def test_an_empty_filter_result_says_to_clear_the_filter(client, secretariat_user, standard):
    bulk.individual_contracts(standard, 3)
    client.force_login(secretariat_user)
    url = reverse("contracts:contract_list")
    body = client.get(url, {"status": "expired"}).content.decode()
    assert f'Ingen kontrakter matcher filteret – <a href="{url}">ryd filteret</a>' in body


def test_an_empty_list_says_so_without_a_filter(client, secretariat_user):
    client.force_login(secretariat_user)
    body = client.get(reverse("contracts:standard_contract_list")).content.decode()
    assert "Der er endnu ingen standardkontrakter, du kan se." in body
    assert "ryd filteret" not in body


def test_the_standard_contract_list_filters_by_authority_and_provider(
    client, secretariat_user, provider, randers
):
    own = [make_standard_contract(offer=make_offer(provider)) for _ in range(3)]
    make_standard_contract(offer=make_offer(provider), authority=randers)
    make_standard_contract(offer=make_offer())
    aarhus = Municipality.objects.get(code=751)
    client.force_login(secretariat_user)
    response = client.get(
        reverse("contracts:standard_contract_list"),
        {"authority": aarhus.pk, "provider": provider.pk, "sort": "number"},
    )
    listing = response.context["listing"]
    assert [c.pk for c in listing.rows] == [c.pk for c in sorted(own, key=lambda c: c.number)]
    assert listing.fixed_filters == [("Leverandør", provider.name)]


# Per role ---------------------------------------------------------------------------


def test_each_role_sees_only_its_own_contracts_in_the_list(
    client, provider_leader, municipality_user, other_municipality_user, standard, other_offer
):
    own = bulk.individual_contracts(standard, 3, prefix="IK-L")
    elsewhere = make_signed_standard_contract(
        offer=other_offer, authority=other_offer.provider.operating_municipality
    )
    bulk.individual_contracts(elsewhere, 2, prefix="IK-E")
    url = reverse("contracts:contract_list")
    for user, expected in (
        (provider_leader, own),
        (municipality_user, own),
        (other_municipality_user, IndividualContract.objects.filter(number__startswith="IK-E")),
    ):
        client.force_login(user)
        assert sorted(_individual_pks(client.get(url))) == sorted(c.pk for c in expected)


LIST_PAGES = [
    "contracts:contract_list",
    "contracts:standard_contract_list",
    "capacity:list",
    "portal:offers",
    "portal:tariffs",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_user_without_a_role_gets_404_and_anonymous_users_log_in(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("login"))
    client.force_login(make_user("ingen"))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["secretariat_user", "municipality_user", "body_member_user", "provider_leader"]
)
def test_offers_tariffs_and_adjustments_lists_open_to_each_reader(
    client, request, persona, provider_leader
):
    client.force_login(request.getfixturevalue(persona))
    for name in ("portal:offers", "portal:tariffs", "capacity:list"):
        assert client.get(reverse(name)).status_code == 200, name


def test_contract_lists_are_closed_to_body_members_without_a_municipality(client, body_member_user):
    client.force_login(body_member_user)
    assert client.get(reverse("contracts:contract_list")).status_code == 404


def test_a_leader_sees_only_their_own_offers_tariffs_and_adjustments(
    client, provider_leader, provider, other_provider, secretariat_user
):
    own = bulk.offers(provider, 3)
    foreign = bulk.offers(other_provider, 4)
    bulk.tariffs(own + foreign)
    bulk.adjustments(own[0], 2, secretariat_user)
    bulk.adjustments(foreign[0], 5, secretariat_user)
    client.force_login(provider_leader)
    assert client.get(reverse("portal:offers")).context["listing"].total == 3
    assert client.get(reverse("portal:tariffs")).context["listing"].total == 3
    assert client.get(reverse("capacity:list")).context["listing"].total == 2
    # A foreign provider's id in the query string is a bad filter value: it
    # shows nothing of that provider, only the leader's own rows.
    response = client.get(reverse("portal:tariffs"), {"provider": other_provider.pk})
    assert "provider" in response.context["listing"].form.errors
    assert {row.offer.provider_id for row in response.context["listing"].rows} == {provider.pk}


def test_offers_filter_by_operating_municipality_and_sort_by_places(
    client, secretariat_user, randers
):
    bulk.offers(make_provider(), 5)
    in_randers = bulk.offers(make_provider(operating_municipality=randers), 4)
    client.force_login(secretariat_user)
    response = client.get(
        reverse("portal:offers"),
        {"operating_municipality": randers.pk, "sort": "-approved_places"},
    )
    assert [o.pk for o in response.context["listing"].rows] == [o.pk for o in in_randers[::-1]]


def test_tariffs_filter_by_year_and_sort_by_amount(client, secretariat_user, provider):
    offers = bulk.offers(provider, 4)
    bulk.tariffs(offers, year=2025)
    new = bulk.tariffs(offers, year=2026)
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:tariffs"), {"year": 2026, "sort": "-amount"})
    assert [t.pk for t in response.context["listing"].rows] == [t.pk for t in new[::-1]]


def test_adjustments_filter_by_status_and_approval(client, secretariat_user, offer):
    bulk.adjustments(offer, 3, secretariat_user)
    carried = bulk.adjustments(
        offer,
        2,
        secretariat_user,
        status="carried_out",
        places_after=21,
        carried_out_at=timezone.now(),
    )
    client.force_login(secretariat_user)
    response = client.get(
        reverse("capacity:list"), {"status": "carried_out", "requires_approval": "false"}
    )
    assert {a.pk for a in response.context["listing"].rows} == {a.pk for a in carried}
    response = client.get(reverse("capacity:list"), {"requires_approval": "true"})
    assert response.context["listing"].total == 0


def test_the_capacity_overview_pages_the_open_offers(client, secretariat_user, provider):
    bulk.offers(provider, 60)
    bulk.offers(provider, 5, closed_on=datetime.date(2020, 1, 1))
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:capacity_overview"))
    listing = response.context["listing"]
    assert listing.total == 60
    assert len(listing.rows) == 50


# Downloads --------------------------------------------------------------------------


def test_the_filtered_rows_download_as_csv_with_danish_headers_masked_cpr_and_safe_cells(
    client, secretariat_user, standard, randers
):
    bulk.individual_contracts(standard, 3, citizen_name='=HYPERLINK("x")')
    bulk.individual_contracts(standard, 2, prefix="IK-R", acting_municipality=randers)
    client.force_login(secretariat_user)
    response = client.get(
        reverse("contracts:contract_list"),
        {"acting_municipality": standard.authority.pk, "download": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Kontraktnummer", "Version", "Status", "Borger", "Cpr-nummer"]
    assert len(rows) == 4
    assert {row[3] for row in rows[1:]} == {'\'=HYPERLINK("x")'}
    assert {row[4] for row in rows[1:]} == {MASKED}
    assert "9001" not in text


def test_the_xlsx_download_writes_formula_like_cells_as_text(client, secretariat_user, provider):
    bulk.offers(provider, 2)
    make_offer(provider, name="=1+1")
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:offers"), {"q": "=1+1", "download": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["Tilbud", "Leverandør", "CVR-nummer"]
    assert sheet.max_row == 2
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_list_downloads_as_csv_and_xlsx(client, secretariat_user, name):
    client.force_login(secretariat_user)
    for kind in ("csv", "xlsx"):
        response = client.get(reverse(name), {"download": kind})
        assert response.status_code == 200
        assert f".{kind}" in response["Content-Disposition"]


def test_a_download_beyond_the_limit_is_refused_with_a_message(
    client, secretariat_user, standard, monkeypatch
):
    monkeypatch.setattr(pages, "DOWNLOAD_MAX_ROWS", 2)
    bulk.individual_contracts(standard, 3)
    client.force_login(secretariat_user)
    response = client.get(reverse("contracts:contract_list"), {"download": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "Afgræns filteret" in response.content.decode()
    ok = client.get(reverse("contracts:contract_list"), {"download": "csv", "q": "IK-B0001"})
    assert ok["Content-Type"].startswith("text/csv")


# Query counts -----------------------------------------------------------------------


def _queries(client, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


def test_every_list_page_makes_the_same_few_queries_at_two_sizes(
    client, secretariat_user, standard, provider
):
    client.force_login(secretariat_user)
    urls = [reverse(name) for name in LIST_PAGES] + [reverse("portal:capacity_overview")]
    filtered = {"q": "a", "status": "signed", "provider": provider.pk, "page": 2}

    def grow(count: int, prefix: str) -> None:
        bulk.individual_contracts(standard, count, prefix=prefix)
        offers = bulk.offers(provider, count)
        bulk.tariffs(offers, year=2000 + count // 10)
        bulk.adjustments(offers[0], count, secretariat_user)
        for _ in range(count // 10):
            make_standard_contract(offer=make_offer(provider))

    grow(10, "IK-S")
    small = [_queries(client, url) for url in urls] + [_queries(client, urls[0], filtered)]
    grow(120, "IK-L")
    large = [_queries(client, url) for url in urls] + [_queries(client, urls[0], filtered)]
    assert small == large
    assert max(large) <= 15


def test_municipality_staff_ask_for_an_adjustment_from_the_offer_list(
    client, municipality_user, provider, other_provider
):
    own = bulk.offers(provider, 2)
    foreign = bulk.offers(other_provider, 2)
    client.force_login(municipality_user)
    body = client.get(reverse("portal:offers")).content.decode()
    for offer in own:
        assert reverse("capacity:request", args=[offer.pk]) in body
    for offer in foreign:
        assert reverse("capacity:request", args=[offer.pk]) not in body


def test_the_municipalitys_own_requests_and_offers_are_summarised_with_links(
    client, municipality_user, provider, aarhus, secretariat_user
):
    offers = bulk.offers(provider, 12)
    bulk.adjustments(offers[0], 11, secretariat_user)
    client.force_login(municipality_user)
    response = client.get(reverse("capacity:mine"))
    body = response.content.decode()
    assert (len(response.context["requests"].rows), response.context["requests"].total) == (10, 11)
    assert (len(response.context["offers"].rows), response.context["offers"].total) == (10, 12)
    assert f'href="/kapacitet/liste/?municipality={aarhus.pk}"' in body
    assert f'href="/tilbud/?operating_municipality={aarhus.pk}"' in body


def test_a_summary_of_a_distinct_queryset_counts_distinct_rows(provider, secretariat_user):
    offer = make_offer(provider)
    bulk.adjustments(offer, 12, secretariat_user)
    # Joined through a many-valued relation, then made distinct.
    queryset = (
        CapacityAdjustment.objects.filter(offer__provider__offers__isnull=False)
        .distinct()
        .order_by("pk")
    )
    make_offer(provider)  # a second offer doubles every joined row
    summary = pages.summarise(queryset)
    assert (len(summary.rows), summary.total) == (10, 12)


@pytest.mark.parametrize("count", [0, 10, 11])
def test_a_summary_of_few_rows_counts_them_with_the_rows_as_a_subquery_would(
    provider, secretariat_user, count
):
    """`few`: the total is a window over the rows read, in the one query."""
    bulk.adjustments(make_offer(provider), count, secretariat_user)
    queryset = CapacityAdjustment.objects.visible_to(secretariat_user).order_by("-pk")
    with CaptureQueriesContext(connection) as captured:
        few = pages.summarise(queryset, few=True)
    assert len(captured) == 1
    assert "OVER" in captured[0]["sql"].upper()
    counted = pages.summarise(queryset)
    assert (few.rows, few.total) == (counted.rows, counted.total) == (counted.rows, count)
    assert len(few.rows) == min(count, 10)
    assert few.more == (count > 10)


def test_the_offer_lists_state_filter_offers_open_as_a_state_not_a_verb(client, secretariat_user):
    client.force_login(secretariat_user)
    page = client.get(reverse("portal:offers")).content.decode()
    assert '<option value="open">Åben</option>' in page
    assert ">Åbn<" not in page
