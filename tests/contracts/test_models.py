import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Municipality
from contracts.models import (
    ContractFrozen,
    GeneralPart,
    IndividualContract,
    Signature,
    StandardContract,
)
from tests.conftest import (
    make_individual_contract,
    make_offer,
    make_signed_individual_contract,
    make_signed_standard_contract,
    make_standard_contract,
)

pytestmark = pytest.mark.django_db


def test_active_individual_contracts_are_signed_and_started_and_not_ended():
    active = make_signed_individual_contract()
    make_individual_contract(active.standard_contract)  # a draft
    make_signed_individual_contract(active.standard_contract, ends_on=datetime.date(2025, 6, 30))
    make_signed_individual_contract(active.standard_contract, starts_on=datetime.date(2025, 8, 1))
    make_individual_contract(active.standard_contract, status=IndividualContract.Status.TERMINATED)

    on_first_of_july = IndividualContract.objects.active(on=datetime.date(2025, 7, 1))

    assert list(on_first_of_july) == [active]


def test_an_individual_contract_ending_today_is_still_active():
    contract = make_signed_individual_contract(ends_on=datetime.date(2025, 6, 30))

    assert contract in IndividualContract.objects.active(on=datetime.date(2025, 6, 30))
    assert contract not in IndividualContract.objects.active(on=datetime.date(2025, 7, 1))


def test_active_without_a_date_means_today_in_denmark():
    # 23:30 UTC on 30 June is already 1 July in Copenhagen.
    contract = make_signed_individual_contract(
        starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2025, 7, 1)
    )
    late_evening_utc = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)

    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        assert list(IndividualContract.objects.active()) == [contract]


def test_a_signed_contract_refuses_save_with_changed_text():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    contract.purpose = "Ændret"

    with pytest.raises(ContractFrozen):
        contract.save()

    contract.refresh_from_db()
    assert contract.purpose != "Ændret"


# The frozen guard: no path changes a contract once it has left draft ---------


@pytest.mark.parametrize(
    "status",
    [
        StandardContract.Status.AWAITING_SIGNATURE,
        StandardContract.Status.SIGNED,
        StandardContract.Status.TERMINATED,
        StandardContract.Status.EXPIRED,
        StandardContract.Status.SUPERSEDED,
    ],
)
def test_a_frozen_contract_refuses_a_queryset_update_of_its_text(status):
    contract = make_standard_contract(status=status)

    with pytest.raises(ContractFrozen) as refusal:
        StandardContract.objects.filter(pk=contract.pk).update(purpose="Ændret")

    assert "kan ikke ændres" in str(refusal.value)
    contract.refresh_from_db()
    assert contract.purpose != "Ændret"


def test_a_frozen_contract_refuses_bulk_update():
    contract = make_signed_individual_contract()
    contract.price = Decimal("1")

    # bulk_update runs in an atomic block of its own: the refusal rolls it back.
    with pytest.raises(ContractFrozen), transaction.atomic():
        IndividualContract.objects.bulk_update([contract], ["price"])

    contract.refresh_from_db()
    assert contract.price == Decimal("2150.50")


def test_a_frozen_contract_refuses_delete_both_ways():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)

    with pytest.raises(ContractFrozen):
        contract.delete()
    with pytest.raises(ContractFrozen):
        StandardContract.objects.filter(pk=contract.pk).delete()

    assert StandardContract.objects.filter(pk=contract.pk).exists()


def test_a_draft_can_be_changed_and_deleted():
    contract = make_standard_contract()
    contract.purpose = "Nyt formål"
    contract.save()
    StandardContract.objects.filter(pk=contract.pk).update(purpose="Igen")

    contract.delete()

    assert not StandardContract.objects.filter(pk=contract.pk).exists()


def test_an_in_memory_status_change_does_not_open_a_signed_contract():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    contract.status = StandardContract.Status.DRAFT
    contract.purpose = "Ændret"

    with pytest.raises(ContractFrozen):
        contract.save()


def test_the_stored_pdf_and_its_hash_are_fixed_once_signed():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED, pdf_sha256="a" * 64)

    with pytest.raises(ContractFrozen):
        StandardContract.objects.filter(pk=contract.pk).update(pdf_sha256="b" * 64)
    contract.pdf_sha256 = "b" * 64
    with pytest.raises(ContractFrozen):
        contract.save()


def test_a_signed_contract_can_still_move_through_its_lifecycle_fields():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    contract.status = StandardContract.Status.TERMINATED
    contract.terminated_on = datetime.date(2025, 6, 30)

    contract.save()

    contract.refresh_from_db()
    assert contract.status == StandardContract.Status.TERMINATED


