"""The second factor at password logins: a time-based code (TOTP, django-otp).

Staff users and secretariat users who log in with a password give a code from
their authenticator app after the password; the admin is open only to them,
so it is covered too. Users who logged in through single sign-on are exempt:
their identity provider has checked more than a password. A login records how
it was made in the session (`AUTH_METHOD_SESSION_KEY`): "password" here, at
every password login, and "saml" by the single sign-on login; anything but
"saml" asks for the code. `OTP_REQUIRED` (on by default) turns it off for the
demo only, and `check --deploy` warns when it is off (accounts.checks).

A user without a confirmed device sets one up at the first login: the page
shows the QR code and the secret as text, and the user confirms with a code.
"""

import base64
from collections.abc import Callable

import django_otp
import segno
from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.assurance import record_second_factor

AUTH_METHOD_SESSION_KEY = "auth_method"
PASSWORD = "password"  # noqa: S105 - the name of the auth method, not a secret
SINGLE_SIGN_ON = "saml"
PASSWORD_BACKENDS = {"django.contrib.auth.backends.ModelBackend"}


def second_factor_step(view: Callable) -> Callable:
    """Mark a view that a logged-in user may open before giving the second
    factor: the code pages themselves, log out, the language switch."""
    view.second_factor_exempt = True
    return view


def second_factor_required(request: HttpRequest) -> bool:
    user = request.user
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    if request.session.get(AUTH_METHOD_SESSION_KEY) == SINGLE_SIGN_ON:
        return False
    return user.is_staff or roles.is_secretariat(user)


def is_verified(request: HttpRequest) -> bool:
    # Set by django_otp's OTPMiddleware on the request's user.
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def device_to_confirm(user) -> TOTPDevice:
    """The unconfirmed device the user is setting up (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentificeringsapp", confirmed=False)
    return device


def secret_as_text(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, title: str) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no style)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, title=title, svgclass="otp-qr", lineclass=None
    )


def confirm_device(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm a device being set up with a code from it; the session is then verified."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _verified(request, device)
    return True


def verify(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check a code against the user's device (throttled by django-otp)."""
    verified = django_otp.verify_token(request.user, device.persistent_id, token)
    if verified is None:
        return False
    _verified(request, verified)
    return True


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    # A new session key once the login is complete, as at the password step.
    request.session.cycle_key()
    django_otp.login(request, device)
    record_second_factor(request)


def throttled_for(device: TOTPDevice) -> bool:
    allowed, _details = device.verify_is_allowed()
    return not allowed
