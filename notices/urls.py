from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("privatliv/", views.privacy_notice, name="privacy"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
]
