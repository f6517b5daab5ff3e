"""The contract workflows: every change of a contract goes through one of these.

Each is keyword-only, atomic, takes the acting user, locks the contract it
changes, records history with the user and a reason, and raises
`ContractError` with a Danish message when the rules refuse it. Views, the
admin, management commands and the demo data all call them.

The lifecycle (models.TRANSITIONS):
draft → awaiting signature → signed → terminated / expired,
awaiting signature → draft (to correct the text; the signatures are removed),
signed → replaced by amendment (when the amendment is signed).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import require_in_scope
from agreements.models import Municipality
from contracts.cpr import cpr_digest, mask_cpr, normalise_cpr
from contracts.models import (
    CPR_FIELDS,
    CPR_PERSONS,
    CPR_PURPOSE_MIN_LENGTH,
    Contract,
    ContractError,
    CprAccessLog,
    GeneralPart,
    IndividualContract,
    InterventionType,
    Signature,
    StandardContract,
    Status,
    cpr_removal_permitted,
)
from providers.models import Offer, Provider


def editable_fields(model: type[Contract]) -> list[str]:
    """The fields a user fills in; the rest (number, version, status, signing
    and termination data) belong to the lifecycle."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key
    ]


def _refused(contract: Contract, to: str) -> ContractError:
    labels = dict(Status.choices)
    return ContractError(
        _("A contract that is “%(current)s” cannot become “%(target)s”.")
        % {"current": labels[contract.status], "target": labels[to]}
    )


def _error_from(error: ValidationError) -> ContractError:
    messages = []
    if hasattr(error, "error_dict"):
        for field_errors in error.message_dict.values():
            messages.extend(field_errors)
    else:
        messages.extend(error.messages)
    refusal = ContractError(" ".join(messages))
    refusal.validation_error = error
    return refusal


