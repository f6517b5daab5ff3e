"""Upgrading files every existing individual contract, and its history,
under its standard contract's provider and offer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import make_individual_contract, make_offer, make_signed_standard_contract

BEFORE = [("contracts", "0011_drop_status_indexes_covered_by_composites")]
AFTER = [("contracts", "0013_individual_contract_provider_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_individual_contracts_get_their_standard_contracts_provider(reference_data):
    first = make_individual_contract()
    second = make_individual_contract(make_signed_standard_contract(offer=make_offer()))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    IndividualContract = apps.get_model("contracts", "IndividualContract")
    History = apps.get_model("contracts", "HistoricalIndividualContract")
    for contract in (first, second):
        expected = contract.standard_contract.provider_id
        assert IndividualContract.objects.get(pk=contract.pk).provider_id == expected
        assert set(History.objects.filter(id=contract.pk).values_list("provider", flat=True)) == {
            expected
        }
    assert first.provider_id != second.provider_id

    # Back to the latest state.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_individual_contracts_get_their_standard_contracts_offer(reference_data):
    before = [("contracts", "0015_digital_signatures_and_document_for_signature")]
    after = [("contracts", "0017_individual_contract_offer_required")]
    first = make_individual_contract()
    second = make_individual_contract(make_signed_standard_contract(offer=make_offer()))
    executor = MigrationExecutor(connection)
    executor.migrate(before)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    IndividualContract = apps.get_model("contracts", "IndividualContract")
    History = apps.get_model("contracts", "HistoricalIndividualContract")
    for contract in (first, second):
        expected = contract.standard_contract.offer_id
        assert IndividualContract.objects.get(pk=contract.pk).offer_id == expected
        assert set(History.objects.filter(id=contract.pk).values_list("offer", flat=True)) == {
            expected
        }
    assert first.offer_id != second.offer_id

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
