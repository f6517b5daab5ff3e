"""The framework agreement's hearing and publication in the browser: the
secretariat comments an answer and records one given by letter, Aarhus
answers on its page and records where it published the approved documents,
and anyone reads the open list and its DCAT-AP-DK file. axe-core checks
every page; screenshots at 1280 and 375 px go to /tmp/hearings-*.png."""

import json

import pytest

from hearings.models import HearingAnswer, PublicationAddress
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _shots(page, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/hearings-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_hearing_answers_comments_and_publication(page, check_accessibility):
    log_in(page, "sekretariat")
    page.goto("/hoeringer/")
    check_accessibility(page)
    _shots(page, "list")
    page.get_by_role("link", name="Udviklingsstrategi").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    _shots(page, "hearing")

    # A comment on Herning's answer.
    herning = HearingAnswer.objects.get(municipality__code=657, section__isnull=False)
    page.locator(f"#id_c{herning.pk}-comment").fill("Tak for opbakningen.")
    page.locator(f'form[action$="/svar/{herning.pk}/kommentar/"] button').click()
    page.wait_for_load_state()
    assert "Bemærkningen er gemt." in page.content()
    herning.refresh_from_db()
    assert herning.comment == "Tak for opbakningen."

    # Silkeborg's answer came by letter.
    form = page.locator('form[action$="/svar/registrer/"]')
    form.get_by_label("Råd", exact=True).select_option(label="Silkeborg")
    form.get_by_label("Modtaget").select_option(label="Pr. brev")
    form.get_by_label("2. Fokusområder").fill("Silkeborg Kommune ønsker fokus på beskæftigelse.")
    form.get_by_role("button", name="Registrér svaret").click()
    page.wait_for_load_state()
    assert "Svaret er registreret." in page.content()
    assert HearingAnswer.objects.filter(municipality__code=740, received="letter").exists()
    check_accessibility(page)

    page.goto("/sekretariat/")
    assert "kommuner har ikke offentliggjort de godkendte dokumenter" in page.content()

    # Aarhus answers on its page and records its publication address.
    page.context.clear_cookies()
    log_in(page, "kommune")
    page.get_by_role("link", name="Høringer").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    _shots(page, "mine")
    page.get_by_role("link", name="Udviklingsstrategi").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    _shots(page, "answer")
    page.get_by_label("1. Indledning og formål").fill("Aarhus Kommune er enig i formålet.")
    page.get_by_role("button", name="Send svaret").click()
    page.wait_for_load_state()
    assert "Jeres svar er registreret." in page.content()
    check_accessibility(page)
    assert HearingAnswer.objects.filter(municipality__code=751, section__isnull=False).count() == 2

    page.goto("/hoeringer/kommune/")
    page.get_by_label("Adresse for offentliggørelsen").fill("https://aarhus.dk/rammeaftale")
    page.get_by_role("button", name="Registrér adressen").click()
    page.wait_for_load_state()
    assert "Adressen er registreret." in page.content()
    assert PublicationAddress.objects.filter(municipality__code=751).exists()

    # The open list, without a login.
    page.context.clear_cookies()
    page.goto("/offentliggoerelse/")
    check_accessibility(page)
    _shots(page, "published")
    content = page.content()
    assert "https://aarhus.dk/rammeaftale" in content
    assert "https://www.viborg.dk/rammeaftale" in content
    assert "Ikke offentliggjort endnu" in content
    response = page.request.get("/offentliggoerelse/dcat.jsonld")
    data = json.loads(response.body())
    assert {"dcat:Catalog", "dcat:Dataset", "dcat:Distribution"} <= {
        node["@type"] for node in data["@graph"]
    }
