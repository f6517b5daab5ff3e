"""Lockout after failed password logins (django-axes).

The standard Danish data-processor terms ask that an account is locked after
three consecutive failed logins within 24 hours. Axes counts failures only
within its cool-off time, which would make the window 30 minutes; this
handler counts them within `LOGIN_FAILURE_WINDOW` (24 hours) and keeps the
account locked until `AXES_COOLOFF_TIME` (30 minutes) has passed since the
last failure. A successful login clears the count (`AXES_RESET_ON_SUCCESS`);
a further failure after the cool-off locks again at once. The secretariat
unlocks an account by deleting its row under "Adgangsforsøg" in the admin.
"""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone

from contracts.services import months_before


def _failure_window_start(request: HttpRequest | None) -> datetime:
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempt_time - settings.LOGIN_FAILURE_WINDOW


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_user_attempts(self, request, credentials=None):
        start = _failure_window_start(request)
        return [
            attempts.filter(attempt_time__gte=start)
            for attempts in self.filter_user_attempts(request, credentials)
        ]

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        count, _ = AccessAttempt.objects.filter(
            attempt_time__lt=_failure_window_start(request)
        ).delete()
        return count

    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        if self.get_failures(request, credentials) < get_failure_limit(request, credentials):
            return False
        latest = [
            attempt_time
            for attempts in self.get_user_attempts(request, credentials)
            for attempt_time in attempts.values_list("attempt_time", flat=True)
        ]
        return bool(latest) and max(latest) > timezone.now() - get_cool_off(request)


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address as the outermost trusted proxy saw it.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies that each append the address
    they received the request from to X-Forwarded-For, the client is that
    many entries from the right; entries further left were written by the
    client and are not trusted. Without proxies, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The Danish page a locked account gets, at /login/ and /admin/login/."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "lockout_minutes": int(cool_off.total_seconds() // 60),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def login_records_delete_old(now: datetime | None = None) -> int:
    """Delete the records of logins and failed logins (with the address and
    browser they came from) older than LOGIN_LOG_RETENTION_MONTHS: the
    number of rows deleted. Running it again deletes nothing more."""
    cutoff = months_before(timezone.localtime(now), settings.LOGIN_LOG_RETENTION_MONTHS)
    return sum(
        model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )
