from django.urls import path

from tariffs import views

app_name = "tariffs"

urlpatterns = [
    path("", views.tariff_list, name="list"),
    path("takstoversigt.xlsx", views.tariff_list_xlsx, name="list_xlsx"),
    path("takstoversigt.csv", views.tariff_list_csv, name="list_csv"),
    path("grundlag/<int:pk>/", views.basis_detail, name="basis"),
    path("grundlag/<int:pk>/behandling/", views.basis_review, name="basis_review"),
    path("tilbud/<int:offer_pk>/<int:year>/", views.basis_edit, name="basis_edit"),
    path("mine/", views.my_bases, name="mine"),
    path("mine/skabelon.xlsx", views.bases_template, name="bases_template"),
    path("runder/", views.rounds, name="rounds"),
    path("runder/<int:pk>/", views.round_detail, name="round"),
    path("fordelinger/", views.cost_shares, name="cost_shares"),
    path("fordelinger/<int:pk>/", views.cost_share, name="cost_share"),
    path("fordelinger/<int:pk>/<int:code>.pdf", views.cost_share_pdf, name="cost_share_pdf"),
    path("rapporter/takstudvikling/", views.report_tariffs, name="report_tariffs"),
    path("rapporter/belaegning/", views.report_occupancy, name="report_occupancy"),
    path(
        "rapporter/belaegning/<int:pk>/",
        views.report_offer_occupancy,
        name="report_offer_occupancy",
    ),
    path("rapporter/tillaegstakster/", views.report_add_ons, name="report_add_ons"),
    path("rapporter/udgifter/", views.report_expenditure, name="report_expenditure"),
    path("tilbud/<int:offer_pk>/lukning/", views.closure_costs, name="closure_costs"),
    path("tilbud/<int:offer_pk>/underskud/", views.deficit, name="deficit"),
]
