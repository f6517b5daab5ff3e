"""The parties sign in the browser: the leader and the municipality each sign
(giving their code first), the secretariat sees the contract signed, the
leader downloads the sealed PDF, and /verificer/ says its seal is valid."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from contracts.models import StandardContract, Status
from tests.browser.conftest import enter_second_factor, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_contract_awaiting_both() -> StandardContract:
    """The demo's contract between Aarhus and Kofoeds Skole (contracts.demo)."""
    return StandardContract.objects.get(
        authority__code=751, provider__name="Kofoeds Skole", status=Status.AWAITING_SIGNATURE
    )


def sign_as(page, username: str, detail: str, title: str, check_accessibility) -> None:
    page.context.clear_cookies()
    log_in(page, username)
    page.goto(detail)
    check_accessibility(page)
    page.get_by_role("link", name="Underskriv").click()
    page.wait_for_load_state()
    # Signing asks for a code given within the last 10 minutes: set up the
    # app on first use, as the page shows.
    if "/login/kode/" in page.url:
        check_accessibility(page)
        enter_second_factor(page, username)
    assert "/underskriv/" in page.url
    check_accessibility(page)
    page.get_by_label("Din stilling").fill(title)
    page.get_by_text("Jeg har læst dokumentet til underskrift og underskriver det.").click()
    page.get_by_role("button", name="Underskriv").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible(), page.locator("main").inner_text()
    check_accessibility(page)


def test_both_parties_sign_and_anyone_can_check_the_seal(page, check_accessibility):
    contract = demo_contract_awaiting_both()
    detail = reverse("contracts:standard_contract_detail", args=[contract.pk])

    sign_as(page, "leder", detail, "Forstander", check_accessibility)
    sign_as(page, "kommune", detail, "Socialchef", check_accessibility)

    contract.refresh_from_db()
    assert contract.status == Status.SIGNED

    # The secretariat sees it signed.
    page.context.clear_cookies()
    log_in(page, "kbh-sekretariat")
    page.goto(detail)
    check_accessibility(page)
    assert "Underskrevet" in page.locator("#state-heading + p").inner_text()
    assert "Digitalt i Rammeaftale" in page.locator("main").inner_text()

    # The leader downloads the sealed PDF.
    page.context.clear_cookies()
    log_in(page, "leder")
    page.goto(detail)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent den underskrevne PDF").click()
    path = Path(download_info.value.path())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == contract.pdf_sha256

    # Anyone checks it, logged in or not.
    page.context.clear_cookies()
    page.goto(reverse("portal:verify_seal"))
    check_accessibility(page)
    page.get_by_label("PDF-filen, der skal tjekkes").set_input_files(str(path))
    page.get_by_role("button", name="Tjek PDF-filen").click()
    page.wait_for_load_state()
    result = page.locator("main").inner_text()
    assert "Seglet er gyldigt, og filen er uændret, siden den blev forseglet." in result
    assert contract.reference in result
    check_accessibility(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/u19-verify-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/u19-verify-1280.png", full_page=True)
