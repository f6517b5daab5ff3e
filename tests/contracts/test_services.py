"""The lifecycle: every allowed transition, and every forbidden one refused
with a Danish message and nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from contracts import services
from contracts.models import (
    ContractError,
    CprAccessLog,
    GeneralPart,
    IndividualContract,
    Signature,
    StandardContract,
    Status,
)
from tests.conftest import (
    DEMO_CPR_CHILD,
    make_general_part,
    make_individual_contract,
    make_intervention_type,
    make_offer,
    make_signed_individual_contract,
    make_signed_standard_contract,
    make_standard_contract,
    paper_scan,
    record_both_signatures,
    sign_contract,
)

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2025, 1, 10)


def record_both(contract, user):
    return record_both_signatures(contract, user, names=("Underskriver A", "Underskriver B"))


def record_paper(contract, user, party=Signature.Party.AUTHORITY, **fields):
    """One party's signature on paper, recorded by the secretariat."""
    values = {
        "signer_name": "Socialchef",
        "signer_title": "Chef",
        "signed_on": SIGNED_ON,
        "scan": paper_scan(),
    } | fields
    return services.contract_record_paper_signature(
        contract=contract, user=user, party=party, **values
    )


def sign(contract, user):
    return sign_contract(contract, user)


def snapshot(contract) -> dict:
    contract.refresh_from_db()
    return {
        field.attname: getattr(contract, field.attname)
        for field in type(contract)._meta.concrete_fields
    } | {"signatures": contract.signatures.count()}


def standard_fields(**extra) -> dict:
    contract = make_standard_contract()
    fields = {
        name: getattr(contract, name)
        for name in services.editable_fields(StandardContract)
        if name not in {"authority", "provider", "offer", "intervention_type", "general_part"}
    }
    contract.delete()
    contract.general_part.delete()
    return fields | extra


# Allowed transitions ---------------------------------------------------------


def test_a_standard_contract_is_created_as_a_numbered_draft_with_history(secretariat_user):
    offer = make_offer()
    general = make_general_part()
    contract = services.standard_contract_create(
        user=secretariat_user,
        authority=general.authority,
        provider=offer.provider,
        offer=offer,
        intervention_type=make_intervention_type(),
        **standard_fields(),
    )

    contract.refresh_from_db()
    assert contract.status == Status.DRAFT
    assert contract.number == f"SK-{contract.pk:06d}"
    assert contract.general_part == general
    assert contract.history.first().history_user == secretariat_user


def test_a_new_standard_contracts_number_is_in_its_history_with_the_user(secretariat_user):
    offer = make_offer()
    general = make_general_part()
    contract = services.standard_contract_create(
        user=secretariat_user,
        authority=general.authority,
        provider=offer.provider,
        offer=offer,
        intervention_type=make_intervention_type(),
        **standard_fields(),
    )

    records = list(contract.history.all())
    assert [(r.history_type, r.number, r.history_user) for r in records] == [
        ("+", f"SK-{contract.pk:06d}", secretariat_user)
    ]
    assert records[0].history_change_reason == "Standardkontrakt oprettet"


def test_a_new_individual_contracts_number_is_in_its_history_with_the_user(secretariat_user):
    standard = make_signed_standard_contract()
    fields = {
        name: getattr(make_individual_contract(standard), name)
        for name in services.editable_fields(IndividualContract)
        if name != "standard_contract"
    }

    contract = services.individual_contract_create(
        user=secretariat_user, standard_contract=standard, **fields
    )

    records = list(contract.history.all())
    assert [(r.history_type, r.number, r.history_user) for r in records] == [
        ("+", f"IK-{contract.pk:06d}", secretariat_user)
    ]
    contract.refresh_from_db()
    assert contract.number == records[0].number


@pytest.mark.parametrize(
    ("code", "legal_basis", "fits"),
    [
        ("botilbud-107", "SEL § 107", True),
        ("botilbud-107", "SEL § 84", False),
        ("aflastning", "SEL § 84", True),
        ("botilbud-108", "SEL § 107", False),
        ("doegnanbringelse", "SEL § 66", True),
        ("kontaktperson", "SEL § 108", False),
    ],
)
def test_the_intervention_type_must_fit_the_offers_paragraph(
    secretariat_user, code, legal_basis, fits
):
    offer = make_offer(legal_basis=legal_basis)
    general = make_general_part()

    def create():
        return services.standard_contract_create(
            user=secretariat_user,
            authority=general.authority,
            provider=offer.provider,
            offer=offer,
            intervention_type=make_intervention_type(code),
            **standard_fields(),
        )

    if fits:
        assert create().offer == offer
    else:
        with pytest.raises(ContractError, match="passer ikke til"):
            create()
        assert not StandardContract.objects.exists()


