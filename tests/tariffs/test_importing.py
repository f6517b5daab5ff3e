"""Calculation bases from a spreadsheet: the template, all or nothing, every
bad row named."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tariffs import importing
from tariffs.models import CalculationBasis, TariffError
from tests.conftest import make_offer
from tests.tariffs.helpers import make_round, midtjylland

ROW = {
    "Godkendte pladser": 20,
    "Åbningsdage": 365,
    "Tilbudstype": "Botilbud (døgn)",
    "Budgetteret belægning (%)": "95,00",
    "Personaleudgifter (kr.)": "9.000.000,00",
    "Øvrige driftsudgifter (kr.)": 1500000,
    "Overhead, indirekte omkostninger (kr.)": "735.000",
    "Husleje (kr.)": "600.000,00",
    "Afskrivninger (kr.)": "165.000,00",
    "Efterregulering (kr.)": "100.000,00",
}


@pytest.fixture
def offers(secretariat_user):
    make_round(secretariat_user)
    result = [make_offer(name=name) for name in ("Egely", "Lyngly")]  # operated by Aarhus
    for offer in result:
        offer.framework_agreements.add(midtjylland())
    return result


def _csv(rows: list[dict]) -> bytes:
    headers = list(importing.headers())
    lines = [";".join(headers)]
    for row in rows:
        lines.append(";".join(str(row.get(header, "")) for header in headers))
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def test_an_import_saves_each_row_as_a_draft(offers, municipality_user):
    content = _csv([{"Tilbud": "Egely", "År": 2026} | ROW, {"Tilbud": "Lyngly", "År": 2026} | ROW])
    saved = importing.bases_import(user=municipality_user, content=content, file_name="g.csv")
    assert len(saved) == 2
    basis = CalculationBasis.objects.get(offer__name="Egely")
    assert basis.status == "draft"
    assert basis.staff_costs == Decimal("9000000.00")
    assert basis.compute_tariff() == Decimal("1744.77")


def test_one_bad_row_refuses_the_file_and_names_every_bad_row(offers, municipality_user):
    content = _csv(
        [
            {"Tilbud": "Egely", "År": 2026} | ROW,
            {"Tilbud": "Lyngly", "År": 2026} | ROW | {"Husleje (kr.)": "mange"},
            {"Tilbud": "Ukendt", "År": 2026} | ROW,
        ]
    )
    with pytest.raises(TariffError) as refused:
        importing.bases_import(user=municipality_user, content=content, file_name="g.csv")
    assert [problem.split(":")[0] for problem in refused.value.message] == ["Række 3", "Række 4"]
    assert not CalculationBasis.objects.exists()


def test_another_municipalitys_offer_is_refused(offers, other_municipality_user):
    content = _csv([{"Tilbud": "Egely", "År": 2026} | ROW])
    with pytest.raises(TariffError):
        importing.bases_import(user=other_municipality_user, content=content, file_name="g.csv")
    assert not CalculationBasis.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_unread(offers, municipality_user):
    with pytest.raises(TariffError, match="ikke en CSV- eller XLSX-fil"):
        importing.bases_import(user=municipality_user, content=b"x", file_name="g.exe")


def test_the_template_and_the_upload_on_the_page(client, offers, municipality_user):
    client.force_login(municipality_user)
    response = client.get(reverse("tariffs:bases_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Tilbud", "Tilbudsportalen-id", "År")
    assert {row[0] for row in rows[1:]} == {"Egely", "Lyngly"}
    for row_index in range(2, sheet.max_row + 1):
        for column, header in enumerate(rows[0], start=1):
            if header in ROW:
                sheet.cell(row=row_index, column=column).value = ROW[header]
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload = SimpleUploadedFile("grundlag.xlsx", buffer.getvalue())
    response = client.post(reverse("tariffs:mine"), {"file": upload})
    assert response.status_code == 302
    assert CalculationBasis.objects.filter(status="draft").count() == 2


def test_a_refused_upload_says_why_on_the_page(client, offers, municipality_user):
    client.force_login(municipality_user)
    upload = SimpleUploadedFile("g.csv", _csv([{"Tilbud": "Ukendt", "År": 2026} | ROW]))
    response = client.post(reverse("tariffs:mine"), {"file": upload})
    assert response.status_code == 200
    assert "Række 2" in response.content.decode()
    assert not CalculationBasis.objects.exists()


def test_the_template_is_for_operators_only(client, offers, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(reverse("tariffs:bases_template")).status_code == 404
