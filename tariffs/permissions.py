"""Who may see and do what with tariffs (DESIGN.md "Who may see and do what").

- The secretariat sees everything, opens rounds, divides costs, and may act
  for the Takstgruppe.
- The Takstgruppe's members (a seat in a governing body of kind Takstgruppe)
  review the bases submitted under their framework agreement.
- An operator — staff of the municipality that operates the offer — enters
  and submits the offer's basis.
- Everyone, without login, sees approved bases (001: "åbenhed om
  beregningsgrundlag").
"""

from django.db.models import Q, QuerySet

from accounts import roles
from accounts.access import secretariat


def takstgruppe_agreement_ids(user) -> frozenset[int]:
    """The framework agreements whose Takstgruppe the user has a seat in."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()

    def load() -> frozenset[int]:
        from agreements.models import GoverningBody

        return frozenset(
            GoverningBody.objects.filter(
                kind=GoverningBody.Kind.TARIFF_GROUP,
                representatives__user=user,
                agreement__isnull=False,
            ).values_list("agreement_id", flat=True)
        )

    value = getattr(user, "_takstgruppe_agreements", None)
    if value is None:
        value = load()
        user._takstgruppe_agreements = value
    return value


def takstgruppe_member(user) -> bool:
    return bool(takstgruppe_agreement_ids(user))


def tariff_reviewer(user) -> bool:
    """The Takstgruppe, or the secretariat acting for it."""
    return secretariat(user) or takstgruppe_member(user)


def tariff_operator(user) -> bool:
    return roles.is_municipality_staff(user)


def tariff_reader(user) -> bool:
    """The Takstgruppe's reports: the reviewers and the municipalities."""
    return tariff_reviewer(user) or roles.is_municipality_staff(user)


def _secretariat_agreement_ids(user) -> frozenset[int] | None:
    """The agreements a secretariat user administers; None for one who sees
    every secretariat's (a superuser)."""
    if roles.sees_every_secretariat(user):
        return None
    return frozenset(roles.secretariat_scope(user).agreement_ids)


def may_review(user, basis) -> bool:
    if secretariat(user):
        scope = _secretariat_agreement_ids(user)
        return scope is None or basis.agreement_id in scope
    return basis.agreement_id in takstgruppe_agreement_ids(user)


def may_enter_basis_for(user, offer) -> bool:
    """The operating municipality's staff, or the offer's secretariat on its behalf."""
    if secretariat(user):
        from providers.models import Offer

        return Offer.objects.visible_to(user).filter(pk=offer.pk).exists()
    operator = offer.provider.operating_municipality_id
    return operator is not None and operator in roles.municipality_ids_of(user)


def visible_bases(queryset: QuerySet, user) -> QuerySet:
    condition = Q(status="approved")
    if secretariat(user):
        scope = _secretariat_agreement_ids(user)
        if scope is None:
            return queryset
        return queryset.filter(condition | Q(agreement__in=scope))
    if user.is_authenticated and user.is_active:
        condition |= Q(offer__provider__operating_municipality__in=roles.municipality_ids_of(user))
        condition |= Q(offer__provider__in=roles.provider_ids_led_by(user))
        condition |= Q(agreement__in=takstgruppe_agreement_ids(user)) & ~Q(status="draft")
    return queryset.filter(condition)


def visible_cost_shares(queryset: QuerySet, user) -> QuerySet:
    if secretariat(user):
        scope = _secretariat_agreement_ids(user)
        if scope is None:
            return queryset
        from providers.models import Offer

        return queryset.filter(offer__in=Offer.objects.visible_to(user).values("pk"))
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    municipalities = roles.municipality_ids_of(user)
    condition = (
        Q(lines__municipality__in=municipalities)
        | Q(offer__provider__operating_municipality__in=municipalities)
        | Q(offer__provider__in=roles.provider_ids_led_by(user))
        | Q(offer__framework_agreements__in=takstgruppe_agreement_ids(user))
    )
    return queryset.filter(pk__in=queryset.filter(condition).values("pk"))


def visible_rounds(queryset: QuerySet, user) -> QuerySet:
    """A secretariat sees its agreements' rounds; a Takstgruppe member those of
    their agreement."""
    if secretariat(user):
        scope = _secretariat_agreement_ids(user)
        return queryset if scope is None else queryset.filter(agreement__in=scope)
    return queryset.filter(agreement__in=takstgruppe_agreement_ids(user))
