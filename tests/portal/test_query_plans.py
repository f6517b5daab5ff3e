"""The start pages' queries on individual contracts are answered by indexes:
at 10,000 contracts, PostgreSQL plans none of them as a sequential scan of
the table (issue 23). A plan that reads the whole table is fast on a small
database and slow on a region's."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import BodyRepresentative, GoverningBody, Municipality
from contracts.models import IndividualContract
from tests.conftest import (
    DEMO_CPR_CHILD,
    make_offer,
    make_provider,
    make_signed_standard_contract,
    make_user,
)

pytestmark = pytest.mark.postgres

CONTRACTS = 10_000
TABLE = "contracts_individualcontract"


def _region(provider) -> None:
    """10,000 individual contracts under 20 standard contracts, written in
    bulk: `provider` holds 1 in 20, Aarhus acts in 1 in 17 and pays for 1 in
    200 where another municipality acts; started over 20 years."""
    municipalities = list(Municipality.objects.exclude(code=751).order_by("code"))
    aarhus = Municipality.objects.get(code=751)
    standards = [make_signed_standard_contract(offer=make_offer(provider))]
    for index in range(19):
        authority = municipalities[index]
        standards.append(
            make_signed_standard_contract(
                authority=authority,
                offer=make_offer(make_provider(operating_municipality=authority)),
            )
        )
    today = datetime.date.today()
    rows = []
    for n in range(CONTRACTS):
        standard = standards[n % len(standards)]
        acting = aarhus if n % 17 == 5 else municipalities[(n * 31) % len(municipalities)]
        paying = aarhus if n % 200 == 3 and acting != aarhus else acting
        starts_on = today - datetime.timedelta(days=(n * 7919) % (20 * 365))
        rows.append(
            IndividualContract(
                standard_contract=standard,
                provider_id=standard.provider_id,
                offer_id=standard.offer_id,
                number=f"IK-P{n:05d}",
                status=IndividualContract.Status.SIGNED,
                citizen_name=f"Borger {n:05d}",
                citizen_cpr=DEMO_CPR_CHILD,
                custody=IndividualContract.Custody.JOINT,
                municipality_contact="Rådgiver",
                provider_contact="Pædagog",
                acting_municipality=acting,
                paying_municipality=paying,
                scope="Døgnophold.",
                frequency="Dagligt.",
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=365 * (1 + n % 5)) if n % 3 else None,
                expected_duration="2 år",
                follow_up="Hver 3. måned.",
                price=Decimal("2150.50"),
                price_unit="day",
            )
        )
    IndividualContract.objects.bulk_create(rows, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plans(client, url: str) -> list[tuple[str, str]]:
    """The page's queries on individual contracts, each with its plan."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if f'"{TABLE}"' in sql and sql.lstrip("( ").upper().startswith("SELECT"):
                found.append((sql, _plan(cursor, sql)))
    return found


def _plan(cursor, sql: str, params=()) -> str:
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    return json.dumps(json.loads(plan) if isinstance(plan, str) else plan)


def _sequential_scans(plan: str) -> bool:
    nodes = [json.loads(plan)[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] == TABLE:
            return True
        nodes += node.get("Plans", [])
    return False


def test_the_plan_check_finds_a_sequential_scan_of_individual_contracts(db):
    # No index starts with the frequency: the whole table is read.
    unindexed = IndividualContract.objects.filter(frequency="Ugentligt.")
    with connection.cursor() as cursor:
        plan = _plan(cursor, *unindexed.query.sql_with_params())
    assert _sequential_scans(plan)


def test_no_start_page_reads_the_individual_contracts_table_whole(
    client, provider, provider_leader, municipality_user, body_member_user, randers, aarhus
):
    make_provider().leaders.add(provider_leader)
    _region(provider)
    # The body member works for Randers too; a second leader of the provider
    # also works for Aarhus and holds its seat in DASSOS.
    randers.staff.add(body_member_user)
    everything = make_user("mette", first_name="Mette")
    provider.leaders.add(everything)
    aarhus.staff.add(everything)
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS"),
        municipality=aarhus,
        user=everything,
    )
    leader_pages = [
        reverse("portal:leader"),
        reverse("portal:leader_provider", args=[provider.pk]),
        reverse("contracts:contract_list"),
    ]
    pages = {
        provider_leader: leader_pages,
        everything: [*leader_pages, reverse("portal:municipality")],
        municipality_user: [reverse("portal:municipality"), reverse("contracts:contract_list")],
        body_member_user: [reverse("portal:municipality")],
    }

    checked, whole = 0, []
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            for sql, plan in _plans(client, url):
                checked += 1
                if _sequential_scans(plan):
                    whole.append(f"{user.username} {url}: {sql}")

    assert checked >= 15
    assert whole == []
