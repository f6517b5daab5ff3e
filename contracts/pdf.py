"""Contract PDFs with WeasyPrint (DESIGN.md "PDF").

The documents are Django templates in `templates/contracts/pdf/` with a print
stylesheet (`static/css/contract-pdf.css`): page numbers "Side X af Y" by CSS
counters, the contract number and version in the footer, and "UDKAST" across
every page of an unsigned contract. User text is escaped by the templates.

WeasyPrint fetches what a document links to through `StaticFilesOnlyFetcher`,
which serves the project's own static files from disk and refuses every
other URL — `file://`, `http(s)://`, `data:`, anything — so neither a
template nor user text can make the renderer read a local file or reach the
network.
"""

import mimetypes
import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from contracts.models import Contract, IndividualContract, StandardContract, Status

# Documents are rendered with this base URL; the fetcher maps URLs under it to
# static files. The host is reserved (RFC 2606) and is never contacted.
BASE_URL = "https://static.rammeaftale.invalid/"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves `BASE_URL + STATIC_URL + <path>` from the project's static files;
    refuses everything else without opening any connection or file."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError("Only the project's own static files may be used in a contract PDF.")
        relative = posixpath.normpath(url[len(prefix) :].split("?")[0].split("#")[0])
        if relative.startswith(("/", "..")) or "\\" in relative:
            raise ValueError("Only the project's own static files may be used in a contract PDF.")
        path = static_file_path(relative)
        if path is None:
            raise ValueError("No such static file.")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file_path(relative: str) -> Path | None:
    """The file of a static path: from the app and project folders (finders),
    or from STATIC_ROOT after collectstatic (hashed names in production)."""
    found = finders.find(relative)
    if found:
        return Path(found)
    try:
        path = Path(staticfiles_storage.path(relative)).resolve()
    except NotImplementedError:
        return None
    root = Path(settings.STATIC_ROOT).resolve()
    if root in path.parents and path.is_file():
        return path
    return None


# Archivable and readable by screen readers: PDF/A-2b with a tag structure.
# The title and language come from the template's <title> and <html lang>.
PDF_VARIANT = "pdf/a-2b"


def render_html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )


def render_contract(
    contract: Contract, *, full_cpr: bool = True, draft: bool | None = None
) -> bytes:
    """The contract as a PDF. Unsigned contracts carry "UDKAST" on every page
    (`draft=False`: the document sent for signature, which does not); a signed
    one ends with the page "Underskrifter". `full_cpr=False` masks the CPR
    numbers of an individual contract."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(contract, StandardContract):
            template = "contracts/pdf/standard_contract.html"
            context = standard_context(contract)
        else:
            template = "contracts/pdf/individual_contract.html"
            context = individual_context(contract, full_cpr=full_cpr)
        if draft is not None:
            context["draft"] = draft
        html = render_to_string(template, context)
    return render_html_to_pdf(html)


def render_access_report(report) -> bytes:
    """A person's access report (`services.cpr_access_report`) as a PDF/A-2b."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "contracts/pdf/access_report.html",
            {"report": report, "stylesheet": static_url(STYLESHEET)},
        )
    return render_html_to_pdf(html)


def _field(model, name: str, value) -> tuple[str, object]:
    return (str(model._meta.get_field(name).verbose_name).capitalize(), value)


STYLESHEET = "css/contract-pdf.css"


def static_url(path: str) -> str:
    """The URL under which the fetcher serves a static file. Not `{% static %}`:
    that asks the manifest storage for a hashed name, which exists only after
    collectstatic; the fetcher finds the file itself."""
    return BASE_URL + settings.STATIC_URL.lstrip("/") + path


def _common_context(contract: Contract) -> dict:
    return {
        "stylesheet": static_url(STYLESHEET),
        "contract": contract,
        # Rendered at signing (status already signed): no watermark.
        "draft": contract.status in (Status.DRAFT, Status.AWAITING_SIGNATURE),
        "signatures": _signature_blocks(contract),
        "signature_page": contract.status == Status.SIGNED,
        "verify_url": settings.SITE_URL.rstrip("/") + reverse("portal:verify_seal"),
    }


