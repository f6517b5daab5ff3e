"""The roles of DESIGN.md "Who may see and do what", and who holds them.

A user's role comes from what they are linked to: the secretariat group, the
providers they lead, the municipalities they work for and the governing-body
seats they hold. Every page and queryset that filters by user asks here.

The answers are cached on the user object, which lives for one request:
pages and their querysets ask several times.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Exists, OuterRef, QuerySet

SECRETARIAT_GROUP = "Sekretariat"

# The secretariat edits the register and the workflows: every permission of these apps.
SECRETARIAT_APPS = ("agreements", "providers", "contracts", "capacity", "meetings", "tariffs")


def _active(user) -> bool:
    return (
        user is not None
        and not isinstance(user, AnonymousUser)
        and user.is_authenticated
        and user.is_active
    )


def _cached(user, name: str, compute):
    value = getattr(user, name, None)
    if value is None:
        value = compute()
        setattr(user, name, value)
    return value


def _roles(user) -> dict[str, bool]:
    """Which roles the user holds, in one query, cached on the user object."""

    def load() -> dict[str, bool]:
        from agreements.models import BodyRepresentative, Municipality
        from providers.models import Provider

        return (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                in_secretariat=Exists(
                    Group.objects.filter(name=SECRETARIAT_GROUP, user=OuterRef("pk"))
                ),
                leads=Exists(Provider.objects.filter(leaders=OuterRef("pk"))),
                works_for=Exists(Municipality.objects.filter(staff=OuterRef("pk"))),
                has_seat=Exists(BodyRepresentative.objects.filter(user=OuterRef("pk"))),
            )
            .values("in_secretariat", "leads", "works_for", "has_seat")
            .get()
        )

    return _cached(user, "_role_flags", load)


def is_secretariat(user) -> bool:
    """Holds the secretariat's permissions (the group): what *kind* of thing
    the user may edit. Which rows is `secretariat_scope`."""
    if not _active(user):
        return False
    return user.is_superuser or _roles(user)["in_secretariat"]


def sees_every_secretariat(user) -> bool:
    """Superusers administer every secretariat's agreements."""
    return _active(user) and user.is_superuser


class SecretariatScope:
    """What the secretariats a user works in administer: their framework
    agreements, the municipalities party to them (or whose own agreement it
    is) and the regions of the regional ones. Offers, providers, contracts …
    are reached from these by `accounts.access`."""

    def __init__(self, agreements=(), municipalities=(), regions=()):
        self.agreement_ids: frozenset[int] = frozenset(agreements)
        self.municipality_ids: frozenset[int] = frozenset(municipalities)
        self.region_ids: frozenset[int] = frozenset(regions)


def secretariat_scope(user) -> SecretariatScope:
    """The rows a secretariat member administers (empty for anyone else;
    superusers are asked `sees_every_secretariat` first). One query, cached
    on the user object."""

    def load() -> SecretariatScope:
        from agreements.models import FrameworkAgreement

        if not is_secretariat(user):
            return SecretariatScope()
        # One row per agreement and party (one row without parties).
        rows = list(
            FrameworkAgreement.objects.filter(secretariat__members=user).values_list(
                "pk", "municipality_id", "region_id", "parties"
            )
        )
        return SecretariatScope(
            {pk for pk, _m, _r, _p in rows},
            {m for _pk, m, _r, _p in rows if m} | {p for _pk, _m, _r, p in rows if p},
            {r for _pk, _m, r, _p in rows if r},
        )

    if not _active(user):
        return SecretariatScope()
    return _cached(user, "_secretariat_scope", load)


def secretariat_ids_of(user) -> frozenset[int]:
    """The secretariats the user is a member of (and administers users of)."""
    if not is_secretariat(user):
        return frozenset()
    return _cached(
        user,
        "_secretariat_ids",
        lambda: frozenset(user.secretariats.values_list("pk", flat=True)),
    )


def municipalities_of(user) -> QuerySet:
    """The municipalities the user works for as staff."""
    from agreements.models import Municipality

    if not _active(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(staff=user)


def municipality_ids_of(user) -> frozenset[int]:
    if not _active(user) or not _roles(user)["works_for"]:
        return frozenset()
    return _cached(
        user,
        "_municipality_ids",
        lambda: frozenset(municipalities_of(user).values_list("pk", flat=True)),
    )


def providers_led_by(user) -> QuerySet:
    from providers.models import Provider

    if not _active(user):
        return Provider.objects.none()
    return Provider.objects.filter(leaders=user)


def provider_ids_led_by(user) -> frozenset[int]:
    # The role flags (one query, cached) say whether there is anything to load.
    if not _active(user) or not _roles(user)["leads"]:
        return frozenset()
    return _cached(
        user,
        "_provider_ids",
        lambda: frozenset(providers_led_by(user).values_list("pk", flat=True)),
    )


def body_seat_municipality_ids(user) -> frozenset[int]:
    """The municipalities the user answers for in a governing body."""
    if not _active(user):
        return frozenset()
    return _cached(
        user,
        "_seat_municipality_ids",
        lambda: frozenset(
            user.body_seats.exclude(municipality=None).values_list("municipality_id", flat=True)
        ),
    )


def body_ids_of(user) -> frozenset[int]:
    """The governing bodies in which the user holds a seat."""
    if not _active(user) or not _roles(user)["has_seat"]:
        return frozenset()
    return _cached(
        user,
        "_body_ids",
        lambda: frozenset(user.body_seats.values_list("body_id", flat=True)),
    )


def chaired_body_ids(user) -> frozenset[int]:
    """The governing bodies in which the user holds the chair's seat."""
    if not _active(user):
        return frozenset()
    return _cached(
        user,
        "_chaired_body_ids",
        lambda: frozenset(user.body_seats.filter(role="chair").values_list("body_id", flat=True)),
    )


def is_provider_leader(user) -> bool:
    return _active(user) and _roles(user)["leads"]


def is_municipality_staff(user) -> bool:
    return _active(user) and _roles(user)["works_for"]


def is_body_member(user) -> bool:
    return _active(user) and _roles(user)["has_seat"]


def reads_whole_register(user) -> bool:
    """DESIGN.md: municipality staff and body members read the register,
    providers, offers, operating agreements and tariffs; a secretariat reads
    what its agreements cover (`secretariat_scope`), a provider leader only
    what concerns their own providers. Superusers read everything."""
    return sees_every_secretariat(user) or is_municipality_staff(user) or is_body_member(user)


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
# (DESIGN.md "Personal data").
PERSONAL_PERMISSIONS = ("view_full_cpr",)


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
