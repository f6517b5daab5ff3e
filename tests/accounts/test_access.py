"""Deny by default: every URL of the project has an explicit access decision.

The test walks the whole URL configuration (`get_resolver().url_patterns`,
recursively through every `include`) and fails for any view that lacks an
`access_decision` attribute — set by `accounts.access.decide(check)`,
`public` or `by_token`. The admin is the one exception, decided as a whole:
its views are wrapped by `AdminSite.admin_view`, which lets only active staff
in (checked below by asking for the admin as a non-staff user).

How it fails: add a view without a decision, e.g. in portal/urls.py

    def leak(request):
        return HttpResponse("secret")

    urlpatterns += [path("leak/", leak)]

and `test_every_view_has_an_access_decision` fails with

    AssertionError: Views without an access decision (decorate them with
    accounts.access.decide, public or by_token):
      leak/ -> portal.urls.leak

`test_the_walk_finds_an_undecided_view` below does exactly that with a
URLconf of its own, so the walk itself is shown to catch it.
"""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from accounts import access
from rammeaftale.urls import urlpatterns as project_patterns

ADMIN_NAMESPACE = "admin"


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """Yield (route, namespace, view) for every URL pattern, recursively."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield route, namespace, pattern.callback


def undecided(patterns) -> list[str]:
    missing = []
    for route, namespace, view in walk(patterns):
        if namespace == ADMIN_NAMESPACE:
            continue  # decided as a whole by admin_view (test below)
        if getattr(view, "access_decision", None) is None:
            missing.append(f"{route} -> {view.__module__}.{view.__name__}")
    return missing


def test_every_view_has_an_access_decision():
    missing = undecided(get_resolver().url_patterns)
    assert not missing, (
        "Views without an access decision (decorate them with "
        "accounts.access.decide, public or by_token):\n  " + "\n  ".join(missing)
    )


def test_the_walk_covers_the_whole_project():
    routes = {route for route, _, _ in walk(get_resolver().url_patterns)}
    assert "login/" in routes
    assert "sekretariat/" in routes
    assert "kalender/<str:token>.ics" in routes
    assert any(route.startswith("admin/") for route in routes)


def _leak(request):
    return HttpResponse("secret")


urlpatterns = [*project_patterns, path("leak/", _leak)]


def test_the_walk_finds_an_undecided_view():
    assert undecided(urlpatterns) == [f"leak/ -> {__name__}._leak"]


@override_settings(ROOT_URLCONF=__name__)
def test_an_undecided_view_fails_the_check():
    with pytest.raises(AssertionError, match="leak/"):
        test_every_view_has_an_access_decision()


def test_the_admin_lets_only_staff_in(client, provider_leader):
    client.force_login(provider_leader)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_every_decided_page_sends_anonymous_users_to_login(client, db):
    for route, namespace, view in walk(get_resolver().url_patterns):
        if namespace == ADMIN_NAMESPACE or "<" in route:
            continue
        if view.access_decision in ("public", "token"):
            continue
        response = client.get("/" + route)
        assert response.status_code == 302, route
        assert response["Location"].startswith(reverse("login")), route


def test_checks_are_named_for_the_roles_they_admit():
    check = access.any_of(access.secretariat, access.provider_leader)
    assert check.__name__ == "secretariat | provider_leader"
