"""Contract PDFs: content, the stored bytes, and a renderer that reaches
nothing but the project's static files. The tests read the PDFs' text back
with pypdf. The only server they start listens on loopback."""

import hashlib
import http.server
import io
import os
import re
import stat
import threading
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from contracts import pdf
from contracts.models import IndividualContract, Status
from providers.models import Provider
from tests.conftest import make_individual_contract, make_standard_contract, sign_contract

pytestmark = pytest.mark.django_db


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def sign(contract, user):
    return sign_contract(contract, user)


@pytest.fixture
def signed_contract(secretariat_user, provider):
    return sign(make_standard_contract(provider=provider), secretariat_user)


# What the PDF says --------------------------------------------------------------


def test_the_signed_standard_contract_pdf_names_parties_type_price_signatures_and_number(
    signed_contract,
):
    pages = pages_text(signed_contract.pdf.open("rb").read())
    text = "\n".join(pages)

    assert "Aarhus" in text
    assert "Bostedet Fjordglimt" in text
    assert "Standardkontrakt vedrørende Botilbud § 108" in text
    assert "2.150,50 kr. pr. døgn" in text
    assert "Socialchef Birte Bøgh" in text
    assert "Forstander Åge Ærø" in text
    assert "10.01.2025" in text
    assert f"Side 1 af {len(pages)}" in pages[0]
    assert f"Side {len(pages)} af {len(pages)}" in pages[-1]
    assert f"Kontrakt {signed_contract.number}, version 1" in pages[-1]
    assert "UDKAST" not in text


