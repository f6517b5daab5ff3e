"""The contract pages for each role that may and may not see them."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import CprAccessLog, IndividualContract, StandardContract, Status
from providers.models import Offer
from tests.conftest import (
    DEMO_CPR_CHILD,
    DEMO_CPR_MOTHER,
    make_individual_contract,
    make_offer,
    make_signed_standard_contract,
    make_standard_contract,
    make_user,
    paper_scan,
    sign_contract,
)

pytestmark = pytest.mark.django_db

FULL = "010315-9001"
MASKED = "010315-XXXX"


def grant_full_cpr(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="contracts", codename="view_full_cpr")
    )
    # Permissions are cached per user object.
    return type(user).objects.get(pk=user.pk)


def signed(contract, user):
    return sign_contract(contract, user)


@pytest.fixture
def standard(provider):
    """Aarhus (the municipality user's) with Bostedet Fjordglimt (the leader's)."""
    return make_signed_standard_contract(offer=make_offer(provider))


@pytest.fixture
def individual(standard):
    return make_individual_contract(standard, father_name="Far Testesen", father_cpr="0305829003")


# The list ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat_user", "municipality_user", "provider_leader"])
def test_contract_list_shows_visible_contracts_with_masked_cpr(
    client, request, persona, individual
):
    client.force_login(request.getfixturevalue(persona))

    body = client.get(reverse("contracts:contract_list")).content.decode()

    assert individual.number in body
    assert individual.standard_contract.number in body
    assert MASKED in body
    assert "9001" not in body


def test_contract_list_is_404_for_a_user_without_a_role(client, individual):
    client.force_login(make_user("ingen"))

    assert client.get(reverse("contracts:contract_list")).status_code == 404


def test_contract_list_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("contracts:contract_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# What every logged-in request costs besides the page: the second-factor
# device the session was verified with.
SESSION_QUERIES = 1


def test_contract_list_query_count_does_not_grow_with_contracts(
    client, secretariat_user, standard, django_assert_max_num_queries
):
    for _ in range(5):
        make_individual_contract(standard)
    client.force_login(secretariat_user)

    # Session, user, role, count, the filter's municipalities (acting and
    # paying), permissions, one page of rows.
    with django_assert_max_num_queries(10 + SESSION_QUERIES):
        response = client.get(reverse("contracts:contract_list"))
    assert response.status_code == 200


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_contracts(standard, n):
    """n more standard contracts (other providers) with an individual contract each, and
    n more individual contracts under `standard`."""
    for _ in range(n):
        other = make_signed_standard_contract(offer=make_offer())
        make_individual_contract(other)
        make_individual_contract(standard)


def test_the_contract_pages_query_count_is_the_same_at_two_sizes(
    client, secretariat_user, standard
):
    first = make_individual_contract(standard)
    client.force_login(secretariat_user)
    urls = [
        reverse("contracts:contract_list"),
        reverse("contracts:standard_contract_detail", args=[standard.pk]),
        reverse("contracts:individual_contract_detail", args=[first.pk]),
    ]
    small = [_query_count(client, url) for url in urls]

    _add_contracts(standard, 5)

    assert [_query_count(client, url) for url in urls] == small


# The standard contract page and PDF ---------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat_user", "municipality_user", "provider_leader"])
def test_the_standard_contract_page_shows_state_parties_parts_and_next_step(
    client, request, persona, standard
):
    client.force_login(request.getfixturevalue(persona))

    body = client.get(reverse("contracts:standard_contract_detail", args=[standard.pk]))
    text = body.content.decode()

    assert "Underskrevet" in text
    assert "Næste skridt" in text
    assert "Aarhus" in text and "Bostedet Fjordglimt" in text
    assert "Generelle forhold (version" in text
    assert "Indsatsspecifikke forhold" in text
    assert reverse("contracts:standard_contract_pdf", args=[standard.pk]) in text


def test_only_the_secretariat_sees_the_lifecycle_buttons(
    client, secretariat_user, municipality_user
):
    draft = make_standard_contract()
    url = reverse("contracts:standard_contract_detail", args=[draft.pk])

    client.force_login(secretariat_user)
    assert "Send til underskrift" in client.get(url).content.decode()
    client.force_login(municipality_user)
    assert "Send til underskrift" not in client.get(url).content.decode()


def test_another_municipalitys_staff_gets_404_for_the_contract_and_its_pdf(
    client, other_municipality_user, standard
):
    client.force_login(other_municipality_user)

    for name in ("standard_contract_detail", "standard_contract_pdf"):
        assert client.get(reverse(f"contracts:{name}", args=[standard.pk])).status_code == 404


def test_the_provider_leader_downloads_the_signed_pdf_as_stored(
    client, secretariat_user, provider_leader, provider
):
    contract = signed(make_standard_contract(offer=make_offer(provider)), secretariat_user)
    client.force_login(provider_leader)

    response = client.get(reverse("contracts:standard_contract_pdf", args=[contract.pk]))

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == (contract.pdf_sha256)
    assert f"{contract.number}-v1.pdf" in response["Content-Disposition"]


def test_an_unsigned_contract_downloads_as_a_draft(client, municipality_user):
    contract = make_standard_contract()
    client.force_login(municipality_user)

    response = client.get(reverse("contracts:standard_contract_pdf", args=[contract.pk]))

    assert response.status_code == 200
    assert "udkast.pdf" in response["Content-Disposition"]


# Lifecycle actions on the page ----------------------------------------------------


def test_the_secretariat_sends_a_draft_for_signature_from_the_page(client, secretariat_user):
    contract = make_standard_contract()
    client.force_login(secretariat_user)

    response = client.post(
        reverse("contracts:standard_contract_action", args=[contract.pk, "submit"]), follow=True
    )

    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE
    assert "Kontrakten er sendt til underskrift." in response.content.decode()


def test_signing_with_one_signature_on_the_page_is_refused_in_danish(client, secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    client.force_login(secretariat_user)
    client.post(
        reverse("contracts:standard_contract_action", args=[contract.pk, "signature"]),
        {
            "party": "authority",
            "signer_name": "Socialchef",
            "signer_title": "Chef",
            "signed_on": "2025-01-10",
            "scan": paper_scan(),
        },
    )

    response = client.post(
        reverse("contracts:standard_contract_action", args=[contract.pk, "sign"]), follow=True
    )

    contract.refresh_from_db()
    assert contract.status == Status.AWAITING_SIGNATURE
    assert contract.signatures.count() == 1
    assert "Begge parter skal underskrive" in response.content.decode()


def test_a_signature_dated_in_the_future_is_refused_on_the_page_in_danish(client, secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    client.force_login(secretariat_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("contracts:standard_contract_action", args=[contract.pk, "signature"]),
        {
            "party": "authority",
            "signer_name": "Socialchef",
            "signer_title": "Chef",
            "signed_on": tomorrow.isoformat(),
            "scan": paper_scan(),
        },
        follow=True,
    )

    assert contract.signatures.count() == 0
    assert "En underskrift kan ikke dateres ud i fremtiden." in response.content.decode()


def test_editing_a_signed_contract_is_not_offered_and_amending_is(
    client, secretariat_user, standard
):
    client.force_login(secretariat_user)

    client.post(reverse("contracts:standard_contract_action", args=[standard.pk, "amend"]))

    assert StandardContract.objects.filter(replaces=standard, version=2).exists()


@pytest.mark.parametrize("persona", ["municipality_user", "provider_leader"])
def test_other_roles_cannot_act_on_a_contract(client, request, persona, standard):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("contracts:standard_contract_action", args=[standard.pk, "terminate"]),
        {"terminated_on": "2025-06-30", "reason": "Nej"},
    )

    assert response.status_code == 404
    standard.refresh_from_db()
    assert standard.status == Status.SIGNED


def test_actions_are_post_only(client, secretariat_user, standard):
    client.force_login(secretariat_user)

    url = reverse("contracts:standard_contract_action", args=[standard.pk, "expire"])

    assert client.get(url).status_code == 405


# The individual contract page, CPR masked unless permitted and logged -----------


@pytest.mark.parametrize("persona", ["secretariat_user", "municipality_user", "provider_leader"])
def test_the_individual_contract_page_shows_cpr_masked(client, request, persona, individual):
    client.force_login(request.getfixturevalue(persona))

    body = client.get(
        reverse("contracts:individual_contract_detail", args=[individual.pk])
    ).content.decode()

    assert individual.citizen_name in body
    assert MASKED in body and "030582-XXXX" in body
    assert "9001" not in body and "9003" not in body


def test_a_user_without_the_permission_cannot_post_for_the_full_number(
    client, municipality_user, individual
):
    client.force_login(municipality_user)
    url = reverse("contracts:individual_contract_detail", args=[individual.pk])

    assert "Vis fulde cpr-numre" not in client.get(url).content.decode()
    response = client.post(url, {"purpose": "Sagsbehandling"})

    assert response.status_code == 404
    assert CprAccessLog.objects.count() == 0


def test_a_permitted_users_full_view_logs_one_row_per_person_shown(
    client, municipality_user, individual
):
    user = grant_full_cpr(municipality_user)
    client.force_login(user)
    url = reverse("contracts:individual_contract_detail", args=[individual.pk])
    assert FULL not in client.get(url).content.decode()

    body = client.post(url, {"purpose": "Opfølgning på handleplan"}).content.decode()

    # The child, the mother and the father have numbers; there is no guardian.
    assert FULL in body and "030582-9003" in body and "120785-9002" in body
    entries = CprAccessLog.objects.order_by("person")
    assert [(e.person, e.person_cpr_masked) for e in entries] == [
        (CprAccessLog.Person.CHILD, MASKED),
        (CprAccessLog.Person.FATHER, "030582-XXXX"),
        (CprAccessLog.Person.MOTHER, "120785-XXXX"),
    ]
    for entry in entries:
        assert entry.user == user
        assert entry.individual_contract == individual
        assert entry.action == CprAccessLog.Action.VIEW
        assert entry.purpose == "Opfølgning på handleplan"
    assert [e.person for e in CprAccessLog.objects.for_cpr(DEMO_CPR_CHILD)] == ["child"]
    assert [e.person for e in CprAccessLog.objects.for_cpr(DEMO_CPR_MOTHER)] == ["mother"]
    assert [e.person for e in CprAccessLog.objects.for_cpr("0305829003")] == ["father"]


def test_a_guardians_number_is_logged_and_findable_too(client, municipality_user, standard):
    contract = make_individual_contract(
        standard,
        custody=IndividualContract.Custody.GUARDIAN,
        guardian_name="Værge Vestergaard",
        guardian_cpr="1111709004",
    )
    client.force_login(grant_full_cpr(municipality_user))

    client.post(
        reverse("contracts:individual_contract_detail", args=[contract.pk]),
        {"purpose": "Henvendelse fra værgen"},
    )

    assert CprAccessLog.objects.count() == 3
    assert [e.person for e in CprAccessLog.objects.for_cpr("111170-9004")] == ["guardian"]


def test_the_mothers_rows_stay_findable_after_the_digest_key_is_rotated(
    client, municipality_user, individual, settings
):
    settings.CPR_DIGEST_KEY = "the-first-cpr-digest-key"
    settings.CPR_DIGEST_OLD_KEYS = []
    client.force_login(grant_full_cpr(municipality_user))
    url = reverse("contracts:individual_contract_detail", args=[individual.pk])
    client.post(url, {"purpose": "Før rotationen"})

    settings.CPR_DIGEST_KEY = "the-second-cpr-digest-key"
    settings.CPR_DIGEST_OLD_KEYS = ["the-first-cpr-digest-key"]
    client.post(url, {"purpose": "Efter rotationen"})

    found = CprAccessLog.objects.for_cpr(DEMO_CPR_MOTHER)
    assert sorted(e.purpose for e in found) == ["Efter rotationen", "Før rotationen"]
    assert len({e.digest_key_id for e in found}) == 2
    # Without the old key listed the old row is out of reach: the key is what finds it.
    settings.CPR_DIGEST_OLD_KEYS = []
    assert [e.purpose for e in CprAccessLog.objects.for_cpr(DEMO_CPR_MOTHER)] == [
        "Efter rotationen"
    ]


def test_the_digest_does_not_use_the_secret_key(client, municipality_user, individual, settings):
    client.force_login(grant_full_cpr(municipality_user))
    client.post(
        reverse("contracts:individual_contract_detail", args=[individual.pk]),
        {"purpose": "Opfølgning"},
    )

    settings.SECRET_KEY = "a-rotated-secret-key-that-the-log-does-not-depend-on"

    assert CprAccessLog.objects.for_cpr(DEMO_CPR_MOTHER).count() == 1


def test_the_secretariat_finds_the_mothers_rows_on_the_log_page(
    client, secretariat_user, municipality_user, individual
):
    client.force_login(grant_full_cpr(municipality_user))
    client.post(
        reverse("contracts:individual_contract_detail", args=[individual.pk]),
        {"purpose": "Opfølgning på handleplan"},
    )
    client.force_login(secretariat_user)

    body = client.post(reverse("contracts:cpr_access_log"), {"cpr": "120785-9002"}).content.decode()

    assert "Opfølgning på handleplan" in body
    assert "120785-XXXX" in body and "Mor" in body
    assert "9002" not in body.replace("120785-9002", "")


@pytest.mark.parametrize(
    ("legal_basis", "label", "not_label"),
    [
        (Offer.LegalBasis.SEL_108, "Borgeren", "Barnet eller den unge"),
        (Offer.LegalBasis.SEL_66, "Barnet eller den unge", "Borgeren"),
    ],
)
def test_the_log_names_the_citizen_as_the_contract_does(
    client, secretariat_user, municipality_user, individual, legal_basis, label, not_label
):
    Offer.objects.filter(pk=individual.standard_contract.offer_id).update(legal_basis=legal_basis)
    client.force_login(grant_full_cpr(municipality_user))
    client.post(
        reverse("contracts:individual_contract_detail", args=[individual.pk]),
        {"purpose": "Opfølgning på handleplan"},
    )
    client.force_login(secretariat_user)

    log_page = client.post(reverse("contracts:cpr_access_log"), {"cpr": FULL}).content.decode()
    contract_page = client.get(
        reverse("contracts:individual_contract_detail", args=[individual.pk])
    ).content.decode()

    for body in (log_page, contract_page):
        rows = body[body.index("<tbody>") :]
        assert f"<td>{label}</td>" in rows
        assert f"<td>{not_label}</td>" not in rows


def test_a_full_view_without_a_purpose_shows_nothing_and_logs_nothing(
    client, municipality_user, individual
):
    client.force_login(grant_full_cpr(municipality_user))

    body = client.post(
        reverse("contracts:individual_contract_detail", args=[individual.pk]), {"purpose": ""}
    ).content.decode()

    assert FULL not in body
    assert CprAccessLog.objects.count() == 0


def test_the_pdf_download_is_masked_by_default(client, secretariat_user, provider_leader, standard):
    contract = signed(make_individual_contract(standard), secretariat_user)
    client.force_login(provider_leader)

    response = client.get(reverse("contracts:individual_contract_pdf", args=[contract.pk]))
    body = b"".join(response.streaming_content)

    assert hashlib.sha256(body).hexdigest() == contract.pdf_masked_sha256
    assert CprAccessLog.objects.count() == 0


def test_the_full_pdf_is_for_permitted_users_with_a_purpose_and_logged(
    client, secretariat_user, provider_leader, standard
):
    contract = signed(make_individual_contract(standard), secretariat_user)
    url = reverse("contracts:individual_contract_pdf", args=[contract.pk])
    client.force_login(provider_leader)
    assert client.post(url, {"purpose": "Journalisering"}).status_code == 404

    client.force_login(grant_full_cpr(provider_leader))
    response = client.post(url, {"purpose": "Journalisering"})
    body = b"".join(response.streaming_content)

    assert hashlib.sha256(body).hexdigest() == contract.pdf_sha256
    entries = CprAccessLog.objects.all()
    assert {(e.action, e.individual_contract, e.person) for e in entries} == {
        (CprAccessLog.Action.PDF, contract, CprAccessLog.Person.CHILD),
        (CprAccessLog.Action.PDF, contract, CprAccessLog.Person.MOTHER),
    }


def test_an_unrelated_municipality_gets_404_for_the_individual_contract(
    client, other_municipality_user, individual
):
    client.force_login(grant_full_cpr(other_municipality_user))

    for name in ("individual_contract_detail", "individual_contract_pdf"):
        url = reverse(f"contracts:{name}", args=[individual.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"purpose": "Nysgerrig"}).status_code == 404
    assert CprAccessLog.objects.count() == 0


# Searching by CPR, and the log per citizen ------------------------------------------


def test_searching_by_cpr_is_a_logged_post_with_masked_results(
    client, municipality_user, individual
):
    client.force_login(grant_full_cpr(municipality_user))
    url = reverse("contracts:cpr_search")
    assert 'method="post"' in client.get(url).content.decode()

    body = client.post(url, {"cpr": FULL, "purpose": "Henvendelse fra mor"}).content.decode()

    assert individual.number in body
    assert MASKED in body
    assert FULL not in body.replace(f'value="{FULL}"', "")
    entry = CprAccessLog.objects.get()
    assert (entry.action, entry.individual_contract) == (CprAccessLog.Action.SEARCH, individual)


def test_a_search_that_finds_nothing_is_logged_too(client, municipality_user, individual):
    client.force_login(grant_full_cpr(municipality_user))

    client.post(reverse("contracts:cpr_search"), {"cpr": "0202029101", "purpose": "Henvendelse"})

    entry = CprAccessLog.objects.get()
    assert entry.individual_contract is None
    assert entry.person_cpr_masked == "020202-XXXX"
    assert entry.person == CprAccessLog.Person.SEARCHED


def test_searching_with_an_invalid_cpr_is_refused_in_danish(client, municipality_user):
    client.force_login(grant_full_cpr(municipality_user))

    body = client.post(
        reverse("contracts:cpr_search"), {"cpr": "3102159001", "purpose": "Henvendelse"}
    ).content.decode()

    assert "Cpr-nummeret begynder ikke med en gyldig fødselsdato." in body
    assert CprAccessLog.objects.count() == 0


def test_search_by_cpr_is_404_without_the_permission(client, municipality_user):
    client.force_login(municipality_user)

    assert client.get(reverse("contracts:cpr_search")).status_code == 404
    assert client.post(reverse("contracts:cpr_search"), {"cpr": FULL}).status_code == 404


def test_the_secretariat_reads_the_log_per_citizen(
    client, secretariat_user, municipality_user, individual
):
    other = make_individual_contract(individual.standard_contract, citizen_cpr="0202029101")
    user = grant_full_cpr(municipality_user)
    for contract in (individual, other):
        services.cpr_access_record(
            user=user,
            action=CprAccessLog.Action.VIEW,
            purpose=f"Formål {contract.number}",
            cpr=contract.citizen_cpr,
            individual_contract=contract,
        )
    client.force_login(secretariat_user)

    body = client.post(reverse("contracts:cpr_access_log"), {"cpr": FULL}).content.decode()

    assert f"Formål {individual.number}" in body
    assert f"Formål {other.number}" not in body


def test_the_access_log_page_is_for_the_secretariat_only(client, municipality_user):
    client.force_login(grant_full_cpr(municipality_user))

    assert client.get(reverse("contracts:cpr_access_log")).status_code == 404


def test_the_secretariat_group_does_not_carry_the_cpr_permission(secretariat_user):
    assert not secretariat_user.has_perm("contracts.view_full_cpr")
    assert secretariat_user.has_perm("contracts.change_standardcontract")


def test_cpr_numbers_are_never_in_the_contract_urls(individual):
    urls = [
        reverse("contracts:individual_contract_detail", args=[individual.pk]),
        reverse("contracts:individual_contract_pdf", args=[individual.pk]),
        reverse("contracts:cpr_search"),
    ]

    assert not any("9001" in url or "010315" in url for url in urls)
    assert IndividualContract.objects.get(pk=individual.pk).citizen_cpr == DEMO_CPR_CHILD


def test_no_link_or_form_on_the_contract_pages_carries_a_cpr_number(
    client, municipality_user, individual
):
    client.force_login(grant_full_cpr(municipality_user))
    detail = reverse("contracts:individual_contract_detail", args=[individual.pk])
    pages = [
        client.get(reverse("contracts:contract_list")),
        client.get(detail),
        client.post(detail, {"purpose": "Opfølgning"}),
        client.post(
            reverse("contracts:cpr_search"), {"cpr": FULL, "purpose": "Opfølgning på sagen"}
        ),
    ]

    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        targets = re.findall(r'(?:href|action|src)="([^"]*)"', body)
        assert targets
        assert not any("9001" in target or "010315" in target for target in targets)
        # Only a list's filter form is a GET, and it has no CPR field.
        for form in re.findall(r"<form.*?</form>", body, flags=re.DOTALL):
            method = re.search(r'<form[^>]*method="(\w+)"', form).group(1).lower()
            assert method == "post" or ('role="search"' in form and "cpr" not in form.lower())
    # The full number was shown (so the check above had something to miss).
    assert FULL in pages[2].content.decode()


def test_the_contract_pages_have_a_fixed_query_count(
    client, secretariat_user, standard, django_assert_max_num_queries
):
    individuals = [make_individual_contract(standard) for _ in range(4)]
    client.force_login(secretariat_user)

    with django_assert_max_num_queries(14 + SESSION_QUERIES):
        response = client.get(reverse("contracts:standard_contract_detail", args=[standard.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(12 + SESSION_QUERIES):
        response = client.get(
            reverse("contracts:individual_contract_detail", args=[individuals[0].pk])
        )
    assert response.status_code == 200


def test_pages_that_can_show_full_cpr_numbers_are_not_cached(client, municipality_user, individual):
    client.force_login(grant_full_cpr(municipality_user))

    response = client.post(
        reverse("contracts:individual_contract_detail", args=[individual.pk]),
        {"purpose": "Opfølgning"},
    )

    assert "no-store" in response["Cache-Control"]


# Smaller faults --------------------------------------------------------------------------


def test_a_signed_contracts_status_line_shows_the_last_signatures_date(
    client, secretariat_user, provider
):
    contract = make_standard_contract(offer=make_offer(provider))
    contract = services.contract_submit(contract=contract, user=secretariat_user)
    from contracts.models import Signature

    for party, day in zip(
        Signature.Party.values,
        (datetime.date(2025, 1, 10), datetime.date(2025, 1, 14)),
        strict=True,
    ):
        services.contract_record_paper_signature(
            contract=contract,
            user=secretariat_user,
            party=party,
            signer_name="Underskriver",
            signer_title="Leder",
            signed_on=day,
            scan=paper_scan(),
        )
    client.force_login(secretariat_user)
    body = client.get(
        reverse("contracts:standard_contract_detail", args=[contract.pk])
    ).content.decode()
    assert "underskrevet 14.01.2025" in body
    assert f"underskrevet {timezone.localdate():%d.%m.%Y}" not in body


def test_the_signed_pdf_link_is_a_primary_button(client, secretariat_user, provider):
    contract = signed(make_standard_contract(offer=make_offer(provider)), secretariat_user)
    client.force_login(secretariat_user)
    body = client.get(
        reverse("contracts:standard_contract_detail", args=[contract.pk])
    ).content.decode()
    assert re.search(
        r'<a class="button button-primary" href="[^"]+">Hent den underskrevne PDF', body
    )


def test_the_breadcrumb_links_to_the_standard_contract_only_for_those_who_see_it(
    client, secretariat_user, individual, randers
):
    from tests.conftest import make_user

    # Randers pays for the citizen but is not the standard contract's authority.
    IndividualContract.objects.filter(pk=individual.pk).update(paying_municipality=randers)
    payer = make_user("paula")
    randers.staff.add(payer)
    standard_url = reverse(
        "contracts:standard_contract_detail", args=[individual.standard_contract_id]
    )
    url = reverse("contracts:individual_contract_detail", args=[individual.pk])

    client.force_login(payer)
    body = client.get(url).content.decode()
    assert client.get(standard_url).status_code == 404
    assert standard_url not in body
    assert individual.standard_contract.number in body

    client.force_login(secretariat_user)
    assert standard_url in client.get(url).content.decode()


def test_an_adults_contract_speaks_of_the_citizen_a_childs_of_the_child(
    client, municipality_user, individual
):
    client.force_login(municipality_user)
    url = reverse("contracts:individual_contract_detail", args=[individual.pk])
    offer = individual.standard_contract.offer
    assert offer.legal_basis == Offer.LegalBasis.SEL_108
    body = client.get(url).content.decode()
    assert "Borgeren, som kontrakten vedrører" in body
    assert "Barnet eller den unge" not in body

    Offer.objects.filter(pk=offer.pk).update(legal_basis=Offer.LegalBasis.SEL_66)
    body = client.get(url).content.decode()
    assert "Barnet eller den unge, som kontrakten vedrører" in body
