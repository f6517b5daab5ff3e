from django.urls import path

from contracts import views

app_name = "contracts"

ACTIONS = "<slug:action>"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    # Before the actions' pattern, which would take "underskriv" for an action.
    *[
        path(route, view, {"kind": kind}, name=f"{kind}_{name}")
        for kind in ("standard", "individual")
        for route, view, name in (
            (f"{kind}/<int:pk>/underskriv/", views.contract_sign_page, "contract_sign"),
            (
                f"{kind}/<int:pk>/underskriv/dokument/",
                views.signing_document,
                "signing_document",
            ),
        )
    ],
    path("standard/", views.standard_contract_list, name="standard_contract_list"),
    path("standard/<int:pk>/", views.standard_contract_detail, name="standard_contract_detail"),
    path("standard/<int:pk>/pdf/", views.standard_contract_pdf, name="standard_contract_pdf"),
    path(
        f"standard/<int:pk>/{ACTIONS}/",
        views.contract_action,
        {"kind": "standard"},
        name="standard_contract_action",
    ),
    path(
        "individual/<int:pk>/",
        views.individual_contract_detail,
        name="individual_contract_detail",
    ),
    path("individual/<int:pk>/pdf/", views.individual_contract_pdf, name="individual_contract_pdf"),
    path(
        f"individual/<int:pk>/{ACTIONS}/",
        views.contract_action,
        {"kind": "individual"},
        name="individual_contract_action",
    ),
    path("cpr/search/", views.cpr_search, name="cpr_search"),
    path("cpr/log/", views.cpr_access_log, name="cpr_access_log"),
    path("cpr/indsigt/", views.cpr_access_report, name="cpr_access_report"),
]
