"""Review and release, closed items, disqualification and members' notes: who
reads what of an agenda (issue 21, acceptance 1 and 2)."""

import pytest
from django.core import mail
from django.urls import reverse

from agreements.models import BodyRepresentative
from meetings import services
from meetings.models import AgendaChange, AgendaItem, MeetingError, MemberNote
from tests.conftest import make_user
from tests.meetings.conftest import pdf_file, released

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def closed_item(secretariat_user, held_meeting, media):
    item = services.item_add(
        user=secretariat_user,
        meeting=held_meeting,
        kind=AgendaItem.Kind.DECISION,
        title="Sag om en borgers anbringelse",
        case_text="Fortrolig sagsfremstilling.",
    )
    services.item_close(
        user=secretariat_user, item=item, reason=AgendaItem.ClosedReason.PERSONAL_DATA
    )
    services.document_add(
        user=secretariat_user, uploaded=pdf_file("Fortroligt.pdf"), agenda_item=item
    )
    return item


@pytest.fixture
def open_item(secretariat_user, held_meeting, media):
    item = services.item_add(
        user=secretariat_user,
        meeting=held_meeting,
        kind=AgendaItem.Kind.ORIENTATION,
        title="Status på udviklingsstrategien",
        case_text="Åben sagsfremstilling.",
    )
    services.document_add(user=secretariat_user, uploaded=pdf_file("Status.pdf"), agenda_item=item)
    return item


def _get(client, user, url):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(url)


# Closed items --------------------------------------------------------------------------


def test_a_closed_item_and_its_documents_are_404_to_a_non_member_and_on_the_public_pages(
    client, closed_item, open_item, municipality_user, committee_member, body_member_user
):
    released(closed_item.meeting)
    paper = closed_item.documents.get()
    for user in (municipality_user, committee_member):
        assert (
            _get(client, user, reverse("meetings:document_download", args=[paper.pk])).status_code
            == 404
        )
        page = _get(client, user, reverse("meetings:meeting", args=[closed_item.meeting_id]))
        assert page.status_code == 404
    for user in (None, municipality_user, body_member_user):
        assert (
            _get(client, user, reverse("meetings:public_document", args=[paper.pk])).status_code
            == 404
        )
        public = _get(
            client, user, reverse("meetings:public_meeting", args=[closed_item.meeting_id])
        )
        assert public.status_code == 200
        text = public.content.decode()
        assert "Status på udviklingsstrategien" in text
        assert "anbringelse" not in text and "Fortrolig" not in text


def test_a_closed_item_and_its_documents_are_read_by_the_members_and_the_secretariat(
    client, closed_item, body_member_user, secretariat_user
):
    released(closed_item.meeting)
    paper = closed_item.documents.get()
    for user in (body_member_user, secretariat_user):
        page = _get(client, user, reverse("meetings:meeting", args=[closed_item.meeting_id]))
        assert "Fortrolig sagsfremstilling." in page.content.decode()
        assert "Lukket punkt" in page.content.decode()
        assert (
            _get(client, user, reverse("meetings:document_download", args=[paper.pk])).status_code
            == 200
        )


def test_an_other_reason_to_close_must_be_named(secretariat_user, open_item):
    with pytest.raises(MeetingError, match="Skriv, hvorfor punktet er lukket"):
        services.item_close(user=secretariat_user, item=open_item, reason="other")
    item = services.item_close(
        user=secretariat_user, item=open_item, reason="other", reason_text="Forhandling"
    )
    assert item.closed_because == "Forhandling"


def test_only_the_secretariat_closes_an_item(body_member_user, open_item):
    with pytest.raises(MeetingError):
        services.item_close(user=body_member_user, item=open_item, reason="personal_data")


# Disqualification ----------------------------------------------------------------------


@pytest.fixture
def seat(body_member_user):
    return BodyRepresentative.objects.get(user=body_member_user)


def test_a_disqualified_member_sees_the_items_title_only(
    client, secretariat_user, body_member_user, seat, open_item
):
    released(open_item.meeting)
    services.item_decide(
        user=secretariat_user, item=open_item, outcome="noted", decision="Hemmelig beslutning"
    )
    paper = open_item.documents.get()
    url = reverse("meetings:document_download", args=[paper.pk])
    assert _get(client, body_member_user, url).status_code == 200

    services.item_exclude(
        user=secretariat_user, item=open_item, seat=seat, reason="Ansat i Randers' tilbud"
    )

    services.minutes_approve(user=secretariat_user, meeting=open_item.meeting, how="next_meeting")
    page = _get(client, body_member_user, reverse("meetings:meeting", args=[open_item.meeting_id]))
    text = page.content.decode()
    assert "Status på udviklingsstrategien" in text
    assert "Åben sagsfremstilling." not in text
    assert "Hemmelig beslutning" not in text
    assert url not in text
    assert _get(client, body_member_user, url).status_code == 404
    decisions = _get(client, body_member_user, reverse("meetings:decisions")).content.decode()
    assert "Hemmelig beslutning" not in decisions
    with pytest.raises(MeetingError):
        services.note_write(user=body_member_user, item=open_item, text="Min note")
    # Another member still reads it all.
    other = make_user("ole", email="ole@aarhus.dk")
    BodyRepresentative.objects.create(
        body=seat.body,
        municipality=open_item.meeting.body.members.exclude(pk=seat.municipality_id).first(),
        user=other,
        name="Ole",
    )
    assert (
        "Åben sagsfremstilling."
        in _get(
            client, other, reverse("meetings:meeting", args=[open_item.meeting_id])
        ).content.decode()
    )