def _signature_blocks(contract: Contract) -> list[dict]:
    from contracts.models import Signature

    if isinstance(contract, StandardContract):
        authority = contract.authority
    else:
        authority = contract.acting_municipality
    return [
        {
            "heading": _("On behalf of the municipal council of %(municipality)s")
            % {"municipality": authority},
            "signature": contract.signature_for(Signature.Party.AUTHORITY),
        },
        {
            "heading": _("As provider: %(provider)s") % {"provider": contract.provider},
            "signature": contract.signature_for(Signature.Party.PROVIDER),
        },
    ]


def standard_context(contract: StandardContract) -> dict:
    model = StandardContract
    general = contract.general_part
    field = _field

    def section(title: str, names: list[str], source=contract, source_model=model) -> dict:
        rows = [
            field(source_model, name, getattr(source, name))
            for name in names
            if getattr(source, name) not in ("", None)
        ]
        if len(names) == 1:
            # A one-field section: its title is the label.
            rows = [("", value) for _label, value in rows]
        return {"title": title, "rows": rows}

    return _common_context(contract) | {
        "general_part": general,
        "general": [
            section(
                _("General terms (version %(version)s)") % {"version": general.version},
                GENERAL_PART_FIELDS,
                source=general,
                source_model=type(general),
            )
        ],
        "specific": [
            section(_("Purpose of the contract"), ["purpose"]),
            section(
                _("Requirements on the authority"),
                ["authority_supervision", "authority_information", "authority_written_form"],
            ),
            section(
                _("Requirements on the provider"),
                [
                    "provider_opening_hours",
                    "provider_education",
                    "provider_competence",
                    "provider_involvement",
                    "provider_confidentiality",
                    "provider_duty_to_notify",
                    "provider_data_storage",
                    "provider_use_of_force",
                ],
            ),
            section(
                _("Requirements on the cooperation"),
                ["cooperation_requirements", "number_of_places"],
            ),
            section(_("Insurance"), ["insurance"]),
            section(_("Follow-up"), ["follow_up"]),
        ],
        "price_rows": [
            (_("Price"), contract.price, contract.get_price_unit_display()),
        ],
        "price_section": section(
            _("Price of the intervention"),
            ["price_regulation", "price_covers", "add_on_services"],
        ),
        "duration_section": section(
            _("Commencement and duration"), ["starts_on", "ends_on", "extension"]
        ),
    }


GENERAL_PART_FIELDS = [
    "ethics",
    "payment_terms",
    "disputes_and_breach",
    "sanctions_and_termination",
]


def individual_context(contract: IndividualContract, *, full_cpr: bool) -> dict:
    model = IndividualContract

    def show(name: str) -> str:
        return contract.cpr_display(name, full=full_cpr)

    custody = contract.get_custody_display()
    family = [
        _field(model, "citizen_name", contract.citizen_name),
        _field(model, "citizen_cpr", show("citizen_cpr")),
        _field(model, "father_name", contract.father_name),
        _field(model, "father_cpr", show("father_cpr")),
        _field(model, "mother_name", contract.mother_name),
        _field(model, "mother_cpr", show("mother_cpr")),
        _field(model, "custody", custody),
    ]
    if contract.custody == IndividualContract.Custody.GUARDIAN:
        family += [
            _field(model, "guardian_name", contract.guardian_name),
            _field(model, "guardian_cpr", show("guardian_cpr")),
        ]

    def rows(names: list[str]) -> list:
        return [
            _field(model, name, getattr(contract, name))
            for name in names
            if getattr(contract, name) not in ("", None)
        ]

    return _common_context(contract) | {
        "standard_contract": contract.standard_contract,
        "full_cpr": full_cpr,
        "family": [row for row in family if row[1]],
        "contacts": [
            _field(model, "municipality_contact", contract.municipality_contact),
            _field(model, "provider_contact", contract.provider_contact),
            _field(model, "acting_municipality", contract.acting_municipality),
            _field(model, "paying_municipality", contract.paying_municipality),
        ],
        "goals": rows(
            [
                "goal_development",
                "goal_family",
                "goal_school",
                "goal_health",
                "goal_leisure",
                "goal_other",
            ]
        ),
        "intervention": rows(
            ["scope", "frequency", "starts_on", "expected_duration", "ends_on", "follow_up"]
        ),
        "economy": rows(["special_economic_agreements", "add_on_services"]),
    }
