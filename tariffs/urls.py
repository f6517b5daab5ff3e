from django.urls import path

from tariffs import views

app_name = "tariffs"

urlpatterns = [
    path("", views.tariff_list, name="list"),
    path("takstoversigt.xlsx", views.tariff_list_xlsx, name="list_xlsx"),
    path("takstoversigt.csv", views.tariff_list_csv, name="list_csv"),
    path("grundlag/<int:pk>/", views.basis_detail, name="basis"),
    path("fordelinger/", views.cost_shares, name="cost_shares"),
    path("fordelinger/<int:pk>/", views.cost_share, name="cost_share"),
    path("fordelinger/<int:pk>/<int:code>.pdf", views.cost_share_pdf, name="cost_share_pdf"),
    path("tilbud/<int:offer_pk>/lukning/", views.closure_costs, name="closure_costs"),
    path("tilbud/<int:offer_pk>/underskud/", views.deficit, name="deficit"),
]
