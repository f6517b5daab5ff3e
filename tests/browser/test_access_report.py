"""The secretariat makes a mother's access report in a real browser: on the
page and as a PDF; axe-core finds no WCAG 2.1 A/AA violation. The privacy
notice and the page standing in for the accessibility statement, reached
from the footer, likewise."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from contracts import services
from contracts.models import CprAccessLog, IndividualContract
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

MOTHER = "020784-9102"  # Mette Demo Hansen, Emil's mother in the demo data
SCREENSHOTS = "/tmp/access-report-{width}.png"


def test_the_secretariat_makes_a_mothers_access_report(page, check_accessibility):
    contract = IndividualContract.objects.get(citizen_name="Emil Demo Hansen", replaces=None)
    services.cpr_access_record_contract(
        user=User.objects.get(username="sekretariat"),
        action=CprAccessLog.Action.VIEW,
        purpose="Opfølgning på handleplanen",
        individual_contract=contract,
    )
    log_in(page, "sekretariat")
    page.goto(reverse("contracts:contract_list"))
    page.get_by_role("link", name="En persons indsigtsrapport").click()
    page.wait_for_load_state()
    check_accessibility(page)

    page.get_by_label("Cpr-nummer").fill(MOTHER)
    page.get_by_label("Formål").fill("Moren har bedt om indsigt")
    page.get_by_role("button", name="Vis rapporten").click()
    page.wait_for_load_state()

    report = page.locator("section", has_text="Rapport for cpr-nummer 020784-XXXX")
    # The contract's row, and the row of the lookup on it.
    assert report.get_by_role("row", name=f"{contract.number} v{contract.version}").count() == 2
    assert report.get_by_text("Opfølgning på handleplanen").is_visible()
    assert "Sekretariat: " in report.inner_text()
    assert MOTHER not in page.url
    check_accessibility(page)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS.format(width=width), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Hent som PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert CprAccessLog.objects.filter(action=CprAccessLog.Action.REPORT).count() == 2


def test_the_footer_leads_to_the_privacy_notice_and_the_accessibility_page(
    page, check_accessibility
):
    page.goto(reverse("login"))
    page.locator("footer").get_by_role("link", name="Privatlivspolitik").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("notices:privacy"))
    check_accessibility(page)
    page.screenshot(path="/tmp/privacy-notice-1280.png", full_page=True)

    page.locator("footer").get_by_role("link", name="Tilgængelighedserklæring").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("notices:accessibility"))
    assert page.get_by_text("endnu ikke offentliggjort").is_visible()
    check_accessibility(page)
