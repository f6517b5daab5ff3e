from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rammeaftale import views

admin.site.site_header = "Rammeaftale"
admin.site.site_title = "Rammeaftale"
admin.site.index_title = "Sekretariatets register"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("contracts/", include("contracts.urls")),
    path("kapacitet/", include("capacity.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("i18n/", include("django.conf.urls.i18n"))]
