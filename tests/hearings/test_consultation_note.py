"""Acceptance 3 (issue 21): the consultation note of a hearing with 3
sections and 20 answers holds each answer under its section, in section
order, with the secretariat's comments; the PDF is PDF/A-2b, and the DOCX
holds the same."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from hearings import services
from hearings.documents import consultation_note, render_note_docx, render_note_pdf
from hearings.models import HearingAnswer

from .helpers import SECTIONS, council, open_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(secretariat_user, midtjylland):
    """20 answers from the region and the councils, spread over the three
    sections, one "no comments", each with the secretariat's comment."""
    hearing = open_hearing(secretariat_user, midtjylland)
    parties = list(midtjylland.parties.order_by("code"))
    given = 0
    for index, municipality in enumerate(parties[:17]):
        number = index % 3 + 1
        services.answer_give(
            user=secretariat_user,
            hearing=hearing,
            council=council(municipality),
            texts={number: f"Svar fra {municipality.name} til afsnit {number}."},
            received=HearingAnswer.Received.EMAIL,
        )
        given += 1
    # The region answers two sections in one answer.
    services.answer_give(
        user=secretariat_user,
        hearing=hearing,
        council=council(region=midtjylland.region),
        texts={1: "Regionens svar til afsnit 1.", 3: "Regionens svar til afsnit 3."},
        received=HearingAnswer.Received.LETTER,
    )
    services.answer_give(
        user=secretariat_user,
        hearing=hearing,
        council=council(parties[17]),
        texts={},
        no_comments=True,
        received=HearingAnswer.Received.EMAIL,
    )
    given += 3
    assert given == hearing.answers.count() == 20
    for answer in hearing.answers.exclude(section=None):
        services.answer_comment(
            user=secretariat_user, answer=answer, comment=f"Kommentar til svar {answer.pk}."
        )
    return hearing


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_note_holds_each_answer_under_its_section_in_section_order(answered):
    note = consultation_note(answered)

    assert [section.number for section, _answers in note.sections] == [1, 2, 3]
    placed = [
        (section.number, answer.pk) for section, answers in note.sections for answer in answers
    ]
    expected = sorted(
        (answer.section.number, answer.pk) for answer in answered.answers.exclude(section=None)
    )
    assert sorted(placed) == expected and len(placed) == 19
    assert [answer.sender for answer in note.no_comments] == [
        str(answered.agreement.parties.order_by("code")[17])
    ]
    assert [c.name for c in note.unanswered] == [
        str(m) for m in answered.agreement.parties.order_by("code")[18:]
    ]


def test_the_pdf_note_has_every_answer_and_comment_under_its_section_in_order(answered):
    text = " ".join(text_of(render_note_pdf(consultation_note(answered))).split())

    headings = [text.index(f"{number}. {title}") for number, title, _text in SECTIONS]
    assert headings == sorted(headings)
    bounds = [*headings, len(text)]
    for answer in answered.answers.exclude(section=None).select_related("section"):
        number = answer.section.number
        start, end = bounds[number - 1], bounds[number]
        position = text.index(answer.text, start)
        assert position < end, f"{answer.text} is not under section {number}"
        comment = text.index(f"Kommentar til svar {answer.pk}.", position)
        assert comment < end
        assert answer.sender in text[start : position + len(answer.text)]


def test_the_pdf_note_is_pdf_a_2b_tagged_with_title_and_language(answered):
    reader = PdfReader(io.BytesIO(render_note_pdf(consultation_note(answered))))
    xmp = reader.xmp_metadata.stream.get_data().decode()
    root = reader.trailer["/Root"]

    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Høringsnotat: Udviklingsstrategi 2027-28"


def test_the_docx_note_holds_the_same_answers_and_comments_in_section_order(answered):
    document = Document(io.BytesIO(render_note_docx(consultation_note(answered))))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    text = "\n".join(paragraphs)

    headings = [paragraphs.index(f"{number}. {title}") for number, title, _text in SECTIONS]
    assert headings == sorted(headings)
    for answer in answered.answers.exclude(section=None).select_related("section"):
        at = paragraphs.index(answer.text)
        assert headings[answer.section.number - 1] < at
        assert answer.section.number == 3 or at < headings[answer.section.number]
        assert f"Kommentar til svar {answer.pk}." in paragraphs[at + 1]
    assert "Ingen bemærkninger" in text
