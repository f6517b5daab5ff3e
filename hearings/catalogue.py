"""DCAT-AP-DK metadata of the approved documents, for the open-data portal
(Digitaliseringsstyrelsen's profile of DCAT-AP): one catalogue, a dataset per
framework agreement, a distribution per approved document with its licence,
its access address (the open page) and its download address (the PDF/A).

Only organisations are named (the secretariat as publisher); no person."""

from django.db.models import Prefetch
from django.urls import reverse

from agreements.models import FrameworkAgreement
from hearings.models import ApprovedDocument

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/DAN"
THEME = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
PDF_FORMAT = "http://publications.europa.eu/resource/authority/file-type/PDF"
PDF_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/application/pdf"


def _iri(value: str) -> dict:
    return {"@id": value}


def _date(day) -> dict:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "da"}


def dcat_catalogue(site: str) -> dict:
    """The catalogue as JSON-LD (`@context` and `@graph`); `site` is the
    address the links start with (https://rammeaftale.example.dk)."""
    page = site + reverse("publication:list")
    agreements = (
        FrameworkAgreement.objects.filter(approved_documents__isnull=False)
        .distinct()
        .select_related("secretariat", "region", "municipality")
        .prefetch_related(
            Prefetch("approved_documents", queryset=ApprovedDocument.objects.order_by("document"))
        )
        .order_by("-period_start", "name")
    )
    catalogue_id = site + reverse("publication:dcat")
    datasets = []
    for agreement in agreements:
        dataset_id = f"{page}#rammeaftale-{agreement.pk}"
        distributions = []
        for document in agreement.approved_documents.all():
            download = site + reverse("publication:document", args=[document.pk])
            distributions.append(
                {
                    "@id": download,
                    "@type": "dcat:Distribution",
                    "dct:title": _text(f"{document.title} ({document.get_document_display()})"),
                    "dct:license": _iri(document.licence),
                    "dcat:accessURL": _iri(f"{page}#rammeaftale-{agreement.pk}"),
                    "dcat:downloadURL": _iri(download),
                    "dct:format": _iri(PDF_FORMAT),
                    "dcat:mediaType": _iri(PDF_MEDIA_TYPE),
                    "dcat:byteSize": {"@value": str(document.size), "@type": "xsd:decimal"},
                    "dct:issued": _date(document.approved_on),
                    "dct:language": _iri(LANGUAGE),
                }
            )
        publisher = agreement.secretariat.name if agreement.secretariat_id else agreement.name
        area = agreement.region or agreement.municipality
        datasets.append(
            {
                "@id": dataset_id,
                "@type": "dcat:Dataset",
                "dct:title": _text(agreement.name),
                "dct:description": _text(
                    agreement.purpose
                    or "Rammeaftalens godkendte udviklingsstrategi og styringsaftale."
                ),
                "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
                "dcat:keyword": [_text("rammeaftale"), _text("specialiserede socialområde")]
                + ([_text(str(area))] if area else []),
                "dcat:theme": _iri(THEME),
                "dct:language": _iri(LANGUAGE),
                "dcat:landingPage": _iri(f"{page}#rammeaftale-{agreement.pk}"),
                "dcat:distribution": [_iri(d["@id"]) for d in distributions],
            }
        )
        datasets.extend(distributions)
    catalogue = {
        "@id": catalogue_id,
        "@type": "dcat:Catalog",
        "dct:title": _text("Rammeaftalernes godkendte dokumenter"),
        "dct:description": _text(
            "Godkendte udviklingsstrategier og styringsaftaler for rammeaftalerne på det "
            "specialiserede socialområde."
        ),
        "dct:language": _iri(LANGUAGE),
        "foaf:homepage": _iri(page),
        "dcat:dataset": [_iri(d["@id"]) for d in datasets if d["@type"] == "dcat:Dataset"],
    }
    return {"@context": CONTEXT, "@graph": [catalogue, *datasets]}