def assert_archivable(data: bytes, title: str) -> None:
    """Archivable (PDF/A-2b) and readable by screen readers (tagged, with the
    document's title shown and its language set)."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.stream.get_data().decode()

    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == title


def test_the_contract_pdf_is_pdf_a_with_tags_title_and_language(signed_contract):
    assert_archivable(
        signed_contract.pdf.open("rb").read(), "Standardkontrakt vedrørende Botilbud § 108"
    )


def test_both_parts_of_the_standard_contract_are_in_the_pdf(signed_contract):
    text = "\n".join(pages_text(signed_contract.pdf.open("rb").read()))

    assert "Generelle forhold (version 1)" in text
    assert "Betaling månedsvis bagud" in text
    assert "Indsatsspecifikke forhold" in text
    assert "Krav til leverandøren" in text
    assert "Døgnåbent alle årets dage." in text


def test_an_unsigned_contract_says_udkast_on_every_page():
    contract = make_standard_contract(purpose="Formål. " * 400)

    pages = pages_text(pdf.render_contract(contract))

    assert len(pages) > 1
    assert all("UDKAST" in page for page in pages)


def test_the_individual_contract_is_its_own_document_with_masked_or_full_cpr():
    contract = make_individual_contract()

    masked = "\n".join(pages_text(pdf.render_contract(contract, full_cpr=False)))
    full = "\n".join(pages_text(pdf.render_contract(contract)))

    assert "Individuel kontrakt" in masked
    assert "Bilag til standardkontrakt vedrørende Botilbud § 108" in masked
    assert "010315-XXXX" in masked
    assert "9001" not in masked
    assert "010315-9001" in full


def test_every_cpr_number_of_the_family_is_masked_in_the_masked_copy():
    contract = make_individual_contract(
        father_name="Far Testesen",
        father_cpr="0305829003",
        custody=IndividualContract.Custody.GUARDIAN,
        guardian_name="Værge Testesen",
        guardian_cpr="1502909004",
    )

    masked = "\n".join(pages_text(pdf.render_contract(contract, full_cpr=False)))
    full = "\n".join(pages_text(pdf.render_contract(contract)))

    for whole, shown in [
        ("010315-9001", "010315-XXXX"),
        ("120785-9002", "120785-XXXX"),
        ("030582-9003", "030582-XXXX"),
        ("150290-9004", "150290-XXXX"),
    ]:
        assert whole in full
        assert shown in masked
        assert whole[-4:] not in masked


# Stored once, returned as stored ------------------------------------------------


def test_a_redownload_returns_the_stored_bytes_after_the_provider_and_template_change(
    client, secretariat_user, signed_contract, settings, tmp_path
):
    client.force_login(secretariat_user)
    Provider.objects.filter(pk=signed_contract.provider_id).update(name="Nyt Navn ApS")
    override = tmp_path / "templates" / "contracts" / "pdf"
    override.mkdir(parents=True)
    (override / "standard_contract.html").write_text("<p>Ny skabelon</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert "Ny skabelon" in "".join(pages_text(pdf.render_contract(signed_contract)))

    response = client.get(reverse("contracts:standard_contract_pdf", args=[signed_contract.pk]))
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == signed_contract.pdf_sha256
    assert "Bostedet Fjordglimt" in "".join(pages_text(body))


def test_the_stored_hash_is_the_hash_of_the_stored_file(signed_contract):
    data = signed_contract.pdf.open("rb").read()

    assert hashlib.sha256(data).hexdigest() == signed_contract.pdf_sha256
    assert signed_contract.pdf.name.endswith(f"{signed_contract.number}-v1.pdf")


# Nothing but the project's static files -----------------------------------------


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        RecordingHandler.requests.append(self.path)
        body = b'body::after { content: "LAEKKET-HTTP"; }'
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    """A small HTTP server on 127.0.0.1 that records every request it gets."""
    RecordingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", RecordingHandler.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_secret_css(tmp_path):
    path = tmp_path / "secret.css"
    path.write_text('body::before { content: "LAEKKET-FIL"; }')
    return path.as_uri()


def test_user_text_with_file_and_loopback_urls_is_escaped_and_fetches_nothing(
    loopback_server, local_secret_css, provider
):
    base, requests = loopback_server
    provider.name = '<img src="file:///etc/passwd"> Fjordglimt'
    provider.save()
    contract = make_standard_contract(
        provider=provider,
        purpose=(
            f'<link rel="stylesheet" href="{base}/x.css">'
            f'<link rel="stylesheet" href="{local_secret_css}">'
            f'<img src="{base}/billede.png"><style>@import url("{base}/y.css");</style>'
        ),
    )

    text = "\n".join(pages_text(pdf.render_contract(contract)))

    assert requests == []
    assert "root:" not in text
    assert "LAEKKET" not in text
    # Escaped: shown as the text it is.
    assert '<img src="file:///etc/passwd"> Fjordglimt' in text


def test_a_template_linking_file_and_loopback_urls_fetches_nothing(
    loopback_server, local_secret_css
):
    base, requests = loopback_server
    template = Template(
        "<html><head>"
        '<link rel="stylesheet" href="{{ base }}/x.css">'
        '<link rel="stylesheet" href="{{ secret }}">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        "<style>@import url('{{ base }}/y.css');"
        " body { background: url('{{ base }}/bg.png'); }</style>"
        "</head><body><p>Indhold</p>"
        '<img src="file:///etc/passwd"><img src="{{ base }}/i.png">'
        '<object data="file:///etc/passwd"></object>'
        '<iframe src="{{ base }}/frame"></iframe>'
        "</body></html>"
    )
    html = template.render(Context({"base": base, "secret": local_secret_css}))

    text = "\n".join(pages_text(pdf.render_html_to_pdf(html)))

    assert "Indhold" in text
    assert requests == []
    assert "root:" not in text
    assert "LAEKKET" not in text


def test_the_loopback_server_does_record_requests(loopback_server):
    """The recorder works: a plain request reaches it (so an empty list above means something)."""
    import urllib.request

    base, requests = loopback_server
    urllib.request.urlopen(f"{base}/probe").read()  # noqa: S310 - loopback only

    assert requests == ["/probe"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/static/css/contract-pdf.css",
        "data:text/css,body{}",
        f"{pdf.BASE_URL}static/../../../../etc/passwd",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.BASE_URL}other/css/contract-pdf.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf.StaticFilesOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_print_stylesheet():
    response = pdf.StaticFilesOnlyFetcher().fetch(f"{pdf.BASE_URL}static/css/contract-pdf.css")

    assert b"counter(pages)" in response.read()
    assert response.content_type == "text/css"


def test_the_page_numbers_come_from_the_stylesheet():
    text = pages_text(pdf.render_contract(make_standard_contract()))[0]

    assert re.search(r"Side 1 af \d+", text)


def test_signing_stores_the_pdf_under_media_root(signed_contract, settings):
    assert signed_contract.status == Status.SIGNED
    assert str(settings.MEDIA_ROOT) in signed_contract.pdf.path


def test_stored_contract_pdfs_and_their_folders_are_for_the_application_alone(
    secretariat_user, settings
):
    contract = sign(make_individual_contract(), secretariat_user)

    for stored in (contract.pdf, contract.pdf_masked):
        assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o600
    folder = Path(contract.pdf.path).parent
    media_root = Path(settings.MEDIA_ROOT)
    while folder != media_root.parent:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def test_pdfs_render_with_the_production_static_storage_before_collectstatic(settings):
    """seed_demo and signing run without DEBUG, where {% static %} would need a manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    text = pages_text(pdf.render_contract(make_standard_contract()))[0]

    assert re.search(r"Side 1 af \d+", text)
