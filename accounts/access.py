"""Who may see and do what (DESIGN.md "Who may see and do what").

Deny by default: every view declares its decision — `@decide(check)` for the
pages of a role, `@public` for the login and logout pages, `@by_token` for a
feed opened with a secret in its URL — and fetches objects through a queryset
narrowed to the user (`Model.objects.visible_to(user)`) with
`visible_or_404`. What a user may not see answers 404, never a hint that it
exists. `tests/accounts/test_access.py` walks the URL configuration and fails for a
view without a decision.

The services check the same querysets themselves with `require_in_scope`, so
that a page's 404 is never the only check (`tests/test_service_scope.py`
walks the services and fails for one that acts without it).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from accounts import roles

Check = Callable[..., bool]


def anyone_logged_in(user) -> bool:
    return user.is_authenticated and user.is_active


def secretariat(user) -> bool:
    return roles.is_secretariat(user)


def municipality_staff(user) -> bool:
    return roles.is_municipality_staff(user)


def provider_leader(user) -> bool:
    return roles.is_provider_leader(user)


def body_member(user) -> bool:
    return roles.is_body_member(user)


def any_of(*checks: Check) -> Check:
    def check(user) -> bool:
        return any(one(user) for one in checks)

    check.__name__ = " | ".join(one.__name__ for one in checks)
    return check


def decide(check: Check):
    """Open the view to the users `check` accepts; others get 404 (anonymous
    users are sent to the login page)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.access_decision = check
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone (login, logout): an explicit decision."""
    view.access_decision = "public"
    return view


def by_token(view):
    """Mark a view that finds its user by a secret token in the URL (a calendar
    feed that Outlook fetches without a session). The view itself answers 404
    for an unknown token."""
    view.access_decision = "token"
    return view


def visible_or_404(queryset: QuerySet, **lookup) -> Model:
    return get_object_or_404(queryset, **lookup)


def require_in_scope(queryset: QuerySet, obj: Model | None, refusal: Exception) -> None:
    """A service's check of its actor: raise `refusal` (the app's domain
    error) unless `obj` is in `queryset`, the rows narrowed to the acting user
    that the pages fetch through (`visible_to(user)`, `administered_by(user)`,
    `material_visible_to(user)`)."""
    if obj is None or obj.pk is None or not queryset.filter(pk=obj.pk).exists():
        raise refusal


def chairs(body_id: int, user) -> bool:
    """Whether `user` chairs the body (and so may read and approve its draft minutes)."""
    return body_id in roles.chaired_body_ids(user)
