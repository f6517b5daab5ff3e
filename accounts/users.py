"""Which user accounts a secretariat administers.

A secretariat administers the users linked to what its agreements cover —
leaders of its providers, staff of its party municipalities, seats in its
agreements' bodies, the members of its own secretariat — and the invitees it
created that are not linked to anything yet. Never a superuser. Superusers
administer everyone.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import roles


def inactive_after_days() -> int:
    """Users without a login for this many days are listed for deactivation:
    USER_INACTIVE_MONTHS (12) months of 365/12 days, so 12 months are 365 days."""
    return round(settings.USER_INACTIVE_MONTHS * 365 / 12)


def _linked(prefix: str = "") -> Q:
    """Linked to anything that gives a role."""
    return (
        Q(**{f"{prefix}led_providers__isnull": False})
        | Q(**{f"{prefix}staffed_municipalities__isnull": False})
        | Q(**{f"{prefix}body_seats__isnull": False})
        | Q(**{f"{prefix}secretariats__isnull": False})
    )


def users_administered_by(user) -> QuerySet:
    from accounts.models import Invitation
    from agreements.models import BodyRepresentative, Municipality, Secretariat
    from providers.models import Provider

    User = get_user_model()
    if roles.sees_every_secretariat(user):
        return User.objects.all()
    if not roles.is_secretariat(user):
        return User.objects.none()
    scope = roles.secretariat_scope(user)
    secretariats = roles.secretariat_ids_of(user)
    linked = User.objects.filter(pk=OuterRef("pk")).filter(_linked())
    condition = (
        Exists(Provider.objects.administered_by(user).filter(leaders=OuterRef("pk")))
        | Exists(
            Municipality.objects.filter(staff=OuterRef("pk"), pk__in=scope.party_municipality_ids)
        )
        | Exists(
            BodyRepresentative.objects.filter(
                user=OuterRef("pk"), body__agreement__in=scope.agreement_ids
            )
        )
        | Exists(Secretariat.objects.filter(members=OuterRef("pk"), pk__in=secretariats))
        | (
            Exists(Invitation.objects.filter(user=OuterRef("pk"), secretariat__in=secretariats))
            & ~Exists(linked)
        )
    )
    return User.objects.filter(condition).exclude(is_superuser=True)


def inactive_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment before which a last login counts as USER_INACTIVE_MONTHS without one."""
    return (now or timezone.now()) - datetime.timedelta(days=inactive_after_days())


def inactive(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Active users without a login for 12 months (365 days or more); a user
    who never logged in counts from when the account was made."""
    cutoff = inactive_since(now)
    return queryset.filter(is_active=True).filter(
        Q(last_login__lte=cutoff) | Q(last_login__isnull=True, date_joined__lte=cutoff)
    )


def failed_logins_administered_by(user) -> QuerySet:
    """The failed logins (django-axes) of the accounts the user administers,
    by username."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username__in=users_administered_by(user).values("username"))
