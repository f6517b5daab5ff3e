"""The secretariat's admin: through the services, read-only once frozen, CPR never whole."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.models import GeneralPart, IndividualContract, StandardContract, Status
from tests.conftest import (
    make_general_part,
    make_individual_contract,
    make_intervention_type,
    make_offer,
    make_signed_standard_contract,
    make_standard_contract,
)

pytestmark = pytest.mark.django_db


def form_data(contract: StandardContract, **changes) -> dict:
    data = {
        "authority": contract.authority_id,
        "provider": contract.provider_id,
        "offer": contract.offer_id,
        "intervention_type": contract.intervention_type_id,
        "general_part": contract.general_part_id,
        "price_unit": contract.price_unit,
        "starts_on": contract.starts_on.isoformat(),
    }
    for name in (
        "authority_contact",
        "provider_contact",
        "purpose",
        "authority_supervision",
        "provider_opening_hours",
        "provider_education",
        "provider_competence",
        "provider_involvement",
        "provider_confidentiality",
        "provider_duty_to_notify",
        "provider_data_storage",
        "provider_use_of_force",
        "number_of_places",
        "insurance",
        "follow_up",
        "price",
        "price_regulation",
        "price_covers",
    ):
        data[name] = getattr(contract, name)
    data.update(
        {
            "signatures-TOTAL_FORMS": "0",
            "signatures-INITIAL_FORMS": "0",
            "signatures-MIN_NUM_FORMS": "0",
            "signatures-MAX_NUM_FORMS": "1000",
            "row_version_seen": contract.row_version,
        }
    )
    return data | changes


def test_the_secretariat_creates_a_standard_contract_in_the_admin_through_the_service(
    client, secretariat_user
):
    template = make_standard_contract(offer=make_offer(legal_basis="SEL § 84"))
    data = form_data(template, intervention_type=make_intervention_type("aflastning").pk)
    client.force_login(secretariat_user)

    response = client.post(reverse("admin:contracts_standardcontract_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    created = StandardContract.objects.get(intervention_type__code="aflastning")
    assert created.number == f"SK-{created.pk:06d}"
    assert created.history.first().history_change_reason == "Standardkontrakt oprettet"


def test_the_admin_refuses_an_intervention_type_that_does_not_fit_the_offer(
    client, secretariat_user
):
    template = make_standard_contract(offer=make_offer(legal_basis="SEL § 84"))
    data = form_data(template, intervention_type=make_intervention_type("botilbud-107").pk)
    client.force_login(secretariat_user)

    response = client.post(reverse("admin:contracts_standardcontract_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["intervention_type"]
    assert errors == [
        f"Botilbud § 107 passer ikke til {template.offer.name}, som er godkendt efter SEL § 84. "
        "Botilbud § 107 dækker tilbud efter SEL § 107."
    ]
    assert not StandardContract.objects.filter(intervention_type__code="botilbud-107").exists()


def test_the_admin_refuses_a_second_standard_contract_for_a_signed_triple(client, secretariat_user):
    signed = make_signed_standard_contract()
    client.force_login(secretariat_user)

    response = client.post(reverse("admin:contracts_standardcontract_add"), form_data(signed))

    assert response.status_code == 200
    assert "Lav i stedet et tillæg" in response.content.decode()
    assert StandardContract.objects.count() == 1


def test_the_secretariat_edits_a_draft_in_the_admin(client, secretariat_user):
    draft = make_standard_contract()
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:contracts_standardcontract_change", args=[draft.pk]),
        form_data(draft, purpose="Nyt formål"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "Nyt formål"
    assert draft.history.first().history_change_reason == "Udkast ændret"


@pytest.mark.parametrize("status", [Status.AWAITING_SIGNATURE, Status.SIGNED])
def test_a_frozen_contract_is_read_only_in_the_admin_and_a_post_changes_nothing(
    client, secretariat_user, status
):
    contract = make_standard_contract(status=status)
    client.force_login(secretariat_user)
    url = reverse("admin:contracts_standardcontract_change", args=[contract.pk])

    page = client.get(url).content.decode()
    client.post(url, form_data(contract, purpose="Ændret i admin", price="1.00"))

    assert 'name="purpose"' not in page
    contract.refresh_from_db()
    assert contract.purpose != "Ændret i admin"
    assert str(contract.price) == "2150.50"


def test_a_frozen_contract_cannot_be_deleted_in_the_admin(client, secretariat_user):
    contract = make_signed_standard_contract()
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:contracts_standardcontract_delete", args=[contract.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert StandardContract.objects.filter(pk=contract.pk).exists()


def test_the_admin_sign_action_is_refused_with_one_signature_in_danish(client, secretariat_user):
    contract = make_standard_contract(status=Status.AWAITING_SIGNATURE)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:contracts_standardcontract_changelist"),
        {"action": "mark_signed", "_selected_action": [contract.pk]},
        follow=True,
    )

    assert "Begge parter skal underskrive" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE


def test_the_admin_submit_action_sends_drafts_for_signature(client, secretariat_user):
    contract = make_standard_contract()
    client.force_login(secretariat_user)

    client.post(
        reverse("admin:contracts_standardcontract_changelist"),
        {"action": "submit_for_signature", "_selected_action": [contract.pk]},
    )

    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE


def test_the_individual_contract_changelist_shows_cpr_masked(client, secretariat_user):
    contract = make_individual_contract()
    client.force_login(secretariat_user)

    body = client.get(reverse("admin:contracts_individualcontract_changelist")).content.decode()

    assert contract.citizen_name in body
    assert "010315-XXXX" in body
    assert "9001" not in body


def test_the_individual_contract_forms_never_echo_a_cpr_number(client, secretariat_user):
    draft = make_individual_contract()
    signed = make_individual_contract(status=Status.SIGNED)
    client.force_login(secretariat_user)

    for contract in (draft, signed):
        body = client.get(
            reverse("admin:contracts_individualcontract_change", args=[contract.pk])
        ).content.decode()
        assert "010315-XXXX" in body
        assert "9001" not in body and "9002" not in body


def test_the_individual_contract_history_shows_no_cpr(client, secretariat_user):
    contract = make_individual_contract()
    client.force_login(secretariat_user)

    body = client.get(
        reverse("admin:contracts_individualcontract_history", args=[contract.pk])
    ).content.decode()

    assert "9001" not in body


def test_cpr_numbers_are_not_searchable_in_the_admin(client, secretariat_user):
    make_individual_contract()
    client.force_login(secretariat_user)

    body = client.get(
        reverse("admin:contracts_individualcontract_changelist"), {"q": "0103159001"}
    ).content.decode()

    assert "Testbarn Testesen" not in body


def test_general_terms_are_added_as_a_new_version_and_never_edited(
    client, secretariat_user, aarhus
):
    make_general_part(aarhus)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:contracts_generalpart_add"),
        {
            "authority": aarhus.pk,
            "ethics": "Ny etik",
            "payment_terms": "30 dage",
            "disputes_and_breach": "Forhandling",
            "sanctions_and_termination": "6 måneder",
        },
    )

    assert response.status_code == 302
    newest = GeneralPart.objects.latest_for(aarhus)
    assert (newest.version, newest.ethics) == (2, "Ny etik")
    page = client.get(
        reverse("admin:contracts_generalpart_change", args=[newest.pk])
    ).content.decode()
    assert 'name="ethics"' not in page


def test_admin_pages_for_contracts_answer(client, secretariat_user):
    contract = make_individual_contract(make_signed_standard_contract(offer=make_offer()))
    client.force_login(secretariat_user)

    for name in (
        "admin:contracts_standardcontract_changelist",
        "admin:contracts_individualcontract_changelist",
        "admin:contracts_cpraccesslog_changelist",
        "admin:contracts_generalpart_changelist",
        "admin:contracts_interventiontype_changelist",
        "admin:contracts_individualcontract_add",
        "admin:contracts_standardcontract_add",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert IndividualContract.objects.filter(pk=contract.pk).exists()


# The changelist at a region's size -------------------------------------------------------

CHANGELIST = "admin:contracts_individualcontract_changelist"


def _changelist(client, query: str = ""):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200
    table = IndividualContract._meta.db_table
    counts = [
        q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and f'"{table}"' in q["sql"]
    ]
    return response, [q["sql"] for q in captured], counts


def test_the_individual_contract_changelist_counts_the_table_once(client, secretariat_user):
    standard = make_signed_standard_contract()
    for _ in range(3):
        make_individual_contract(standard)
    client.force_login(secretariat_user)
    response, _queries, counts = _changelist(client)
    # Django counts the filtered rows for the paginator, and by default the
    # whole table again for "x of y"; the second count is switched off.
    assert len(counts) == 1
    assert response.context["cl"].result_count == 3
    response, _queries, counts = _changelist(client, "?status__exact=draft")
    assert len(counts) == 1


@pytest.mark.parametrize("found", [3, 4])
def test_the_changelist_counts_up_to_its_cap_and_says_when_there_are_more(
    client, secretariat_user, monkeypatch, found
):
    """A search that finds more rows than the cap is counted to the cap: the
    first rows can be paged through, and the page says there are more."""
    from django.contrib import admin as django_admin

    from contracts.admin import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    monkeypatch.setattr(django_admin.site._registry[IndividualContract], "list_per_page", 2)
    standard = make_signed_standard_contract()
    for n in range(found):
        make_individual_contract(standard, citizen_name=f"Pedersen {n}")
    make_individual_contract(standard, citizen_name="Holm")
    client.force_login(secretariat_user)
    response, _queries, counts = _changelist(client, "?q=Pedersen")
    cl = response.context["cl"]
    body = response.content.decode()
    # One count, of at most the cap and one more row.
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]
    assert cl.result_count == 3
    assert len(cl.result_list) == 2
    if found == 3:
        assert not cl.paginator.capped
        assert "3 individuelle kontrakter" in body
        assert "3 resultater" in body
        assert "Mere end" not in body
    else:
        assert cl.paginator.capped
        assert (
            "Mere end 3 individuelle kontrakter: de første 3 kan bladres igennem. "
            "Afgræns søgningen eller filtrene for at finde de øvrige."
        ) in body
        assert "Mere end 3 resultater" in body
        assert "Vælg alle de mere end 3 individuelle kontrakter" in body
    # The second page holds the last counted row; a page past the cap is refused.
    response = client.get(reverse(CHANGELIST) + "?q=Pedersen&p=2")
    assert len(response.context["cl"].result_list) == 1
    response = client.get(reverse(CHANGELIST) + "?q=Pedersen&p=3")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_filtering_by_acting_municipality_uses_no_distinct_and_finds_its_contracts(
    client, secretariat_user, aarhus, randers
):
    standard = make_signed_standard_contract(authority=aarhus)
    mine = make_individual_contract(standard, acting_municipality=aarhus, citizen_name="Aarhusbarn")
    make_individual_contract(standard, acting_municipality=randers, citizen_name="Randersbarn")
    client.force_login(secretariat_user)
    response, queries, _counts = _changelist(client, f"?acting_municipality__id__exact={aarhus.pk}")
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()]
    assert list(response.context["cl"].result_list) == [mine]
    body = response.content.decode()
    # The filter is a search box over the municipalities, showing the chosen one.
    assert "admin-autocomplete" in body
    assert f'<option value="{aarhus.pk}" selected>Aarhus</option>' in body


def test_the_unfiltered_changelist_lists_no_municipalities_for_its_filter(client, secretariat_user):
    """The choices come from the search box, not from a scan of the contracts."""
    make_individual_contract()
    client.force_login(secretariat_user)
    _response, queries, _counts = _changelist(client)
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()]


def test_a_cleared_municipality_filter_shows_every_contract(client, secretariat_user, aarhus):
    make_individual_contract()
    client.force_login(secretariat_user)
    response, _queries, _counts = _changelist(client, "?acting_municipality__id__exact=")
    assert response.context["cl"].result_count == 1


def test_a_municipality_filter_that_is_not_a_number_is_refused(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(reverse(CHANGELIST) + "?acting_municipality__id__exact=x")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_filter_keeps_the_search_and_the_other_filters(client, secretariat_user, aarhus):
    make_individual_contract()
    client.force_login(secretariat_user)
    response, _queries, _counts = _changelist(client, "?q=Testbarn&status__exact=draft")
    body = response.content.decode()
    assert '<input type="hidden" name="q" value="Testbarn">' in body
    assert '<input type="hidden" name="status__exact" value="draft">' in body


def test_the_filters_search_box_finds_municipalities(client, secretariat_user):
    client.force_login(secretariat_user)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Aar",
            "app_label": "contracts",
            "model_name": "individualcontract",
            "field_name": "acting_municipality",
        },
    )
    assert found.status_code == 200
    assert "Aarhus" in [result["text"] for result in found.json()["results"]]


def test_the_admin_search_finds_contracts_by_number_citizen_and_provider(client, secretariat_user):
    from tests.conftest import make_provider

    fjord = make_signed_standard_contract(provider=make_provider(name="Fjordglimt"))
    by_provider = make_individual_contract(fjord, citizen_name="Alma Holm")
    by_name = make_individual_contract(citizen_name="Karla Sønderby")
    make_individual_contract(citizen_name="Emil Vang")
    client.force_login(secretariat_user)

    def found(term: str) -> set:
        response, _queries, _counts = _changelist(client, "?" + urlencode({"q": term}))
        return set(response.context["cl"].result_list)

    assert found("fjordglimt") == {by_provider}
    assert found("sønderby") == {by_name}
    assert found(by_name.number) == {by_name}
    # Every word must match somewhere: the provider and the citizen's first name.
    assert found("Fjordglimt Alma") == {by_provider}
    assert found("Fjordglimt Karla") == set()


def test_the_row_checkbox_is_the_one_the_admin_would_render(client, secretariat_user):
    """The contract admins write the row's checkbox themselves (the form
    widget costs a template per row): the same HTML as Django's."""
    from django.contrib import admin as django_admin

    contract = make_individual_contract(citizen_name="Ida <Ørsted> & co")
    model_admin = django_admin.site._registry[IndividualContract]
    ours = model_admin.action_checkbox(contract)
    assert ours == django_admin.ModelAdmin.action_checkbox(model_admin, contract)
    assert "&lt;Ørsted&gt; &amp; co" in ours
    client.force_login(secretariat_user)
    body = client.get(reverse("admin:contracts_individualcontract_changelist")).content.decode()
    assert ours in body


