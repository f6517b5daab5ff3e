from django.urls import path

from meetings import public, views

app_name = "meetings"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("nyt/", views.meeting_create, name="meeting_create"),
    path("beslutninger/", views.decisions, name="decisions"),
    path("offentlige/", public.index, name="public"),
    path("offentlige/organ/<int:pk>/", public.body, name="public_body"),
    path("offentlige/organ/<int:pk>/kalender.ics", public.body_ics, name="public_body_ics"),
    path("offentlige/organ/<int:pk>/rss.xml", public.body_rss, name="public_body_rss"),
    path("offentlige/moede/<int:pk>/", public.meeting, name="public_meeting"),
    path("offentlige/dokumenter/<int:pk>/", public.document, name="public_document"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/punkt/", views.item_add, name="item_add"),
    path("<int:pk>/send/", views.agenda_send, name="agenda_send"),
    path("<int:pk>/gennemlaesning/", views.agenda_review, name="agenda_review"),
    path("<int:pk>/kommentar/", views.agenda_comment, name="agenda_comment"),
    path("<int:pk>/inhabilitet/", views.item_exclude, name="item_exclude"),
    path("<int:pk>/referat/", views.minutes_save, name="minutes_save"),
    path("<int:pk>/godkend-referat/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/dagsorden.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/referat.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("punkter/<int:pk>/", views.item_edit, name="item_edit"),
    path("punkter/<int:pk>/flyt/<str:direction>/", views.item_move, name="item_move"),
    path("punkter/<int:pk>/andet-moede/", views.item_move_to_meeting, name="item_move_to_meeting"),
    path("punkter/<int:pk>/fjern/", views.item_remove, name="item_remove"),
    path("punkter/<int:pk>/beslutning/", views.item_decide, name="item_decide"),
    path("punkter/<int:pk>/dokument/", views.document_upload, name="document_upload"),
    path("punkter/<int:pk>/lukket/", views.item_close, name="item_close"),
    path("punkter/<int:pk>/note/", views.item_note, name="item_note"),
    path("dokumenter/<int:pk>/", views.document_download, name="document_download"),
    path("dokumenter/<int:pk>/note/", views.document_note, name="document_note"),
    path("dokumenter/<int:pk>/version/", views.document_version, name="document_version"),
    path("dokumenter/<str:kind>/<int:pk>/", views.documents, name="documents"),
]
