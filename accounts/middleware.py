"""Login sessions: how long they last, the second factor, and caching.

- `record_login` (on `user_logged_in`) writes the login time and, at a
  password login, the auth method into the session.
- `SessionLimitMiddleware` ends a session `SESSION_IDLE_MINUTES` after its
  last request and `SESSION_MAX_HOURS` after its login, however active it
  was; the request goes to the login page, which says why. The time of the
  last request is written at most once a minute (`ACTIVITY_RESOLUTION`), not
  at every request, so a session is saved about once a minute at most; the
  idle limit may therefore end a session up to a minute early, never late.
  The stored session itself expires after `SESSION_MAX_HOURS`
  (`SESSION_COOKIE_AGE`).
- `SecondFactorMiddleware` sends a user who must give a code (accounts.otp)
  to the code page before any other page, the admin included.
- `NoStoreMiddleware`: every response to a logged-in user is `no-store`.
  Pages show citizens' names and CPR numbers (contracts, the dashboard, the
  municipality's and the leader's pages, the admin, the PDFs), and which of
  them do changes with every page added; a browser or proxy must keep none
  of them, so the rule is for all of them. Anonymous pages (the login page)
  stay cacheable.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from accounts import otp

LOGIN_AT_SESSION_KEY = "login_at"
LAST_SEEN_SESSION_KEY = "last_seen"
ACTIVITY_RESOLUTION = 60  # seconds


def record_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[LAST_SEEN_SESSION_KEY] = now
    if getattr(user, "backend", None) in otp.PASSWORD_BACKENDS:
        request.session[otp.AUTH_METHOD_SESSION_KEY] = otp.PASSWORD


def _to_login(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('login')}?{query}")


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY, login_at)
            if login_at is None or now - login_at > settings.SESSION_MAX_HOURS * 3600:
                return self._end(
                    request,
                    _("You have been logged out: a login lasts at most %(hours)d hours.")
                    % {"hours": settings.SESSION_MAX_HOURS},
                )
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                return self._end(
                    request,
                    _("You have been logged out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            if now - last_seen >= ACTIVITY_RESOLUTION:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        messages.info(request, reason)
        return _to_login(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if otp.second_factor_required(request) and not otp.is_verified(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('otp_verify')}?{query}")
        return None


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
