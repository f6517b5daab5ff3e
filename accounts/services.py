"""User administration by a secretariat (issue 11, "Accounts").

A secretariat invites a user by e-mail (a one-time link, valid 72 hours, to
set a password or to log in through single sign-on), links them to what
gives their role, deactivates them. It never touches permissions, groups or
the superuser and staff flags: no function here sets them, whatever a form
posts. Every function takes the acting user, checks that the target is one
the acting user administers, and raises `AccountError` with a Danish message
when refused, leaving everything unchanged.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.access import require_in_scope
from accounts.models import Invitation, token_digest
from accounts.users import inactive, users_administered_by
from domain.errors import Refusal
from outbox.services import mail_queue, render_mail

# At least this many characters in a password set through an invitation.
PASSWORD_MIN_LENGTH = 12


class AccountError(Refusal):
    """A refused step of the user administration; the message is for the user."""


def _require_secretariat(actor) -> None:
    if not roles.is_secretariat(actor):
        raise AccountError(_("Only a secretariat administers users."))


def _require_administered(actor, target) -> None:
    _require_secretariat(actor)
    require_in_scope(
        users_administered_by(actor), target, AccountError(_("You do not administer this user."))
    )


# Links: what gives a user their role -----------------------------------------------


def _check_link(actor, *, provider=None, municipality=None, body=None, secretariat=None) -> None:
    """Each target must be one the actor's secretariat administers: the
    link form's choices."""
    from agreements.models import GoverningBody, Municipality, Secretariat
    from providers.models import Provider

    checks = (
        (
            provider,
            Provider.objects.administered_by(actor),
            _("The provider is not covered by your secretariat's agreements."),
        ),
        (
            municipality,
            Municipality.objects.administered_by(actor),
            _("The municipality is not a party to your secretariat's agreements."),
        ),
        (
            body,
            GoverningBody.objects.administered_by(actor),
            _("The body does not belong to your secretariat's agreements."),
        ),
        (
            secretariat,
            Secretariat.objects.visible_to(actor),
            _("You can only add members to your own secretariat."),
        ),
    )
    for target, administered, refusal in checks:
        if target is not None:
            require_in_scope(administered, target, AccountError(refusal))


def _in_a_secretariat(target) -> bool:
    """A member of any secretariat, or holding the secretariat's group."""
    return (
        target.secretariats.exists() or target.groups.filter(name=roles.SECRETARIAT_GROUP).exists()
    )


def _check_scope_of_secretariat_member(
    actor, target, *, municipality=None, body=None, secretariat=None
) -> None:
    """Only a superuser links a member of a secretariat (or one who becomes it
    with this link) to a municipality as staff or to a seat in a body: a
    secretary would otherwise give herself, or a colleague, the scope of a
    municipality or a body besides the secretariat's."""
    if roles.sees_every_secretariat(actor) or (municipality is None and body is None):
        return
    if secretariat is not None or (target is not None and _in_a_secretariat(target)):
        raise AccountError(
            _(
                "Only a superuser may link a member of a secretariat to a municipality or to "
                "a seat in a body."
            )
        )


def _link(target, *, provider=None, municipality=None, body=None, seat_for=None, secretariat=None):
    from agreements.models import BodyRepresentative

    if provider is not None and not provider.leaders.filter(pk=target.pk).exists():
        provider.leaders.add(target)
    if municipality is not None and not municipality.staff.filter(pk=target.pk).exists():
        municipality.staff.add(target)
    if body is not None:
        if seat_for is None or not body.members.filter(pk=seat_for.pk).exists():
            raise AccountError(_("Choose the member municipality the seat answers for."))
        if BodyRepresentative.objects.filter(body=body, user=target).exists():
            raise AccountError(_("The user already holds a seat in this body."))
        BodyRepresentative.objects.create(body=body, user=target, municipality=seat_for)
    if secretariat is not None and not secretariat.members.filter(pk=target.pk).exists():
        secretariat.members.add(target)


@transaction.atomic
def user_link(
    *,
    user,
    target,
    provider=None,
    municipality=None,
    body=None,
    seat_for=None,
    secretariat=None,
):
    """Link `target` to a provider (as its leader), a municipality (as staff),
    a body (a seat answering for `seat_for`) or the actor's own secretariat.
    A member of a secretariat is linked to a municipality or a seat by a
    superuser only."""
    get_user_model().objects.select_for_update().filter(pk=target.pk).first()
    _require_administered(user, target)
    if not any(x is not None for x in (provider, municipality, body, secretariat)):
        raise AccountError(_("Choose what to link the user to."))
    _check_link(
        user, provider=provider, municipality=municipality, body=body, secretariat=secretariat
    )
    _check_scope_of_secretariat_member(
        user, target, municipality=municipality, body=body, secretariat=secretariat
    )
    _link(
        target,
        provider=provider,
        municipality=municipality,
        body=body,
        seat_for=seat_for,
        secretariat=secretariat,
    )
    return target


@transaction.atomic
def user_unlink(*, user, target, provider=None, municipality=None, seat=None, secretariat=None):
    """Remove one link; only links the actor's secretariat administers."""
    get_user_model().objects.select_for_update().filter(pk=target.pk).first()
    _require_administered(user, target)
    body = seat.body if seat is not None else None
    _check_link(
        user, provider=provider, municipality=municipality, body=body, secretariat=secretariat
    )
    if seat is not None and seat.user_id != target.pk:
        raise AccountError(_("The seat is not the user's."))
    if provider is not None:
        provider.leaders.remove(target)
    if municipality is not None:
        municipality.staff.remove(target)
    if seat is not None:
        seat.delete()
    if secretariat is not None:
        if target.pk == user.pk:
            raise AccountError(_("You cannot remove yourself from your secretariat."))
        secretariat.members.remove(target)
    return target


# Invitations ------------------------------------------------------------------------


def _unique_username(email: str) -> str:
    User = get_user_model()
    base = email.strip().lower()[:140]
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


def _issue(*, user, target, secretariat, now: datetime.datetime) -> str:
    """A new one-time link for `target`; earlier unused ones end now."""
    Invitation.objects.filter(user=target, used_at=None, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=target,
        secretariat=secretariat,
        invited_by=user,
        token_digest=token_digest(token),
        created_at=now,
        expires_at=Invitation.expiry_from(now),
    )
    _send_invitation(
        invitation=invitation, inviter=user, token=token, expires=Invitation.expiry_from(now)
    )
    return token


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:accept", args=[token])


def _send_invitation(
    *, invitation: Invitation, inviter, token: str, expires: datetime.datetime
) -> None:
    """The invitation's mail, in the outbox: sent by the worker after commit."""
    target = invitation.user
    context = {
        "user": target,
        "inviter": inviter,
        "url": invitation_url(token),
        "expires": timezone.localtime(expires),
        "sso": bool(settings.SSO_LOGIN_URL),
    }
    subject, text, html = render_mail("accounts/email/invitation", context)
    mail_queue(to=target.email, subject=subject, text=text, html=html, concerning=invitation)


def _secretariat_of(actor):
    from agreements.models import Secretariat

    return Secretariat.objects.filter(members=actor).order_by("pk").first()


@transaction.atomic
def user_invite(
    *,
    user,
    email: str,
    first_name: str,
    last_name: str,
    provider=None,
    municipality=None,
    body=None,
    seat_for=None,
    secretariat=None,
    now: datetime.datetime | None = None,
):
    """Create an account for `email` (no password yet), link it, and send the
    one-time link. Returns the new user."""
    _require_secretariat(user)
    now = now or timezone.now()
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(
            _("A user with the e-mail address %(email)s exists; link that user instead.")
            % {"email": email}
        )
    _check_link(
        user, provider=provider, municipality=municipality, body=body, secretariat=secretariat
    )
    _check_scope_of_secretariat_member(
        user, None, municipality=municipality, body=body, secretariat=secretariat
    )
    target = User(
        username=_unique_username(email),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_active=True,
    )
    target.set_unusable_password()
    target.save()
    _link(
        target,
        provider=provider,
        municipality=municipality,
        body=body,
        seat_for=seat_for,
        secretariat=secretariat,
    )
    _issue(user=user, target=target, secretariat=_secretariat_of(user), now=now)
    return target


@transaction.atomic
def user_reinvite(*, user, target, now: datetime.datetime | None = None):
    """A new link for a user who has not used the last one (or lost access)."""
    get_user_model().objects.select_for_update().filter(pk=target.pk).first()
    _require_administered(user, target)
    if not target.is_active:
        raise AccountError(_("The user is deactivated; an invitation would not let them in."))
    if not target.email:
        raise AccountError(_("The user has no e-mail address to send the invitation to."))
    _issue(user=user, target=target, secretariat=_secretariat_of(user), now=now or timezone.now())
    return target


def invitation_for(token: str, now: datetime.datetime | None = None) -> Invitation | None:
    """The usable invitation of a link, or None (unknown, used, expired)."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_digest=token_digest(token)).first()
    )
    if invitation is None or not invitation.is_usable(now):
        return None
    return invitation


def _use(token: str, now: datetime.datetime) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_usable(now):
        raise AccountError(_("The link has expired or has been used."))
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return invitation


def check_password(password: str, user: AbstractBaseUser | None = None) -> None:
    """At least 12 characters, and the project's other password rules."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            _("The password must have at least %(count)d characters.")
            % {"count": PASSWORD_MIN_LENGTH}
        )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None


@transaction.atomic
def invitation_accept(*, token: str, password: str, now: datetime.datetime | None = None):
    """Set the invited user's password through the one-time link; the link is used up."""
    now = now or timezone.now()
    invitation = _use(token, now)
    target = invitation.user
    check_password(password, target)
    target.set_password(password)
    target.save(update_fields=["password"])
    return target


@transaction.atomic
def invitation_choose_sso(*, token: str, now: datetime.datetime | None = None):
    """The invited user will log in through single sign-on: the link is used
    up and the account keeps no password."""
    invitation = _use(token, now or timezone.now())
    return invitation.user


# Deactivation -----------------------------------------------------------------------


@transaction.atomic
def user_deactivate(*, user, target):
    """End the user's access: an inactive user is logged out at the next request."""
    get_user_model().objects.select_for_update().filter(pk=target.pk).first()
    _require_administered(user, target)
    if target.pk == user.pk:
        raise AccountError(_("You cannot deactivate yourself."))
    if target.is_active:
        target.is_active = False
        target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def user_reactivate(*, user, target):
    get_user_model().objects.select_for_update().filter(pk=target.pk).first()
    _require_administered(user, target)
    if not target.is_active:
        target.is_active = True
        target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def users_deactivate_inactive(*, user, pks, now: datetime.datetime | None = None) -> int:
    """Deactivate the chosen users among those the actor administers who have
    not logged in for 12 months. Returns how many were deactivated."""
    _require_secretariat(user)
    candidates = (
        inactive(users_administered_by(user), now)
        .exclude(pk=user.pk)
        .filter(pk__in=list(pks))
        .select_for_update()
    )
    chosen = list(candidates.values_list("pk", flat=True))
    if not chosen:
        raise AccountError(_("Choose at least one user without a login for 12 months."))
    return get_user_model().objects.filter(pk__in=chosen).update(is_active=False)
