"""The roles of DESIGN.md "Who may see and do what", and who holds them.

A user's role comes from what they are linked to: the secretariat group, the
providers they lead, the municipalities they work for and the governing-body
seats they hold. Each answer is read off the user's scope (`accounts.scope`),
worked out once per request: the same ids the models' `visible_to` filter on.
"""

from django.contrib.auth.models import Group, Permission

from accounts.scope import SECRETARIAT_GROUP, Scope, scope_of

__all__ = ["SECRETARIAT_GROUP", "Scope", "scope_of"]

# The secretariat edits the register and the workflows: every permission of these apps.
SECRETARIAT_APPS = ("agreements", "providers", "contracts", "capacity", "meetings", "tariffs")


def is_secretariat(user) -> bool:
    """Holds the secretariat's permissions (the group): what *kind* of thing
    the user may edit. Which rows is `secretariat_scope`."""
    return scope_of(user).secretariat


def sees_every_secretariat(user) -> bool:
    """Superusers administer every secretariat's agreements."""
    return scope_of(user).everything


def secretariat_scope(user) -> Scope:
    """The rows a secretariat member administers: `agreement_ids`,
    `party_municipality_ids`, `region_ids` (empty for anyone else)."""
    return scope_of(user)


def secretariat_ids_of(user) -> frozenset[int]:
    """The secretariats the user is a member of (and administers users of)."""
    return scope_of(user).secretariat_ids


def municipality_ids_of(user) -> frozenset[int]:
    """The municipalities the user works for as staff."""
    return scope_of(user).municipality_ids


def provider_ids_led_by(user) -> frozenset[int]:
    return scope_of(user).provider_ids


def body_seat_municipality_ids(user) -> frozenset[int]:
    """The municipalities the user answers for in a governing body."""
    return scope_of(user).seat_municipality_ids


def body_ids_of(user) -> frozenset[int]:
    """The governing bodies in which the user holds a seat."""
    return scope_of(user).body_ids


def chaired_body_ids(user) -> frozenset[int]:
    """The governing bodies in which the user holds the chair's seat."""
    return scope_of(user).chaired_body_ids


def tariff_group_agreement_ids(user) -> frozenset[int]:
    """The framework agreements whose Takstgruppe the user has a seat in."""
    return scope_of(user).tariff_group_agreement_ids


def is_provider_leader(user) -> bool:
    return scope_of(user).provider_leader


def is_municipality_staff(user) -> bool:
    return scope_of(user).municipality_staff


def is_body_member(user) -> bool:
    return scope_of(user).body_member


def reads_whole_register(user) -> bool:
    return scope_of(user).reads_whole_register


def start_page(user) -> str:
    """The URL name of the user's start page, by role (most powerful first)."""
    if is_secretariat(user):
        return "portal:dashboard"
    if is_municipality_staff(user) or is_body_member(user):
        return "portal:municipality"
    if is_provider_leader(user):
        return "portal:leader"
    return "home"


# Given to persons one by one, never by group: seeing full CPR numbers
# (DESIGN.md "Personal data") and signing contracts for a municipality.
PERSONAL_PERMISSIONS = ("view_full_cpr", "sign_for_authority")


def ensure_secretariat_group() -> Group:
    """Create the secretariat group with every permission of the domain apps,
    except those given to persons one by one."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
    group.permissions.add(*permissions.exclude(codename__in=PERSONAL_PERMISSIONS))
    group.permissions.remove(*permissions.filter(codename__in=PERSONAL_PERMISSIONS))
    # The secretariat links users to providers and municipalities: it must find
    # them (the admin's autocomplete needs view access), but it does not
    # administer accounts, which would let it grant itself any permission.
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    )
    # It unlocks an account locked after failed logins (accounts.lockout) by
    # deleting its row of login failures.
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="axes",
            codename__in=["view_accessattempt", "delete_accessattempt"],
        )
    )
    return group
