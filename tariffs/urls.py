from django.urls import path

from tariffs import views

app_name = "tariffs"

urlpatterns = [
    path("", views.tariff_list, name="list"),
    path("takstoversigt.xlsx", views.tariff_list_xlsx, name="list_xlsx"),
    path("takstoversigt.csv", views.tariff_list_csv, name="list_csv"),
    path("grundlag/<int:pk>/", views.basis_detail, name="basis"),
]
