"""The secretariat's user pages in a real browser: invite a user, open the
user's page, then the invited user sets a password through the link; axe-core
finds no WCAG 2.1 A/AA violation on any of them."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_secretariat_invites_a_user_who_sets_a_password(page, check_accessibility, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    log_in(page, "sekretariat")
    page.goto(reverse("accounts:users"))
    check_accessibility(page)
    page.get_by_role("link", name="Invitér en bruger").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("E-mailadresse").fill("ny.medarbejder@aarhus.dk")
    page.get_by_label("Fornavn").fill("Nikolaj")
    page.get_by_label("Efternavn").fill("Ny")
    page.get_by_label("Medarbejder i kommune").select_option(label="Aarhus")
    page.get_by_role("button", name="Send invitationen").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible()
    check_accessibility(page)
    invited = User.objects.get(email="ny.medarbejder@aarhus.dk")
    assert invited.staffed_municipalities.filter(code=751).exists()

    page.goto(reverse("accounts:deactivate_inactive"))
    check_accessibility(page)

    link = re.search(r"http\S+/brugere/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto("/" + link.split("/", 3)[3])
    check_accessibility(page)
    page.get_by_label("Adgangskode", exact=True).fill("en-lang-adgangskode-42")
    page.get_by_label("Adgangskode igen").fill("en-lang-adgangskode-42")
    page.get_by_role("button", name="Sæt adgangskoden").click()
    page.wait_for_load_state()
    page.get_by_label("Brugernavn").fill(invited.username)
    page.get_by_label("Adgangskode").fill("en-lang-adgangskode-42")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("portal:municipality"))
