"""The roles of DESIGN.md "Who may see and do what", and who holds them.

A user's role comes from what they are linked to: the secretariat group, the
providers they lead, the municipalities they work for and the governing-body
seats they hold. Every page and queryset that filters by user asks here.
"""

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import QuerySet

SECRETARIAT_GROUP = "Sekretariat"

# The secretariat edits the register and the workflows: every permission of these apps.
SECRETARIAT_APPS = ("agreements", "providers", "contracts", "capacity")


def is_secretariat(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached per request object: pages ask several times.
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached


def municipalities_of(user) -> QuerySet:
    """The municipalities the user works for as staff."""
    from agreements.models import Municipality

    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(staff=user)


def providers_led_by(user) -> QuerySet:
    from providers.models import Provider

    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Provider.objects.none()
    return Provider.objects.filter(leaders=user)


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
    return group
