from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts import views
from accounts.access import anyone_logged_in, decide, public
from accounts.otp import second_factor_step
from rammeaftale.views import favicon
from worker.health import health

admin.site.site_header = "Rammeaftale"
admin.site.site_title = "Rammeaftale"
admin.site.index_title = _("The secretariat's register")

urlpatterns = [
    path("", views.home, name="home"),
    path("sundhed/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    # Django's own views, each with an explicit decision (tests/accounts/test_access.py).
    path(
        "login/",
        second_factor_step(public(auth_views.LoginView.as_view(redirect_authenticated_user=True))),
        name="login",
    ),
    path("login/kode/", views.otp_verify, name="otp_verify"),
    path("login/kode/opsaet/", views.otp_setup, name="otp_setup"),
    path("login/kode/bekraeft/", views.otp_confirm, name="otp_confirm"),
    path("logout/", second_factor_step(public(views.LogoutView.as_view())), name="logout"),
    path(
        "password/",
        decide(anyone_logged_in)(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/done/",
        decide(anyone_logged_in)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("sprog/", second_factor_step(public(set_language)), name="set_language"),
    path("saml/", include("accounts.saml_urls")),
    path("admin/", admin.site.urls),
    path("brugere/", include("accounts.urls")),
    path("contracts/", include("contracts.urls")),
    path("kapacitet/", include("capacity.urls")),
    path("moeder/", include("meetings.urls")),
    path("takster/", include("tariffs.urls")),
    path("", include("notices.urls")),
    path("hoeringer/", include("hearings.urls")),
    path("offentliggoerelse/", include("hearings.public_urls")),
    path("", include("portal.urls")),
]
