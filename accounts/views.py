from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts import roles
from accounts.access import anyone_logged_in, decide


@decide(anyone_logged_in)
def home(request: HttpRequest) -> HttpResponse:
    """The start page sends each role to its own page: the secretariat to the
    dashboard, municipality staff and body members to the municipality's
    workspace, a provider leader to their providers. A user linked to nothing
    is told so."""
    start = roles.start_page(request.user)
    if start != "home":
        return redirect(start)
    return render(request, "home.html")
