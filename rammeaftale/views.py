from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rammeaftale.access import anyone_logged_in, decide
from rammeaftale.roles import is_secretariat, municipalities_of, providers_led_by


@decide(anyone_logged_in)
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the secretariat works in the register; everyone else
    sees what they are linked to."""
    if is_secretariat(request.user):
        return redirect("admin:index")
    providers = providers_led_by(request.user).select_related("collaboration_model")
    municipalities = municipalities_of(request.user).select_related("region")
    return render(
        request,
        "home.html",
        {"providers": providers, "municipalities": municipalities},
    )