def _validate(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise _error_from(error) from None


def _lock(contract: Contract) -> Contract:
    """The contract as stored, locked until the transaction ends."""
    return type(contract).objects.select_for_update().get(pk=contract.pk)


def _require_visible(contract: Contract, user) -> None:
    """The acting user sees the contract: the pages' `visible_to(user)`."""
    require_in_scope(
        type(contract).objects.visible_to(user),
        contract,
        ContractError(_("You do not have access to this contract.")),
    )


def _save(obj, *, user, reason: str, **kwargs) -> None:
    if isinstance(obj, IndividualContract):
        # Validated in full before every write, so that the database refusing
        # a row is the exception: its message would carry the row's CPR
        # numbers (accounts.cpr_redaction masks them in logs and error mails).
        _validate(obj)
    obj._history_user = user
    obj._change_reason = reason
    obj.save(**kwargs)


def _create_numbered(contract: Contract, *, prefix: str, user, reason: str) -> None:
    """Insert a new contract and give it its number, made from its primary key.

    The key is known only after the insert, so the number is a second write.
    Both go through `save()`; the history gets one creation row, written once
    the number is set, so that it holds the number with the user and reason.
    """
    contract.skip_history_when_saving = True
    try:
        _save(contract, user=user, reason=reason)
        contract.number = f"{prefix}-{contract.pk:06d}"
        _save(contract, user=user, reason=reason, update_fields=["number"])
    finally:
        del contract.skip_history_when_saving
    type(contract).history.bulk_history_create([contract])


def _move(contract: Contract, to: str, *, user, reason: str) -> None:
    """Perform one transition of the state machine, or refuse it."""
    if not contract.can_move_to(to):
        raise _refused(contract, to)
    contract.status = to
    _save(contract, user=user, reason=reason)


# The general part -----------------------------------------------------------------------------


@transaction.atomic
def general_part_create(*, authority: Municipality, user, **terms) -> GeneralPart:
    """A new version of the authority's general terms; earlier versions stay
    as they were, so signed contracts keep the text they were signed with."""
    require_in_scope(
        Municipality.objects.administered_by(user),
        authority,
        ContractError(_("The municipality is not a party to your secretariat's agreements.")),
    )
    Municipality.objects.select_for_update().get(pk=authority.pk)
    latest = GeneralPart.objects.latest_for(authority)
    part = GeneralPart(authority=authority, version=(latest.version + 1 if latest else 1), **terms)
    _validate(part)
    _save(part, user=user, reason=_("New version of the general terms"))
    return part


# Creating and editing drafts -----------------------------------------------------------------


def check_no_signed_standard_contract(
    authority: Municipality, provider: Provider, intervention_type: InterventionType
) -> None:
    # R8 (002): one standard contract per intervention type per authority and
    # provider. The database constraint holds it at signing; refusing here
    # tells the user early that an amendment is the way to change it.
    if StandardContract.objects.filter(
        authority=authority,
        provider=provider,
        intervention_type=intervention_type,
        status=Status.SIGNED,
    ).exists():
        raise ContractError(
            _(
                "%(authority)s already has a signed standard contract with %(provider)s for "
                "%(type)s. Make an amendment to it instead."
            )
            % {"authority": authority, "provider": provider, "type": intervention_type}
        )


@transaction.atomic
def standard_contract_create(
    *,
    user,
    authority: Municipality,
    provider: Provider,
    offer: Offer,
    intervention_type: InterventionType,
    general_part: GeneralPart | None = None,
    **fields,
) -> StandardContract:
    require_in_scope(
        Offer.objects.administered_by(user),
        offer,
        ContractError(_("The offer is not covered by your secretariat's agreements.")),
    )
    general_part = general_part or GeneralPart.objects.latest_for(authority)
    if general_part is None:
        raise ContractError(
            _("%(authority)s has no general terms yet: create the general part first.")
            % {"authority": authority}
        )
    check_no_signed_standard_contract(authority, provider, intervention_type)
    contract = StandardContract(
        authority=authority,
        provider=provider,
        offer=offer,
        intervention_type=intervention_type,
        general_part=general_part,
        **fields,
    )
    _validate(contract)
    _create_numbered(contract, prefix="SK", user=user, reason=_("Standard contract created"))
    return contract


@sensitive_variables("fields")
@transaction.atomic
def individual_contract_create(
    *, user, standard_contract: StandardContract, **fields
) -> IndividualContract:
    # R7 (001): only under a signed standard contract; locked so that it cannot
    # be terminated meanwhile.
    _require_visible(standard_contract, user)
    standard_contract = _lock(standard_contract)
    contract = IndividualContract(standard_contract=standard_contract, **fields)
    _normalise_cprs(contract)
    _validate(contract)
    _create_numbered(contract, prefix="IK", user=user, reason=_("Individual contract created"))
    return contract


def _normalise_cprs(contract: Contract) -> None:
    if isinstance(contract, IndividualContract):
        for name in CPR_FIELDS:
            setattr(contract, name, normalise_cpr(getattr(contract, name)))


@sensitive_variables("fields")
@transaction.atomic
def contract_update(*, contract: Contract, user, **fields) -> Contract:
    """Change a draft's text. Anything sent for signature or signed is refused:
    an amendment is a new version."""
    _require_visible(contract, user)
    contract = _lock(contract)
    if contract.status != Status.DRAFT:
        raise ContractError(
            _(
                "Only a draft can be changed. This contract has been sent for signature or "
                "signed: make an amendment (a new version) instead."
            )
        )
    allowed = set(editable_fields(type(contract)))
    unknown = set(fields) - allowed
    if unknown:
        raise ContractError(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(contract, name, value)
    _normalise_cprs(contract)
    _validate(contract)
    _save(contract, user=user, reason=_("Draft changed"))
    return contract


# Transitions --------------------------------------------------------------------------------


@transaction.atomic
def contract_submit(*, contract: Contract, user) -> Contract:
    """Draft → awaiting signature: the text is fixed from now on, and the
    document the parties sign is rendered once and stored with its SHA-256.
    An individual contract's document shows the CPR numbers masked, so that
    every signatory may read it."""
    from contracts import pdf

    _require_visible(contract, user)
    contract = _lock(contract)
    if not contract.can_move_to(Status.AWAITING_SIGNATURE):
        raise _refused(contract, Status.AWAITING_SIGNATURE)
    _validate(contract)
    document = pdf.render_contract(contract, full_cpr=False, draft=False)
    contract.signing_pdf.save(
        f"{contract.reference}-til-underskrift.pdf", ContentFile(document), save=False
    )
    contract.signing_pdf_sha256 = hashlib.sha256(document).hexdigest()
    _move(contract, Status.AWAITING_SIGNATURE, user=user, reason=_("Sent for signature"))
    return contract


@transaction.atomic
def contract_return_to_draft(*, contract: Contract, user) -> Contract:
    """Awaiting signature → draft, to correct the text; recorded signatures
    and the document for signature are removed."""
    _require_visible(contract, user)
    contract = _lock(contract)
    if not contract.can_move_to(Status.DRAFT):
        raise _refused(contract, Status.DRAFT)
    for signature in contract.signatures.all():
        signature._history_user = user
        signature.delete()
    _delete_on_commit(contract.signing_pdf)
    contract.signing_pdf = ""
    contract.signing_pdf_sha256 = ""
    _move(contract, Status.DRAFT, user=user, reason=_("Returned to draft"))
    return contract


def _delete_on_commit(stored) -> None:
    """Delete a stored file once the row is committed without it."""
    if stored:
        name, storage = stored.name, stored.storage
        transaction.on_commit(lambda: storage.delete(name))


# Signing --------------------------------------------------------------------------------------


def signatory_parties(contract: Contract, user) -> list[str]:
    """The parties `user` may sign `contract` for: the authority with the
    signing permission as staff of the municipality that signs it, the
    provider as its leader. A secretariat member signs for neither."""
    scope = user.scope
    parties = []
    if contract.signing_municipality().pk in scope.municipality_ids and user.has_perm(
        "contracts.sign_for_authority"
    ):
        parties.append(Signature.Party.AUTHORITY)
    if contract.provider_id in scope.provider_ids:
        parties.append(Signature.Party.PROVIDER)
    return parties


def _check_awaiting(contract: Contract, party: str) -> None:
    if contract.status != Status.AWAITING_SIGNATURE:
        raise ContractError(_("Signatures are recorded only on a contract awaiting signature."))
    if contract.signature_for(party) is not None:
        raise ContractError(_("This party has already signed the contract."))


def _attach(signature: Signature, contract: Contract) -> Signature:
    if isinstance(contract, StandardContract):
        signature.standard_contract = contract
    else:
        signature.individual_contract = contract
    return signature


@transaction.atomic
def contract_sign_digitally(
    *, contract: Contract, user, party: str, signer_title: str, authentication
) -> Contract:
    """The signatory signs the document for signature for their party.

    The signing provider (contracts.signing) checks the session's
    authentication and returns the evidence recorded here: who, how they
    authenticated, the server's time and the SHA-256 of the document signed.
    When the last party has signed, the contract is signed and sealed
    (`contract_sign`). The contract is locked, so two parties signing at the
    same moment sign it once.
    """
    from contracts import signing

    _require_visible(contract, user)
    contract = _lock(contract)
    if party not in signatory_parties(contract, user):
        raise ContractError(
            _("You cannot sign this contract on behalf of %(party)s.")
            % {"party": Signature.Party(party).label}
            if party in Signature.Party.values
            else _("Choose the party you sign for.")
        )
    _check_awaiting(contract, party)
    if not signer_title.strip():
        raise ContractError(_("State your title, as it is to appear with your signature."))
    if not contract.signing_pdf_sha256:
        raise ContractError(
            _(
                "The contract was sent for signature before the parties signed in Rammeaftale: "
                "the secretariat returns it to draft and sends it again."
            )
        )
    with contract.signing_pdf.open("rb") as stored:
        document = stored.read()
    if hashlib.sha256(document).hexdigest() != contract.signing_pdf_sha256:
        raise ContractError(
            _("The stored document for signature has changed: return the contract to draft.")
        )
    evidence = signing.provider().sign(document=document, user=user, authentication=authentication)
    signature = _attach(
        Signature(
            party=party,
            signer_name=user.get_full_name() or user.get_username(),
            signer_title=signer_title.strip(),
            signed_on=timezone.localdate(evidence.signed_at),
            method=Signature.Method.DIGITAL,
            recorded_by=user,
            signer=user,
            signed_at=evidence.signed_at,
            document_sha256=evidence.document_sha256,
            authentication=evidence.authentication,
            sso_persistent_id=evidence.persistent_id,
            sso_cvr=evidence.cvr,
            sso_loa=evidence.loa,
            second_factor_at=evidence.second_factor_at,
        ),
        contract,
    )
    _validate(signature)
    _save(signature, user=user, reason=_("Signed digitally"))
    if not contract.missing_signatures():
        return _finalise(contract, user=user)
    return contract


@transaction.atomic
def contract_record_paper_signature(
    *,
    contract: Contract,
    user,
    party: str,
    signer_name: str,
    signer_title: str,
    signed_on: datetime.date,
    scan,
) -> Contract:
    """The secretariat records a signature made on paper, with the signed scan.
    Refused where a framework agreement covering the offer requires digital
    signing. The last signature signs and seals the contract."""
    _require_visible(contract, user)
    if not user.scope.secretariat:
        raise ContractError(_("Only the secretariat records a signature made on paper."))
    contract = _lock(contract)
    _check_awaiting(contract, party)
    if contract.digital_signing_required():
        raise ContractError(
            _(
                "The framework agreement requires the parties to sign digitally: a signature "
                "on paper cannot be recorded."
            )
        )
    if signed_on > timezone.localdate():
        raise ContractError(_("A signature cannot be dated in the future."))
    if scan is None or not scan.size:
        raise ContractError(_("Upload the signed scan (PDF)."))
    if scan.size > settings.DOCUMENT_MAX_BYTES:
        raise ContractError(
            _("The scan is larger than %(mb)d MB.")
            % {"mb": settings.DOCUMENT_MAX_BYTES // 1_000_000}
        )
    scan.seek(0)
    if scan.read(5) != b"%PDF-":
        raise ContractError(_("The scan must be a PDF file."))
    scan.seek(0)
    signature = _attach(
        Signature(
            party=party,
            signer_name=signer_name,
            signer_title=signer_title,
            signed_on=signed_on,
            method=Signature.Method.WET_INK,
            recorded_by=user,
        ),
        contract,
    )
    signature.scan.save(
        f"{contract.reference}-{party}-underskrift.pdf", ContentFile(scan.read()), save=False
    )
    _validate(signature)
    _save(signature, user=user, reason=_("Signature on paper recorded"))
    if not contract.missing_signatures():
        return _finalise(contract, user=user)
    return contract


@transaction.atomic
def contract_sign(*, contract: Contract, user) -> Contract:
    """Awaiting signature → signed, when both parties have signed (the last
    signature does it; kept for contracts whose signatures were recorded
    before that)."""
    _require_visible(contract, user)
    contract = _lock(contract)
    return _finalise(contract, user=user)


def _sealed(document: bytes, *, reference: str) -> bytes:
    from seals.certificate import SealUnavailable
    from seals.sealing import seal_pdf

    try:
        return seal_pdf(document, reference=reference)
    except SealUnavailable:
        raise ContractError(
            _(
                "The signed PDF cannot be sealed now: the secretariat's certificate or the "
                "time-stamp authority is not available. Try again, or ask the system "
                "administrator."
            )
        ) from None


def _finalise(contract: Contract, *, user) -> Contract:
    """Signed: the final PDF is rendered once with its page "Underskrifter",
    sealed (PAdES) and stored with its SHA-256; every later download returns
    these bytes. An amendment replaces the version it amends. Runs on the
    locked contract."""
    from contracts import pdf

    if not contract.can_move_to(Status.SIGNED):
        raise _refused(contract, Status.SIGNED)
    if missing := contract.missing_signatures():
        raise ContractError(
            _("Both parties must sign before the contract is signed. Missing: %(parties)s.")
            % {"parties": ", ".join(str(Signature.Party(party).label) for party in missing)}
        )
    if isinstance(contract, IndividualContract):
        standard = _lock(contract.standard_contract)
        if standard.status != Status.SIGNED:
            raise ContractError(
                _("An individual contract can only be signed under a signed standard contract.")
            )
    _validate(contract)
    if contract.replaces_id:
        replaced = _lock(contract.replaces)
        _move(
            replaced,
            Status.SUPERSEDED,
            user=user,
            reason=_("Replaced by version %(version)s") % {"version": contract.version},
        )
    contract.status = Status.SIGNED
    contract.signed_at = timezone.now()
    document = _sealed(pdf.render_contract(contract), reference=contract.reference)
    contract.pdf.save(f"{contract.reference}.pdf", ContentFile(document), save=False)
    contract.pdf_sha256 = hashlib.sha256(document).hexdigest()
    if isinstance(contract, IndividualContract):
        masked = _sealed(
            pdf.render_contract(contract, full_cpr=False),
            reference=f"{contract.reference} (CPR maskeret)",
        )
        contract.pdf_masked.save(
            f"{contract.reference}-maskeret.pdf", ContentFile(masked), save=False
        )
        contract.pdf_masked_sha256 = hashlib.sha256(masked).hexdigest()
    try:
        with transaction.atomic():
            _save(contract, user=user, reason=_("Signed by both parties"))
    except IntegrityError:
        # R8: another standard contract for the same authority, provider and
        # intervention type was signed meanwhile.
        raise ContractError(
            _(
                "The authority already has a signed standard contract with this provider "
                "for this intervention type."
            )
        ) from None
    return contract


@transaction.atomic
def contract_terminate(
    *, contract: Contract, user, terminated_on: datetime.date, reason: str
) -> Contract:
    """Signed → terminated (opsigelse / ophævelse)."""
    _require_visible(contract, user)
    contract = _lock(contract)
    if not contract.can_move_to(Status.TERMINATED):
        raise _refused(contract, Status.TERMINATED)
    if not reason.strip():
        raise ContractError(_("Give the reason for the termination."))
    if isinstance(contract, StandardContract):
        running = contract.individual_contracts.filter(status=Status.SIGNED).exclude(
            ends_on__lt=terminated_on
        )
        if running.exists():
            raise ContractError(
                _(
                    "The standard contract still has %(count)s signed individual contracts "
                    "running on that day: terminate them first."
                )
                % {"count": running.count()}
            )
    contract.terminated_on = terminated_on
    contract.termination_reason = reason
    _move(contract, Status.TERMINATED, user=user, reason=_("Terminated"))
    return contract


@transaction.atomic
def contract_expire(*, contract: Contract, user, today: datetime.date | None = None) -> Contract:
    """Signed → expired, once its end date has passed."""
    today = today or timezone.localdate()
    if user is not None:  # None: the daily expire_contracts command
        _require_visible(contract, user)
    contract = _lock(contract)
    if not contract.can_move_to(Status.EXPIRED):
        raise _refused(contract, Status.EXPIRED)
    if contract.ends_on is None or contract.ends_on >= today:
        raise ContractError(_("The contract has not reached its end date, so it cannot expire."))
    _move(contract, Status.EXPIRED, user=user, reason=_("Expired"))
    return contract


def contracts_expire_due(*, user=None, today: datetime.date | None = None) -> int:
    """The daily run: expire every signed contract past its end date,
    individual contracts first (they run under the standard contracts).
    Safe to repeat: an expired contract is not signed any more."""
    today = today or timezone.localdate()
    expired = 0
    for model in (IndividualContract, StandardContract):
        for contract in model.objects.filter(status=Status.SIGNED, ends_on__lt=today):
            contract_expire(contract=contract, user=user, today=today)
            expired += 1
    return expired


@transaction.atomic
def contract_amend(*, contract: Contract, user) -> Contract:
    """A new draft version of a signed contract, pointing to the one it
    replaces. The signed version stays in force until the amendment is signed."""
    _require_visible(contract, user)
    contract = _lock(contract)
    if contract.status != Status.SIGNED:
        raise ContractError(_("Only a signed contract can be amended."))
    if type(contract).objects.filter(replaces=contract).exists():
        raise ContractError(_("An amendment of this contract is already under way."))
    amendment = type(contract)(
        **{name: getattr(contract, name) for name in editable_fields(type(contract))},
    )
    if isinstance(contract, StandardContract):
        # The amendment is made under the authority's newest general terms.
        amendment.general_part = GeneralPart.objects.latest_for(contract.authority)
    else:
        # R7: under the standard contract's version in force today.
        amendment.standard_contract = contract.standard_contract.latest_version()
    amendment.number = contract.number
    amendment.version = contract.version + 1
    amendment.replaces = contract
    amendment.status = Status.DRAFT
    _save(
        amendment,
        user=user,
        reason=_("Amendment of version %(version)s") % {"version": contract.version},
    )
    return amendment


# Full CPR numbers --------------------------------------------------------------------------


def can_see_full_cpr(user) -> bool:
    """The dedicated permission; every use of it is logged."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("contracts.view_full_cpr")
    )


def _check_full_cpr_access(user, purpose: str) -> None:
    if not can_see_full_cpr(user):
        raise ContractError(_("You do not have permission to see full CPR numbers."))
    if len(purpose.strip()) < CPR_PURPOSE_MIN_LENGTH:
        raise ContractError(_("State the purpose of seeing the full CPR number."))


@sensitive_variables("cpr")
def _log_row(*, user, action: str, purpose: str, person: str, cpr: str, individual_contract):
    key_id, digest = cpr_digest(cpr)
    return CprAccessLog(
        user=user,
        action=action,
        purpose=purpose.strip(),
        individual_contract=individual_contract,
        person=person,
        person_digest=digest,
        digest_key_id=key_id,
        person_cpr_masked=mask_cpr(cpr),
    )


@sensitive_variables("cpr")
@transaction.atomic
def cpr_access_record(
    *,
    user,
    action: str,
    purpose: str,
    cpr: str,
    individual_contract: IndividualContract | None = None,
    person: str = CprAccessLog.Person.SEARCHED,
) -> CprAccessLog:
    """Log one use of one full CPR number (a search by it): who, when, which
    contract, why. Refused without the permission or a purpose of at least
    CPR_PURPOSE_MIN_LENGTH characters."""
    _check_full_cpr_access(user, purpose)
    if individual_contract is not None:
        _require_visible(individual_contract, user)
    entry = _log_row(
        user=user,
        action=action,
        purpose=purpose,
        person=person,
        cpr=cpr,
        individual_contract=individual_contract,
    )
    entry.save()
    return entry


@transaction.atomic
def cpr_access_record_contract(
    *, user, action: str, purpose: str, individual_contract: IndividualContract
) -> list[CprAccessLog]:
    """Log a view, download or export of a contract with its full CPR numbers:
    one row per person whose number it shows (child, mother, father,
    guardian), so that each of them finds it in the log by their own number.
    Refused, and nothing logged, without the permission or a purpose."""
    _check_full_cpr_access(user, purpose)
    _require_visible(individual_contract, user)
    rows = [
        _log_row(
            user=user,
            action=action,
            purpose=purpose,
            person=CPR_PERSONS[name],
            cpr=getattr(individual_contract, name),
            individual_contract=individual_contract,
        )
        for name in CPR_FIELDS
        if getattr(individual_contract, name)
    ]
    return CprAccessLog.objects.bulk_create(rows)


# The person's access report (GDPR art. 15) ------------------------------------------------


def can_produce_access_report(user) -> bool:
    """The secretariat answers a person's request for access, with the full-CPR permission."""
    return user.scope.secretariat and can_see_full_cpr(user)


@dataclass
class ReportContract:
    """An individual contract the person is part of, and as whom."""

    contract: IndividualContract
    roles: list[str]


@dataclass
class ReportEntry:
    """One logged lookup of the person's number: when, what, why and by which
    organisation — never the staff member's name (Datatilsynet, June 2024)."""

    at: datetime.datetime
    action: str
    purpose: str
    organisation: str
    contract: str
    person: str


@dataclass
class AccessReport:
    cpr_masked: str
    produced_at: datetime.datetime
    contracts: list[ReportContract]
    entries: list[ReportEntry]


def organisation_of(user) -> str:
    """The organisation a user acted for: their secretariat, municipality or
    provider (the relations prefetched), as the access report names it."""
    for label, related in (
        (_("Secretariat"), user.secretariats.all()),
        (_("Municipality"), user.staffed_municipalities.all()),
        (_("Provider"), user.led_providers.all()),
    ):
        names = sorted(str(row) for row in related)
        if names:
            return f"{label}: {', '.join(names)}"
    return _("The system's administration")


def _report_contracts(user, digits: str) -> list[ReportContract]:
    condition = Q(pk__in=[])
    for name in CPR_FIELDS:
        condition |= Q(**{name: digits})
    contracts = (
        IndividualContract.objects.visible_to(user)
        .filter(condition)
        .select_related(
            "standard_contract__offer",
            "standard_contract__authority",
            "provider",
            "acting_municipality",
            "paying_municipality",
        )
        .order_by("number", "version")
    )
    labels = dict(CprAccessLog.Person.choices)
    return [
        ReportContract(
            contract,
            [
                str(labels[CPR_PERSONS[name]])
                for name in CPR_FIELDS
                if getattr(contract, name) == digits
            ],
        )
        for contract in contracts
    ]


def _contract_label(contract: IndividualContract | None) -> str:
    return f"{contract.number} v{contract.version}" if contract else ""


def _report_entries(user, digits: str) -> list[ReportEntry]:
    entries = (
        CprAccessLog.objects.visible_to(user)
        .for_cpr(digits)
        .select_related("individual_contract__standard_contract__offer")
        .prefetch_related(
            "user__secretariats", "user__staffed_municipalities", "user__led_providers"
        )
        .order_by("-at", "-pk")
    )
    return [
        ReportEntry(
            at=entry.at,
            action=entry.get_action_display(),
            purpose=entry.purpose,
            organisation=organisation_of(entry.user),
            contract=_contract_label(entry.individual_contract),
            person=entry.person_label(),
        )
        for entry in entries
    ]


@sensitive_variables("cpr", "digits")
@transaction.atomic
def cpr_access_report(*, user, cpr: str, purpose: str) -> AccessReport:
    """What the secretariat holds on a person, for their request of access
    (GDPR art. 15): every individual contract the user sees where the person
    is the child, a parent or the guardian, and every logged lookup of the
    person's number on those contracts — found under the current digest key
    and every old one. Producing it is logged like any use of the number."""
    if not can_produce_access_report(user):
        raise ContractError(
            _("Only the secretariat, with the full-CPR permission, makes access reports.")
        )
    _check_full_cpr_access(user, purpose)
    digits = normalise_cpr(cpr)
    report = AccessReport(
        cpr_masked=mask_cpr(digits),
        produced_at=timezone.now(),
        contracts=_report_contracts(user, digits),
        entries=_report_entries(user, digits),
    )
    _log_row(
        user=user,
        action=CprAccessLog.Action.REPORT,
        purpose=purpose,
        person=CprAccessLog.Person.SEARCHED,
        cpr=digits,
        individual_contract=None,
    ).save()
    return report


# Retention ---------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (or the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass
class RetentionHold:
    """A contract past its retention period whose CPR numbers are kept, and why."""

    reference: str
    reason: str


@dataclass
class RetentionResult:
    contracts_cleared: int = 0
    pdfs_deleted: int = 0
    log_rows_deleted: int = 0
    held: list[RetentionHold] = field(default_factory=list)


def _ended_latest(cutoff: datetime.date):
    """The newest versions of the contracts that ended before `cutoff`."""
    return IndividualContract.objects.filter(
        Q(status=Status.TERMINATED, terminated_on__lt=cutoff)
        | (~Q(status__in=[Status.TERMINATED, Status.SUPERSEDED]) & Q(ends_on__lt=cutoff))
    ).exclude(amendment__isnull=False)


def _ended_contracts(cutoff: datetime.date):
    """Versions whose contract ended before `cutoff`, with the versions their
    amendments replaced (a replaced version is kept while its successor runs)."""
    pks: set[int] = set()
    for contract in _ended_latest(cutoff).only("pk", "replaces_id"):
        pks.add(contract.pk)
        replaced = contract.replaces_id
        while replaced is not None and replaced not in pks:
            pks.add(replaced)
            replaced = (
                IndividualContract.objects.filter(pk=replaced)
                .values_list("replaces_id", flat=True)
                .get()
            )
    return IndividualContract.objects.filter(pk__in=pks, cpr_removed_on__isnull=True)


def retention_cutoff(today: datetime.date) -> datetime.date:
    """Contracts that ended before this day are past CPR_RETENTION_YEARS."""
    return years_before(today, settings.CPR_RETENTION_YEARS)


def contracts_awaiting_archiving_decision(*, user, today: datetime.date | None = None):
    """The contracts the user sees that are past the retention period but
    whose CPR numbers are kept until the archive releases them (the
    dashboard's count): one per contract, its newest version."""
    cutoff = retention_cutoff(today or timezone.localdate())
    return (
        _ended_latest(cutoff)
        .filter(cpr_removed_on__isnull=True)
        .awaiting_archiving_decision()
        .visible_to(user)
    )


@transaction.atomic
def individual_contract_remove_cpr(
    *, contract: IndividualContract, today: datetime.date, user=None
) -> bool:
    """Delete the CPR numbers of one contract and its stored full-CPR PDF;
    the masked PDF stays. Returns whether the full PDF was deleted. The only
    change the frozen guard allows on a signed contract outside its lifecycle.
    """
    contract = _lock(contract)
    if contract.cpr_removed_on is not None:
        return False
    stored_pdf = contract.pdf.name if contract.pdf else ""
    for name in CPR_FIELDS:
        setattr(contract, name, "")
    contract.cpr_removed_on = today
    contract.pdf = ""
    contract.pdf_sha256 = ""
    with cpr_removal_permitted():
        _save(contract, user=user, reason=_("CPR numbers deleted after the retention period"))
    if stored_pdf:
        # The file goes when the row is committed without it.
        storage = contract.pdf.storage
        transaction.on_commit(lambda: storage.delete(stored_pdf))
    return bool(stored_pdf)


@transaction.atomic
def cpr_retention_apply(*, now: datetime.datetime | None = None, user=None) -> RetentionResult:
    """Apply the data controller's retention periods (README "Personal data").

    CPR numbers of individual contracts that ended more than
    CPR_RETENTION_YEARS ago are deleted, with the stored PDF that holds
    them — but only where the public archive allows it: every framework
    agreement covering the contract's offer records an archival version
    delivered or discarding permitted. The others are kept and listed in
    `held` with the reason. Access-log rows older than
    CPR_LOG_RETENTION_MONTHS are deleted. The history tables hold no CPR
    numbers. Running it again changes nothing more.
    """
    now = timezone.localtime(now)
    today = now.date()
    result = RetentionResult()
    ended = _ended_contracts(retention_cutoff(today)).order_by("pk")
    held = set(ended.awaiting_archiving_decision().values_list("pk", flat=True))
    for contract in ended.select_related("standard_contract__offer"):
        if contract.pk in held:
            result.held.append(RetentionHold(contract.reference, contract.archiving_hold()))
            continue
        result.contracts_cleared += 1
        if individual_contract_remove_cpr(contract=contract, today=today, user=user):
            result.pdfs_deleted += 1
    log_cutoff = months_before(now, settings.CPR_LOG_RETENTION_MONTHS)
    result.log_rows_deleted = CprAccessLog.objects.older_than(log_cutoff).delete()[0]
    return result