@pytest.mark.parametrize("query", ["", "?q=Borger&status__exact=draft"])
def test_each_row_links_to_its_change_page_with_the_lists_filters(client, secretariat_user, query):
    """The links are worked out once for the page: the same as Django's own,
    each with its row's key and the search and filters to return to."""
    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters

    contracts = [make_individual_contract(citizen_name=f"Borger {n}") for n in range(3)]
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:contracts_individualcontract_changelist") + query)
    cl = response.context["cl"]
    body = response.content.decode()
    for contract in contracts:
        url = reverse("admin:contracts_individualcontract_change", args=[contract.pk])
        expected = add_preserved_filters(
            {"preserved_filters": cl.row_link_filters, "opts": cl.opts}, url
        )
        assert cl.url_for_result(contract) == expected
        assert f'href="{escape(expected)}"' in body
    if query:
        assert "_changelist_filters=" in expected
    else:
        assert expected == url


def test_an_empty_filter_box_is_rendered_once_and_a_chosen_one_names_its_row(
    client, secretariat_user, aarhus
):
    """An empty box is rendered once a process and reused, the same HTML on
    every page; a chosen municipality is rendered each time, named."""
    from agreements import admin_filters

    make_individual_contract(acting_municipality=aarhus)
    client.force_login(secretariat_user)
    admin_filters._EMPTY_BOXES.clear()
    first = client.get(reverse(CHANGELIST)).content.decode()
    boxes = {key[2]: html for key, (_id, html) in admin_filters._EMPTY_BOXES.items()}
    box = boxes["acting_municipality__id__exact"]
    assert 'name="acting_municipality__id__exact"' in box
    assert 'data-field-name="acting_municipality"' in box
    assert 'id="filter_acting_municipality__id__exact"' in box
    assert box in first
    chosen = client.get(
        reverse(CHANGELIST) + f"?acting_municipality__id__exact={aarhus.pk}"
    ).content.decode()
    assert f'<option value="{aarhus.pk}" selected>Aarhus</option>' in chosen
    again = client.get(reverse(CHANGELIST)).content.decode()
    assert box in again
    assert f'<option value="{aarhus.pk}" selected>' not in again
