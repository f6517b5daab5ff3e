"""Every page sends a Content-Security-Policy without 'unsafe-inline' and holds
no inline script or style; every page of a logged-in user is `no-store`.

Each demo role's pages are found by walking the links from its start page
(the secretariat's through the whole admin), so a page added later is
checked without being listed here.
"""

import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import BODY_MEMBER, LEADER, MUNICIPALITY, SECRETARIAT
from tests.conftest import make_individual_contract

# Links not to follow: leaving the site, files, feeds, and logging out.
SKIP = re.compile(r"^/(static|media)/|\.ics$|/pdf/|^/logout/|/export/$|/import/$")
# Pages per address shape (numbers replaced): one shows each template.
PER_SHAPE = 1


class InlineFinder(HTMLParser):
    """Collects links, and what a policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style> element")
        for name, _value in attrs:
            if name == "style":
                self.inline.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.inline.append(f"{name} handler on <{tag}>")
            if name in ("href", "src") and (_value or "").lower().startswith("javascript:"):
                self.inline.append(f"javascript: address on <{tag}>")
        if tag == "a" and names.get("href"):
            self.links.append(names["href"])


def check_page(response, path: str, *, logged_in: bool) -> InlineFinder:
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, path
    assert "unsafe-inline" not in policy, path
    assert "unsafe-eval" not in policy, path
    if logged_in:
        assert "no-store" in response.get("Cache-Control", ""), path
    finder = InlineFinder()
    finder.feed(response.content.decode())
    assert not finder.inline, (path, finder.inline)
    return finder


def walk(client, start: str, limit: int = 400) -> list[str]:
    """Open every page reachable by links from `start` (GET, same site, no
    query strings) and check each; returns the paths opened."""
    seen_shapes: dict[str, int] = {}
    queue, opened, queued = deque([start]), [], {start}
    while queue and len(opened) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened.append(path)
        finder = check_page(response, path, logged_in=True)
        for link in finder.links:
            link = link.split("#")[0]
            if link.endswith("?"):
                link = link[:-1]
            if not link.startswith("/") or "?" in link or SKIP.search(link) or link in queued:
                continue
            shape = re.sub(r"\d+", "N", link)
            if seen_shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
            queued.add(link)
            queue.append(link)
    return opened


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _login(client, username: str):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username=username))


ROLES = [
    (SECRETARIAT.username, "portal:dashboard", ["/admin/", "/contracts/individual/"]),
    (LEADER.username, "portal:leader", ["/leder/tilbud/", "/contracts/"]),
    (MUNICIPALITY.username, "portal:municipality", ["/kapacitet/", "/contracts/"]),
    (BODY_MEMBER.username, "portal:municipality", ["/kapacitet/"]),
]


def test_every_page_of_each_role_has_the_policy_and_no_inline_code(client, demo):
    """One walk per demo role over the demo data (seeded once: it is slow)."""
    for username, start, must_see in ROLES:
        _login(client, username)
        opened = walk(client, reverse(start))
        for prefix in must_see:
            assert any(path.startswith(prefix) for path in opened), (username, prefix, opened)
        client.logout()


def test_the_admin_export_and_import_pages_hold_no_inline_code(client, importer):
    client.force_login(importer)
    for path in ["/admin/providers/offer/export/", "/admin/providers/offer/import/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        check_page(response, path, logged_in=True)


def test_pages_before_login_have_the_policy_and_no_inline_code(client, db):
    for path in [reverse("login"), reverse("admin:login")]:
        response = client.get(path)
        assert response.status_code == 200
        check_page(response, path, logged_in=False)


def test_the_second_factor_pages_have_the_policy_and_no_inline_code(
    password_client, secretariat_user
):
    password_client.force_login(secretariat_user)
    response = password_client.get(reverse("otp_setup"))
    assert response.status_code == 200
    check_page(response, reverse("otp_setup"), logged_in=True)
    assert "<svg" in response.content.decode()


def test_a_page_with_personal_data_is_not_stored(client, secretariat_user):
    contract = make_individual_contract()
    for path in [
        reverse("contracts:contract_list"),
        reverse("contracts:individual_contract_detail", args=[contract.pk]),
        reverse("contracts:individual_contract_pdf", args=[contract.pk]),
        reverse("portal:dashboard"),
        reverse("admin:contracts_individualcontract_change", args=[contract.pk]),
    ]:
        client.force_login(secretariat_user)
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_the_leaders_and_the_municipalitys_pages_are_not_stored(
    client, provider, provider_leader, municipality_user
):
    for user, path in [
        (provider_leader, reverse("portal:leader_provider", args=[provider.pk])),
        (municipality_user, reverse("portal:municipality")),
    ]:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
