"""Deny by default: every URL of the project has an explicit access decision.

The test walks the whole URL configuration (`get_resolver().url_patterns`,
recursively through every `include`) and fails for any view that lacks an
`access_decision` attribute — set by `accounts.access.decide(check)`,
`public` or `by_token`.

The admin's views are decided by the admin site: each goes through
`AdminSite.admin_view`, which lets only active staff in before the view and
its ModelAdmin's permission checks run. The walk checks that too, view by
view, from Django's own code objects (django/contrib/admin/sites.py and
options.py): a view is decided when it is the wrapper that
`AdminSite.get_urls` or `ModelAdmin.get_urls` puts in front of it (it calls
`admin_view` on every request), or when it wraps the function that
`admin_view` returns (as simple_history's and import-export's own views do;
`never_cache` and `csrf_protect` keep it in their closures). The views the
admin opens to users who are not staff yet are listed in ADMIN_OPEN, each
with its reason.

How it fails: add a view without a decision, e.g. in portal/urls.py

    def leak(request):
        return HttpResponse("secret")

    urlpatterns += [path("leak/", leak)]

and `test_every_view_has_an_access_decision` fails with

    AssertionError: Views without an access decision (decorate them with
    accounts.access.decide, public or by_token):
      leak/ -> portal.urls.leak

`test_the_walk_finds_an_undecided_view` below does exactly that with a
URLconf of its own, so the walk itself is shown to catch it; and
`test_the_walk_finds_an_undecided_view_in_an_admin_namespace` the same with
a view added to an admin's URLs without `admin_view`.
"""

from types import CodeType

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.sites import AdminSite
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from accounts import access
from rammeaftale.urls import urlpatterns as project_patterns

ADMIN_NAMESPACE = "admin"

# Admin views that admin_view does not wrap, opened on purpose: route → why.
ADMIN_OPEN = {
    "admin/login/": (
        "the admin's login form, for users not logged in yet; the lockout "
        "(accounts.lockout) and the second factor (accounts.otp) hold it as they hold /login/"
    ),
}


def _nested_code(function, *names: str) -> CodeType:
    """The code object of a function defined inside `function` (by name, level by level)."""
    code = function.__code__
    for name in names:
        code = next(
            const
            for const in code.co_consts
            if isinstance(const, CodeType) and const.co_name == name
        )
    return code


ADMIN_VIEW = _nested_code(AdminSite.admin_view, "inner")
ADMIN_WRAPPERS = {
    _nested_code(AdminSite.get_urls, "wrap", "wrapper"),
    _nested_code(ModelAdmin.get_urls, "wrap", "wrapper"),
}


def _wraps_admin_view(function, depth: int = 0) -> bool:
    if getattr(function, "__code__", None) is ADMIN_VIEW:
        return True
    if depth > 5:
        return False
    for cell in getattr(function, "__closure__", None) or ():
        try:
            content = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if callable(content) and _wraps_admin_view(content, depth + 1):
            return True
    return False


def admin_decided(view) -> bool:
    """The admin site decides who gets in: the view runs behind admin_view."""
    return getattr(view, "__code__", None) in ADMIN_WRAPPERS or _wraps_admin_view(view)


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """Yield (route, namespace, view) for every URL pattern, recursively."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield route, namespace, pattern.callback


def _decided(route: str, namespace: str | None, view) -> bool:
    if namespace == ADMIN_NAMESPACE:
        return route in ADMIN_OPEN or admin_decided(view)
    return getattr(view, "access_decision", None) is not None


def undecided(patterns) -> list[str]:
    return [
        f"{route} -> {view.__module__}.{view.__name__}"
        for route, namespace, view in walk(patterns)
        if not _decided(route, namespace, view)
    ]


def test_every_view_has_an_access_decision():
    missing = undecided(get_resolver().url_patterns)
    assert not missing, (
        "Views without an access decision (decorate them with "
        "accounts.access.decide, public or by_token; in the admin, wrap them "
        "with AdminSite.admin_view):\n  " + "\n  ".join(missing)
    )


def test_the_walk_covers_the_whole_project():
    routes = {route for route, _, _ in walk(get_resolver().url_patterns)}
    assert "login/" in routes
    assert "sekretariat/" in routes
    assert "kalender/<str:token>.ics" in routes
    assert any(route.startswith("admin/") for route in routes)


def test_the_walk_covers_every_kind_of_admin_view():
    admin_views = [
        view
        for route, namespace, view in walk(get_resolver().url_patterns)
        if namespace == ADMIN_NAMESPACE and route not in ADMIN_OPEN
    ]
    kinds = {
        "site": [view for view in admin_views if hasattr(view, "admin_site")],
        "model": [view for view in admin_views if hasattr(view, "model_admin")],
        # simple_history's and import-export's views, wrapped by admin_view directly.
        "admin_view": [view for view in admin_views if _wraps_admin_view(view)],
    }
    assert all(kinds.values()), {kind: len(views) for kind, views in kinds.items()}
    assert sum(len(views) for views in kinds.values()) == len(admin_views)


def test_every_open_admin_view_exists_and_is_really_open():
    views = {
        route: view
        for route, namespace, view in walk(get_resolver().url_patterns)
        if namespace == ADMIN_NAMESPACE
    }
    for route in ADMIN_OPEN:
        assert route in views, route
        assert not admin_decided(views[route]), f"{route} needs no exception"


def _leak(request):
    return HttpResponse("secret")


urlpatterns = [*project_patterns, path("leak/", _leak)]


def test_the_walk_finds_an_undecided_view():
    assert undecided(urlpatterns) == [f"leak/ -> {__name__}._leak"]


@override_settings(ROOT_URLCONF=__name__)
def test_an_undecided_view_fails_the_check():
    with pytest.raises(AssertionError, match="leak/"):
        test_every_view_has_an_access_decision()


def _admin_like(extra) -> list:
    """An admin site's URLs under the admin namespace, with `extra` added."""
    return [path("admin/", include((admin.site.get_urls() + extra, "admin"), "admin"))]


def test_the_walk_finds_an_undecided_view_in_an_admin_namespace():
    leaking = _admin_like([path("leak/", _leak)])
    guarded = _admin_like([path("leak/", admin.site.admin_view(_leak))])

    assert undecided(leaking) == [f"admin/leak/ -> {__name__}._leak"]
    assert undecided(guarded) == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("admin:index", []),
        ("admin:providers_offer_changelist", []),
        ("admin:providers_offer_import", []),
        ("admin:providers_offer_simple_history", [1, 1]),
    ],
)
def test_the_admin_lets_only_staff_in(client, provider_leader, name, args):
    client.force_login(provider_leader)
    response = client.get(reverse(name, args=args))
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
