from django.urls import path

from capacity import views

app_name = "capacity"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("liste/", views.adjustment_list, name="list"),
    path("moeder/", views.meetings, name="meetings"),
    path("moeder/<int:pk>/", views.meeting, name="meeting"),
    path("tilbud/<int:offer_pk>/anmod/", views.request_adjustment, name="request"),
    path("<int:pk>/", views.adjustment_detail, name="adjustment"),
    path("<int:pk>/berort-kommune/", views.add_municipality, name="add_municipality"),
    path("<int:pk>/kontakt/", views.record_consultation, name="record_consultation"),
    path("<int:pk>/svar/", views.answer_consultation, name="answer_consultation"),
    path("<int:pk>/paa-moede/", views.route_to_meeting, name="route_to_meeting"),
    path("<int:pk>/mailhoering/", views.open_hearing, name="open_hearing"),
    path("<int:pk>/hoeringssvar/", views.answer_hearing, name="answer_hearing"),
    path(
        "<int:pk>/hoeringssvar-registreret/",
        views.record_hearing_answer,
        name="record_hearing_answer",
    ),
    path("<int:pk>/afslut-hoering/", views.conclude_hearing, name="conclude_hearing"),
    path("<int:pk>/beslutning/", views.record_decision, name="record_decision"),
    path("<int:pk>/gennemfoer/", views.carry_out, name="carry_out"),
    path("<int:pk>/traek-tilbage/", views.withdraw, name="withdraw"),
]
