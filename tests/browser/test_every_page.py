"""Every page of every demo role, on a phone (375 px) and a desktop (1280 px).

The pages are the access test's URL list (`walk` over the URL configuration);
a route with ids in it is visited with the first link to it that the role
meets while following the links of its own pages from its start page, so the
ids are real ones from the demo. On each page the test fails on: a page wider
than the window, a visible form control without width or height, a control
without a label (or a button without a name), or an axe violation."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, get_resolver, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.accounts.test_access import ADMIN_NAMESPACE, walk
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

ROLES = ["sekretariat", "kbh-sekretariat", "leder", "kommune", "dassos", "takst"]
WIDTHS = [375, 1280]
# Not pages: files, feeds and the steps that end the session.
NOT_PAGES = ("/logout/", "/saml2/", "/admin/", "/static/", "/media/", "/i18n/")

FAULTS = """() => {
  const faults = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    faults.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window`);
  }
  const named = (element) => element.getAttribute("aria-label") || element.getAttribute("aria-labelledby")
    || element.getAttribute("title") || (element.labels && element.labels.length);
  const controls = document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button"
  );
  for (const control of controls) {
    const style = getComputedStyle(control);
    if (!control.getClientRects().length || style.visibility === "hidden") continue;
    const box = control.getBoundingClientRect();
    const what = `${control.tagName.toLowerCase()}[name=${control.name || ""}] ${control.id || ""}`;
    if (box.width === 0 || box.height === 0) faults.push(`${what} has no width or height`);
    const isButton = control.tagName === "BUTTON" || ["submit", "button", "reset"].includes(control.type);
    if (isButton ? !(control.textContent.trim() || control.value || named(control)) : !named(control)) {
      faults.push(`${what} has no label`);
    }
  }
  return faults;
}"""


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace == ADMIN_NAMESPACE:
        return None
    return match.route


def links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if url.netloc != urlsplit(page.url).netloc or "download=" in url.query:
            continue
        if url.path.startswith(NOT_PAGES) or url.path.endswith((".pdf", ".ics", ".csv", ".xlsx")):
            continue
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def walk_pages(page, check: Callable[[str], None]) -> list[str]:
    """Open one URL per route that the role can open (the routes without ids
    from the URL configuration, and the others as the role's links lead to
    them) and check each; returns the URLs opened."""
    routes = {route for route, namespace, _ in walk(get_resolver().url_patterns)}
    found: dict[str, str] = {}
    queue = [urlsplit(page.url).path]
    queue += ["/" + route for route in routes if "<" not in route and "(" not in route]
    seen: set[str] = set()
    while queue:
        path = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route is None or route in found or path in seen or path.startswith(NOT_PAGES):
            continue
        seen.add(path)
        try:
            response = page.goto(path)
        except PlaywrightError:  # a download, or a POST-only step
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        path = urlsplit(page.url).path + (f"?{urlsplit(page.url).query}" if "?" in page.url else "")
        route = route_of(urlsplit(page.url).path)  # where a redirect led
        if route is None or route in found:
            continue
        found[route] = path
        check(path)
        queue += links(page)
    return sorted(found.values())


def checker(page, width: int, faults: list[str], check_accessibility) -> Callable[[str], None]:
    def check(path: str) -> None:
        faults.extend(f"{width} px {path}: {fault}" for fault in page.evaluate(FAULTS))
        try:
            check_accessibility(page)
        except AssertionError as error:
            faults.append(f"{width} px {path}: {error}")

    return check


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_fits_the_window_and_names_its_controls(
    browser, live_server, demo_data, username, check_accessibility
):
    faults: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, locale="da-DK", viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username)
        opened = walk_pages(page, checker(page, width, faults, check_accessibility))
        assert len(opened) > 3, opened
        context.close()
    assert not faults, "\n".join(faults)
