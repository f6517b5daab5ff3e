"""Browser tests: Playwright for Python drives the system Chromium against
pytest-django's live server.

The browser is Debian's `chromium` package at /usr/bin/chromium (.ci/run
installs it when missing); without it these tests fail — never skip — with a
message saying what to install. Playwright's sync API runs an event loop in
the test's thread, so Django's guard against ORM calls from async contexts is
lifted while the browser is open (and restored after: left set, it would
fail `check --deploy` in a later test).
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One Chromium per test module. Playwright's loop stays running in this
    thread while it is open, so it is closed before other modules' tests use
    the database; the test database is set up before it starts."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}: install it with "
            "'apt-get update && apt-get install -y chromium' (Debian/Ubuntu).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def demo_data(reference_data, live_server):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def page(browser, live_server, demo_data):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe-core on the page: zero WCAG 2.1 A/AA violations."""

    def check(page) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_A_AA},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, (
            f"{page.url}: {results.violations_count} accessibility violations\n"
            + results.generate_report()
        )

    return check


def log_in(page, username: str) -> None:
    from accounts.demo import DEMO_PASSWORD

    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    if "/login/kode/" in page.url:
        enter_second_factor(page, username)


def enter_second_factor(page, username: str) -> None:
    """Staff and secretariat users give a code from their app (set up at the
    first login): computed here from the device's key, as the app would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    device = TOTPDevice.objects.filter(user__username=username).latest("pk")

    # A code is taken once: a later login gives the step after the last one
    # used, which the device accepts up to its tolerance ahead of the clock;
    # a third login within one step waits for the clock to catch up.
    def current_step() -> int:
        return int((time.time() - device.t0) // device.step)

    needed = max(current_step(), device.last_t + 1)
    while needed > current_step() + device.tolerance:
        time.sleep(1)
    page.get_by_label("Kode fra appen").fill(totp_code(device, device.t0 + needed * device.step))
    page.get_by_role("button", name=re.compile("Log ind|Bekræft")).click()
    page.wait_for_load_state()


def choose(form, name: str, value: str) -> None:
    """Tick a radio button by its label, as a person does (the design system
    draws its own radio buttons over the hidden inputs)."""
    radio = form.locator(f'input[name="{name}"][value="{value}"]')
    form.locator(f'label[for="{radio.get_attribute("id")}"]').click()
    assert radio.is_checked()
