"""The consultation note (høringsnotat) and the approved documents.

The note gathers, for each section of the draft in section order, every
council's answer with its sender and the secretariat's comment, then the
councils that had no comments and those that did not answer. It is rendered
as a PDF/A-2b (archivable, tagged, like the contracts and minutes) and as an
editable DOCX for the secretariat to finish in a word processor.
"""

import dataclasses
import io

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from contracts.pdf import STYLESHEET, render_html_to_pdf, static_url
from hearings.models import AgreementHearing, ApprovedDocument, Council, HearingAnswer

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclasses.dataclass
class ConsultationNote:
    hearing: AgreementHearing
    # (section, its answers in the councils' order)
    sections: list[tuple]
    no_comments: list[HearingAnswer]
    unanswered: list[Council]

    @property
    def title(self) -> str:
        return _("Consultation note: %(title)s") % {"title": self.hearing.title}


def consultation_note(hearing: AgreementHearing) -> ConsultationNote:
    """The note's content in three queries: the sections with their answers,
    the "no comments" answers, and the heard councils."""
    answers = HearingAnswer.objects.select_related("municipality", "region").order_by(
        "region__name", "municipality__name", "pk"
    )
    sections = list(
        hearing.sections.order_by("number").prefetch_related(
            Prefetch("answers", queryset=answers, to_attr="note_answers")
        )
    )
    no_comments = list(answers.filter(hearing=hearing, section__isnull=True))
    answered = {
        (m, r) for m, r in hearing.answers.values_list("municipality_id", "region_id").distinct()
    }
    unanswered = [
        council
        for council in hearing.heard_councils()
        if (
            getattr(council.municipality, "pk", None),
            getattr(council.region, "pk", None),
        )
        not in answered
    ]
    return ConsultationNote(
        hearing=hearing,
        sections=[(section, section.note_answers) for section in sections],
        no_comments=no_comments,
        unanswered=unanswered,
    )


def render_note_pdf(note: ConsultationNote) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "hearings/pdf/consultation_note.html",
            {"note": note, "stylesheet": static_url(STYLESHEET)},
        )
    return render_html_to_pdf(html)


def render_note_docx(note: ConsultationNote) -> bytes:
    """The same note as an editable Word document (python-docx)."""
    from docx import Document

    with translation.override(settings.LANGUAGE_CODE):
        document = Document()
        document.core_properties.title = note.title
        document.core_properties.language = "da-DK"
        hearing = note.hearing
        document.add_heading(note.title, level=0)
        document.add_paragraph(
            _("%(agreement)s. Deadline %(deadline)s.")
            % {"agreement": hearing.agreement, "deadline": hearing.deadline.strftime("%d.%m.%Y")}
        )
        for section, answers in note.sections:
            document.add_heading(f"{section.number}. {section.title}", level=1)
            if not answers:
                document.add_paragraph(_("No answers to this section."))
            for answer in answers:
                document.add_heading(answer.sender, level=2)
                document.add_paragraph(answer.text)
                comment = document.add_paragraph()
                comment.add_run(_("The secretariat's comment") + ": ").bold = True
                comment.add_run(answer.comment or _("No comment."))
        document.add_heading(_("No comments"), level=1)
        document.add_paragraph(
            ", ".join(answer.sender for answer in note.no_comments) or _("None.")
        )
        document.add_heading(_("Not answered"), level=1)
        document.add_paragraph(", ".join(c.name for c in note.unanswered) or _("None."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_approved_document(document: ApprovedDocument) -> bytes:
    """The approved text: the hearing's sections, with the approval date."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "hearings/pdf/approved_document.html",
            {
                "document": document,
                "sections": document.hearing.sections.order_by("number"),
                "stylesheet": static_url(STYLESHEET),
            },
        )
    return render_html_to_pdf(html)