def test_changing_a_drafts_offer_to_one_that_does_not_fit_is_refused(secretariat_user):
    contract = make_standard_contract()
    respite = make_offer(contract.provider, legal_basis="SEL § 84")
    with pytest.raises(ContractError, match="passer ikke til"):
        services.contract_update(contract=contract, user=secretariat_user, offer=respite)
    contract.refresh_from_db()
    assert contract.offer != respite


def test_a_contract_walks_from_draft_to_signed(secretariat_user):
    contract = make_standard_contract()

    contract = services.contract_submit(contract=contract, user=secretariat_user)
    assert contract.status == Status.AWAITING_SIGNATURE
    assert len(contract.signing_pdf_sha256) == 64
    # The last signature signs the contract.
    record_both(contract, secretariat_user)

    contract.refresh_from_db()
    assert contract.status == Status.SIGNED
    assert contract.signed_at is not None
    assert len(contract.pdf_sha256) == 64
    assert contract.history.first().history_change_reason == "Underskrevet af begge parter"
    assert contract.history.first().history_user == secretariat_user


def test_a_contract_awaiting_signature_returns_to_draft_without_its_signatures(
    secretariat_user,
):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    record_paper(contract, secretariat_user)

    contract = services.contract_return_to_draft(contract=contract, user=secretariat_user)

    assert contract.status == Status.DRAFT
    assert contract.signatures.count() == 0
    assert contract.signing_pdf_sha256 == ""
    assert not contract.signing_pdf


def test_a_signed_contract_is_terminated_with_date_and_reason(secretariat_user):
    contract = sign(make_standard_contract(), secretariat_user)

    contract = services.contract_terminate(
        contract=contract,
        user=secretariat_user,
        terminated_on=datetime.date(2025, 6, 30),
        reason="Leverandøren lukker.",
    )

    contract.refresh_from_db()
    assert contract.status == Status.TERMINATED
    assert contract.terminated_on == datetime.date(2025, 6, 30)


def test_a_signed_contract_expires_after_its_end_date(secretariat_user):
    contract = sign(make_standard_contract(ends_on=datetime.date(2025, 12, 31)), secretariat_user)

    contract = services.contract_expire(
        contract=contract, user=secretariat_user, today=datetime.date(2026, 1, 1)
    )

    assert contract.status == Status.EXPIRED


def test_an_amendment_is_a_new_version_that_replaces_the_signed_one_when_signed(
    secretariat_user,
):
    original = sign(make_standard_contract(), secretariat_user)

    amendment = services.contract_amend(contract=original, user=secretariat_user)
    amendment = services.contract_update(
        contract=amendment, user=secretariat_user, price=Decimal("2500.00")
    )
    assert amendment.number == original.number
    assert amendment.version == 2
    assert amendment.replaces == original
    original.refresh_from_db()
    assert original.status == Status.SIGNED  # in force until the amendment is signed

    amendment = sign(amendment, secretariat_user)

    original.refresh_from_db()
    assert original.status == Status.SUPERSEDED
    assert original.price == Decimal("2150.50")
    assert amendment.status == Status.SIGNED
    assert amendment.price == Decimal("2500.00")


def individual_fields(standard) -> dict:
    """What a user fills in for an individual contract under `standard`."""
    return {
        name: getattr(make_individual_contract(standard), name)
        for name in services.editable_fields(IndividualContract)
        if name != "standard_contract"
    }


def test_an_individual_contract_is_created_and_signed_under_a_signed_standard_contract(
    secretariat_user,
):
    standard = make_signed_standard_contract()
    fields = individual_fields(standard)

    contract = services.individual_contract_create(
        user=secretariat_user, standard_contract=standard, **fields
    )
    contract = sign(contract, secretariat_user)

    assert contract.status == Status.SIGNED
    assert contract.number.startswith("IK-")
    assert len(contract.pdf_masked_sha256) == 64
    assert contract in IndividualContract.objects.active(on=datetime.date(2025, 3, 1))