def test_the_general_part_of_a_signed_contract_is_frozen():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    general = contract.general_part
    general.ethics = "Ændret etik"

    with pytest.raises(ContractFrozen):
        general.save()
    with pytest.raises(ContractFrozen):
        GeneralPart.objects.filter(pk=general.pk).update(ethics="Ændret etik")


def test_signatures_of_a_signed_contract_are_frozen(secretariat_user):
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    signature = Signature.objects.create(
        standard_contract=contract,
        party=Signature.Party.AUTHORITY,
        signer_name="Chef",
        signer_title="Chef",
        signed_on=datetime.date(2025, 1, 1),
        method=Signature.Method.DIGITAL,
        recorded_by=secretariat_user,
    )
    signature.signer_name = "En anden"

    with pytest.raises(ContractFrozen):
        signature.save()
    with pytest.raises(ContractFrozen):
        signature.delete()


# R8 in the database -----------------------------------------------------------


def test_the_database_holds_one_signed_standard_contract_per_authority_provider_and_type():
    first = make_signed_standard_contract()

    with pytest.raises(IntegrityError), transaction.atomic():
        make_signed_standard_contract(
            authority=first.authority,
            offer=first.offer,
            intervention_type=first.intervention_type,
        )


def test_drafts_and_ended_contracts_do_not_count_for_r8():
    first = make_signed_standard_contract()
    for status in (
        StandardContract.Status.DRAFT,
        StandardContract.Status.AWAITING_SIGNATURE,
        StandardContract.Status.TERMINATED,
        StandardContract.Status.SUPERSEDED,
    ):
        make_standard_contract(
            authority=first.authority,
            offer=first.offer,
            intervention_type=first.intervention_type,
            status=status,
        )

    assert StandardContract.objects.filter(provider=first.provider).count() == 5


# One-object rules -------------------------------------------------------------


def test_the_offer_must_belong_to_the_provider():
    contract = make_standard_contract()
    contract.offer = make_offer()

    with pytest.raises(ValidationError) as error:
        contract.full_clean()

    assert error.value.message_dict["offer"] == ["Tilbuddet hører til en anden leverandør."]


def test_a_guardian_with_custody_needs_a_name():
    contract = make_individual_contract(custody=IndividualContract.Custody.GUARDIAN)

    with pytest.raises(ValidationError) as error:
        contract.full_clean()

    assert "guardian_name" in error.value.message_dict


# Who sees which contracts -------------------------------------------------------


def test_standard_contracts_are_visible_per_role(
    secretariat_user, municipality_user, other_municipality_user, provider_leader, provider
):
    own_authority = make_standard_contract()  # Aarhus
    own_provider = make_standard_contract(
        authority=Municipality.objects.get(code=101), offer=make_offer(provider)
    )
    unrelated = make_standard_contract(authority=Municipality.objects.get(code=101))

    assert set(StandardContract.objects.visible_to(secretariat_user)) == {
        own_authority,
        own_provider,
        unrelated,
    }
    assert set(StandardContract.objects.visible_to(municipality_user)) == {own_authority}
    assert set(StandardContract.objects.visible_to(other_municipality_user)) == set()
    assert set(StandardContract.objects.visible_to(provider_leader)) == {own_provider}
    assert not StandardContract.objects.visible_to(AnonymousUser()).exists()


def test_individual_contracts_are_visible_where_the_municipality_acts_or_pays(
    municipality_user, other_municipality_user, provider_leader, provider, aarhus, randers
):
    standard = make_signed_standard_contract(
        authority=Municipality.objects.get(code=101), offer=make_offer(provider)
    )
    acting = make_individual_contract(standard, acting_municipality=aarhus)
    paying = make_individual_contract(
        standard, acting_municipality=randers, paying_municipality=aarhus
    )
    neither = make_individual_contract(standard, acting_municipality=randers)

    assert set(IndividualContract.objects.visible_to(municipality_user)) == {acting, paying}
    assert set(IndividualContract.objects.visible_to(other_municipality_user)) == {
        paying,
        neither,
    }
    assert set(IndividualContract.objects.visible_to(provider_leader)) == {
        acting,
        paying,
        neither,
    }


def test_history_tables_do_not_hold_cpr_numbers():
    contract = make_individual_contract()
    historical = contract.history.model

    names = {field.name for field in historical._meta.fields}

    assert not names & {"citizen_cpr", "father_cpr", "mother_cpr", "guardian_cpr"}
    assert contract.history.count() == 1
