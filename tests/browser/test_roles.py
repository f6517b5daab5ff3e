"""Each role logs in, opens each of its pages and follows its main flow in a
real browser; axe-core finds no WCAG 2.1 A/AA violation on any page."""

import re

import pytest
from django.urls import reverse

from agreements.models import FrameworkAgreement
from portal.models import CalendarFeed
from providers.models import Offer, Provider
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def visit(page, path: str, check_accessibility, title: str | None = None) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    if title:
        assert re.search(title, page.title()), (path, page.title())
    check_accessibility(page)


def test_login_page_is_accessible_and_logs_in(page, check_accessibility):
    visit(page, "/login/", check_accessibility, "Log ind")
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    assert page.get_by_role("alert").is_visible()
    check_accessibility(page)


def test_provider_leader_pages(page, check_accessibility):
    log_in(page, "leder")
    assert page.url.endswith(reverse("portal:leader"))
    check_accessibility(page)
    providers = Provider.objects.filter(leaders__username="leder").order_by("name")
    for provider in providers:
        visit(page, reverse("portal:leader_provider", args=[provider.pk]), check_accessibility)
        visit(page, reverse("portal:leader_obligations", args=[provider.pk]), check_accessibility)
        assert page.get_by_role("heading", name="Finansiering og underskudsdækning").is_visible()
    offer = Offer.objects.filter(provider__in=providers).first()
    visit(page, reverse("portal:offer_capacity", args=[offer.pk]), check_accessibility)
    visit(page, reverse("portal:leader_calendar"), check_accessibility, "Frister")
    visit(page, reverse("portal:leader_deadlines"), check_accessibility, "frister")
    visit(page, reverse("contracts:contract_list"), check_accessibility)
    visit(page, reverse("portal:tariffs"), check_accessibility)
    visit(page, reverse("capacity:list"), check_accessibility)
    visit(page, reverse("password_change"), check_accessibility, "adgangskode")

    # Renew the calendar address: the old one stops working.
    old = CalendarFeed.objects.get(user__username="leder").token
    page.goto(reverse("portal:leader_calendar"))
    page.get_by_role("button", name="Forny adressen").click()
    assert page.get_by_text("Den gamle adresse virker ikke længere").is_visible()
    assert page.request.get(reverse("portal:calendar_feed", args=[old])).status == 404

    # Another provider's page is not found.
    other = Provider.objects.exclude(leaders__username="leder").first()
    response = page.goto(reverse("portal:leader_provider", args=[other.pk]))
    assert response.status == 404


def test_municipality_pages(page, check_accessibility):
    log_in(page, "kommune")
    assert page.url.endswith(reverse("portal:municipality"))
    check_accessibility(page)
    offer = Offer.objects.filter(provider__operating_municipality__code=751).first()
    visit(page, reverse("portal:offer_capacity", args=[offer.pk]), check_accessibility)
    visit(page, reverse("contracts:contract_list"), check_accessibility)
    visit(page, reverse("contracts:standard_contract_list"), check_accessibility)
    visit(page, reverse("portal:offers"), check_accessibility)
    visit(page, reverse("capacity:mine"), check_accessibility)
    visit(page, reverse("capacity:request", args=[offer.pk]), check_accessibility)


def test_body_member_pages(page, check_accessibility):
    log_in(page, "dassos")
    assert page.url.endswith(reverse("portal:municipality"))
    check_accessibility(page)
    visit(page, reverse("capacity:mine"), check_accessibility)
    visit(page, reverse("meetings:calendar"), check_accessibility)
    meeting = page.locator("main table a").first
    if meeting.count():
        meeting.click()
        page.wait_for_load_state()
        check_accessibility(page)


def test_secretariat_pages(page, check_accessibility):
    log_in(page, "sekretariat")
    assert page.url.endswith(reverse("portal:dashboard"))
    check_accessibility(page)
    page.get_by_role("link", name="Kapacitetsoverblik").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.locator("main table").last.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator("svg.chart").is_visible()
    check_accessibility(page)
    visit(page, reverse("capacity:overview"), check_accessibility)
    visit(page, reverse("meetings:calendar"), check_accessibility)
    visit(page, reverse("contracts:contract_list"), check_accessibility)
    # A filter from the form, then the next page, keep the filter.
    page.get_by_label("Status").select_option("signed")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state()
    assert "status=signed" in page.url
    check_accessibility(page)
    visit(page, reverse("contracts:standard_contract_list"), check_accessibility)
    visit(page, reverse("capacity:list"), check_accessibility)
    visit(page, reverse("portal:tariffs"), check_accessibility)
    visit(page, reverse("contracts:cpr_access_log"), check_accessibility)
    visit(page, reverse("contracts:cpr_search"), check_accessibility)
    agreement = FrameworkAgreement.objects.first()
    assert agreement.name in page.goto(reverse("portal:dashboard")).text()

    # Log out from the header.
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()
    assert "/login/" in page.url
