"""The submission round through its pages: who may see and do what (404 for
the others), the flow from opening to publishing, the dashboard and the
reminders that go out once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from providers.models import Offer, Tariff
from tariffs.forms import RoundForm
from tariffs.models import CalculationBasis, TariffNotification, TariffRound
from tests.conftest import field_error, make_offer, make_provider, make_user
from tests.tariffs.helpers import make_basis, make_round, make_takstgruppe_member, midtjylland

FORM = {
    "unit": "day",
    "occupancy_kind": "residential",
    "approved_places": "20",
    "opening_days": "365",
    "budgeted_occupancy": "88",
    "staff_costs": "9.000.000,00",
    "other_operating_costs": "1.500.000,00",
    "overhead_costs": "735.000,00",
    "rent": "600.000,00",
    "depreciation": "165.000,00",
    "regulation": "100.000,00",
    "regulation_from_year": "",
    "increase_reason": "",
    "tillaeg-TOTAL_FORMS": "2",
    "tillaeg-INITIAL_FORMS": "0",
}


@pytest.fixture
def offer(db):
    offer = make_offer(name="Fjordglimt")  # operated by Aarhus
    offer.framework_agreements.add(midtjylland())
    return offer


@pytest.fixture
def open_round(secretariat_user, offer):
    return make_round(secretariat_user)


@pytest.fixture
def reviewer(randers):
    return make_takstgruppe_member(randers)


@pytest.fixture
def copenhagen_user(copenhagen):
    user = make_user("klara")
    copenhagen.staff.add(user)
    return user


def test_the_flow_through_the_pages(client, secretariat_user, municipality_user, reviewer, offer):
    client.force_login(secretariat_user)
    deadline = datetime.date.today() + datetime.timedelta(days=20)
    response = client.post(
        reverse("tariffs:rounds"),
        {"agreement": midtjylland().pk, "year": "2026", "deadline": deadline.isoformat()},
    )
    tariff_round = TariffRound.objects.get()
    assert response.url == reverse("tariffs:round", args=[tariff_round.pk])
    assert "Fjordglimt" in client.get(response.url).content.decode()  # not submitted

    client.force_login(municipality_user)
    assert "Fjordglimt" in client.get(reverse("tariffs:mine")).content.decode()
    edit = reverse("tariffs:basis_edit", args=[offer.pk, 2026])
    assert client.get(edit).status_code == 200
    response = client.post(edit, FORM | {"submit": ""})
    basis = CalculationBasis.objects.get()
    assert response.url == reverse("tariffs:basis", args=[basis.pk])
    page = client.get(response.url).content.decode()
    assert "Budgetteret belægning 88 % er under 95 %" in page

    client.force_login(reviewer)
    review = reverse("tariffs:basis_review", args=[basis.pk])
    assert "Budgetteret belægning 88 %" in client.get(review).content.decode()
    client.post(review, {"decision": "correct", "comment": "Belægningen skal være 95 %."})
    assert CalculationBasis.objects.get().status == "correction"

    client.force_login(municipality_user)
    assert "Belægningen skal være 95 %." in client.get(edit).content.decode()
    client.post(edit, FORM | {"budgeted_occupancy": "95", "submit": ""})
    assert CalculationBasis.objects.get().flags == []

    client.force_login(reviewer)
    client.post(review, {"decision": "approve", "comment": ""})
    assert Tariff.objects.get(offer=offer, year=2026).amount == Decimal("1744.77")
    client.logout()
    assert "1.744,77" in client.get(reverse("tariffs:list")).content.decode()


def test_a_draft_is_saved_without_submitting(client, municipality_user, open_round, offer):
    client.force_login(municipality_user)
    edit = reverse("tariffs:basis_edit", args=[offer.pk, 2026])
    response = client.post(edit, FORM | {"save": ""})
    assert response.url == edit
    assert CalculationBasis.objects.get().status == "draft"


def test_bad_input_is_refused_with_the_input_kept(client, municipality_user, open_round, offer):
    client.force_login(municipality_user)
    edit = reverse("tariffs:basis_edit", args=[offer.pk, 2026])
    response = client.post(edit, FORM | {"opening_days": "400", "submit": ""})
    assert response.status_code == 200
    assert "9.000.000,00" in response.content.decode()
    assert not CalculationBasis.objects.exists()


def test_an_add_on_under_a_policy_without_them_has_no_fields(
    client, municipality_user, open_round, offer
):
    agreement = midtjylland()
    agreement.add_on_services_allowed = False
    agreement.save()
    client.force_login(municipality_user)
    page = client.get(reverse("tariffs:basis_edit", args=[offer.pk, 2026])).content.decode()
    assert "tillaeg-TOTAL_FORMS" not in page
    assert "tillader ingen tillægsydelser" in page


def test_an_add_on_is_entered_with_the_basis(client, municipality_user, open_round, offer):
    client.force_login(municipality_user)
    client.post(
        reverse("tariffs:basis_edit", args=[offer.pk, 2026]),
        FORM
        | {"tillaeg-0-name": "Ledsagelse", "tillaeg-0-price": "350,00", "tillaeg-0-unit": "hour"}
        | {"save": ""},
    )
    assert list(CalculationBasis.objects.get().add_on_services.values_list("name", "price")) == [
        ("Ledsagelse", Decimal("350.00"))
    ]


def test_the_edit_page_per_role(
    client,
    open_round,
    offer,
    secretariat_user,
    municipality_user,
    other_municipality_user,
    reviewer,
    provider_leader,
):
    url = reverse("tariffs:basis_edit", args=[offer.pk, 2026])
    for user in (secretariat_user, municipality_user):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (other_municipality_user, reviewer, provider_leader):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, FORM | {"submit": ""}).status_code == 404
    assert not CalculationBasis.objects.exists()


def test_no_edit_page_without_a_round(client, municipality_user, offer):
    client.force_login(municipality_user)
    assert client.get(reverse("tariffs:basis_edit", args=[offer.pk, 2026])).status_code == 404


def test_the_review_page_per_role(
    client,
    open_round,
    offer,
    secretariat_user,
    reviewer,
    municipality_user,
    body_member_user,
):
    basis = make_basis(offer, status="submitted")
    url = reverse("tariffs:basis_review", args=[basis.pk])
    for user in (secretariat_user, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (municipality_user, body_member_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "approve"}).status_code == 404
    assert CalculationBasis.objects.get().status == "submitted"


def test_a_takstgruppe_member_of_another_agreement_cannot_review(
    client, open_round, offer, copenhagen_agreement, aarhus
):
    from agreements.models import BodyRepresentative, GoverningBody

    body = GoverningBody.objects.create(
        name="Takstgruppe København", kind="takstgruppe", agreement=copenhagen_agreement
    )
    member = make_user("kasper")
    BodyRepresentative.objects.create(body=body, municipality=aarhus, user=member)
    basis = make_basis(offer, status="submitted")
    client.force_login(member)
    assert client.get(reverse("tariffs:basis_review", args=[basis.pk])).status_code == 404
    assert client.get(reverse("tariffs:round", args=[open_round.pk])).status_code == 404


def test_an_unsubmitted_basis_is_seen_by_its_operator_not_by_others(
    client, open_round, offer, municipality_user, copenhagen_user, reviewer
):
    basis = make_basis(offer)
    url = reverse("tariffs:basis", args=[basis.pk])
    client.force_login(municipality_user)
    assert client.get(url).status_code == 200
    for user in (copenhagen_user, reviewer):  # a draft is not the Takstgruppe's yet
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_round_pages_per_role(
    client, open_round, secretariat_user, reviewer, municipality_user, provider_leader
):
    for name, args in (("tariffs:rounds", []), ("tariffs:round", [open_round.pk])):
        url = reverse(name, args=args)
        for user in (secretariat_user, reviewer):
            client.force_login(user)
            assert client.get(url).status_code == 200
        for user in (municipality_user, provider_leader):
            client.force_login(user)
            assert client.get(url).status_code == 404


def test_only_the_secretariat_opens_a_round_on_the_page(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("tariffs:rounds")).content.decode()
    assert 'name="deadline"' not in page
    response = client.post(
        reverse("tariffs:rounds"),
        {"agreement": midtjylland().pk, "year": "2026", "deadline": "2099-01-01"},
    )
    assert response.status_code == 404
    assert not TariffRound.objects.exists()


def test_my_bases_per_role(
    client, open_round, municipality_user, secretariat_user, provider_leader
):
    url = reverse("tariffs:mine")
    client.force_login(municipality_user)
    assert "Fjordglimt" in client.get(url).content.decode()
    client.force_login(secretariat_user)
    assert client.get(url).status_code == 404


def test_a_leader_sees_their_offers_tariffs_and_who_submits_the_basis(
    client, provider_leader, provider, other_provider
):
    mine = make_offer(provider, name="Eget Botilbud")
    Tariff.objects.create(offer=mine, year=2026, unit="day", amount=Decimal("1234.50"))
    theirs = make_offer(other_provider, name="Andres Botilbud")
    Tariff.objects.create(offer=theirs, year=2026, unit="day", amount=Decimal("999.00"))
    client.force_login(provider_leader)
    page = client.get(reverse("tariffs:mine")).content.decode()
    assert "Eget Botilbud" in page
    assert "1.234,50" in page
    assert "Andres Botilbud" not in page
    assert "Driftskommunen indsender" in page
    assert f"{provider.name}: indsendes af {provider.operating_municipality}" in page


def test_the_dashboard_shows_who_has_not_submitted(client, open_round, secretariat_user, offer):
    make_offer(name="Andet").framework_agreements.add(midtjylland())
    make_basis(make_offer(name="Tredje"), status="submitted")
    client.force_login(secretariat_user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("tariffs:round", args=[open_round.pk]) in page
    assert "2 af 3 tilbud" in page


def test_the_dashboard_shows_no_round_of_another_secretariat(
    client, open_round, secretariat_user, copenhagen_secretary, copenhagen_agreement
):
    other = make_round(copenhagen_secretary, copenhagen_agreement)
    client.force_login(copenhagen_secretary)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("tariffs:round", args=[other.pk]) in page
    assert reverse("tariffs:round", args=[open_round.pk]) not in page
    assert midtjylland().name not in page


def test_reminders_go_out_once_per_municipality(
    secretariat_user, offer, municipality_user, django_capture_on_commit_callbacks
):
    municipality_user.email = "karen@aarhus.dk"
    municipality_user.save()
    deadline = datetime.date(2026, 3, 1)
    make_round(secretariat_user, deadline=deadline)
    call_command("tariff_deadlines", "--date", "2026-02-20", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TariffNotification.objects.count() == 0  # 9 days before: not yet
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tariff_deadlines", "--date", "2026-02-22", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("tariff_deadlines", "--date", "2026-02-23", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TariffNotification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["karen@aarhus.dk"]
    assert "Fjordglimt" in mail.outbox[0].body


def test_no_reminder_for_a_submitted_basis(secretariat_user, offer, municipality_user):
    make_round(secretariat_user, deadline=datetime.date(2026, 3, 1))
    make_basis(offer, status="submitted")
    call_command("tariff_deadlines", "--date", "2026-02-28", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not TariffNotification.objects.exists()


def _many_offers(count: int) -> None:
    provider = make_provider()
    offers = Offer.objects.bulk_create(
        Offer(
            provider=provider,
            name=f"Runde {provider.pk}-{index}",
            legal_basis="SEL § 108",
            target_group="autism",
            specialisation_level=2,
            approved_places=10,
        )
        for index in range(count)
    )
    midtjylland().offers.add(*offers)


@pytest.mark.parametrize("who", ["secretariat", "operator"])
def test_round_pages_query_count_does_not_grow(
    client, open_round, secretariat_user, municipality_user, who
):
    if who == "secretariat":
        client.force_login(secretariat_user)
        urls = [reverse("tariffs:rounds"), reverse("tariffs:round", args=[open_round.pk])]
    else:
        client.force_login(municipality_user)
        urls = [reverse("tariffs:mine")]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    _many_offers(3)
    small = queries()
    _many_offers(60)
    assert queries() == small


def test_the_round_form_offers_each_secretariat_its_own_agreements(
    secretariat_user, copenhagen_secretary, copenhagen_agreement
):
    assert list(RoundForm(user=secretariat_user).fields["agreement"].queryset) == [midtjylland()]
    assert list(RoundForm(user=copenhagen_secretary).fields["agreement"].queryset) == [
        copenhagen_agreement
    ]


def test_a_round_under_another_secretariats_agreement_is_refused_on_the_page(
    client, secretariat_user, copenhagen_secretary, copenhagen_agreement
):
    for user, agreement in (
        (secretariat_user, copenhagen_agreement),
        (copenhagen_secretary, midtjylland()),
    ):
        client.force_login(user)
        response = client.post(
            reverse("tariffs:rounds"),
            {"agreement": agreement.pk, "year": "2027", "deadline": "2099-01-01"},
        )
        assert response.status_code == 200
        assert "agreement" in response.context["form"].errors
        assert f'value="{agreement.pk}"' not in response.content.decode()
    assert not TariffRound.objects.exists()


def test_the_dashboard_shows_each_secretariat_its_own_rounds(
    client, secretariat_user, copenhagen_secretary, copenhagen_agreement
):
    own = make_round(secretariat_user)
    other = make_round(copenhagen_secretary, agreement=copenhagen_agreement)
    for user, shown, hidden in (
        (secretariat_user, own, other),
        (copenhagen_secretary, other, own),
    ):
        client.force_login(user)
        page = client.get(reverse("portal:dashboard")).content.decode()
        assert reverse("tariffs:round", args=[shown.pk]) in page
        assert reverse("tariffs:round", args=[hidden.pk]) not in page


def test_a_takstgruppe_members_start_page_lists_the_bases_waiting_for_review(
    client, reviewer, copenhagen_agreement
):
    waiting = make_basis(
        make_offer(name="Venter Hus"), status="submitted", submitted_at=timezone.now()
    )
    make_basis(make_offer(name="Kladde Hus"), status="draft")
    make_basis(make_offer(name="Godkendt Hus"), status="approved")
    make_basis(make_offer(name="Kbh Hus"), agreement=copenhagen_agreement, status="submitted")
    client.force_login(reviewer)
    response = client.get(reverse("portal:municipality"))
    page = response.content.decode()
    assert [basis.pk for basis in response.context["bases_to_review"]] == [waiting.pk]
    assert reverse("tariffs:basis_review", args=[waiting.pk]) in page
    for other in ("Kladde Hus", "Godkendt Hus", "Kbh Hus"):
        assert other not in page


def test_a_municipality_without_a_takstgruppe_seat_sees_no_bases_to_review(
    client, municipality_user
):
    client.force_login(municipality_user)
    response = client.get(reverse("portal:municipality"))
    assert "bases_to_review" not in response.context


# The Takstgruppe's decision refused: what was typed stays, the field is named, nothing is written


def test_a_review_without_a_decision_is_refused_beside_it_and_keeps_the_comment(
    client, open_round, offer, reviewer
):
    basis = make_basis(offer, status="submitted")
    client.force_login(reviewer)
    response = client.post(
        reverse("tariffs:basis_review", args=[basis.pk]),
        {"comment": "Lønudgifterne ser høje ud."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_decision") == ("Beslutning", "Dette felt er påkrævet.")
    assert "Lønudgifterne ser høje ud.</textarea>" in html
    basis.refresh_from_db()
    assert basis.status == "submitted"
    assert basis.review_comment == ""


def test_a_correction_without_a_comment_is_refused_beside_the_comment_and_keeps_the_choice(
    client, open_round, offer, reviewer
):
    basis = make_basis(offer, status="submitted")
    client.force_login(reviewer)
    response = client.post(
        reverse("tariffs:basis_review", args=[basis.pk]), {"decision": "correct", "comment": " "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_comment") == (
        "Bemærkning til driftsherren",
        "Skriv hvad der skal rettes.",
    )
    assert re.search(r'<input[^>]*value="correct"[^>]*checked', html)
    basis.refresh_from_db()
    assert basis.status == "submitted"
