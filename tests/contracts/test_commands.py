import datetime
import hashlib
import stat

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts import services
from contracts.models import CprAccessLog
from tests.conftest import (
    make_individual_contract,
    make_signed_individual_contract,
    make_signed_standard_contract,
    make_standard_contract,
    sign_contract,
)

pytestmark = pytest.mark.django_db


def sign(contract, user):
    return sign_contract(contract, user)


@pytest.fixture
def contracts(secretariat_user):
    standard = sign(make_standard_contract(), secretariat_user)
    individual = sign(make_individual_contract(standard), secretariat_user)
    draft = make_standard_contract()
    awaiting = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    return standard, individual, draft, awaiting


def test_export_writes_one_pdf_per_signed_contract_and_nothing_for_drafts(contracts, tmp_path):
    standard, individual, draft, awaiting = contracts
    out = tmp_path / "arkiv"

    call_command("export_contracts", "--signed", "--out", str(out), verbosity=0)

    files = sorted(path.name for path in out.iterdir())
    assert files == sorted([f"{standard.number}-v1.pdf", f"{individual.number}-v1.pdf"])
    written = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert written[f"{standard.number}-v1.pdf"] == standard.pdf_sha256
    # Individual contracts are exported with CPR numbers masked.
    assert written[f"{individual.number}-v1.pdf"] == individual.pdf_masked_sha256
    assert CprAccessLog.objects.count() == 0


def test_exported_pdfs_are_for_the_exporting_user_alone(contracts, tmp_path):
    standard, *_ = contracts
    out = tmp_path / "arkiv"
    out.mkdir()
    (out / f"{standard.number}-v1.pdf").write_bytes(b"an older export")

    call_command("export_contracts", "--signed", "--out", str(out), verbosity=0)

    files = list(out.iterdir())
    assert len(files) == 2
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}
    # An earlier export of the same contract is overwritten, not kept beside it.
    written = (out / f"{standard.number}-v1.pdf").read_bytes()
    assert hashlib.sha256(written).hexdigest() == standard.pdf_sha256


def test_export_with_full_cpr_needs_a_permitted_user_and_logs_each_contract(
    contracts, tmp_path, secretariat_user
):
    _, individual, _, _ = contracts
    with pytest.raises(CommandError):
        call_command(
            "export_contracts",
            "--signed",
            "--out",
            str(tmp_path),
            "--full-cpr",
            "--user",
            secretariat_user.username,
            "--purpose",
            "Arkivering",
        )
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))

    call_command(
        "export_contracts",
        "--signed",
        "--out",
        str(tmp_path),
        "--full-cpr",
        "--user",
        secretariat_user.username,
        "--purpose",
        "Arkivering",
        verbosity=0,
    )

    data = (tmp_path / f"{individual.number}-v1.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == individual.pdf_sha256
    # One row per person in the exported contract: the child and the mother.
    assert sorted(
        (e.action, e.purpose, e.person, e.individual_contract_id)
        for e in CprAccessLog.objects.all()
    ) == [
        (CprAccessLog.Action.EXPORT, "Arkivering", "child", individual.pk),
        (CprAccessLog.Action.EXPORT, "Arkivering", "mother", individual.pk),
    ]


def test_full_cpr_is_exported_only_for_the_contracts_the_exporter_sees(
    contracts, tmp_path, copenhagen_secretary
):
    _, individual, _, _ = contracts  # Midtjylland's
    copenhagen_secretary.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))

    call_command(
        "export_contracts",
        "--signed",
        "--out",
        str(tmp_path),
        "--full-cpr",
        "--user",
        copenhagen_secretary.username,
        "--purpose",
        "Arkivering",
        verbosity=0,
    )

    data = (tmp_path / f"{individual.number}-v1.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == individual.pdf_masked_sha256
    assert not CprAccessLog.objects.exists()


def test_expire_contracts_expires_signed_contracts_past_their_end_date_only():
    past = make_signed_standard_contract(ends_on=datetime.date(2025, 12, 31))
    ended = make_signed_individual_contract(past, ends_on=datetime.date(2025, 6, 30))
    running = make_signed_standard_contract()
    draft = make_standard_contract(ends_on=datetime.date(2025, 12, 31))

    call_command("expire_contracts", verbosity=0)

    for contract, status in (
        (past, "expired"),
        (ended, "expired"),
        (running, "signed"),
        (draft, "draft"),
    ):
        contract.refresh_from_db()
        assert contract.status == status
