"""Acceptance 4 (issue 21): the publication list shows the municipalities
without a recorded address; the DCAT-AP-DK file parses as JSON-LD and names
each document's licence and address. The open pages need no login and name
no person."""

import json

import pytest
from django.urls import reverse

from hearings import services
from hearings.queries import dashboard

from .helpers import approve_everywhere, concluded_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(secretariat_user, municipality_user, midtjylland, aarhus, randers):
    """Both documents gathered; Aarhus and Randers have recorded their addresses."""
    strategy = concluded_hearing(secretariat_user, midtjylland)
    steering = services.hearing_create(
        user=secretariat_user,
        agreement=midtjylland,
        document="steering",
        title="Styringsaftale 2027-28",
        deadline=strategy.deadline.replace(year=strategy.deadline.year + 1),
    )
    services.section_add(user=secretariat_user, hearing=steering, number=1, title="T", text="t")
    services.hearing_open(user=secretariat_user, hearing=steering)
    for each in steering.heard_councils():
        services.answer_give(
            user=secretariat_user,
            hearing=steering,
            council=each,
            texts={},
            no_comments=True,
            received="email",
        )
    services.hearing_conclude(user=secretariat_user, hearing=steering)
    approve_everywhere(midtjylland)
    documents = [
        services.document_gather(user=secretariat_user, hearing=hearing)
        for hearing in (strategy, steering)
    ]
    services.publication_address_record(
        user=municipality_user,
        agreement=midtjylland,
        municipality=aarhus,
        url="https://aarhus.dk/rammeaftale",
    )
    services.publication_address_record(
        user=secretariat_user,
        agreement=midtjylland,
        municipality=randers,
        url="https://randers.dk/rammeaftale",
    )
    return documents


def test_the_open_list_shows_the_municipalities_without_a_recorded_address(
    client, published, midtjylland
):
    html = client.get(reverse("publication:list")).content.decode()

    assert "https://aarhus.dk/rammeaftale" in html
    assert "https://randers.dk/rammeaftale" in html
    unpublished = midtjylland.parties.exclude(code__in=[751, 730])
    assert html.count("Ikke offentliggjort endnu") == unpublished.count() == 17
    for document in published:
        assert reverse("publication:document", args=[document.pk]) in html
        assert document.approved_on.strftime("%d.%m.%Y") in html


def test_the_secretariats_publication_page_and_dashboard_list_the_unpublished(
    client, published, secretariat_user, midtjylland
):
    client.force_login(secretariat_user)
    html = client.get(reverse("hearings:publication", args=[midtjylland.pk])).content.decode()
    assert "17 kommuner har ikke registreret" in html
    ((agreement, missing),) = dashboard(secretariat_user)["unpublished"]
    assert agreement == midtjylland
    assert {m.code for m in missing} == set(
        midtjylland.parties.exclude(code__in=[751, 730]).values_list("code", flat=True)
    )
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "17 kommuner har ikke offentliggjort de godkendte dokumenter" in html


def test_the_dcat_file_is_json_ld_naming_each_documents_licence_and_address(
    client, published, midtjylland
):
    response = client.get(reverse("publication:dcat"))
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)

    assert data["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert data["@context"]["dct"] == "http://purl.org/dc/terms/"
    graph = {node["@id"]: node for node in data["@graph"]}
    (catalogue,) = [n for n in graph.values() if n["@type"] == "dcat:Catalog"]
    (dataset,) = [n for n in graph.values() if n["@type"] == "dcat:Dataset"]
    assert catalogue["dcat:dataset"] == [{"@id": dataset["@id"]}]
    assert dataset["dct:title"]["@value"] == midtjylland.name
    distributions = [graph[ref["@id"]] for ref in dataset["dcat:distribution"]]
    assert len(distributions) == 2
    # Ordered by kind: the steering agreement, then the strategy.
    in_order = sorted(published, key=lambda document: document.document)
    for document, distribution in zip(in_order, distributions, strict=True):
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dct:license"] == {
            "@id": "https://creativecommons.org/licenses/by/4.0/"
        }
        download = distribution["dcat:downloadURL"]["@id"]
        assert download == "http://testserver" + reverse("publication:document", args=[document.pk])
        assert distribution["dcat:accessURL"]["@id"].startswith(
            "http://testserver" + reverse("publication:list")
        )
        # The address serves the document without a login.
        pdf = client.get(download.removeprefix("http://testserver"))
        assert b"".join(pdf.streaming_content) == document.pdf.open("rb").read()


def test_the_open_pages_name_no_person(client, published, secretariat_user, municipality_user):
    html = client.get(reverse("publication:list")).content.decode()
    catalogue = client.get(reverse("publication:dcat")).content.decode()
    for user in (secretariat_user, municipality_user):
        for text in (html, catalogue):
            assert user.username not in text
            assert user.get_full_name() not in text


def test_the_approved_document_is_pdf_a_with_its_approval_date(published):
    import io

    from pypdf import PdfReader

    document = published[0]
    reader = PdfReader(io.BytesIO(document.pdf.open("rb").read()))
    assert 'pdfaid:part="2"' in reader.xmp_metadata.stream.get_data().decode()
    text = " ".join(page.extract_text() for page in reader.pages)
    assert document.approved_on.strftime("%d.%m.%Y") in text


def test_nothing_to_publish_gives_an_empty_catalogue(client, db):
    data = json.loads(client.get(reverse("publication:dcat")).content)
    assert [node["@type"] for node in data["@graph"]] == ["dcat:Catalog"]
    assert (
        "Ingen godkendte dokumenter endnu."
        in client.get(reverse("publication:list")).content.decode()
    )


def test_the_dashboards_unpublished_list_is_one_query_whatever_the_agreements(
    published, secretariat_user, midtjylland, django_assert_num_queries
):
    from agreements.models import FrameworkAgreement
    from hearings.services import unpublished

    with django_assert_num_queries(1):
        rows = unpublished(FrameworkAgreement.objects.administered_by(secretariat_user))
    assert [(agreement, len(missing)) for agreement, missing in rows] == [(midtjylland, 17)]
