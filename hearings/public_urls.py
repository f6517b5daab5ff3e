"""The open pages of the approved documents (no login)."""

from django.urls import path

from hearings import views

app_name = "publication"

urlpatterns = [
    path("", views.published, name="list"),
    path("dokumenter/<int:pk>.pdf", views.published_document, name="document"),
    path("dcat.jsonld", views.catalogue, name="dcat"),
]
