"""Retention (README "Personal data"): CPR numbers of contracts that ended more
than CPR_RETENTION_YEARS ago are deleted with the full-CPR PDF — once the
framework agreement records that the archive allows it — access-log rows
older than CPR_LOG_RETENTION_MONTHS are deleted, and a second run changes
nothing more."""

import datetime
import hashlib
import io
import zoneinfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from agreements.models import ArchivingStatus, FrameworkAgreement
from contracts import services
from contracts.models import (
    CPR_FIELDS,
    ContractFrozen,
    CprAccessLog,
    IndividualContract,
    Status,
    cpr_removal_permitted,
)
from tests.conftest import (
    DEMO_CPR_CHILD,
    DEMO_CPR_FATHER,
    DEMO_CPR_MOTHER,
    make_individual_contract,
    make_signed_standard_contract,
    sign_contract,
)

pytestmark = pytest.mark.django_db

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=COPENHAGEN)
TODAY = NOW.date()


def ended(
    on: datetime.date, standard, status: str = Status.EXPIRED, **fields
) -> IndividualContract:
    """An expired contract (built directly, no PDF) that ended `on`."""
    return make_individual_contract(
        standard,
        status=status,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=on,
        father_name="Testfar Testesen",
        father_cpr=DEMO_CPR_FATHER,
        **fields,
    )


def record_archiving(agreement: FrameworkAgreement, status: str) -> FrameworkAgreement:
    """Record an archiving status on the agreement, or none (`status` empty)."""
    agreement.archiving_status = status
    agreement.archiving_reference = "Stadsarkivet j.nr. 2026-117" if status else ""
    agreement.archiving_date = datetime.date(2026, 3, 1) if status else None
    agreement.full_clean()
    agreement.save()
    return agreement


@pytest.fixture
def standard(midtjylland):
    """Under Midtjylland, whose contract records the archive allows discarding."""
    record_archiving(midtjylland, ArchivingStatus.DISCARD_PERMITTED)
    standard = make_signed_standard_contract()
    standard.offer.framework_agreements.add(midtjylland)
    return standard


@pytest.fixture
def six_years_ago(standard, secretariat_user):
    """Signed through the services (so both PDFs are stored), then expired."""
    contract = make_individual_contract(
        standard, starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 11, 27)
    )
    contract = sign_contract(contract, secretariat_user)
    return services.contract_expire(contract=contract, user=secretariat_user, today=TODAY)


def apply(django_capture_on_commit_callbacks) -> services.RetentionResult:
    with django_capture_on_commit_callbacks(execute=True):
        return services.cpr_retention_apply(now=NOW)


def cprs(contract: IndividualContract) -> list[str]:
    contract.refresh_from_db()
    return [getattr(contract, name) for name in CPR_FIELDS]


def test_cpr_of_a_contract_ended_six_years_ago_is_deleted_with_its_full_pdf(
    six_years_ago, django_capture_on_commit_callbacks
):
    contract = six_years_ago
    full_pdf, masked_pdf = contract.pdf.name, contract.pdf_masked.name
    assert default_storage.exists(full_pdf) and default_storage.exists(masked_pdf)

    result = apply(django_capture_on_commit_callbacks)

    assert (result.contracts_cleared, result.pdfs_deleted) == (1, 1)
    assert cprs(contract) == ["", "", "", ""]
    assert contract.cpr_removed_on == TODAY
    assert not default_storage.exists(full_pdf)
    assert (contract.pdf.name, contract.pdf_sha256) == ("", "")
    with default_storage.open(masked_pdf) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == contract.pdf_masked_sha256
    latest = contract.history.first()
    assert latest.history_change_reason == "Cpr-numre slettet efter opbevaringsperioden"