def test_an_individual_contract_is_filed_under_its_standard_contracts_provider_and_offer(
    secretariat_user,
):
    standard = make_signed_standard_contract()
    other = make_signed_standard_contract(authority=standard.authority, offer=make_offer())

    contract = services.individual_contract_create(
        user=secretariat_user, standard_contract=standard, **individual_fields(standard)
    )
    stored = IndividualContract.objects.get(pk=contract.pk)
    assert (stored.provider, stored.offer) == (standard.provider, standard.offer)

    services.contract_update(contract=contract, user=secretariat_user, standard_contract=other)
    assert other.provider != standard.provider
    assert other.offer != standard.offer
    stored = IndividualContract.objects.get(pk=contract.pk)
    assert (stored.provider, stored.offer) == (other.provider, other.offer)


# Forbidden transitions -------------------------------------------------------


def test_signing_with_one_signature_is_refused_and_changes_nothing(secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    record_paper(contract, secretariat_user)
    before = snapshot(contract)

    with pytest.raises(ContractError) as refusal:
        services.contract_sign(contract=contract, user=secretariat_user)

    assert "Begge parter skal underskrive" in refusal.value.message
    assert "Som leverandør" in refusal.value.message
    assert snapshot(contract) == before


def test_signing_a_draft_is_refused(secretariat_user):
    contract = make_standard_contract()
    before = snapshot(contract)

    with pytest.raises(ContractError) as refusal:
        services.contract_sign(contract=contract, user=secretariat_user)

    assert refusal.value.message == ("En kontrakt, der er “Udkast”, kan ikke blive “Underskrevet”.")
    assert snapshot(contract) == before


@pytest.mark.parametrize(
    "status",
    [
        Status.SIGNED,
        Status.TERMINATED,
        Status.EXPIRED,
        Status.SUPERSEDED,
        Status.AWAITING_SIGNATURE,
    ],
)
def test_only_a_draft_can_be_sent_for_signature(secretariat_user, status):
    contract = make_standard_contract(status=status)
    before = snapshot(contract)

    with pytest.raises(ContractError, match="kan ikke blive “Afventer underskrift”"):
        services.contract_submit(contract=contract, user=secretariat_user)

    assert snapshot(contract) == before


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.AWAITING_SIGNATURE, Status.TERMINATED, Status.EXPIRED]
)
def test_only_a_signed_contract_can_be_terminated(secretariat_user, status):
    contract = make_standard_contract(status=status)
    before = snapshot(contract)

    with pytest.raises(ContractError, match="kan ikke blive “Opsagt”"):
        services.contract_terminate(
            contract=contract,
            user=secretariat_user,
            terminated_on=datetime.date(2025, 6, 30),
            reason="Opsagt.",
        )

    assert snapshot(contract) == before


def test_a_contract_does_not_expire_on_its_last_day(secretariat_user):
    contract = make_signed_standard_contract(ends_on=datetime.date(2025, 12, 31))
    before = snapshot(contract)

    with pytest.raises(ContractError, match="har ikke nået sin ophørsdato"):
        services.contract_expire(
            contract=contract, user=secretariat_user, today=datetime.date(2025, 12, 31)
        )

    assert snapshot(contract) == before


def test_an_open_ended_contract_cannot_expire(secretariat_user):
    contract = make_signed_standard_contract()
    before = snapshot(contract)

    with pytest.raises(ContractError, match="har ikke nået sin ophørsdato"):
        services.contract_expire(contract=contract, user=secretariat_user)

    assert snapshot(contract) == before


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.AWAITING_SIGNATURE, Status.TERMINATED, Status.SUPERSEDED]
)
def test_only_a_signed_contract_can_expire(secretariat_user, status):
    contract = make_standard_contract(status=status, ends_on=datetime.date(2025, 12, 31))
    before = snapshot(contract)

    with pytest.raises(ContractError, match="kan ikke blive “Udløbet”"):
        services.contract_expire(
            contract=contract, user=secretariat_user, today=datetime.date(2026, 1, 1)
        )

    assert snapshot(contract) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SIGNED, Status.TERMINATED])
def test_only_a_contract_awaiting_signature_returns_to_draft(secretariat_user, status):
    contract = make_standard_contract(status=status)
    before = snapshot(contract)

    with pytest.raises(ContractError, match="kan ikke blive “Udkast”"):
        services.contract_return_to_draft(contract=contract, user=secretariat_user)

    assert snapshot(contract) == before


