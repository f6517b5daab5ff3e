"""The contract pages: a list, a page per contract with its state, parties,
parts, signatures and next step, PDF downloads, and the CPR pages.

Full CPR numbers are shown only to users with the permission, only after a
POST that states the purpose, and every such view, search and download is
logged. CPR numbers are never part of a URL.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    any_of,
    decide,
    municipality_staff,
    provider_leader,
    secretariat,
    visible_or_404,
)
from accounts.assurance import cpr_loa_refusal, session_authentication
from contracts import pdf, services, signing
from contracts.filters import (
    INDIVIDUAL_COLUMNS,
    STANDARD_COLUMNS,
    IndividualContractFilter,
    StandardContractFilter,
)
from contracts.forms import (
    CprLogForm,
    CprSearchForm,
    DigitalSignatureForm,
    PaperSignatureForm,
    PurposeForm,
    TerminationForm,
)
from contracts.models import (
    CPR_FIELDS,
    Contract,
    ContractError,
    CprAccessLog,
    IndividualContract,
    Signature,
    StandardContract,
    Status,
)
from domain.steps import post_step
from listing.pages import list_page

contract_reader = any_of(secretariat, municipality_staff, provider_leader)


def full_cpr_permitted(user) -> bool:
    return contract_reader(user) and services.can_see_full_cpr(user)


def _loa_refused(reason: str, request: HttpRequest) -> HttpResponse:
    """A single sign-on session below the level of assurance full CPR needs."""
    return render(request, "accounts/loa_refused.html", {"reason": reason}, status=403)


MODELS: dict[str, type[Contract]] = {"standard": StandardContract, "individual": IndividualContract}


def _standard_contracts(user):
    return StandardContract.objects.visible_to(user).select_related(
        "authority", "provider", "offer", "intervention_type", "general_part"
    )


def _individual_contracts(user):
    return IndividualContract.objects.visible_to(user).select_related(
        "standard_contract__provider",
        "standard_contract__intervention_type",
        "standard_contract__offer",
        "standard_contract__authority",
        "acting_municipality",
        "paying_municipality",
    )


def _get(kind: str, user, pk: int) -> Contract:
    if kind not in MODELS:
        raise Http404
    queryset = _standard_contracts(user) if kind == "standard" else _individual_contracts(user)
    return visible_or_404(queryset.prefetch_related("signatures__recorded_by"), pk=pk)


def _list(request: HttpRequest, kind: str) -> HttpResponse:
    """One page of the contracts the user may see, filtered and sorted by the
    query string; `?download=csv|xlsx` gives the filtered rows as a file.
    The rows join what the list and its download show, and no more: every
    join costs the planner."""
    if kind == "standard":
        queryset = StandardContract.objects.visible_to(request.user).select_related(
            "authority", "provider", "offer", "intervention_type"
        )
        filterset, columns, stem = StandardContractFilter, STANDARD_COLUMNS, "standardkontrakter"
        empty = _("There are no standard contracts you may see yet.")
        no_match = _("No standard contracts match the filter")
    else:
        queryset = IndividualContract.objects.visible_to(request.user).select_related(
            "standard_contract", "provider", "acting_municipality", "paying_municipality"
        )
        filterset, columns, stem = IndividualContractFilter, INDIVIDUAL_COLUMNS, "kontrakter"
        empty = _("There are no individual contracts you may see yet.")
        no_match = _("No contracts match the filter")
    listing = list_page(request, queryset, filterset, empty_label=empty, no_match_label=no_match)
    if response := listing.response(columns, stem):
        return response
    return render(
        request,
        "contracts/contract_list.html",
        {
            "listing": listing,
            "kind": kind,
            "access_report": access_report_permitted(request.user),
        },
    )


@decide(contract_reader)
def contract_list(request: HttpRequest) -> HttpResponse:
    """The individual contracts (the big list), with a tab to the standard contracts."""
    return _list(request, "individual")


@decide(contract_reader)
def standard_contract_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "standard")


def next_step(contract: Contract) -> str:
    """What happens next, in words, for the contract page."""
    if contract.status == Status.DRAFT:
        return _("The secretariat completes the draft and sends it for signature.")
    if contract.status == Status.AWAITING_SIGNATURE:
        missing = contract.missing_signatures()
        if missing:
            return _("Waiting for the signature of: %(parties)s.") % {
                "parties": ", ".join(str(Signature.Party(party).label) for party in missing)
            }
        return _("Both parties have signed: the secretariat can now mark the contract signed.")
    if contract.status == Status.SIGNED:
        if contract.ends_on:
            return _(
                "In force until %(date)s. Changes are made as an amendment (a new version)."
            ) % {"date": contract.ends_on.strftime("%d.%m.%Y")}
        return _("In force. Changes are made as an amendment (a new version).")
    return _("No further steps: the contract is no longer in force.")


def _page_context(request: HttpRequest, contract: Contract) -> dict:
    is_secretariat = secretariat(request.user)
    context = {
        "contract": contract,
        "next_step": next_step(contract),
        "can_act": is_secretariat,
        "signature_form": PaperSignatureForm() if is_secretariat else None,
        "open_signatory_parties": (
            [
                party
                for party in services.signatory_parties(contract, request.user)
                if contract.signature_for(party) is None
            ]
            if contract.status == Status.AWAITING_SIGNATURE
            else []
        ),
        **_signing_urls("standard" if isinstance(contract, StandardContract) else "individual"),
        "termination_form": TerminationForm() if is_secretariat else None,
        "amendment": type(contract).objects.filter(replaces=contract).first(),
    }
    if isinstance(contract, StandardContract):
        context |= pdf.standard_context(contract)
        context["individual_contracts"] = _individual_contracts(request.user).filter(
            standard_contract=contract
        )
    return context


@decide(contract_reader)
def standard_contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _get("standard", request.user, pk)
    return render(
        request, "contracts/standard_contract_detail.html", _page_context(request, contract)
    )


@never_cache
@sensitive_post_parameters("purpose")
@require_http_methods(["GET", "POST"])
@decide(contract_reader)
def individual_contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Masked by default; a permitted user may POST a purpose to see the full
    CPR numbers once (logged)."""
    contract = _get("individual", request.user, pk)
    # After the retention period there are no full numbers left to show.
    permitted = full_cpr_permitted(request.user) and contract.cpr_removed_on is None
    loa_refusal = cpr_loa_refusal(request) if permitted else None
    purpose_form = PurposeForm(request.POST or None) if permitted and not loa_refusal else None
    full_cpr = False
    if request.method == "POST":
        if not permitted:
            raise Http404
        if loa_refusal:
            return _loa_refused(loa_refusal, request)
        if purpose_form.is_valid():
            services.cpr_access_record_contract(
                user=request.user,
                action=CprAccessLog.Action.VIEW,
                purpose=purpose_form.cleaned_data["purpose"],
                individual_contract=contract,
            )
            full_cpr = True
    context = _page_context(request, contract) | {
        "cprs": {name: contract.cpr_display(name, full=full_cpr) for name in CPR_FIELDS},
        "full_cpr": full_cpr,
        "purpose_form": purpose_form,
        "loa_refusal": loa_refusal,
        "access_log": (
            contract.cpr_accesses.select_related(
                "user", "individual_contract__standard_contract__offer"
            )
            if secretariat(request.user)
            else None
        ),
        # The breadcrumb links to the standard contract only for those who may see it.
        "standard_visible": StandardContract.objects.visible_to(request.user)
        .filter(pk=contract.standard_contract_id)
        .exists(),
    }
    return render(request, "contracts/individual_contract_detail.html", context)


