"""Login sessions: how long they last, the second factor, and caching.

- `record_login` (on `user_logged_in`) writes the login time and, at a
  password login, the auth method into the session.
- `SessionLimitMiddleware` ends a session `SESSION_MAX_HOURS` after its login,
  however active it was. The idle limit (`SESSION_IDLE_MINUTES`) is the
  session's own expiry: `SESSION_COOKIE_AGE`, renewed at every request
  (`SESSION_SAVE_EVERY_REQUEST`); an expired session is gone from the store,
  so the next request is anonymous and goes to the login page.
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


def record_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
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
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            limit = settings.SESSION_MAX_HOURS * 3600
            if login_at is None or time.time() - login_at > limit:
                logout(request)
                messages.info(
                    request,
                    _("You have been logged out: a login lasts at most %(hours)d hours.")
                    % {"hours": settings.SESSION_MAX_HOURS},
                )
                return _to_login(request)
        return self.get_response(request)


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
