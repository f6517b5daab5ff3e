"""The meetings pages for each role: the secretariat prepares, a body's members
read their bodies' material, the chair reads draft minutes, anyone else 404."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from agreements.models import CouncilApproval, Meeting
from meetings import services
from meetings.models import AgendaItem, Document, Minutes
from tests.conftest import field_error
from tests.meetings.conftest import TODAY, make_meeting, pdf_file, released

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def item(secretariat_user, held_meeting):
    return services.item_add(
        user=secretariat_user,
        meeting=held_meeting,
        kind=AgendaItem.Kind.DECISION,
        title="Udviklingsstrategi 2027",
        case_text="Sagsfremstilling om strategien.",
        recommendation="Det indstilles, at strategien godkendes.",
    )


@pytest.fixture
def document(secretariat_user, item):
    return services.document_add(
        user=secretariat_user, uploaded=pdf_file("Strategi.pdf"), agenda_item=item
    )


MEETING_PAGES = ["meetings:meeting", "meetings:agenda_pdf"]


@pytest.mark.parametrize("name", MEETING_PAGES)
def test_the_secretariat_and_the_bodys_member_see_the_meeting(
    client, name, held_meeting, item, secretariat_user, body_member_user
):
    released(held_meeting)
    for user in (secretariat_user, body_member_user):
        response = login(client, user).get(reverse(name, args=[held_meeting.pk]))
        assert response.status_code == 200


@pytest.mark.parametrize("name", MEETING_PAGES)
def test_others_get_404_for_a_bodys_meeting(
    client, name, held_meeting, municipality_user, provider_leader, committee_member
):
    for user in (municipality_user, provider_leader, committee_member):
        response = login(client, user).get(reverse(name, args=[held_meeting.pk]))
        assert response.status_code == 404, user


def test_the_agenda_page_shows_items_documents_and_the_secretariats_tools(
    client, secretariat_user, body_member_user, held_meeting, item, document
):
    page = login(client, secretariat_user).get(reverse("meetings:meeting", args=[held_meeting.pk]))
    text = page.content.decode()
    assert "Udviklingsstrategi 2027" in text
    assert "Det indstilles, at strategien godkendes." in text
    assert reverse("meetings:document_download", args=[document.pk]) in text
    assert reverse("meetings:item_decide", args=[item.pk]) in text

    member_page = login(client, body_member_user).get(
        reverse("meetings:meeting", args=[held_meeting.pk])
    )
    assert reverse("meetings:item_decide", args=[item.pk]) not in member_page.content.decode()


def test_draft_minutes_are_for_the_secretariat_and_the_chair_only(
    client, secretariat_user, body_member_user, chair_user, held_meeting, item
):
    services.item_decide(
        user=secretariat_user, item=item, outcome="approved", decision="Strategien godkendt."
    )
    services.minutes_update(
        user=secretariat_user, meeting=held_meeting, present="Formanden", apologies=""
    )
    url = reverse("meetings:minutes_pdf", args=[held_meeting.pk])
    assert login(client, body_member_user).get(url).status_code == 404
    page = client.get(reverse("meetings:meeting", args=[held_meeting.pk])).content.decode()
    assert "Strategien godkendt." not in page
    assert login(client, chair_user).get(url).status_code == 200
    assert login(client, secretariat_user).get(url).status_code == 200

    services.minutes_approve(user=chair_user, meeting=held_meeting, how="chair")

    response = login(client, body_member_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Minutes.objects.get().pdf.open("rb").read()


def test_the_chair_approves_the_minutes_on_the_page(
    client, secretariat_user, chair_user, body_member_user, held_meeting, item
):
    services.item_decide(user=secretariat_user, item=item, outcome="approved", decision="Ja.")
    url = reverse("meetings:minutes_approve", args=[held_meeting.pk])

    assert login(client, body_member_user).post(url, {"how": "chair"}).status_code == 404
    response = login(client, chair_user).post(url, {"how": "chair"}, follow=True)

    assert "Referatet er godkendt og kan ikke længere ændres." in response.content.decode()
    assert Minutes.objects.get().status == Minutes.Status.APPROVED


def test_a_document_is_served_to_its_bodys_members_and_404_to_another_body(
    client, document, body_member_user, committee_member, municipality_user, secretariat_user
):
    url = reverse("meetings:document_download", args=[document.pk])
    released(document.agenda_item.meeting)

    for user in (secretariat_user, body_member_user):
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (committee_member, municipality_user):
        assert login(client, user).get(url).status_code == 404


def test_an_upload_that_is_not_what_its_name_says_is_refused_with_a_danish_message(
    client, secretariat_user, item
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(client, secretariat_user).post(
        reverse("meetings:document_upload", args=[item.pk]),
        {"title": "Falsk", "file": SimpleUploadedFile("bilag.pdf", b"GIF89a....")},
        follow=True,
    )

    assert "Filens indhold er ikke hvad navnet siger" in response.content.decode()
    assert not Document.objects.exists()


def test_the_secretariat_plans_a_meeting_and_a_bad_form_keeps_what_was_typed(
    client, secretariat_user, dassos
):
    login(client, secretariat_user)
    url = reverse("meetings:meeting_create")
    bad = client.post(
        url, {"body": dassos.pk, "date": "2027-02-03", "starts_at": "10:00", "ends_at": "09:00"}
    )
    text = bad.content.decode()
    assert "Mødet skal slutte, efter det begynder." in text
    assert "Angiv et sted eller et link til onlinemødet." in text
    assert 'value="2027-02-03"' in text

    response = client.post(
        url,
        {"body": dassos.pk, "date": "2027-02-03", "starts_at": "10:00", "location": "Viborg"},
    )
    meeting = Meeting.objects.get(date=datetime.date(2027, 2, 3))
    assert response.url == reverse("meetings:meeting", args=[meeting.pk])


def test_members_cannot_plan_meetings_or_add_items(client, body_member_user, coming_meeting):
    login(client, body_member_user)
    assert client.get(reverse("meetings:meeting_create")).status_code == 404
    response = client.post(
        reverse("meetings:item_add", args=[coming_meeting.pk]),
        {"kind": "orientation", "title": "Snyd"},
    )
    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_the_calendar_lists_the_members_bodies_only(
    client, body_member_user, secretariat_user, dassos, committee
):
    make_meeting(dassos, 5)
    make_meeting(committee, 6)

    member = login(client, body_member_user).get(reverse("meetings:calendar"))
    assert member.status_code == 200
    assert "Forretningsudvalget" not in member.content.decode()
    assert "1 række" in member.content.decode()
    everyone = login(client, secretariat_user).get(reverse("meetings:calendar"))
    assert "2 rækker" in everyone.content.decode()


@pytest.mark.parametrize("name", ["meetings:calendar", "meetings:decisions"])
def test_pages_of_the_meetings_are_404_for_those_without_a_seat(
    client, name, municipality_user, provider_leader
):
    for user in (municipality_user, provider_leader):
        assert login(client, user).get(reverse(name)).status_code == 404


def test_the_decision_register_searches_by_text_and_body(
    client, secretariat_user, held_meeting, committee, item
):
    services.item_decide(
        user=secretariat_user, item=item, outcome="approved", decision="Strategien godkendt."
    )
    other = make_meeting(committee, -2)
    other_item = services.item_add(
        user=secretariat_user, meeting=other, kind="orientation", title="Økonomiopfølgning"
    )
    services.item_decide(
        user=secretariat_user, item=other_item, outcome="noted", decision="Taget til efterretning."
    )
    login(client, secretariat_user)

    by_text = client.get(reverse("meetings:decisions"), {"q": "strategi"}).content.decode()
    assert "Udviklingsstrategi 2027" in by_text
    assert "Økonomiopfølgning" not in by_text
    by_body = client.get(reverse("meetings:decisions"), {"body": committee.pk}).content.decode()
    assert "Økonomiopfølgning" in by_body
    assert "Udviklingsstrategi 2027" not in by_body


def test_members_see_decisions_once_the_minutes_are_approved(
    client, secretariat_user, body_member_user, held_meeting, item
):
    services.item_decide(user=secretariat_user, item=item, outcome="approved", decision="Ja.")
    login(client, body_member_user)
    assert (
        "Udviklingsstrategi 2027" not in client.get(reverse("meetings:decisions")).content.decode()
    )

    services.minutes_approve(user=secretariat_user, meeting=held_meeting, how="next_meeting")

    assert "Udviklingsstrategi 2027" in client.get(reverse("meetings:decisions")).content.decode()


def test_another_secretariats_council_approval_and_its_papers_are_404(
    client, secretariat_user, copenhagen_secretary, midtjylland, aarhus
):
    approval = CouncilApproval.objects.create(
        agreement=midtjylland, municipality=aarhus, approved_on=TODAY, reference="Byrådet, pkt. 7"
    )
    paper = services.document_add(
        user=secretariat_user, uploaded=pdf_file("byraad.pdf"), council_approval=approval
    )
    page = reverse("meetings:documents", args=["byraadsgodkendelse", approval.pk])
    download = reverse("meetings:document_download", args=[paper.pk])
    login(client, secretariat_user)
    assert client.get(page).status_code == 200
    assert client.get(download).status_code == 200
    login(client, copenhagen_secretary)
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(page, {"title": "Kopi", "file": pdf_file()}).status_code == 404
    assert Document.objects.filter(council_approval=approval).count() == 1


def test_the_agenda_pdf_holds_every_item_in_order(client, secretariat_user, coming_meeting):
    from pypdf import PdfReader

    for title in ("Første punkt", "Andet punkt", "Tredje punkt"):
        services.item_add(
            user=secretariat_user, meeting=coming_meeting, kind="orientation", title=title
        )
    response = login(client, secretariat_user).get(
        reverse("meetings:agenda_pdf", args=[coming_meeting.pk])
    )

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert (
        text.index("1. Første punkt") < text.index("2. Andet punkt") < text.index("3. Tredje punkt")
    )


def test_an_item_without_a_type_is_refused_beside_the_type_and_keeps_what_was_typed(
    client, secretariat_user, held_meeting
):
    page = login(client, secretariat_user).get(reverse("meetings:meeting", args=[held_meeting.pk]))
    assert 'name="kind" value=""' not in page.content.decode()  # no "---------" type

    response = client.post(
        reverse("meetings:item_add", args=[held_meeting.pk]),
        {"kind": "", "title": "Udviklingsstrategi", "case_text": "Strategien for 2027."},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_kind") == ("Type", "Dette felt er påkrævet.")
    assert 'value="Udviklingsstrategi"' in html
    assert "Strategien for 2027.</textarea>" in html
    assert not AgendaItem.objects.exists()


def test_a_decision_without_text_is_refused_beside_the_decision_and_keeps_the_outcome(
    client, secretariat_user, item
):
    response = login(client, secretariat_user).post(
        reverse("meetings:item_decide", args=[item.pk]), {"outcome": "approved", "decision": " "}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, f"id_item{item.pk}_decision") == ("Beslutning", "Skriv beslutningen.")
    assert re.search(
        rf'<input[^>]*value="approved"[^>]*id="id_item{item.pk}_outcome_0"[^>]*checked', html
    )
    item.refresh_from_db()
    assert item.outcome == ""


def test_a_decision_without_an_outcome_is_refused_beside_the_outcome_and_keeps_the_text(
    client, secretariat_user, item
):
    response = login(client, secretariat_user).post(
        reverse("meetings:item_decide", args=[item.pk]), {"decision": "Som indstillet."}
    )

    html = response.content.decode()
    assert field_error(html, f"id_item{item.pk}_outcome") == ("Udfald", "Dette felt er påkrævet.")
    assert "Som indstillet.</textarea>" in html
    item.refresh_from_db()
    assert item.outcome == ""


def test_an_item_taken_to_note_needs_no_decision_text(client, secretariat_user, held_meeting):
    item = services.item_add(
        user=secretariat_user,
        meeting=held_meeting,
        kind=AgendaItem.Kind.ORIENTATION,
        title="Orientering om belægning",
    )

    response = login(client, secretariat_user).post(
        reverse("meetings:item_decide", args=[item.pk]), {"outcome": "noted", "decision": ""}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "noted"


def test_a_refusal_by_the_service_is_shown_in_the_form_that_was_sent(
    client, secretariat_user, item
):
    response = login(client, secretariat_user).post(
        reverse("meetings:item_decide", args=[item.pk]),
        {"outcome": "noted", "decision": "Taget til efterretning."},
    )

    html = response.content.decode()
    assert "Et beslutningspunkt godkendes, afvises eller udsættes." in html
    assert "Taget til efterretning.</textarea>" in html
    item.refresh_from_db()
    assert item.outcome == ""


def test_minutes_approved_without_saying_how_are_refused_beside_the_choice(
    client, secretariat_user, held_meeting, item
):
    response = login(client, secretariat_user).post(
        reverse("meetings:minutes_approve", args=[held_meeting.pk]), {}
    )

    assert field_error(response.content.decode(), "id_how") == (
        "Godkendt",
        "Dette felt er påkrævet.",
    )
    assert not Minutes.objects.filter(status=Minutes.Status.APPROVED).exists()


def test_the_secretariat_sees_recorded_decisions_before_the_minutes_are_approved(
    client, secretariat_user, item, held_meeting
):
    services.item_decide(user=secretariat_user, item=item, outcome="approved", decision="Ja tak.")

    page = login(client, secretariat_user).get(reverse("meetings:meeting", args=[held_meeting.pk]))

    assert "<strong>Godkendt.</strong> Ja tak." in page.content.decode()


def test_an_item_edited_without_a_title_is_refused_beside_it_and_keeps_the_new_text(
    client, secretariat_user, item
):
    response = login(client, secretariat_user).post(
        reverse("meetings:item_edit", args=[item.pk]),
        {
            "kind": "decision",
            "title": "",
            "case_text": "Ny sagsfremstilling.",
            "recommendation": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_title") == ("Titel", "Dette felt er påkrævet.")
    assert "Ny sagsfremstilling.</textarea>" in html
    item.refresh_from_db()
    assert item.title == "Udviklingsstrategi 2027"
    assert item.case_text == "Sagsfremstilling om strategien."


def test_a_capacity_item_is_titled_once_as_a_capacity_adjustment(secretariat_user, held_meeting):
    from capacity.models import CapacityAdjustment
    from tests.conftest import make_adjustment

    adjustment = make_adjustment(user=secretariat_user)
    CapacityAdjustment.objects.filter(pk=adjustment.pk).update(meeting=held_meeting)
    [created] = services.agenda_sync(meeting=held_meeting)
    assert created.title.startswith(f"Kapacitetsjustering {adjustment.pk}: {adjustment.offer}")
    assert "Justering" not in created.title
