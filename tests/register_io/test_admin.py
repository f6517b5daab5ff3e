"""Import and export in the admin: only with the permission (403 otherwise,
and no buttons), a preview before anything is written, errors per row."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers.models import Offer, Provider
from tests.conftest import grant, make_offer, make_provider

REGISTER_ADMINS = [
    "agreements_municipality",
    "providers_provider",
    "providers_offer",
    "providers_operatingagreement",
    "providers_tariff",
]


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


# Permissions (acceptance 4) ----------------------------------------------------------------


@pytest.mark.parametrize("admin", REGISTER_ADMINS)
def test_secretariat_without_the_permissions_gets_403_and_sees_no_buttons(
    client, secretariat_user, admin
):
    client.force_login(secretariat_user)
    body = client.get(reverse(f"admin:{admin}_changelist")).content.decode()
    assert reverse(f"admin:{admin}_import") not in body
    assert reverse(f"admin:{admin}_export") not in body
    assert "export_admin_action" not in body
    assert client.get(reverse(f"admin:{admin}_import")).status_code == 403
    assert client.post(reverse(f"admin:{admin}_process_import")).status_code == 403
    assert client.get(reverse(f"admin:{admin}_export")).status_code == 403
    assert client.post(reverse(f"admin:{admin}_export"), {"format": "0"}).status_code == 403


@pytest.mark.parametrize("admin", REGISTER_ADMINS)
def test_holders_of_the_permissions_see_both_buttons_and_pages(importer_client, admin):
    body = importer_client.get(reverse(f"admin:{admin}_changelist")).content.decode()
    assert reverse(f"admin:{admin}_import") in body
    assert reverse(f"admin:{admin}_export") in body
    assert importer_client.get(reverse(f"admin:{admin}_import")).status_code == 200
    assert importer_client.get(reverse(f"admin:{admin}_export")).status_code == 200


def test_export_permission_alone_does_not_open_the_import(client, secretariat_user):
    client.force_login(grant(secretariat_user, "export_register"))
    body = client.get(reverse("admin:providers_offer_changelist")).content.decode()
    assert reverse("admin:providers_offer_export") in body
    assert reverse("admin:providers_offer_import") not in body
    assert client.get(reverse("admin:providers_offer_import")).status_code == 403
    assert client.get(reverse("admin:providers_offer_export")).status_code == 200


def test_import_permission_alone_does_not_open_the_export(client, secretariat_user):
    client.force_login(grant(secretariat_user, "import_register"))
    assert client.get(reverse("admin:providers_offer_export")).status_code == 403
    assert client.get(reverse("admin:providers_offer_import")).status_code == 200


def test_people_outside_the_secretariat_are_sent_to_the_admin_login(client, municipality_user):
    client.force_login(municipality_user)
    response = client.get(reverse("admin:providers_offer_import"))
    assert response.status_code == 302


# Preview, then confirm -------------------------------------------------------------------


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _offers_csv(provider, *places: str) -> bytes:
    lines = [
        "Udbyder (CVR-nummer);Tilbud;Lovgrundlag;Målgruppe;Specialiseringsniveau;Godkendte pladser"
    ]
    lines += [
        f"{provider.cvr};Tilbud {n};SEL § 108;autism;1;{count}" for n, count in enumerate(places)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_an_import_shows_a_preview_and_writes_only_when_confirmed(
    importer_client, importer, provider
):
    existing = make_offer(provider, name="Tilbud 0", approved_places=4, specialisation_level=3)
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload("tilbud.csv", _offers_csv(provider, "4", "5"))},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert "confirm_form" in response.context
    body = response.content.decode()
    assert "Forhåndsvisning" in body and "Bekræft import" in body
    existing.refresh_from_db()
    assert existing.specialisation_level == 3
    assert not Offer.objects.filter(name="Tilbud 1").exists()

    confirm = response.context["confirm_form"]
    response = importer_client.post(
        reverse("admin:providers_offer_process_import"),
        {name: confirm.initial[name] for name in confirm.initial},
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.specialisation_level == 1
    created = Offer.objects.get(name="Tilbud 1")
    record = created.history.get()
    assert record.history_user == importer
    assert record.history_change_reason == "Import: tilbud.csv"
    assert existing.history.latest().history_change_reason == "Import: tilbud.csv"


def test_the_admin_import_refuses_a_row_changing_an_existing_offers_places(
    importer_client, provider
):
    existing = make_offer(provider, name="Tilbud 0", approved_places=16)
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload("tilbud.csv", _offers_csv(provider, "60", "5"))},
    )
    assert "confirm_form" not in response.context
    assert "Pladser ændres gennem en kapacitetsjustering." in response.content.decode()
    existing.refresh_from_db()
    assert existing.approved_places == 16
    assert not Offer.objects.filter(name="Tilbud 1").exists()


def test_a_bad_file_shows_its_errors_per_row_and_offers_no_confirmation(importer_client, provider):
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload("tilbud.csv", _offers_csv(provider, "4", "-2"))},
    )
    assert "confirm_form" not in response.context
    body = response.content.decode()
    assert "Tallet kan ikke være negativt." in body
    assert "Godkendte pladser" in body
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 3
    assert not Offer.objects.filter(provider=provider).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tilbud.txt", b"Tilbud\nA\n", "er ikke en CSV- eller XLSX-fil"),
        ("tilbud.xlsx", b"Tilbud\nA\n", "Filen er en XLSX-fil; vælg formatet XLSX."),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_in_the_form(importer_client, name, content, message):
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload(name, content)},
    )
    assert message in response.content.decode()
    assert "result" not in response.context


def test_a_file_over_the_size_limit_is_refused_in_the_form(importer_client, settings):
    settings.IMPORT_MAX_BYTES = 10
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload("tilbud.csv", b"Tilbud\nEt langt navn\n")},
    )
    assert "større end" in response.content.decode()


def test_an_xlsx_that_is_not_a_workbook_is_refused_with_a_danish_reason(importer_client):
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "0", "import_file": _upload("tilbud.xlsx", b"PK\x03\x04broken")},
    )
    assert "Filen er ikke en XLSX-fil." in response.content.decode()


# Export ------------------------------------------------------------------------------


def test_the_admin_exports_the_filtered_list_as_safe_xlsx(importer_client):
    make_provider(name='=HYPERLINK("http://x","y")', kind=Provider.Kind.PRIVATE)
    make_provider(name="Kommunalt", kind=Provider.Kind.MUNICIPAL)
    url = reverse("admin:providers_provider_export") + "?kind__exact=private"
    form = importer_client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if name.startswith("provider")}
    response = importer_client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ['=HYPERLINK("http://x","y")']
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_a_file_that_fails_at_confirmation_writes_nothing_and_says_so(importer_client, provider):
    response = importer_client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": _upload("tilbud.csv", _offers_csv(provider, "4", "5"))},
    )
    confirm = response.context["confirm_form"]
    # Between preview and confirmation the provider is deleted from the register.
    cvr = provider.cvr
    provider.delete()
    response = importer_client.post(
        reverse("admin:providers_offer_process_import"),
        {name: confirm.initial[name] for name in confirm.initial},
        follow=True,
    )
    assert "Intet blev importeret" in response.content.decode()
    assert not Offer.objects.filter(provider__cvr=cvr).exists()
