"""Council approvals of a framework agreement (004: "Rammeaftalen skal
godkendes i de 19 midtjyske byråd og i Regionsrådet")."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import (
    CouncilApproval,
    FrameworkAgreement,
    Municipality,
    Region,
    missing_council_approvals,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


def next_agreement(starts_in_days: int, *, regional_council: bool = True) -> FrameworkAgreement:
    region = Region.objects.get(code=1082)
    agreement = FrameworkAgreement.objects.create(
        name=f"Næste rammeaftale om {starts_in_days} dage",
        kind=FrameworkAgreement.Kind.REGIONAL,
        region=region,
        period_start=TODAY + datetime.timedelta(days=starts_in_days),
        regional_council_approves=regional_council,
    )
    agreement.parties.set(Municipality.objects.filter(region=region))
    return agreement


def approve(agreement, council) -> CouncilApproval:
    field = "region" if isinstance(council, Region) else "municipality"
    return CouncilApproval.objects.create(
        agreement=agreement, approved_on=TODAY, **{field: council}
    )


def test_midtjylland_needs_its_19_councils_and_the_regional_council(midtjylland):
    councils = midtjylland.councils()

    assert len(councils) == 20
    assert "Region Midtjylland" in councils
    assert "Aarhus" in councils


def test_the_missing_councils_are_listed_until_each_has_approved(aarhus):
    agreement = next_agreement(30)
    approve(agreement, aarhus)

    [(listed, missing)] = missing_council_approvals(TODAY)

    assert listed == agreement
    assert len(missing) == 19
    assert "Aarhus" not in missing
    assert "Region Midtjylland" in missing


def test_an_agreement_approved_by_every_council_is_not_listed():
    agreement = next_agreement(30)
    for municipality in agreement.parties.all():
        approve(agreement, municipality)
    assert [names for _, names in missing_council_approvals(TODAY)] == [["Region Midtjylland"]]

    approve(agreement, agreement.region)

    assert missing_council_approvals(TODAY) == []


def test_an_agreement_without_the_regional_council_does_not_wait_for_it():
    agreement = next_agreement(30, regional_council=False)

    [(_, missing)] = missing_council_approvals(TODAY)

    assert agreement.region.name not in missing
    assert len(missing) == 19


@pytest.mark.parametrize(("days", "listed"), [(0, True), (90, True), (91, False), (-1, False)])
def test_only_agreements_starting_within_90_days_are_listed(days, listed):
    next_agreement(days)

    assert bool(missing_council_approvals(TODAY)) is listed


def test_missing_approvals_take_two_queries_whatever_the_number_of_agreements(
    django_assert_num_queries,
):
    for days in (10, 20, 30):
        next_agreement(days)

    with django_assert_num_queries(2):
        result = missing_council_approvals(TODAY)

    assert len(result) == 3


def test_an_approval_names_one_council_only(aarhus):
    agreement = next_agreement(30)
    approval = CouncilApproval(
        agreement=agreement, municipality=aarhus, region=agreement.region, approved_on=TODAY
    )
    with pytest.raises(ValidationError) as error:
        approval.full_clean()
    assert "Vælg enten et byråd eller regionsrådet." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        approval.save()


def test_a_council_approves_once(aarhus):
    agreement = next_agreement(30)
    approve(agreement, aarhus)

    with pytest.raises(IntegrityError), transaction.atomic():
        approve(agreement, aarhus)


def test_a_council_that_is_not_a_party_cannot_approve(copenhagen):
    agreement = next_agreement(30)
    approval = CouncilApproval(agreement=agreement, municipality=copenhagen, approved_on=TODAY)

    with pytest.raises(ValidationError) as error:
        approval.full_clean()

    assert "Kommunen er ikke part i rammeaftalen." in str(error.value)


def test_the_regional_council_approves_only_where_the_agreement_says_so():
    agreement = next_agreement(30, regional_council=False)
    approval = CouncilApproval(agreement=agreement, region=agreement.region, approved_on=TODAY)

    with pytest.raises(ValidationError) as error:
        approval.full_clean()

    assert "Dette regionsråd godkender ikke rammeaftalen." in str(error.value)
