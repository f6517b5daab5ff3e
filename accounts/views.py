from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import forms, otp, roles, services
from accounts.access import anyone_logged_in, by_token, decide, secretariat, visible_or_404
from accounts.users import inactive, inactive_since, users_administered_by
from domain.steps import post_step


class LogoutView(auth_views.LogoutView):
    """Django's logout, saying on the login page that it was done."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("You are logged out."))
        return response


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


# User administration by the secretariat (/brugere/) ---------------------------------

PAGE_SIZE = 50


def _user_rows(actor) -> QuerySet:
    """The users the actor administers, each annotated with the roles it holds."""
    from agreements.models import BodyRepresentative, Municipality, Secretariat
    from providers.models import Provider

    return users_administered_by(actor).annotate(
        is_leader=Exists(Provider.objects.filter(leaders=OuterRef("pk"))),
        is_staff_member=Exists(Municipality.objects.filter(staff=OuterRef("pk"))),
        has_seat=Exists(BodyRepresentative.objects.filter(user=OuterRef("pk"))),
        in_secretariat=Exists(Secretariat.objects.filter(members=OuterRef("pk"))),
    )


ROLE_FILTERS = {
    "secretariat": Q(in_secretariat=True),
    "leader": Q(is_leader=True),
    "municipality": Q(is_staff_member=True),
    "body": Q(has_seat=True),
    "none": Q(in_secretariat=False, is_leader=False, is_staff_member=False, has_seat=False),
}


@never_cache
@decide(secretariat)
def user_list(request: HttpRequest) -> HttpResponse:
    """The users the secretariat administers: search, filters by role and
    status (in the URL), 50 to a page, with the last login of each."""
    form = forms.UserFilterForm(request.GET or None)
    rows = _user_rows(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if query := (filters.get("q") or "").strip():
        rows = rows.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    if role := filters.get("role"):
        rows = rows.filter(ROLE_FILTERS[role])
    if filters.get("active") in ("0", "1"):
        rows = rows.filter(is_active=filters["active"] == "1")
    if filters.get("inactive"):
        rows = inactive(rows)
    page = Paginator(rows.order_by("last_name", "first_name", "username"), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    query_string = request.GET.copy()
    query_string.pop("side", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "inactive_count": inactive(users_administered_by(request.user))
            .exclude(pk=request.user.pk)
            .count(),
            "cutoff": inactive_since(),
        },
    )


def _administered_or_404(request: HttpRequest, pk: int):
    return visible_or_404(users_administered_by(request.user), pk=pk)


def _detail_context(request: HttpRequest, target, **extra) -> dict:
    from agreements.models import BodyRepresentative

    return {
        "target": target,
        "providers": target.led_providers.order_by("name"),
        "municipalities": target.staffed_municipalities.order_by("name"),
        "seats": BodyRepresentative.objects.filter(user=target).select_related(
            "body", "municipality"
        ),
        "secretariats": target.secretariats.order_by("name"),
        "invitation": target.invitations.select_related("invited_by").first(),
        "link_form": forms.LinkForm(actor=request.user),
        "confirm_form": forms.ConfirmForm(),
        "now": timezone.now(),
        "is_self": target.pk == request.user.pk,
        **extra,
    }


@never_cache
@decide(secretariat)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    return render(request, "accounts/user_detail.html", _detail_context(request, target))


def _refused(request: HttpRequest, target, **forms_) -> HttpResponse:
    """The user's page again, with what was refused (the input kept)."""
    return render(
        request, "accounts/user_detail.html", _detail_context(request, target, **forms_), status=400
    )


def _step(request: HttpRequest, target, perform, done: str, form=None, **forms_):
    """A step on the user's page (`post_step`): back to the page after, or the
    page again when refused."""
    return post_step(
        request,
        perform,
        form=form,
        done=done,
        then=reverse("accounts:user", args=[target.pk]),
        page=lambda: _refused(request, target, **forms_),
    )


