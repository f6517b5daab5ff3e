"""The site's own answers to what no app's view handles."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from accounts.access import public


@public
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the static file."""
    return redirect(static("favicon.ico"), permanent=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (settings.CSRF_FAILURE_VIEW): most often
    a page left open past the session, or sent again from the browser's history.
    Says so in the site's layout, and what to do; the technical reason is not shown."""
    return render(request, "403_csrf.html", status=403)