def test_termination_needs_a_reason(secretariat_user):
    contract = make_signed_standard_contract()
    before = snapshot(contract)

    with pytest.raises(ContractError, match="Angiv begrundelsen"):
        services.contract_terminate(
            contract=contract,
            user=secretariat_user,
            terminated_on=datetime.date(2025, 6, 30),
            reason="  ",
        )

    assert snapshot(contract) == before


def test_a_standard_contract_with_running_individual_contracts_cannot_be_terminated(
    secretariat_user,
):
    individual = make_signed_individual_contract(ends_on=datetime.date(2025, 6, 30))
    standard = individual.standard_contract
    before = snapshot(standard)

    with pytest.raises(ContractError, match="opsig dem først"):
        services.contract_terminate(
            contract=standard,
            user=secretariat_user,
            terminated_on=datetime.date(2025, 6, 30),
            reason="Opsagt.",
        )
    assert snapshot(standard) == before
    # The day after the individual contract has ended, it can.
    terminated = services.contract_terminate(
        contract=standard,
        user=secretariat_user,
        terminated_on=datetime.date(2025, 7, 1),
        reason="Opsagt.",
    )
    assert terminated.status == Status.TERMINATED


def test_signatures_are_recorded_only_while_awaiting_signature(secretariat_user):
    contract = make_standard_contract()

    with pytest.raises(ContractError, match="kun på en kontrakt, der afventer underskrift"):
        record_paper(contract, secretariat_user)

    assert contract.signatures.count() == 0


def test_a_party_signs_only_once(secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)
    record_paper(contract, secretariat_user)

    with pytest.raises(ContractError, match="allerede underskrevet"):
        record_paper(contract, secretariat_user, signer_name="En anden")

    assert contract.signatures.count() == 1


def test_a_signature_cannot_be_dated_in_the_future(secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)

    with pytest.raises(ContractError, match="fremtiden"):
        record_paper(
            contract,
            secretariat_user,
            Signature.Party.PROVIDER,
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert contract.signatures.count() == 0


def test_a_signature_may_be_dated_today(secretariat_user):
    contract = services.contract_submit(contract=make_standard_contract(), user=secretariat_user)

    record_paper(
        contract, secretariat_user, Signature.Party.PROVIDER, signed_on=timezone.localdate()
    )

    assert [signature.signed_on for signature in contract.signatures.all()] == [
        timezone.localdate()
    ]


@pytest.mark.parametrize("status", [Status.AWAITING_SIGNATURE, Status.SIGNED, Status.TERMINATED])
def test_editing_anything_but_a_draft_through_the_service_is_refused(secretariat_user, status):
    contract = make_standard_contract(status=status)
    before = snapshot(contract)

    with pytest.raises(ContractError) as refusal:
        services.contract_update(contract=contract, user=secretariat_user, purpose="Ændret")

    assert refusal.value.message.startswith("Kun et udkast kan ændres.")
    assert snapshot(contract) == before


def test_lifecycle_fields_cannot_be_set_through_the_update_service(secretariat_user):
    contract = make_standard_contract()
    before = snapshot(contract)

    with pytest.raises(ContractError, match="Disse felter kan ikke ændres"):
        services.contract_update(contract=contract, user=secretariat_user, status=Status.SIGNED)

    assert snapshot(contract) == before

    contract.refresh_from_db()
    assert contract.status == Status.DRAFT


def test_only_a_signed_contract_can_be_amended_and_only_once(secretariat_user):
    draft = make_standard_contract()
    before = snapshot(draft)
    with pytest.raises(ContractError, match="Kun en underskrevet kontrakt"):
        services.contract_amend(contract=draft, user=secretariat_user)
    assert snapshot(draft) == before
    assert StandardContract.objects.filter(number=draft.number).count() == 1

    signed = make_signed_standard_contract()
    services.contract_amend(contract=signed, user=secretariat_user)
    with pytest.raises(ContractError, match="allerede et tillæg"):
        services.contract_amend(contract=signed, user=secretariat_user)
    assert StandardContract.objects.filter(number=signed.number).count() == 2


# R7: individual contracts hang off a signed standard contract ---------------


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.AWAITING_SIGNATURE, Status.TERMINATED, Status.EXPIRED]
)
def test_an_individual_contract_under_an_unsigned_standard_contract_is_refused(
    secretariat_user, status
):
    standard = make_standard_contract(status=status)
    template = make_individual_contract(make_signed_standard_contract())
    fields = {
        name: getattr(template, name)
        for name in services.editable_fields(IndividualContract)
        if name != "standard_contract"
    }
    count = IndividualContract.objects.count()

    with pytest.raises(ContractError) as refusal:
        services.individual_contract_create(
            user=secretariat_user, standard_contract=standard, **fields
        )

    assert "kun indgås under en underskrevet standardkontrakt" in refusal.value.message
    assert IndividualContract.objects.count() == count


