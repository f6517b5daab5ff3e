"""The steering agreement's rules are edited in the admin, with history; bases
and cost splits are shown read-only there. Each secretariat sees and edits
only its own agreements' tariff rows there (issue 22)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import FrameworkAgreement, Municipality
from tariffs.models import (
    AddOnService,
    CalculationBasis,
    CostShare,
    CostShareLine,
    PriceIndex,
    TariffNotification,
    TariffPolicy,
    TariffRound,
)
from tests.conftest import make_offer, make_provider
from tests.tariffs.helpers import make_basis, make_policy, make_round, midtjylland


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def _policy_data(agreement: FrameworkAgreement, **changes) -> dict:
    return {
        "agreement": agreement.pk,
        "overhead_share_percent": "7.00",
        "overhead_cap_percent": "10.00",
        "occupancy_min_residential": "95.00",
        "occupancy_max_residential": "100.00",
        "occupancy_min_short_stay": "90.00",
        "occupancy_max_short_stay": "100.00",
        "regulation_years": "2",
        "surplus_share_kept_percent": "5.00",
        "closure_use_years": "3",
        "price_indices-TOTAL_FORMS": "0",
        "price_indices-INITIAL_FORMS": "0",
    } | changes


def test_the_secretariat_edits_the_policy_and_its_history_is_kept(secretariat_client):
    policy = make_policy()
    url = reverse("admin:tariffs_tariffpolicy_change", args=[policy.pk])
    assert secretariat_client.get(url).status_code == 200
    data = _policy_data(
        midtjylland(),
        overhead_cap_percent="12.00",
        **{
            "price_indices-TOTAL_FORMS": "1",
            "price_indices-0-year": "2026",
            "price_indices-0-percent": "2.80",
        },
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.errors]
    policy = TariffPolicy.objects.get()
    assert policy.overhead_cap_percent == Decimal("12.00")
    assert policy.price_index(2026) == Decimal("2.80")
    assert policy.history.count() == 2
    history = reverse("admin:tariffs_tariffpolicy_history", args=[policy.pk])
    assert secretariat_client.get(history).status_code == 200


def test_an_inverted_occupancy_interval_is_refused(secretariat_client):
    policy = make_policy()
    url = reverse("admin:tariffs_tariffpolicy_change", args=[policy.pk])
    response = secretariat_client.post(
        url,
        _policy_data(midtjylland(), occupancy_min_residential="99", occupancy_max_residential="95"),
    )
    assert response.status_code == 200
    assert "kan ikke være over den højeste" in response.content.decode()
    assert TariffPolicy.objects.get().occupancy_min_residential == Decimal("95.00")


def test_bases_are_read_only_in_the_admin(secretariat_client):
    basis = make_basis(make_offer())
    AddOnService.objects.create(basis=basis, name="Ledsagelse", price=300, unit="hour")
    assert (
        secretariat_client.get(reverse("admin:tariffs_calculationbasis_changelist")).status_code
        == 200
    )
    url = reverse("admin:tariffs_calculationbasis_change", args=[basis.pk])
    assert secretariat_client.get(url).status_code == 200
    assert secretariat_client.get(reverse("admin:tariffs_calculationbasis_add")).status_code == 403
    secretariat_client.post(url, {"approved_places": 1})
    assert CalculationBasis.objects.get().approved_places == 20


def test_an_add_on_under_a_policy_without_them_fails_model_validation(db):
    from django.core.exceptions import ValidationError

    agreement = midtjylland()
    agreement.add_on_services_allowed = False
    agreement.save()
    basis = make_basis(make_offer())
    with pytest.raises(ValidationError):
        AddOnService(basis=basis, name="Ledsagelse", price=300, unit="hour").full_clean()


# Midtjylland and København, each in the other's admin -------------------------------

DIRECTIONS = [("midt", "kbh"), ("kbh", "midt")]
# Every tariff row of a side that has an admin page.
ROWS = ["policy", "price_index", "draft", "submitted", "round", "cost_share", "notification"]


def _tariff_side(agreement: FrameworkAgreement, code: int, name: str, secretary) -> dict:
    """A secretariat's steering agreement with a price index, an offer's
    draft, submitted and approved bases, a round with a reminder, and a
    cost split: each named after the side."""
    municipality = Municipality.objects.get(code=code)
    offer = make_offer(
        make_provider(name=f"{name} udbyder", operating_municipality=municipality),
        name=f"{name} tilbud",
    )
    policy = make_policy(agreement)
    tariff_round = make_round(secretary, agreement=agreement)
    cost_share = CostShare.objects.create(
        kind=CostShare.Kind.CLOSURE,
        offer=offer,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        total=100,
        entered_by=secretary,
    )
    CostShareLine.objects.create(
        share=cost_share, municipality=municipality, contract_days=365, amount=100
    )
    return {
        "agreement": agreement,
        "offer": offer,
        "policy": policy,
        "price_index": PriceIndex.objects.create(policy=policy, year=2030, percent=Decimal("2")),
        "draft": make_basis(offer, year=2026, agreement=agreement),
        "submitted": make_basis(offer, year=2027, agreement=agreement, status="submitted"),
        "approved": make_basis(offer, year=2025, agreement=agreement, status="approved"),
        "round": tariff_round,
        "cost_share": cost_share,
        "notification": TariffNotification.objects.create(
            key=f"{name}-påmindelse", round=tariff_round, subject=f"{name} påmindelse"
        ),
    }


@pytest.fixture
def two_secretariats(secretariat_user, copenhagen_secretary, copenhagen_agreement):
    sides = {
        "midt": _tariff_side(midtjylland(), 751, "Midt", secretariat_user),
        "kbh": _tariff_side(copenhagen_agreement, 101, "Kbh", copenhagen_secretary),
    }
    return sides, {"midt": secretariat_user, "kbh": copenhagen_secretary}


def _url(obj, action: str) -> str:
    opts = obj._meta
    args = [] if action in ("add", "changelist") else [obj.pk]
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def _as_stored(obj) -> tuple[dict, int]:
    """The row as the database holds it, and the length of its history."""
    model = type(obj)
    history = model.history.filter(id=obj.pk).count() if hasattr(model, "history") else 0
    return model.objects.filter(pk=obj.pk).values().get(), history


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_tariff_admin_lists_hold_none_of_the_other_secretariats_rows(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    for key in ROWS:
        response = client.get(_url(sides[own][key], "changelist"))
        listed = {obj.pk for obj in response.context["cl"].queryset}
        assert sides[own][key].pk in listed, key
        assert sides[other][key].pk not in listed, key


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_tariff_admin_answers_404_for_the_other_secretariats_rows(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    for key in ROWS:
        for action in ("change", "history"):
            assert client.get(_url(sides[own][key], action)).status_code == 200, (key, action)
        for action in ("change", "history", "delete"):
            assert client.get(_url(sides[other][key], action)).status_code == 404, (key, action)


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_post_to_the_other_secretariats_tariff_rows_answers_404_and_changes_nothing(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    foreign = sides[other]
    data = {
        "policy": _policy_data(foreign["agreement"], overhead_cap_percent="50.00"),
        "price_index": {"policy": foreign["policy"].pk, "year": 2030, "percent": "9.99"},
    }
    for key in ROWS:
        before = _as_stored(foreign[key])
        change = client.post(_url(foreign[key], "change"), data.get(key, {}))
        assert change.status_code == 404, key
        delete = client.post(_url(foreign[key], "delete"), {"post": "yes"})
        assert delete.status_code == 404, key
        assert _as_stored(foreign[key]) == before, key


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_add_forms_offer_only_the_secretariats_own_agreements_and_policies(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    form = client.get(_url(TariffPolicy, "add")).context["adminform"].form
    assert set(form.fields["agreement"].queryset) == {sides[own]["agreement"]}
    form = client.get(_url(PriceIndex, "add")).context["adminform"].form
    assert set(form.fields["policy"].queryset) == {sides[own]["policy"]}
    # Bases, rounds, splits and reminders are made by the pages and services only.
    for model in (CalculationBasis, TariffRound, CostShare, TariffNotification):
        assert client.get(_url(model, "add")).status_code == 403, model


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_price_index_posted_for_the_other_secretariats_policy_is_refused(
    client, two_secretariats, own, other
):
    """The crawl's 2031 index on the other's steering agreement."""
    sides, users = two_secretariats
    client.force_login(users[own])
    url = _url(PriceIndex, "add")
    response = client.post(url, {"policy": sides[other]["policy"].pk, "year": 2031, "percent": "3"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["policy"]] == ["invalid_choice"]
    assert not PriceIndex.objects.filter(year=2031).exists()
    own_index = client.post(url, {"policy": sides[own]["policy"].pk, "year": 2031, "percent": "3"})
    assert own_index.status_code == 302
    assert PriceIndex.objects.get(year=2031).policy == sides[own]["policy"]


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_policy_posted_for_the_other_secretariats_agreement_is_refused(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    foreign_agreement = sides[other]["agreement"]
    TariffPolicy.objects.filter(agreement=foreign_agreement).delete()
    client.force_login(users[own])
    added = client.post(_url(TariffPolicy, "add"), _policy_data(foreign_agreement))
    moved = client.post(_url(sides[own]["policy"], "change"), _policy_data(foreign_agreement))
    for response in (added, moved):
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors.as_data()
        assert [error.code for error in errors["agreement"]] == ["invalid_choice"]
    assert not TariffPolicy.objects.filter(agreement=foreign_agreement).exists()
    assert TariffPolicy.objects.get(pk=sides[own]["policy"].pk).agreement == sides[own]["agreement"]


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_crafted_add_of_a_basis_round_or_split_is_refused(client, two_secretariats, own, other):
    sides, users = two_secretariats
    client.force_login(users[own])
    foreign = sides[other]
    posts = {
        CalculationBasis: {"offer": foreign["offer"].pk, "agreement": foreign["agreement"].pk},
        TariffRound: {"agreement": foreign["agreement"].pk, "year": 2031},
        CostShare: {"offer": foreign["offer"].pk, "kind": "closure", "total": "1"},
    }
    for model, data in posts.items():
        count = model.objects.count()
        assert client.post(_url(model, "add"), data).status_code == 403, model
        assert model.objects.count() == count, model


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_other_secretariats_approved_basis_is_not_in_the_admin(
    client, two_secretariats, own, other
):
    """001: approved bases are open to all on the open pages; the admin, a
    secretariat's back office, holds its own only."""
    sides, users = two_secretariats
    client.force_login(users[own])
    approved = sides[other]["approved"]
    assert client.get(_url(approved, "change")).status_code == 404
    before = _as_stored(approved)
    assert client.post(_url(approved, "change"), {}).status_code == 404
    assert _as_stored(approved) == before
