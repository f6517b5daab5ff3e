from django.urls import path

from hearings import views

app_name = "hearings"

urlpatterns = [
    path("", views.hearing_list, name="list"),
    path("kommune/", views.mine, name="mine"),
    path("<int:pk>/", views.hearing_detail, name="hearing"),
    path("<int:pk>/afsnit/", views.section_add, name="section_add"),
    path("<int:pk>/aabn/", views.hearing_open, name="open"),
    path("<int:pk>/svar/", views.answer, name="answer"),
    path("<int:pk>/svar/registrer/", views.answer_record, name="record"),
    path("<int:pk>/svar/<int:answer_pk>/kommentar/", views.answer_comment, name="comment"),
    path("<int:pk>/afslut/", views.hearing_conclude, name="conclude"),
    path("<int:pk>/godkendt/", views.document_gather, name="gather"),
    path("<int:pk>/hoeringsnotat.pdf", views.note_pdf, name="note_pdf"),
    path("<int:pk>/hoeringsnotat.docx", views.note_docx, name="note_docx"),
    path("offentliggoerelse/<int:pk>/", views.publication, name="publication"),
]
