"""R4 for every framework agreement: an approval route for capacity in each
agreement in force, and three regions' rules side by side in one install."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from agreements.models import FrameworkAgreement, GoverningBody, Municipality
from capacity import services
from capacity.models import CapacityError, CapacityPolicy
from tests.capacity.helpers import request
from tests.conftest import make_offer, make_provider


@pytest.fixture(autouse=True)
def secretary_of_every_agreement(db, secretariat_user):
    """These tests run three regions' rules side by side, so the secretary
    works in each of their secretariats."""
    from agreements.models import Secretariat

    for secretariat in Secretariat.objects.all():
        secretariat.members.add(secretariat_user)


FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def test_every_agreement_in_force_in_the_reference_fixtures_has_an_approval_route():
    objects = json.loads((FIXTURES / "framework_agreements.json").read_text(encoding="utf-8"))
    in_force = {
        o["pk"]: o["fields"]["name"]
        for o in objects
        if o["model"] == "agreements.frameworkagreement" and o["fields"]["status"] == "in_force"
    }
    routes = {
        o["fields"]["agreement"]
        for o in objects
        if o["model"] == "agreements.governingbody" and o["fields"]["may_approve_capacity"]
    }
    assert set(in_force) == {1, 2, 3}
    assert [name for pk, name in in_force.items() if pk not in routes] == []


def test_every_loaded_agreement_in_force_has_a_route(db):
    assert all(a.has_capacity_route() for a in FrameworkAgreement.objects.in_force())


def test_an_agreement_without_an_approving_body_has_no_route(db, copenhagen_agreement):
    copenhagen_agreement.bodies.update(may_approve_capacity=False)
    assert not copenhagen_agreement.has_capacity_route()


def test_sjaelland_has_its_17_municipalities_k17_and_the_policy_of_seed_001(db):
    sjaelland = FrameworkAgreement.objects.get(region__code=1085)
    assert sjaelland.parties.count() == 17
    assert (
        sjaelland.opening_requires_approval,
        sjaelland.closure_requires_approval,
        sjaelland.relabelling_requires_approval,
        sjaelland.add_on_services_allowed,
        sjaelland.new_offer_deficit_guarantee_years,
    ) == (True, True, True, False, 3)
    k17 = sjaelland.bodies.get()
    assert (k17.kind, k17.may_approve_capacity, k17.members.count()) == ("k17", True, 17)


def test_the_copenhagen_agreement_routes_to_the_directorate(db, copenhagen_agreement):
    body = copenhagen_agreement.bodies.get(may_approve_capacity=True)
    assert body.kind == GoverningBody.Kind.DIRECTORATE
    assert list(body.members.values_list("code", flat=True)) == [101]


def _offer_under(agreement: FrameworkAgreement, code: int):
    operator = Municipality.objects.get(code=code)
    offer = make_offer(make_provider(operating_municipality=operator), approved_places=20)
    offer.framework_agreements.add(agreement)
    return offer


@pytest.mark.parametrize(
    ("agreement_filter", "code", "opening", "relabelling", "body_kind"),
    [
        ({"region__code": 1082}, 751, False, False, "dassos"),
        ({"municipality__code": 101}, 101, False, False, "direktion"),
        ({"region__code": 1085}, 350, True, True, "k17"),
    ],
)
def test_one_install_runs_three_regions_rules_side_by_side(
    secretariat_user, agreement_filter, code, opening, relabelling, body_kind
):
    agreement = FrameworkAgreement.objects.get(**agreement_filter)
    offer = _offer_under(agreement, code)
    policy = CapacityPolicy.for_offer(offer)
    assert (policy.opening_requires_approval, policy.relabelling_requires_approval) == (
        opening,
        relabelling,
    )
    big = request(secretariat_user, offer, places=15)
    assert big.requires_approval
    assert {b.kind for b in services.approving_bodies(big)} >= {body_kind}


def test_a_relabelling_under_sjaelland_needs_k17_and_changes_the_offer_when_carried_out(
    secretariat_user,
):
    from agreements.models import Meeting

    sjaelland = FrameworkAgreement.objects.get(region__code=1085)
    offer = _offer_under(sjaelland, 350)
    relabel = services.adjustment_request(
        user=secretariat_user,
        offer=offer,
        kind="relabelling",
        places=None,
        effective_on=datetime.date(2026, 1, 1),
        today=datetime.date(2026, 1, 1),
        reason="Målgruppen ændres til autisme.",
        target_group="autism",
    )
    assert (relabel.requires_approval, relabel.change) == (True, 0)
    with pytest.raises(CapacityError):
        services.adjustment_carry_out(user=secretariat_user, adjustment=relabel)
    k17 = sjaelland.bodies.get(kind="k17")
    meeting = Meeting.objects.create(body=k17, date=datetime.date.today())
    services.adjustment_route_to_meeting(user=secretariat_user, adjustment=relabel, meeting=meeting)
    services.adjustment_record_meeting_decision(
        user=secretariat_user, adjustment=relabel, approved=True, grounds="Drøftet i K17."
    )
    services.adjustment_carry_out(user=secretariat_user, adjustment=relabel)
    offer.refresh_from_db()
    assert (offer.target_group, offer.legal_basis, offer.approved_places) == (
        "autism",
        "SEL § 108",
        20,
    )


def test_a_relabelling_is_no_adjustment_where_the_policy_does_not_ask_for_it(
    secretariat_user, midtjylland
):
    offer = _offer_under(midtjylland, 751)
    with pytest.raises(CapacityError, match="ommærkning|registret"):
        services.adjustment_request(
            user=secretariat_user,
            offer=offer,
            kind="relabelling",
            places=None,
            effective_on=datetime.date(2026, 1, 1),
            today=datetime.date(2026, 1, 1),
            reason="Ny målgruppe",
            target_group="autism",
        )


def test_a_relabelling_must_change_something(secretariat_user):
    sjaelland = FrameworkAgreement.objects.get(region__code=1085)
    offer = _offer_under(sjaelland, 350)
    with pytest.raises(CapacityError, match="vælg en ny"):
        services.adjustment_request(
            user=secretariat_user,
            offer=offer,
            kind="relabelling",
            places=None,
            effective_on=datetime.date(2026, 1, 1),
            today=datetime.date(2026, 1, 1),
            reason="Ingen ændring",
            target_group=offer.target_group,
        )
