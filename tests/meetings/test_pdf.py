"""The agenda and the minutes as PDF: every item in order with its decision,
archivable (PDF/A-2b) and tagged, like the contracts."""

import io

import pytest
from pypdf import PdfReader

from meetings import services

pytestmark = pytest.mark.django_db

TITLES = ["Kapacitet på Bostedet", "Årlig evaluering", "Takster 2027", "Orientering om tilsyn"]


@pytest.fixture
def decided(secretariat_user, held_meeting):
    for number, title in enumerate(TITLES):
        kind = "orientation" if number == 3 else "decision"
        item = services.item_add(
            user=secretariat_user, meeting=held_meeting, kind=kind, title=title
        )
        services.item_decide(
            user=secretariat_user,
            item=item,
            outcome="noted" if kind == "orientation" else "approved",
            decision=f"Beslutning nr. {number + 1}.",
        )
    return held_meeting


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_minutes_pdf_holds_every_item_in_order_with_its_decision(secretariat_user, decided):
    minutes = services.minutes_approve(user=secretariat_user, meeting=decided, how="chair")

    text = text_of(minutes.pdf.open("rb").read())

    positions = [text.index(f"{n}. {title}") for n, title in enumerate(TITLES, start=1)]
    assert positions == sorted(positions)
    for number in range(1, 5):
        assert f"Beslutning nr. {number}." in text
    assert "Godkendt." in text
    assert "UDKAST" not in text


def test_draft_minutes_say_udkast(secretariat_user, decided):
    from meetings.models import Minutes

    minutes = Minutes.objects.create(meeting=decided)
    assert "UDKAST" in text_of(services.render_minutes(decided, minutes=minutes))


@pytest.mark.parametrize("render", ["agenda", "minutes"])
def test_agenda_and_minutes_are_pdf_a_tagged_with_title_and_language(
    secretariat_user, decided, render
):
    if render == "agenda":
        data = services.render_agenda(decided)
    else:
        data = (
            services.minutes_approve(user=secretariat_user, meeting=decided, how="chair")
            .pdf.open("rb")
            .read()
        )
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]

    assert 'pdfaid:part="2"' in reader.xmp_metadata.stream.get_data().decode()
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith(
        "Dagsorden: DASSOS" if render == "agenda" else "Referat: DASSOS"
    )