def test_the_history_tables_hold_no_cpr_before_or_after(
    six_years_ago, django_capture_on_commit_callbacks
):
    history = IndividualContract.history.model
    columns = {field.attname for field in history._meta.concrete_fields}
    assert not columns & set(CPR_FIELDS)

    def history_text() -> str:
        return repr(list(history.objects.values_list()))

    numbers = (DEMO_CPR_CHILD, DEMO_CPR_MOTHER, "010315-9001", "120785-9002")
    assert history.objects.filter(id=six_years_ago.pk).count() >= 3
    assert not any(number in history_text() for number in numbers)
    apply(django_capture_on_commit_callbacks)
    assert not any(number in history_text() for number in numbers)


def test_the_retention_period_is_more_than_five_years_to_the_day(
    standard, django_capture_on_commit_callbacks
):
    one_day_over = ended(datetime.date(2021, 11, 26), standard)
    exactly_five = ended(datetime.date(2021, 11, 27), standard)
    four_years = ended(datetime.date(2022, 11, 27), standard)
    running = make_individual_contract(standard, status=Status.SIGNED)

    result = apply(django_capture_on_commit_callbacks)

    assert result.contracts_cleared == 1
    assert cprs(one_day_over) == ["", "", "", ""]
    assert cprs(exactly_five) == [DEMO_CPR_CHILD, DEMO_CPR_FATHER, DEMO_CPR_MOTHER, ""]
    assert cprs(four_years) == [DEMO_CPR_CHILD, DEMO_CPR_FATHER, DEMO_CPR_MOTHER, ""]
    assert cprs(running)[0] == DEMO_CPR_CHILD


def test_the_data_controller_sets_the_period(
    standard, settings, django_capture_on_commit_callbacks
):
    settings.CPR_RETENTION_YEARS = 3
    four_years = ended(datetime.date(2022, 11, 27), standard)

    apply(django_capture_on_commit_callbacks)

    assert cprs(four_years) == ["", "", "", ""]


def test_a_terminated_contract_counts_from_its_termination(
    standard, django_capture_on_commit_callbacks
):
    terminated = make_individual_contract(
        standard,
        status=Status.TERMINATED,
        starts_on=datetime.date(2019, 1, 1),
        terminated_on=datetime.date(2020, 6, 30),
        termination_reason="Flyttet.",
    )
    terminated_lately = make_individual_contract(
        standard,
        status=Status.TERMINATED,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 6, 30),
        terminated_on=datetime.date(2023, 1, 31),
        termination_reason="Flyttet.",
    )

    apply(django_capture_on_commit_callbacks)

    assert cprs(terminated)[0] == ""
    assert cprs(terminated_lately)[0] == DEMO_CPR_CHILD


def test_a_replaced_version_goes_with_the_contract_that_replaced_it(
    standard, django_capture_on_commit_callbacks
):
    def chain(amendment_ended_on: datetime.date) -> tuple[IndividualContract, ...]:
        first = ended(datetime.date(2019, 12, 31), standard, status=Status.SUPERSEDED)
        return first, ended(amendment_ended_on, standard, replaces=first)

    still_running = chain(datetime.date(2024, 1, 31))
    long_ended = chain(datetime.date(2021, 1, 31))

    result = apply(django_capture_on_commit_callbacks)

    assert result.contracts_cleared == 2
    # The amendment ended less than five years ago: the version it replaced stays too.
    assert [cprs(version)[0] for version in still_running] == [DEMO_CPR_CHILD] * 2
    assert [cprs(version)[0] for version in long_ended] == ["", ""]


def _log(user, at: datetime.datetime) -> CprAccessLog:
    entry = services.cpr_access_record(
        user=user, action=CprAccessLog.Action.SEARCH, purpose="Henvendelse", cpr=DEMO_CPR_CHILD
    )
    CprAccessLog.objects.filter(pk=entry.pk).update(at=at)
    return entry