def _pdf_response(data_or_file, filename: str) -> HttpResponse:
    if isinstance(data_or_file, bytes):
        response = HttpResponse(data_or_file, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        data_or_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@decide(contract_reader)
def standard_contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed contract: exactly the bytes stored at signing. Unsigned: a
    fresh rendering marked UDKAST."""
    contract = _get("standard", request.user, pk)
    if contract.pdf_sha256:
        return _pdf_response(contract.pdf, f"{contract.reference}.pdf")
    return _pdf_response(pdf.render_contract(contract), f"{contract.reference}-udkast.pdf")


@never_cache
@sensitive_post_parameters("purpose")
@require_http_methods(["GET", "POST"])
@decide(contract_reader)
def individual_contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the copy with CPR numbers masked. POST with a purpose, for users
    with the permission: the original with full CPR numbers (logged)."""
    contract = _get("individual", request.user, pk)
    if request.method == "GET":
        if contract.pdf_masked_sha256:
            return _pdf_response(contract.pdf_masked, f"{contract.reference}-maskeret.pdf")
        return _pdf_response(
            pdf.render_contract(contract, full_cpr=False), f"{contract.reference}-udkast.pdf"
        )
    if not full_cpr_permitted(request.user):
        raise Http404
    if refusal := cpr_loa_refusal(request):
        return _loa_refused(refusal, request)
    if contract.cpr_removed_on is not None:
        messages.error(
            request,
            _(
                "The CPR numbers were deleted after the retention period, with the PDF that "
                "held them; the PDF with CPR numbers masked remains."
            ),
        )
        return redirect("contracts:individual_contract_detail", pk=contract.pk)
    form = PurposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State the purpose of seeing the full CPR number."))
        return redirect("contracts:individual_contract_detail", pk=contract.pk)
    services.cpr_access_record_contract(
        user=request.user,
        action=CprAccessLog.Action.PDF,
        purpose=form.cleaned_data["purpose"],
        individual_contract=contract,
    )
    if contract.pdf_sha256:
        return _pdf_response(contract.pdf, f"{contract.reference}.pdf")
    return _pdf_response(pdf.render_contract(contract), f"{contract.reference}-udkast.pdf")


def _perform(request: HttpRequest, contract: Contract, action: str) -> Contract | None:
    user = request.user
    if action == "submit":
        return services.contract_submit(contract=contract, user=user)
    if action == "return":
        return services.contract_return_to_draft(contract=contract, user=user)
    if action == "sign":
        return services.contract_sign(contract=contract, user=user)
    if action == "expire":
        return services.contract_expire(contract=contract, user=user)
    if action == "amend":
        return services.contract_amend(contract=contract, user=user)
    if action == "signature":
        form = PaperSignatureForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ContractError(" ".join(e for errors in form.errors.values() for e in errors))
        return services.contract_record_paper_signature(
            contract=contract, user=user, **form.cleaned_data
        )
    if action == "terminate":
        form = TerminationForm(request.POST)
        if not form.is_valid():
            raise ContractError(" ".join(e for errors in form.errors.values() for e in errors))
        return services.contract_terminate(contract=contract, user=user, **form.cleaned_data)
    raise Http404


DONE = {
    "submit": gettext_lazy("The contract has been sent for signature."),
    "return": gettext_lazy("The contract is a draft again; the signatures have been removed."),
    "sign": gettext_lazy("The contract is signed; its PDF has been stored."),
    "expire": gettext_lazy("The contract has expired."),
    "amend": gettext_lazy("An amendment (a new version) has been created as a draft."),
    "signature": gettext_lazy("The signature on paper has been recorded."),
    "terminate": gettext_lazy("The contract has been terminated."),
}


@require_POST
@decide(secretariat)
def contract_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """One step of the lifecycle, performed by its service."""
    contract = _get(kind, request.user, pk)
    try:
        result = _perform(request, contract, action)
    except ContractError as error:
        messages.error(request, error.message)
        result = contract
    else:
        messages.success(request, DONE[action])
    return redirect(f"contracts:{kind}_contract_detail", pk=result.pk)


@never_cache
@sensitive_variables("cpr")
@sensitive_post_parameters("cpr", "purpose")
@require_http_methods(["GET", "POST"])
@decide(full_cpr_permitted)
def cpr_search(request: HttpRequest) -> HttpResponse:
    """Find a citizen's contracts by CPR number: POST only, logged, results masked."""
    if refusal := cpr_loa_refusal(request):
        return _loa_refused(refusal, request)
    form = CprSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        cpr = form.cleaned_data["cpr"]
        results = list(_individual_contracts(request.user).filter(citizen_cpr=cpr))
        for contract in results or [None]:
            services.cpr_access_record(
                user=request.user,
                action=CprAccessLog.Action.SEARCH,
                purpose=form.cleaned_data["purpose"],
                cpr=cpr,
                individual_contract=contract,
                # The search is by the child's number.
                person=CprAccessLog.Person.CHILD if contract else CprAccessLog.Person.SEARCHED,
            )
    return render(request, "contracts/cpr_search.html", {"form": form, "results": results})


def access_report_permitted(user) -> bool:
    return contract_reader(user) and services.can_produce_access_report(user)


@never_cache
@sensitive_variables("cpr")
@sensitive_post_parameters("cpr", "purpose")
@require_http_methods(["GET", "POST"])
@decide(access_report_permitted)
def cpr_access_report(request: HttpRequest) -> HttpResponse:
    """A person's access report (GDPR art. 15), by their number (POSTed):
    on the page, or with `format=pdf` as a PDF/A. Each one is logged."""
    if refusal := cpr_loa_refusal(request):
        return _loa_refused(refusal, request)
    form = CprSearchForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.cpr_access_report(
                user=request.user,
                cpr=form.cleaned_data["cpr"],
                purpose=form.cleaned_data["purpose"],
            )
        except ContractError as refusal:
            form.add_error(None, refusal.message)
        else:
            if request.POST.get("format") == "pdf":
                filename = f"indsigtsrapport-{report.produced_at:%Y%m%d-%H%M%S}.pdf"
                return _pdf_response(pdf.render_access_report(report), filename)
    return render(request, "contracts/cpr_access_report.html", {"form": form, "report": report})


@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
@decide(secretariat)
def cpr_access_log(request: HttpRequest) -> HttpResponse:
    """The secretariat reads the access log per person — child, mother, father
    or guardian — by their number (POSTed)."""
    form = CprLogForm(request.POST or None)
    entries = None
    if request.method == "POST" and form.is_valid():
        entries = (
            CprAccessLog.objects.visible_to(request.user)
            .for_cpr(form.cleaned_data["cpr"])
            .select_related("user", "individual_contract__standard_contract__offer")
        )
    return render(request, "contracts/cpr_access_log.html", {"form": form, "entries": entries})


# Signing by the parties ----------------------------------------------------------------------


def _signing_urls(kind: str) -> dict[str, str]:
    return {
        "sign_url": f"contracts:{kind}_contract_sign",
        "signing_document_url": f"contracts:{kind}_signing_document",
    }


signatory = any_of(municipality_staff, provider_leader)


def _reauthenticate(request: HttpRequest, authentication) -> HttpResponse:
    """Ask the session to authenticate again, then come back here."""
    query = urlencode({"next": request.get_full_path()})
    if authentication.single_sign_on:
        return redirect(f"{reverse('saml2_login')}?{query}")
    return redirect(f"{reverse('otp_confirm')}?{query}")


@never_cache
@require_http_methods(["GET", "POST"])
@decide(signatory)
def contract_sign_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """ "Underskriv": the signatory reads the document for signature (its
    SHA-256 shown) and signs it for their party, in a freshly authenticated
    session; a stale one is sent to authenticate again first."""
    contract = _get(kind, request.user, pk)
    parties = services.signatory_parties(contract, request.user)
    open_parties = [party for party in parties if contract.signature_for(party) is None]
    if contract.status != Status.AWAITING_SIGNATURE or not open_parties:
        raise Http404
    authentication = session_authentication(request)
    if refusal := signing.authentication_refusal(authentication, timezone.now()):
        messages.info(request, refusal)
        return _reauthenticate(request, authentication)
    form = DigitalSignatureForm(request.POST or None, parties=open_parties)
    detail = f"contracts:{kind}_contract_detail"

    def page() -> HttpResponse:
        return render(
            request,
            "contracts/sign.html",
            {"contract": contract, "form": form, "detail_url": detail, **_signing_urls(kind)},
            status=400 if request.method == "POST" else 200,
        )

    if request.method == "GET":
        return page()
    return post_step(
        request,
        lambda data: services.contract_sign_digitally(
            contract=contract,
            user=request.user,
            party=data["party"],
            signer_title=data["signer_title"],
            authentication=authentication,
        ),
        done=lambda signed: (
            _("You have signed. Both parties have signed: the contract is signed and sealed.")
            if signed.status == Status.SIGNED
            else _("You have signed. The contract awaits the other party's signature.")
        ),
        then=lambda signed: reverse(detail, args=[signed.pk]),
        form=form,
        page=page,
    )


@decide(contract_reader)
def signing_document(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The document for signature, exactly as stored when it was sent."""
    contract = _get(kind, request.user, pk)
    if not contract.signing_pdf_sha256:
        raise Http404
    return _pdf_response(contract.signing_pdf, f"{contract.reference}-til-underskrift.pdf")
