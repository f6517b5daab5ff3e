"""The single sign-on addresses, under /saml/ (404 while it is not configured).

The names are djangosaml2's own, which its views reverse.
"""

from django.urls import path

from accounts import saml_views

urlpatterns = [
    path("start/<str:kind>/", saml_views.start, name="sso_start"),
    path("login/", saml_views.login, name="saml2_login"),
    path("acs/", saml_views.acs, name="saml2_acs"),
    path("logout/", saml_views.logout, name="saml2_logout"),
    path("ls/", saml_views.logout_service, name="saml2_ls"),
    path("ls/post/", saml_views.logout_service, name="saml2_ls_post"),
    path("metadata/", saml_views.metadata, name="saml2_metadata"),
]