def test_log_rows_older_than_six_months_are_deleted(
    secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    user = type(secretariat_user).objects.get(pk=secretariat_user.pk)
    six_months = datetime.datetime(2026, 5, 27, 10, 0, tzinfo=COPENHAGEN)
    older = _log(user, six_months - datetime.timedelta(seconds=1))
    exactly = _log(user, six_months)
    newer = _log(user, six_months + datetime.timedelta(days=1))

    result = apply(django_capture_on_commit_callbacks)

    assert result.log_rows_deleted == 1
    assert set(CprAccessLog.objects.values_list("pk", flat=True)) == {exactly.pk, newer.pk}
    assert not CprAccessLog.objects.filter(pk=older.pk).exists()


def test_twice_changes_nothing_more(
    six_years_ago, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    user = type(secretariat_user).objects.get(pk=secretariat_user.pk)
    _log(user, NOW - datetime.timedelta(days=400))
    first = apply(django_capture_on_commit_callbacks)
    history_rows = IndividualContract.history.count()
    masked = six_years_ago.pdf_masked.name

    second = apply(django_capture_on_commit_callbacks)

    assert (first.contracts_cleared, first.pdfs_deleted, first.log_rows_deleted) == (1, 1, 1)
    assert (second.contracts_cleared, second.pdfs_deleted, second.log_rows_deleted) == (0, 0, 0)
    assert IndividualContract.history.count() == history_rows
    assert default_storage.exists(masked)


def test_the_command_says_what_it_did_in_danish(six_years_ago, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    text = out.getvalue()

    # Today is after November 2026, so the contract ended more than five years ago.
    assert "Cpr-numre slettet i 1 individuelle kontrakter" in text
    assert "1 PDF-filer med fulde cpr-numre slettet" in text
    assert "0 rækker i cpr-adgangsloggen ældre end 6 måneder slettet" in text


# The archive decides first --------------------------------------------------------


def test_without_an_archiving_status_the_numbers_of_a_contract_ended_six_years_ago_stay(
    standard, midtjylland, django_capture_on_commit_callbacks
):
    record_archiving(midtjylland, "")
    contract = ended(datetime.date(2020, 11, 27), standard)

    result = apply(django_capture_on_commit_callbacks)

    assert result.contracts_cleared == 0
    assert cprs(contract) == [DEMO_CPR_CHILD, DEMO_CPR_FATHER, DEMO_CPR_MOTHER, ""]
    assert [hold.reference for hold in result.held] == [contract.reference]
    assert midtjylland.name in result.held[0].reason


@pytest.mark.parametrize("status", [ArchivingStatus.DISCARD_PERMITTED, ArchivingStatus.DELIVERED])
def test_either_archiving_status_releases_the_numbers(
    standard, midtjylland, status, django_capture_on_commit_callbacks
):
    record_archiving(midtjylland, status)
    contract = ended(datetime.date(2020, 11, 27), standard)

    result = apply(django_capture_on_commit_callbacks)

    assert (result.contracts_cleared, result.held) == (1, [])
    assert cprs(contract) == ["", "", "", ""]


def test_every_agreement_covering_the_offer_must_have_released_the_records(
    standard, copenhagen_agreement, django_capture_on_commit_callbacks
):
    standard.offer.framework_agreements.add(copenhagen_agreement)
    contract = ended(datetime.date(2020, 11, 27), standard)

    result = apply(django_capture_on_commit_callbacks)

    assert cprs(contract)[0] == DEMO_CPR_CHILD
    assert copenhagen_agreement.name in result.held[0].reason
    assert "Midtjylland" not in result.held[0].reason


def test_a_contract_whose_offer_no_agreement_covers_is_kept(
    standard, django_capture_on_commit_callbacks
):
    standard.offer.framework_agreements.clear()
    contract = ended(datetime.date(2020, 11, 27), standard)

    result = apply(django_capture_on_commit_callbacks)

    assert cprs(contract)[0] == DEMO_CPR_CHILD
    assert result.held[0].reason == "tilbuddet er ikke omfattet af en rammeaftale"


def test_the_command_prints_the_contracts_it_kept_and_why(
    standard, midtjylland, django_capture_on_commit_callbacks
):
    record_archiving(midtjylland, "")
    contract = ended(datetime.date(2020, 11, 27), standard)
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    text = out.getvalue()

    assert f"Cpr-numrene i {contract.reference} er bevaret: ingen arkiveringsstatus" in text
    assert midtjylland.name in text
    assert "1 kontrakter efter opbevaringsperioden venter på en arkiveringsbeslutning" in text
    assert cprs(contract)[0] == DEMO_CPR_CHILD


@pytest.mark.parametrize(
    ("status", "reference", "date"),
    [
        (ArchivingStatus.DELIVERED, "", datetime.date(2026, 3, 1)),
        (ArchivingStatus.DISCARD_PERMITTED, "J.nr. 1", None),
        ("", "J.nr. 1", None),
        ("", "", datetime.date(2026, 3, 1)),
    ],
)
def test_an_archiving_status_needs_its_reference_and_date_and_they_need_a_status(
    midtjylland, status, reference, date
):
    midtjylland.archiving_status = status
    midtjylland.archiving_reference = reference
    midtjylland.archiving_date = date

    with pytest.raises(ValidationError, match="arkiveringsstatus"):
        midtjylland.full_clean()


# Only the retention service may touch a frozen contract's numbers ------------------


def test_the_frozen_guard_refuses_removing_cpr_from_a_signed_contract_elsewhere(standard):
    contract = ended(datetime.date(2020, 1, 31), standard)
    contract.mother_cpr = ""

    with pytest.raises(ContractFrozen):
        contract.save()


def test_the_retention_permit_lets_nothing_else_through(standard):
    contract = ended(datetime.date(2020, 1, 31), standard)
    contract.mother_cpr = ""
    contract.scope = "Ændret efter underskrift."

    with cpr_removal_permitted(), pytest.raises(ContractFrozen):
        contract.save()


def test_the_database_refuses_numbers_on_a_contract_marked_cleared(standard):
    from django.db import IntegrityError

    contract = make_individual_contract(standard)
    with pytest.raises(IntegrityError):
        IndividualContract.objects.filter(pk=contract.pk).update(cpr_removed_on=TODAY)


# The pages ---------------------------------------------------------------------------


def test_the_contract_page_and_pdf_say_the_numbers_were_deleted(
    client, six_years_ago, secretariat_user, django_capture_on_commit_callbacks
):
    apply(django_capture_on_commit_callbacks)
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    client.force_login(type(secretariat_user).objects.get(pk=secretariat_user.pk))
    detail = reverse("contracts:individual_contract_detail", args=[six_years_ago.pk])
    pdf = reverse("contracts:individual_contract_pdf", args=[six_years_ago.pk])

    body = client.get(detail).content.decode()
    assert body.count("Slettet efter opbevaringsperioden") == 2  # the child and the mother
    assert "Vis fulde cpr-numre" not in body

    response = client.post(pdf, {"purpose": "Journalisering"}, follow=True)
    assert "Cpr-numrene blev slettet efter opbevaringsperioden" in response.content.decode()
    assert CprAccessLog.objects.count() == 0

    masked = client.get(pdf)
    data = b"".join(masked.streaming_content)
    assert hashlib.sha256(data).hexdigest() == six_years_ago.pdf_masked_sha256


def test_a_fresh_rendering_says_the_numbers_were_deleted(standard):
    from contracts import pdf

    contract = ended(datetime.date(2020, 1, 31), standard)
    services.individual_contract_remove_cpr(contract=contract, today=TODAY)
    contract.refresh_from_db()

    family = dict(pdf.individual_context(contract, full_cpr=True)["family"])

    assert family["Barnets cpr-nr."] == "Slettet efter opbevaringsperioden"
