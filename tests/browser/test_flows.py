"""The main flow of each role, in the browser: the provider leader downloads a
signed contract as PDF; a municipality answers a consultation; the secretariat
routes a capacity adjustment to an e-mail hearing. axe-core checks each page."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from agreements.models import GoverningBody, Municipality
from capacity.models import CapacityAdjustment, Consultation
from contracts.models import StandardContract
from providers.models import Offer
from tests.browser.conftest import choose, log_in
from tests.conftest import (
    make_adjustment,
    make_intervention_type,
    make_standard_contract,
    sign_contract,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _signed_contract_of(provider_name: str) -> StandardContract:
    """A standard contract of the provider signed through the services, so its
    PDF is rendered and stored with its SHA-256."""
    # Kofoeds Skole is under the Copenhagen agreement: København's secretariat records.
    secretariat = User.objects.get(username="kbh-sekretariat")
    # Respite at the § 84 offer: the intervention type fits the offer's paragraph,
    # and the demo has no signed respite contract with this provider yet.
    offer = Offer.objects.filter(provider__name=provider_name, legal_basis="SEL § 84").first()
    contract = make_standard_contract(
        offer=offer,
        authority=Municipality.objects.get(code=101),
        intervention_type=make_intervention_type("aflastning"),
        status="draft",
    )
    return sign_contract(contract, secretariat, names=("Anna Direktør", "Lars Leder"))


def test_provider_leader_downloads_a_signed_contract_pdf(page, media, check_accessibility):
    contract = _signed_contract_of("Kofoeds Skole")
    log_in(page, "leder")
    page.get_by_role("link", name="Kofoeds Skole").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    row = page.locator("tr", has_text=f"{contract.number} v1")
    assert "Underskrevet" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Underskrevet PDF").click()
    download = download_info.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == contract.pdf_sha256
    assert download.suggested_filename == f"{contract.reference}.pdf"

    # The contract's own page, reached from the list.
    page.get_by_role("link", name=f"{contract.number} v1").first.click()
    page.wait_for_load_state()
    check_accessibility(page)


def test_municipality_answers_a_consultation(page, check_accessibility):
    secretariat = User.objects.get(username="sekretariat")
    aarhus = Municipality.objects.get(code=751)
    offer = Offer.objects.filter(provider__operating_municipality__code=730).first()
    adjustment = make_adjustment(offer, user=secretariat, consulted=(aarhus,), recorded=False)

    log_in(page, "kommune")
    waiting = page.locator("#waiting + table")
    waiting.get_by_role("link", name=offer.name).click()
    page.wait_for_load_state()
    check_accessibility(page)
    form = page.locator(
        f'form[action="{reverse("capacity:answer_consultation", args=[adjustment.pk])}"]'
    )
    form.locator('select[name="municipality"]').select_option(str(aarhus.pk))
    choose(form, "answer", Consultation.Answer.CONCERNS)  # nothing is chosen in advance
    form.locator('textarea[name="comment"]').fill("Vi mangler pladser i Aarhus.")
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible(), page.locator(
        "main .alert"
    ).all_inner_texts()
    check_accessibility(page)
    consultation = Consultation.objects.get(adjustment=adjustment, municipality=aarhus)
    assert consultation.answer == Consultation.Answer.CONCERNS
    assert consultation.comment == "Vi mangler pladser i Aarhus."

    # Answered: nothing waits any more.
    page.goto(reverse("portal:municipality"))
    assert page.locator("#waiting + table").get_by_role("link", name=offer.name).count() == 0


def test_secretariat_routes_an_adjustment_to_a_hearing(page, check_accessibility):
    secretariat = User.objects.get(username="sekretariat")
    offer = Offer.objects.filter(provider__operating_municipality__code=751).first()
    adjustment = make_adjustment(offer, user=secretariat, places=14)
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")

    log_in(page, "sekretariat")
    to_route = page.locator("table", has=page.locator("caption", has_text="sendes til et møde"))
    to_route.get_by_role("link", name=offer.name).click()
    page.wait_for_load_state()
    check_accessibility(page)
    form = page.locator(f'form[action="{reverse("capacity:open_hearing", args=[adjustment.pk])}"]')
    form.locator('select[name="body"]').select_option(str(dassos.pk))
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible(), page.locator(
        "main .alert"
    ).all_inner_texts()
    check_accessibility(page)
    adjustment.refresh_from_db()
    assert adjustment.status == CapacityAdjustment.Status.IN_HEARING
    assert adjustment.hearing.deadline == datetime.date.today() + datetime.timedelta(days=14)

    # The dashboard now shows it among the hearings running, with 14 days left.
    page.goto(reverse("portal:dashboard"))
    running = page.locator(
        "table", has=page.locator("caption", has_text="Igangværende mailhøringer")
    )
    assert running.get_by_role("link", name=offer.name).is_visible()
    assert "14 dage" in running.inner_text()
    check_accessibility(page)
