"""Both parties signing at the same moment sign the contract once: the
contract's row lock (select_for_update) makes the second wait for the first.
Needs PostgreSQL's row locks."""

import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from contracts import services
from contracts.models import Signature, StandardContract, Status
from tests.conftest import make_secretary, make_standard_contract, make_user
from tests.contracts.test_signing import fresh_code


@pytest.mark.postgres
@pytest.mark.parametrize("first", [Signature.Party.AUTHORITY, Signature.Party.PROVIDER])
def test_both_parties_signing_at_once_sign_the_contract_once(
    transactional_db, reference_data, first
):
    secretary = make_secretary("sara")
    staff = make_user("karen", first_name="Karen", last_name="Kommune")
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="contracts", codename="sign_for_authority")
    )
    leader = make_user("lars", first_name="Lars", last_name="Leder")
    contract = make_standard_contract()
    contract.authority.staff.add(staff)
    contract.provider.leaders.add(leader)
    contract = services.contract_submit(contract=contract, user=secretary)
    signatories = {Signature.Party.AUTHORITY: staff, Signature.Party.PROVIDER: leader}
    order = sorted(signatories, key=lambda party: party != first)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sign(party):
        try:
            barrier.wait()
            services.contract_sign_digitally(
                contract=StandardContract.objects.get(pk=contract.pk),
                user=signatories[party],
                party=party,
                signer_title="Leder",
                authentication=fresh_code(),
            )
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(party,)) for party in order]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    contract = StandardContract.objects.get(pk=contract.pk)
    assert contract.status == Status.SIGNED
    assert contract.signatures.count() == 2
    assert contract.history.filter(status=Status.SIGNED).count() == 1
    assert len(contract.pdf_sha256) == 64