def test_an_individual_contract_is_not_signed_once_its_standard_contract_has_ended(
    secretariat_user,
):
    individual = make_individual_contract()
    individual = services.contract_submit(contract=individual, user=secretariat_user)
    record_paper(individual, secretariat_user)
    StandardContract.objects.filter(pk=individual.standard_contract_id).update(
        status=Status.TERMINATED
    )

    with pytest.raises(ContractError, match="kun underskrives under en underskrevet"):
        record_paper(individual, secretariat_user, Signature.Party.PROVIDER)

    individual.refresh_from_db()
    assert individual.status == Status.AWAITING_SIGNATURE
    assert individual.signatures.count() == 1


def test_an_individual_contracts_amendment_hangs_off_the_standard_contracts_newest_version(
    secretariat_user,
):
    individual = make_signed_individual_contract()
    standard_v2 = sign(
        services.contract_amend(contract=individual.standard_contract, user=secretariat_user),
        secretariat_user,
    )

    amendment = services.contract_amend(contract=individual, user=secretariat_user)

    assert amendment.standard_contract == standard_v2
    assert amendment.citizen_cpr == DEMO_CPR_CHILD


# R8: one signed standard contract per authority, provider and type ----------


def test_a_second_standard_contract_for_the_same_authority_provider_and_type_is_refused(
    secretariat_user,
):
    signed = make_signed_standard_contract()
    count = StandardContract.objects.count()

    with pytest.raises(ContractError, match="Lav i stedet et tillæg"):
        services.standard_contract_create(
            user=secretariat_user,
            authority=signed.authority,
            provider=signed.provider,
            offer=signed.offer,
            intervention_type=signed.intervention_type,
            **standard_fields(),
        )

    assert StandardContract.objects.count() == count


def test_another_intervention_type_with_the_same_provider_is_allowed(secretariat_user):
    signed = make_signed_standard_contract()

    contract = services.standard_contract_create(
        user=secretariat_user,
        authority=signed.authority,
        provider=signed.provider,
        offer=make_offer(signed.provider, legal_basis="SEL § 84"),
        intervention_type=make_intervention_type("aflastning"),
        **standard_fields(),
    )

    assert contract.status == Status.DRAFT


def test_signing_a_second_standard_contract_for_the_same_triple_is_refused_by_the_database(
    secretariat_user,
):
    first = make_signed_standard_contract()
    second = make_standard_contract(
        authority=first.authority,
        offer=first.offer,
        intervention_type=first.intervention_type,
        general_part=first.general_part,
    )
    second = services.contract_submit(contract=second, user=secretariat_user)
    record_paper(second, secretariat_user)

    before = snapshot(second)

    with pytest.raises(ContractError, match="har allerede en underskrevet standardkontrakt"):
        record_paper(second, secretariat_user, Signature.Party.PROVIDER)

    second.refresh_from_db()
    assert second.status == Status.AWAITING_SIGNATURE
    assert snapshot(second) == before


# R6 (001): no add-on services under a policy that forbids them --------------


def test_add_on_services_are_refused_when_a_covering_agreement_forbids_them(
    secretariat_user, midtjylland, copenhagen_agreement
):
    copenhagen_agreement.add_on_services_allowed = False
    copenhagen_agreement.save()
    offer = make_offer()
    offer.framework_agreements.add(midtjylland, copenhagen_agreement)

    with pytest.raises(ContractError, match="tillader ikke tillægsydelser"):
        services.standard_contract_create(
            user=secretariat_user,
            authority=make_general_part().authority,
            provider=offer.provider,
            offer=offer,
            intervention_type=make_intervention_type(),
            **standard_fields(add_on_services="Ekstra støtteperson: 450 kr./time"),
        )


def test_add_on_services_are_allowed_when_every_covering_agreement_allows_them(
    secretariat_user, midtjylland
):
    offer = make_offer()
    offer.framework_agreements.add(midtjylland)

    contract = services.standard_contract_create(
        user=secretariat_user,
        authority=make_general_part().authority,
        provider=offer.provider,
        offer=offer,
        intervention_type=make_intervention_type(),
        **standard_fields(add_on_services="Ekstra støtteperson: 450 kr./time"),
    )

    assert contract.add_on_services


