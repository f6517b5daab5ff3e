"""Upgrading files every existing individual contract, and its history,
under its standard contract's provider and offer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import make_individual_contract, make_offer, make_signed_standard_contract

# The column copied from the standard contract, and the migrations before and
# after the copy.
COPIES = {
    "provider": (
        ("contracts", "0011_drop_status_indexes_covered_by_composites"),
        ("contracts", "0013_individual_contract_provider_required"),
    ),
    "offer": (
        ("contracts", "0015_digital_signatures_and_document_for_signature"),
        ("contracts", "0017_individual_contract_offer_required"),
    ),
}


@pytest.mark.parametrize("column", COPIES)
@pytest.mark.django_db(transaction=True)
def test_existing_individual_contracts_get_their_standard_contracts_column(reference_data, column):
    before, after = COPIES[column]
    first = make_individual_contract()
    second = make_individual_contract(make_signed_standard_contract(offer=make_offer()))
    executor = MigrationExecutor(connection)
    executor.migrate([before])

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    IndividualContract = apps.get_model("contracts", "IndividualContract")
    History = apps.get_model("contracts", "HistoricalIndividualContract")
    attname = f"{column}_id"
    for contract in (first, second):
        expected = getattr(contract.standard_contract, attname)
        assert getattr(IndividualContract.objects.get(pk=contract.pk), attname) == expected
        assert set(History.objects.filter(id=contract.pk).values_list(column, flat=True)) == {
            expected
        }
    assert getattr(first, attname) != getattr(second, attname)

    # Back to the latest state.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
