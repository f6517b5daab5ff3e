"""Who may see and do what (DESIGN.md "Who may see and do what").

Deny by default: every view declares its decision — `@decide(check)` for the
pages of a role, `@public` for the login and logout pages, `@by_token` for a
feed opened with a secret in its URL — and fetches objects through a queryset
narrowed to the user (`Model.objects.visible_to(user)`) with
`visible_or_404`. What a user may not see answers 404, never a hint that it
exists. `tests/accounts/test_access.py` walks the URL configuration and fails for a
view without a decision.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
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


# What each role sees of the register (DESIGN.md's table). The models'
# `visible_to(user)` QuerySet methods call these, so that one module decides.
#
# A secretariat sees what the framework agreements of its secretariat(s)
# cover (`roles.secretariat_scope`): the agreements and their bodies and
# meetings; the offers they cover — and an offer covered by no agreement yet
# when its provider is operated by a party municipality or the region — with
# their tariffs, contracts and adjustments; the providers of those offers or
# operated by a party; the operating agreements under its agreements (or,
# without one, with a party municipality). Municipalities and regions are
# reference data, readable by all. Superusers see everything.


def _operated_by_party(scope: roles.SecretariatScope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}operating_municipality__in": scope.municipality_ids}) | Q(
        **{f"{prefix}operating_region__in": scope.region_ids}
    )


def secretariat_offers(user) -> QuerySet:
    """The primary keys of the offers the user's secretariat administers (a subquery)."""
    from providers.models import Offer

    scope = roles.secretariat_scope(user)
    covered = Offer.framework_agreements.through.objects.filter(offer=OuterRef("pk"))
    return Offer.objects.filter(
        Q(framework_agreements__in=scope.agreement_ids)
        | (~Exists(covered) & _operated_by_party(scope, "provider__"))
    ).values("pk")


def secretariat_providers(user) -> QuerySet:
    """The primary keys of the providers the user's secretariat administers (a subquery)."""
    from providers.models import Offer, OperatingAgreement, Provider

    scope = roles.secretariat_scope(user)
    return Provider.objects.filter(
        Q(pk__in=Offer.objects.filter(pk__in=secretariat_offers(user)).values("provider"))
        | Q(
            pk__in=OperatingAgreement.objects.filter(
                framework_agreement__in=scope.agreement_ids
            ).values("provider")
        )
        | _operated_by_party(scope)
    ).values("pk")


def secretariat_rows(path: str) -> Callable[..., Q]:
    """The condition for rows that hang off an offer by `path` ("pk" for the
    offer itself, "offer", "standard_contract__offer" …)."""

    def condition(user) -> Q:
        return Q(**{f"{path}__in": secretariat_offers(user)})

    return condition


def secretariat_operating_agreements(user) -> Q:
    scope = roles.secretariat_scope(user)
    return Q(framework_agreement__in=scope.agreement_ids) | Q(
        framework_agreement__isnull=True, municipality__in=scope.municipality_ids
    )


def _secretariat_condition(user, condition: Q, secretariat: Callable[..., Q] | None) -> Q:
    if secretariat is not None and roles.is_secretariat(user):
        return condition | secretariat(user)
    return condition


def visible_providers(queryset: QuerySet, user) -> QuerySet:
    if roles.reads_whole_register(user):
        return queryset
    condition = Q(pk__in=roles.provider_ids_led_by(user))
    if roles.is_secretariat(user):
        condition |= Q(pk__in=secretariat_providers(user))
    return queryset.filter(condition)


def visible_by_provider(
    queryset: QuerySet, user, provider_path: str, secretariat: Callable[..., Q] | None = None
) -> QuerySet:
    """Offers, operating agreements, tariffs …: everything for the register's
    readers; for a provider leader only what hangs off their own providers;
    for a secretariat what `secretariat(user)` admits."""
    if roles.reads_whole_register(user):
        return queryset
    condition = Q(**{f"{provider_path}__in": roles.provider_ids_led_by(user)})
    return queryset.filter(_secretariat_condition(user, condition, secretariat))


def visible_register(
    queryset: QuerySet, user, *provider_paths: str, agreement_path: str | None = None
) -> QuerySet:
    """Municipalities, agreements, bodies, meetings: the register's readers see
    all; a secretariat those of its agreements (reached by `agreement_path`;
    without one — municipalities — all); a provider leader what concerns their
    providers (reached by any of `provider_paths`); anyone else nothing."""
    if roles.reads_whole_register(user):
        return queryset
    if roles.is_secretariat(user) and agreement_path is None:
        return queryset
    condition = Q(pk__in=[])
    if roles.is_secretariat(user):
        condition |= Q(**{f"{agreement_path}__in": roles.secretariat_scope(user).agreement_ids})
    provider_ids = roles.provider_ids_led_by(user)
    for path in provider_paths if provider_ids else ():
        condition |= Q(**{f"{path}__in": provider_ids})
    return queryset.filter(pk__in=queryset.filter(condition).values("pk"))


# A body's own material (agendas, papers, minutes): the secretariat and the
# body's members; nobody else, whatever else they may read of the register.


def _secretariat_or_seat(user, agreement_path: str, body_path: str) -> Q:
    """A secretariat sees the bodies of its own agreements; a member the bodies
    where they hold a seat."""
    condition = Q(**{f"{body_path}__in": roles.body_ids_of(user)})
    if roles.is_secretariat(user):
        condition |= Q(**{f"{agreement_path}__in": roles.secretariat_scope(user).agreement_ids})
    return condition


def visible_bodies(queryset: QuerySet, user) -> QuerySet:
    if roles.sees_every_secretariat(user):
        return queryset
    return queryset.filter(_secretariat_or_seat(user, "agreement", "pk"))


def visible_meetings(queryset: QuerySet, user) -> QuerySet:
    if roles.sees_every_secretariat(user):
        return queryset
    return queryset.filter(_secretariat_or_seat(user, "body__agreement", "body"))


def chairs(body_id: int, user) -> bool:
    """Whether `user` chairs the body (and so may read and approve its draft minutes)."""
    return body_id in roles.chaired_body_ids(user)


def visible_secretariats(queryset: QuerySet, user) -> QuerySet:
    if roles.sees_every_secretariat(user):
        return queryset
    return queryset.filter(pk__in=roles.secretariat_ids_of(user))
