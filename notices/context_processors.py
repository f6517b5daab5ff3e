from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def footer(request: HttpRequest) -> dict:
    """The footer's links on every page: the accessibility statement (the
    WAS tool's address, or the page saying it is not yet published) and the
    privacy notice."""
    return {
        "accessibility_statement_url": settings.ACCESSIBILITY_STATEMENT_URL
        or reverse("notices:accessibility"),
        "privacy_notice_url": reverse("notices:privacy"),
    }
