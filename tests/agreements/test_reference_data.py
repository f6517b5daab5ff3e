from django.db.models import Count

from agreements.models import FrameworkAgreement, GoverningBody, Municipality, Region


def test_there_are_98_municipalities_in_5_regions(db):
    assert Municipality.objects.count() == 98
    assert Region.objects.count() == 5


def test_each_region_has_its_official_number_of_municipalities(db):
    counts = dict(Region.objects.annotate(n=Count("municipalities")).values_list("name", "n"))
    assert counts == {
        "Region Nordjylland": 11,
        "Region Midtjylland": 19,
        "Region Syddanmark": 22,
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
    }


def test_municipalities_carry_their_official_codes(db):
    assert Municipality.objects.get(code=101).name == "København"
    assert Municipality.objects.get(code=751).name == "Aarhus"
    assert Municipality.objects.get(code=791).region.code == 1082


def test_midtjylland_agreement_has_the_policy_of_seed_004(midtjylland):
    assert midtjylland.approval_threshold == 10
    assert midtjylland.hearing_days == 14
    assert midtjylland.closure_requires_approval is True
    assert midtjylland.opening_requires_approval is False
    assert midtjylland.parties.count() == 19
    assert midtjylland.status == FrameworkAgreement.Status.IN_FORCE


def test_copenhagen_agreement_has_the_seven_principles_in_order(copenhagen_agreement):
    titles = list(copenhagen_agreement.principles.values_list("title", flat=True))
    assert titles == [
        "Princippet om selvstændighed",
        "Princippet om samskabelse",
        "Princippet om udvikling og social innovation",
        "Princippet om transparens",
        "Princippet om kvalitet",
        "Princippet om frivillighed",
        "Princippet om økonomisk bæredygtighed",
    ]
    assert copenhagen_agreement.operating_agreement_review_years == 5


def test_midtjylland_bodies_follow_seed_004(db):
    dassos = GoverningBody.objects.get(name="DASSOS")
    committee = GoverningBody.objects.get(name="Forretningsudvalget")
    assert dassos.may_approve_capacity and committee.may_approve_capacity
    assert committee.decides_on_behalf_of == dassos
    assert dassos.members.count() == 19
    assert sorted(committee.members.values_list("name", flat=True)) == [
        "Aarhus",
        "Hedensted",
        "Herning",
        "Holstebro",
        "Norddjurs",
        "Randers",
        "Skanderborg",
        "Viborg",
    ]
    assert not GoverningBody.objects.get(name="Takstgruppen").may_approve_capacity
