from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("leder/", views.leader_home, name="leader"),
    path("leder/tilbud/<int:pk>/", views.leader_provider, name="leader_provider"),
    path(
        "leder/tilbud/<int:pk>/forpligtelser/",
        views.leader_obligations,
        name="leader_obligations",
    ),
    path("leder/frister/", views.leader_deadlines, name="leader_deadlines"),
    path("leder/kalender/", views.leader_calendar, name="leader_calendar"),
    path("leder/kalender/forny/", views.leader_calendar_renew, name="leader_calendar_renew"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    # The meetings' feed keeps its address under the meetings pages.
    path("moeder/kalender/", views.meetings_feed_page, name="meetings_feed_page"),
    path(
        "moeder/kalender/<str:token>.ics",
        views.meetings_calendar_feed,
        name="meetings_calendar_feed",
    ),
    path("ydelser/<int:pk>/kapacitet/", views.offer_capacity, name="offer_capacity"),
    path("kommune/", views.municipality_home, name="municipality"),
    path("tilbud/", views.offer_list, name="offers"),
    path("takstregister/", views.tariff_list, name="tariffs"),
    # Open to everyone: checks the seal of a PDF from the register.
    path("verificer/", views.verify_seal, name="verify_seal"),
    path("sekretariat/", views.dashboard, name="dashboard"),
    path("sekretariat/kapacitet/", views.capacity_overview, name="capacity_overview"),
    path("sekretariat/mails/<int:pk>/send-igen/", views.mail_retry, name="mail_retry"),
    path(
        "sekretariat/aarshjul/<int:pk>/udfoert/",
        views.cycle_deadline_done,
        name="cycle_deadline_done",
    ),
]
