from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404
from django.utils import translation
from django.views.defaults import page_not_found


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Danish unless the user has chosen English.

    Django's LocaleMiddleware follows the browser's Accept-Language, which
    would show an English page to a Danish caseworker whose browser happens to
    be set to English. Here only the language the user picked (the language
    cookie, set by the switch in the footer) counts.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class ProductNotFoundMiddleware:
    """With DEBUG on (the demo's `make run`), a missing page still shows the
    product's own Danish 404 page rather than Django's technical one, unless
    DEBUG_TECHNICAL_404 asks for that. Without DEBUG it is not used: Django
    shows the product's page then anyway."""

    def __init__(self, get_response):
        if not settings.DEBUG or settings.DEBUG_TECHNICAL_404:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        # No view matched the address: the resolver's 404.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        # A view's 404 (what the user may not see, or what is not there).
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
