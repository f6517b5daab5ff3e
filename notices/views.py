"""The public authority's notices, open to everyone (linked from the login
page and every page's footer): the privacy notice (GDPR art. 13 and 14) and,
until the accessibility statement is published in the WAS tool, a page
saying so."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import public
from accounts.otp import second_factor_step


@second_factor_step
@public
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """What is kept about users and citizens, and for how long — the numbers
    of the settings in force, so that the notice follows them."""
    return render(
        request,
        "notices/privacy.html",
        {
            "data_controller": settings.DATA_CONTROLLER,
            "contact": settings.DATA_PROTECTION_CONTACT,
            "retention_years": settings.CPR_RETENTION_YEARS,
            "log_months": settings.CPR_LOG_RETENTION_MONTHS,
            "login_months": settings.LOGIN_LOG_RETENTION_MONTHS,
            "inactive_months": settings.USER_INACTIVE_MONTHS,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


@second_factor_step
@public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The published statement when there is one; until then, whom to contact."""
    if settings.ACCESSIBILITY_STATEMENT_URL:
        return redirect(settings.ACCESSIBILITY_STATEMENT_URL)
    return render(
        request, "notices/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT}
    )
