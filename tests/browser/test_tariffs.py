"""The tariff round in the browser: the secretariat opens next year's round,
an operator submits a basis that is flagged, the Takstgruppe asks for a
correction, the operator corrects it, the Takstgruppe approves, and the
tariff appears on the open tariff list. axe-core checks each page."""

import datetime
import re

import pytest

from tariffs.models import CalculationBasis
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

COSTS = {
    "Personaleudgifter (kr.)": "9.000.000,00",
    "Øvrige driftsudgifter (kr.)": "1.500.000,00",
    "Overhead, indirekte omkostninger (kr.)": "735.000,00",
    "Husleje (kr.)": "600.000,00",
    "Afskrivninger (kr.)": "165.000,00",
}


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def _decide(page, offer_name: str, decision: str, comment: str, check_accessibility) -> None:
    page.goto("/takster/runder/")
    page.get_by_role("link", name=str(datetime.date.today().year + 1)).click()
    page.get_by_role("link", name=f"Behandl grundlaget for {offer_name}").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.locator("label", has_text=decision).click()  # the design system draws the radio
    page.get_by_label("Bemærkning til driftsherren").fill(comment)
    page.get_by_role("button", name="Registrér beslutningen").click()
    page.wait_for_load_state()


def test_the_tariff_round_from_opening_to_the_open_list(page, check_accessibility):
    year = datetime.date.today().year + 1
    deadline = datetime.date.today() + datetime.timedelta(days=20)

    log_in(page, "sekretariat")
    page.get_by_role("link", name="Takster").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Rammeaftale", exact=True).select_option(
        label="Rammeaftale 2025-26 for Midtjylland"
    )
    page.get_by_label("Takstår").fill(str(year))
    page.get_by_label("Frist for indsendelse").fill(deadline.isoformat())
    page.get_by_role("button", name="Åbn takstrunden").click()
    page.wait_for_load_state()
    assert "Takstrunden er åbnet." in page.content()
    check_accessibility(page)

    # The operator (Aarhus) submits a basis with 88 % budgeted occupancy.
    _switch_user(page, "kommune")
    page.get_by_role("link", name="Takster").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    link = page.get_by_role("link", name=re.compile("^Indtast grundlaget for ")).first
    offer_name = link.inner_text().removeprefix("Indtast grundlaget for ")
    link.click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Tilbudstype").select_option(label="Botilbud (døgn)")
    page.get_by_label("Godkendte pladser").fill("20")
    page.get_by_label("Åbningsdage").fill("365")
    page.get_by_label("Budgetteret belægning (%)").fill("88")
    for label, value in COSTS.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Send til Takstgruppen").click()
    page.wait_for_load_state()
    assert "Budgetteret belægning 88 % er under 95 %" in page.content()
    check_accessibility(page)

    # The Takstgruppe asks for a correction.
    _switch_user(page, "takst")
    _decide(
        page,
        offer_name,
        "Bed om rettelse",
        "Belægningen skal budgetteres til 95 %.",
        check_accessibility,
    )
    assert CalculationBasis.objects.get(offer__name=offer_name, year=year).status == "correction"

    # The operator corrects and submits again: nothing is flagged.
    _switch_user(page, "kommune")
    page.goto("/takster/mine/")
    page.get_by_role("link", name=f"Indtast grundlaget for {offer_name}").click()
    page.wait_for_load_state()
    assert "Belægningen skal budgetteres til 95 %." in page.content()
    check_accessibility(page)
    page.get_by_label("Budgetteret belægning (%)").fill("95")
    page.get_by_role("button", name="Send til Takstgruppen").click()
    page.wait_for_load_state()
    assert "Markeret til Takstgruppen" not in page.content()

    # The Takstgruppe approves; the tariff is on the open list.
    _switch_user(page, "takst")
    _decide(page, offer_name, "Godkend", "", check_accessibility)
    assert "Grundlaget er godkendt" in page.content()

    page.context.clear_cookies()
    page.goto("/takster/")
    page.wait_for_load_state()
    check_accessibility(page)
    row = page.locator("tr", has_text=offer_name)
    # 12.000.000 ÷ (20 × 365 × 0,95) = 1.730,353… → 1.730,35
    assert "1.730,35" in row.inner_text()
    row.get_by_role("link", name=f"Beregningsgrundlag for {offer_name}").click()
    page.wait_for_load_state()
    assert "12.000.000,00" in page.content()
    check_accessibility(page)