def test_an_individual_contract_carries_no_add_on_services_under_such_a_policy(
    copenhagen_secretary, copenhagen_agreement
):
    copenhagen_agreement.add_on_services_allowed = False
    copenhagen_agreement.save()
    individual = make_individual_contract()
    individual.standard_contract.offer.framework_agreements.add(copenhagen_agreement)

    with pytest.raises(ContractError, match="tillader ikke tillægsydelser"):
        services.contract_update(
            contract=individual, user=copenhagen_secretary, add_on_services="Ekstra weekendophold"
        )

    individual.refresh_from_db()
    assert individual.add_on_services == ""


# The general part ------------------------------------------------------------


def test_new_general_terms_are_a_new_version(secretariat_user, aarhus):
    first = services.general_part_create(
        authority=aarhus,
        user=secretariat_user,
        ethics="a",
        payment_terms="b",
        disputes_and_breach="c",
        sanctions_and_termination="d",
    )
    second = services.general_part_create(
        authority=aarhus,
        user=secretariat_user,
        ethics="a2",
        payment_terms="b",
        disputes_and_breach="c",
        sanctions_and_termination="d",
    )

    assert (first.version, second.version) == (1, 2)
    assert GeneralPart.objects.latest_for(aarhus) == second


def test_a_standard_contract_needs_general_terms(secretariat_user, copenhagen):
    offer = make_offer()

    with pytest.raises(ContractError, match="har endnu ingen generelle forhold"):
        services.standard_contract_create(
            user=secretariat_user,
            authority=copenhagen,
            provider=offer.provider,
            offer=offer,
            intervention_type=make_intervention_type(),
            **standard_fields(),
        )


# Full CPR numbers: every access is logged with a purpose ----------------------


@pytest.mark.parametrize("purpose", ["", "   ", "Sag", " abcd "])
def test_full_cpr_access_without_a_real_purpose_is_refused_and_not_logged(
    secretariat_user, purpose
):
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    user = type(secretariat_user).objects.get(pk=secretariat_user.pk)
    contract = make_individual_contract()

    with pytest.raises(ContractError, match="Angiv formålet"):
        services.cpr_access_record(
            user=user,
            action=CprAccessLog.Action.VIEW,
            purpose=purpose,
            cpr=contract.citizen_cpr,
            individual_contract=contract,
        )

    assert not CprAccessLog.objects.exists()


def test_a_purpose_of_five_characters_is_enough_and_is_logged_stripped(secretariat_user):
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    user = type(secretariat_user).objects.get(pk=secretariat_user.pk)
    contract = make_individual_contract()

    entry = services.cpr_access_record(
        user=user,
        action=CprAccessLog.Action.VIEW,
        purpose=" Tilsyn ",
        cpr=contract.citizen_cpr,
        individual_contract=contract,
    )

    assert CprAccessLog.objects.get() == entry
    assert (entry.purpose, entry.person_cpr_masked) == ("Tilsyn", "010315-XXXX")


def test_full_cpr_access_without_the_permission_is_refused_and_not_logged(secretariat_user):
    contract = make_individual_contract()

    with pytest.raises(ContractError):
        services.cpr_access_record(
            user=secretariat_user,
            action=CprAccessLog.Action.VIEW,
            purpose="Tilsyn med anbringelsen",
            cpr=contract.citizen_cpr,
            individual_contract=contract,
        )

    assert not CprAccessLog.objects.exists()


# Validated in full before every write --------------------------------------------------------
# A database refusal quotes the row, CPR numbers included; the services check
# the whole individual contract first, so it is refused with a Danish message.


@pytest.mark.parametrize(
    "step",
    [
        lambda contract, user: services.contract_terminate(
            contract=contract,
            user=user,
            terminated_on=datetime.date(2025, 6, 30),
            reason="Flytter.",
        ),
        lambda contract, user: services.contract_amend(contract=contract, user=user),
    ],
    ids=["terminate", "amend"],
)
def test_an_individual_contract_with_an_invalid_cpr_is_refused_before_the_database(
    secretariat_user, step
):
    contract = make_signed_individual_contract(mother_cpr="3213859002")  # no 32nd day
    with pytest.raises(ContractError, match="gyldig fødselsdato"):
        step(contract, secretariat_user)
    contract.refresh_from_db()
    assert contract.status == Status.SIGNED
    assert IndividualContract.objects.filter(number=contract.number).count() == 1