@decide(secretariat)
@require_POST
def user_link(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    form = forms.LinkForm(request.POST, actor=request.user)
    return _step(
        request,
        target,
        lambda data: services.user_link(user=request.user, target=target, **form.links()),
        _("The link is added."),
        form,
        link_form=form,
    )


@decide(secretariat)
@require_POST
def user_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    form = forms.UnlinkForm(request.POST)
    link = form.target() if form.is_valid() else None
    if link is None:
        raise Http404
    return _step(
        request,
        target,
        lambda data: services.user_unlink(
            user=request.user, target=target, **{form.cleaned_data["kind"]: link}
        ),
        _("The link is removed."),
    )


@decide(secretariat)
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        return _refused(request, target, confirm_form=form)
    return _step(
        request,
        target,
        lambda data: services.user_deactivate(user=request.user, target=target),
        _("The user is deactivated and can no longer log in."),
    )


@decide(secretariat)
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    return _step(
        request,
        target,
        lambda data: services.user_reactivate(user=request.user, target=target),
        _("The user is active again."),
    )


@decide(secretariat)
@require_POST
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    target = _administered_or_404(request, pk)
    return _step(
        request,
        target,
        lambda data: services.user_reinvite(user=request.user, target=target),
        _("A new invitation is sent to %(email)s.") % {"email": target.email},
    )


@never_cache
@decide(secretariat)
def user_invite(request: HttpRequest) -> HttpResponse:
    form = forms.InviteForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = services.user_invite(
                user=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                **form.links(),
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(email)s is invited; the link is valid for 72 hours.")
                % {"email": target.email},
            )
            return redirect("accounts:user", pk=target.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_invite.html", {"form": form}, status=status)


@never_cache
@decide(secretariat)
def deactivate_inactive(request: HttpRequest) -> HttpResponse:
    """Users without a login for 12 months, listed for deactivation; the
    chosen ones are deactivated once the secretariat confirms."""
    candidates = list(
        inactive(users_administered_by(request.user))
        .exclude(pk=request.user.pk)
        .order_by("last_login", "username")[: PAGE_SIZE * 4]
    )
    form = forms.BulkDeactivateForm(
        request.POST or None,
        candidates=candidates,
        initial={"users": [user.pk for user in candidates]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.users_deactivate_inactive(
                user=request.user, pks=form.cleaned_data["users"]
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(count)d users are deactivated.") % {"count": count})
            return redirect("accounts:users")
    return render(
        request,
        "accounts/deactivate_inactive.html",
        {"form": form, "candidates": candidates, "cutoff": inactive_since()},
        status=400 if request.method == "POST" else 200,
    )


# The invitation link (found by its token, no session needed) ----------------------


@never_cache
@by_token
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password (at least 12 characters) or choose single sign-on,
    once, within 72 hours. An expired or used link says so."""
    invitation = services.invitation_for(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = forms.SetPasswordForm(request.POST or None)
    if request.method == "POST":
        try:
            if "sso" in request.POST and settings.SSO_LOGIN_URL:
                services.invitation_choose_sso(token=token)
                return redirect(settings.SSO_LOGIN_URL)
            if form.is_valid():
                services.invitation_accept(token=token, password=form.cleaned_data["password1"])
                messages.success(request, _("Your password is set. Log in with it."))
                return redirect(reverse("login"))
        except services.AccountError as error:
            form.add_error("password1", error.message)
    response = render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invited": invitation.user, "sso": bool(settings.SSO_LOGIN_URL)},
        status=400 if request.method == "POST" else 200,
    )
    return response


# The second factor of a password login -----------------------------------------------


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
    return _code_step(request, confirming=False)


def _code_step(request: HttpRequest, *, confirming: bool) -> HttpResponse:
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('otp_setup')}?{request.GET.urlencode()}")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.throttled_for(device):
            form.add_error(
                "token", _("Too many wrong codes. Wait a minute and try again with a new code.")
            )
        elif otp.verify(request, device, form.cleaned_data["token"]):
            return redirect(_next(request))
        else:
            form.add_error("token", _("The code was not right. Try again with the code shown now."))
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next(request), "confirming": confirming},
    )


@never_cache
@decide(anyone_logged_in)
def otp_confirm(request: HttpRequest) -> HttpResponse:
    """The code again, for a step that needs a fresh second factor (signing a
    contract): asked of every password login, whether or not its login asked
    for one. A user without an app sets it up first."""
    return _code_step(request, confirming=True)


@otp.second_factor_step
@never_cache
@decide(anyone_logged_in)
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First login: set up the authenticator app and confirm it with a code."""
    if otp.confirmed_device(request.user) is not None:
        return redirect(f"{reverse('otp_verify')}?{request.GET.urlencode()}")
    device = otp.device_to_confirm(request.user)
    form = forms.CodeForm(request.POST or None)
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
