from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.user_list, name="users"),
    path("inviter/", views.user_invite, name="invite"),
    path("inaktive/", views.deactivate_inactive, name="deactivate_inactive"),
    path("<int:pk>/", views.user_detail, name="user"),
    path("<int:pk>/tilknyt/", views.user_link, name="link"),
    path("<int:pk>/fjern-tilknytning/", views.user_unlink, name="unlink"),
    path("<int:pk>/deaktiver/", views.user_deactivate, name="deactivate"),
    path("<int:pk>/genaktiver/", views.user_reactivate, name="reactivate"),
    path("<int:pk>/inviter-igen/", views.user_reinvite, name="reinvite"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept"),
]