def test_a_disqualification_names_a_member_of_the_body_and_a_reason(
    secretariat_user, committee_member, seat, open_item
):
    other_body_seat = BodyRepresentative.objects.get(user=committee_member)
    with pytest.raises(MeetingError, match="Vælg et medlem af organet"):
        services.item_exclude(
            user=secretariat_user, item=open_item, seat=other_body_seat, reason="x"
        )
    with pytest.raises(MeetingError, match="Giv grunden"):
        services.item_exclude(user=secretariat_user, item=open_item, seat=seat, reason=" ")


def test_a_disqualified_members_mailed_agenda_holds_the_title_only(
    secretariat_user, body_member_user, seat, open_item, django_capture_on_commit_callbacks
):
    services.item_exclude(user=secretariat_user, item=open_item, seat=seat, reason="Inhabil")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        services.agenda_send(user=secretariat_user, meeting=open_item.meeting)
    digests = {message.to[0]: message.attachments[0][1] for message in mail.outbox}
    assert digests[body_member_user.email] != services.render_agenda(open_item.meeting)


# Review and release --------------------------------------------------------------------


def test_members_read_the_agenda_once_released_reviewers_before(
    client,
    secretariat_user,
    body_member_user,
    chair_user,
    open_item,
    django_capture_on_commit_callbacks,
):
    url = reverse("meetings:meeting", args=[open_item.meeting_id])
    assert (
        "Status på udviklingsstrategien" not in _get(client, body_member_user, url).content.decode()
    )
    assert (
        _get(
            client, body_member_user, reverse("meetings:agenda_pdf", args=[open_item.meeting_id])
        ).status_code
        == 404
    )

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        services.agenda_review_request(user=secretariat_user, meeting=open_item.meeting)
    assert [message.to for message in mail.outbox] == [[chair_user.email]]
    assert "Status på udviklingsstrategien" in _get(client, chair_user, url).content.decode()
    assert (
        "Status på udviklingsstrategien" not in _get(client, body_member_user, url).content.decode()
    )
    services.agenda_comment(user=chair_user, meeting=open_item.meeting, text="Punkt 1 bør flyttes.")
    with pytest.raises(MeetingError, match="Kun dagsordenens"):
        services.agenda_comment(user=body_member_user, meeting=open_item.meeting, text="Også mig")
    assert "Punkt 1 bør flyttes." in _get(client, secretariat_user, url).content.decode()

    services.agenda_send(user=secretariat_user, meeting=open_item.meeting)
    assert open_item.meeting.release.released_at is not None
    assert "Status på udviklingsstrategien" in _get(client, body_member_user, url).content.decode()
    with pytest.raises(MeetingError):
        services.agenda_comment(user=chair_user, meeting=open_item.meeting, text="For sent")


def test_changes_after_release_are_listed_with_their_time(
    client, secretariat_user, body_member_user, chair_user, open_item
):
    services.item_update(user=secretariat_user, item=open_item, title="Før udsendelse")
    assert not AgendaChange.objects.exists()
    services.agenda_send(user=secretariat_user, meeting=open_item.meeting)
    services.item_update(user=secretariat_user, item=open_item, title="Efter udsendelse")
    services.document_add(
        user=secretariat_user, uploaded=pdf_file("Nyt bilag.pdf"), agenda_item=open_item
    )
    changes = list(AgendaChange.objects.values_list("description", flat=True))
    assert changes == [
        "Punkt ændret: Efter udsendelse",
        "Dokument tilføjet til Efter udsendelse: Nyt bilag.pdf",
    ]
    page = _get(client, body_member_user, reverse("meetings:meeting", args=[open_item.meeting_id]))
    assert "Ændret efter udsendelse" in page.content.decode()


# Members' notes (acceptance 2) ---------------------------------------------------------


def test_a_note_on_version_1_is_still_the_authors_on_version_2_and_nobody_elses(
    client, secretariat_user, body_member_user, chair_user, open_item
):
    released(open_item.meeting)
    paper = open_item.documents.get()
    note = services.note_write(user=body_member_user, document=paper, text="Tjek tallene på side 3")
    assert note.document_version == 1

    services.document_new_version(
        user=secretariat_user, document=paper, uploaded=pdf_file("Status v2.pdf")
    )
    paper.refresh_from_db()
    assert paper.version == 2

    url = reverse("meetings:meeting", args=[open_item.meeting_id])
    mine = _get(client, body_member_user, url).content.decode()
    assert "Tjek tallene på side 3" in mine
    assert "skrevet på version 1" in mine
    for other in (secretariat_user, chair_user):
        assert "Tjek tallene på side 3" not in _get(client, other, url).content.decode()
    assert list(MemberNote.objects.written_by(secretariat_user)) == []
    assert list(MemberNote.objects.written_by(body_member_user)) == [note]

    # Rewritten on version 2, it says so; emptied, it is gone.
    note = services.note_write(user=body_member_user, document=paper, text="Rettet i version 2")
    assert note.document_version == 2
    assert services.note_write(user=body_member_user, document=paper, text="") is None
    assert not MemberNote.objects.exists()


def test_a_note_needs_the_item_to_be_readable(
    client, municipality_user, open_item, body_member_user
):
    with pytest.raises(MeetingError):
        services.note_write(user=municipality_user, item=open_item, text="Ikke min")
    with pytest.raises(MeetingError):
        # Not yet released.
        services.note_write(user=body_member_user, item=open_item, text="For tidligt")
    released(open_item.meeting)
    client.force_login(body_member_user)
    client.post(reverse("meetings:item_note", args=[open_item.pk]), {"text": "Spørg til økonomien"})
    assert MemberNote.objects.get().item == open_item
