import datetime

import pytest

from contracts.models import ContractFrozen, IndividualContract, StandardContract
from tests.conftest import (
    make_individual_contract,
    make_signed_individual_contract,
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


def test_a_signed_contract_refuses_save_with_changed_text():
    contract = make_standard_contract(status=StandardContract.Status.SIGNED)
    contract.purpose = "Ændret"

    with pytest.raises(ContractFrozen):
        contract.save()

    contract.refresh_from_db()
    assert contract.purpose != "Ændret"
