from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
