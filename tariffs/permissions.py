"""What each role may do with tariffs (DESIGN.md "Who may see and do what").
Which rows they see is each model's `visible_to`.

- The secretariat opens rounds, divides costs, and may act for the
  Takstgruppe, each for its own agreements.
- The Takstgruppe's members (a seat in a governing body of kind Takstgruppe)
  review the bases submitted under their framework agreement.
- An operator — staff of the municipality that operates the offer — enters
  and submits the offer's basis.
- Everyone, without login, sees approved bases (001: "åbenhed om
  beregningsgrundlag").
"""

from accounts.scope import scope_of


def takstgruppe_member(user) -> bool:
    return bool(scope_of(user).tariff_group_agreement_ids)


def tariff_reviewer(user) -> bool:
    """The Takstgruppe, or the secretariat acting for it."""
    return scope_of(user).secretariat or takstgruppe_member(user)


def tariff_operator(user) -> bool:
    return scope_of(user).municipality_staff


def tariff_reader(user) -> bool:
    """The Takstgruppe's reports: the reviewers and the municipalities."""
    return tariff_reviewer(user) or scope_of(user).municipality_staff


def administers_agreement(user, agreement_id: int) -> bool:
    """The user's secretariat administers the agreement (a superuser all)."""
    scope = scope_of(user)
    return scope.everything or (scope.secretariat and agreement_id in scope.agreement_ids)


def may_review(user, basis) -> bool:
    if administers_agreement(user, basis.agreement_id):
        return True
    return basis.agreement_id in scope_of(user).tariff_group_agreement_ids


def may_enter_basis_for(user, offer) -> bool:
    """The operating municipality's staff, or the offer's secretariat on its behalf."""
    scope = scope_of(user)
    if scope.secretariat:
        return offer.__class__.objects.administered_by(user).filter(pk=offer.pk).exists()
    operator = offer.provider.operating_municipality_id
    return operator is not None and operator in scope.municipality_ids
