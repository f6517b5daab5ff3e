from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts import otp, roles
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


class CodeForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": gettext_lazy("Enter the six digits the app shows."),
            "required": gettext_lazy("Enter the six digits the app shows."),
        },
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@otp.second_factor_step
@never_cache
@decide(anyone_logged_in)
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a password login: the code from the user's app."""
    if otp.is_verified(request) or not otp.second_factor_required(request):
        return redirect(_next(request))
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('otp_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.throttled_for(device):
            form.add_error(
                "token", _("Too many wrong codes. Wait a minute and try again with a new code.")
            )
        elif otp.verify(request, device, form.cleaned_data["token"]):
            return redirect(_next(request))
        else:
            form.add_error("token", _("The code was not right. Try again with the code shown now."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})


@otp.second_factor_step
@never_cache
@decide(anyone_logged_in)
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First login: set up the authenticator app and confirm it with a code."""
    if otp.confirmed_device(request.user) is not None:
        return redirect(f"{reverse('otp_verify')}?{request.GET.urlencode()}")
    device = otp.device_to_confirm(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.confirm_device(request, device, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("The code was not right. Try again with the code shown now."))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr_code": otp.qr_code_svg(device, _("QR code for the authenticator app")),
            "secret": otp.secret_as_text(device),
        },
    )
