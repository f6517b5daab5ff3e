"""The meetings workflow: agenda, decisions through the capacity service,
minutes approved and frozen on every path, the agenda sent and recorded."""

import datetime
import hashlib
import os
import stat

import pytest
from django.core import mail
from django.db import transaction
from pypdf import PdfReader

from agreements.models import BodyRepresentative, FrameworkAgreement, Meeting, MeetingFrozen
from capacity import services as capacity_services
from capacity.models import CapacityAdjustment
from meetings import services
from meetings.models import AgendaItem, Document, Mandate, MeetingError, Minutes, MinutesFrozen
from tests.conftest import make_adjustment
from tests.meetings.conftest import TODAY, make_meeting, pdf_file

pytestmark = pytest.mark.django_db

Kind = AgendaItem.Kind
Outcome = AgendaItem.Outcome


def add(user, meeting, title="Orientering om tilsyn", kind=Kind.ORIENTATION, **fields):
    return services.item_add(user=user, meeting=meeting, kind=kind, title=title, **fields)


def routed_adjustment(user, meeting) -> CapacityAdjustment:
    adjustment = make_adjustment(user=user, places=15)
    return capacity_services.adjustment_route_to_meeting(
        user=user, adjustment=adjustment, meeting=meeting
    )


def decide_all(user, meeting, outcome_for_decisions=Outcome.APPROVED):
    for item in AgendaItem.objects.filter(meeting=meeting):
        outcome = outcome_for_decisions if item.kind == Kind.DECISION else Outcome.NOTED
        services.item_decide(user=user, item=item, outcome=outcome, decision="Som indstillet.")


# The agenda ---------------------------------------------------------------------------


def test_a_routed_adjustment_becomes_a_decision_item_before_the_next_added_item(
    secretariat_user, dassos
):
    meeting = make_meeting(dassos, 0)
    adjustment = routed_adjustment(secretariat_user, meeting)

    item = add(secretariat_user, meeting)

    capacity_item, added = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    assert capacity_item.adjustment == adjustment
    assert capacity_item.kind == Kind.DECISION
    assert added == item
    assert (capacity_item.position, added.position) == (1, 2)


def test_items_are_reordered_one_place_at_a_time(secretariat_user, coming_meeting):
    first = add(secretariat_user, coming_meeting, "Første")
    second = add(secretariat_user, coming_meeting, "Andet")
    third = add(secretariat_user, coming_meeting, "Tredje")

    services.item_move(user=secretariat_user, item=third, direction=-1)
    services.item_move(user=secretariat_user, item=first, direction=-1)  # already first

    order = list(
        AgendaItem.objects.filter(meeting=coming_meeting)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert order == ["Første", "Tredje", "Andet"]
    assert second.pk


def test_an_item_moves_to_another_meeting_of_the_same_body_only(
    secretariat_user, dassos, committee, coming_meeting
):
    item = add(secretariat_user, coming_meeting)
    later = make_meeting(dassos, 40)
    other_body = make_meeting(committee, 40)

    with pytest.raises(MeetingError, match="et andet møde i samme organ"):
        services.item_move_to_meeting(user=secretariat_user, item=item, meeting=other_body)
    services.item_move_to_meeting(user=secretariat_user, item=item, meeting=later)

    item.refresh_from_db()
    assert item.meeting == later


def test_moving_a_capacity_item_moves_the_adjustment_through_the_capacity_service(
    secretariat_user, dassos
):
    meeting = make_meeting(dassos, 0)
    adjustment = routed_adjustment(secretariat_user, meeting)
    [item] = services.agenda_sync(meeting=meeting)
    later = make_meeting(dassos, 40)

    services.item_move_to_meeting(user=secretariat_user, item=item, meeting=later)

    adjustment.refresh_from_db()
    assert adjustment.meeting == later
    assert adjustment.history.first().history_change_reason.startswith("Sat på dagsordenen")


def test_moving_to_a_held_meeting_is_refused(secretariat_user, dassos, coming_meeting):
    item = add(secretariat_user, coming_meeting)
    held = make_meeting(dassos, -1)

    with pytest.raises(MeetingError, match="kommende møde"):
        services.item_move_to_meeting(user=secretariat_user, item=item, meeting=held)
    item.refresh_from_db()
    assert item.meeting == coming_meeting


def test_only_the_secretariat_prepares_the_agenda(body_member_user, coming_meeting):
    with pytest.raises(MeetingError, match="Kun sekretariatet"):
        add(body_member_user, coming_meeting)
    assert not AgendaItem.objects.exists()


def test_an_item_needs_a_title(secretariat_user, coming_meeting):
    with pytest.raises(MeetingError, match="titel"):
        add(secretariat_user, coming_meeting, title="  ")


def test_a_mandate_is_approved_by_dassos_or_the_committee_only(secretariat_user, dassos):
    from agreements.models import GoverningBody

    agreement = dassos.agreement
    group = GoverningBody.objects.create(
        name="Ad hoc-gruppe om botilbud", kind="ad_hoc", agreement=agreement
    )
    mandate = Mandate.objects.create(
        group=group, purpose="Afdække behovet", time_frame="6 måneder", participants="5 kommuner"
    )
    takst = GoverningBody.objects.create(
        name="Takstgruppe test", kind="takstgruppe", agreement=agreement
    )
    with pytest.raises(MeetingError, match="DASSOS eller Forretningsudvalget"):
        add(
            secretariat_user, make_meeting(takst, 0), "Kommissorium", Kind.DECISION, mandate=mandate
        )

    meeting = make_meeting(dassos, 0)
    item = add(secretariat_user, meeting, "Kommissorium", Kind.DECISION, mandate=mandate)
    services.item_decide(
        user=secretariat_user, item=item, outcome=Outcome.APPROVED, decision="Godkendt."
    )

    mandate.refresh_from_db()
    assert mandate.approved_at == item


# Decisions ----------------------------------------------------------------------------


def test_a_capacity_item_approved_at_the_meeting_approves_the_adjustment(secretariat_user, dassos):
    meeting = make_meeting(dassos, 0)
    adjustment = routed_adjustment(secretariat_user, meeting)
    [item] = services.agenda_sync(meeting=meeting)

    services.item_decide(
        user=secretariat_user, item=item, outcome=Outcome.APPROVED, decision="Godkendt."
    )

    adjustment.refresh_from_db()
    assert adjustment.status == CapacityAdjustment.Status.APPROVED
    assert adjustment.decided_by_body == dassos
    assert adjustment.decision_grounds == "Godkendt."


def test_decisions_are_recorded_from_the_meeting_day_not_before(secretariat_user, dassos):
    tomorrow = make_meeting(dassos, 1)
    item = add(secretariat_user, tomorrow, "Beslutning", Kind.DECISION)

    with pytest.raises(MeetingError, match="kan registreres fra den dag"):
        services.item_decide(
            user=secretariat_user, item=item, outcome=Outcome.APPROVED, decision="Ja."
        )
    services.item_decide(
        user=secretariat_user,
        item=item,
        outcome=Outcome.APPROVED,
        decision="Ja.",
        today=tomorrow.date,
    )
    item.refresh_from_db()
    assert item.outcome == Outcome.APPROVED


def test_an_orientation_cannot_be_approved_and_a_decision_not_merely_noted(
    secretariat_user, held_meeting
):
    orientation = add(secretariat_user, held_meeting)
    decision = add(secretariat_user, held_meeting, "Beslutning", Kind.DECISION)

    with pytest.raises(MeetingError, match="Kun et beslutningspunkt"):
        services.item_decide(
            user=secretariat_user, item=orientation, outcome=Outcome.APPROVED, decision="x"
        )
    with pytest.raises(MeetingError, match="godkendes, afvises eller udsættes"):
        services.item_decide(
            user=secretariat_user, item=decision, outcome=Outcome.NOTED, decision="x"
        )
    with pytest.raises(MeetingError, match="Skriv beslutningen"):
        services.item_decide(
            user=secretariat_user, item=decision, outcome=Outcome.APPROVED, decision=" "
        )


def test_an_approved_evaluation_sets_the_agreements_last_evaluation(
    secretariat_user, held_meeting, midtjylland
):
    item = add(
        secretariat_user, held_meeting, "Årlig evaluering", Kind.DECISION, evaluation_of=midtjylland
    )

    services.item_decide(
        user=secretariat_user, item=item, outcome=Outcome.APPROVED, decision="Evalueret."
    )

    midtjylland.refresh_from_db()
    assert midtjylland.last_evaluated_on == held_meeting.date
    assert midtjylland.next_evaluation_on().year == held_meeting.date.year + 1


# Minutes ------------------------------------------------------------------------------


def test_minutes_cannot_be_approved_before_every_item_is_decided(secretariat_user, held_meeting):
    add(secretariat_user, held_meeting, "Uafklaret")

    with pytest.raises(MeetingError, match="Uafklaret"):
        services.minutes_approve(user=secretariat_user, meeting=held_meeting, how="chair")
    assert not Minutes.objects.filter(status="approved").exists()


def test_approved_minutes_store_their_pdf_with_its_sha256(secretariat_user, held_meeting):
    add(secretariat_user, held_meeting)
    decide_all(secretariat_user, held_meeting)
    services.minutes_update(
        user=secretariat_user, meeting=held_meeting, present="Alle 19 kommuner", apologies=""
    )

    minutes = services.minutes_approve(
        user=secretariat_user, meeting=held_meeting, how="next_meeting"
    )

    data = minutes.pdf.open("rb").read()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_on == TODAY
    assert minutes.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert "Alle 19 kommuner" in PdfReader(minutes.pdf.path).pages[0].extract_text()


def test_approved_minutes_carry_the_secretariats_seal(secretariat_user, held_meeting):
    from seals.verification import verify_pdf

    add(secretariat_user, held_meeting)
    decide_all(secretariat_user, held_meeting)

    minutes = services.minutes_approve(
        user=secretariat_user, meeting=held_meeting, how="next_meeting"
    )

    verdict = verify_pdf(minutes.pdf.open("rb").read())
    assert verdict.valid
    assert verdict.reference == f"Referat, møde {held_meeting.pk}, {held_meeting.date:%d.%m.%Y}"


def test_the_approval_of_the_minutes_is_in_their_history_with_the_user(
    secretariat_user, held_meeting, chair_user
):
    add(secretariat_user, held_meeting)
    decide_all(secretariat_user, held_meeting)
    services.minutes_update(
        user=secretariat_user, meeting=held_meeting, present="Alle 19 kommuner", apologies=""
    )

    minutes = services.minutes_approve(user=chair_user, meeting=held_meeting, how="chair")

    latest, written = minutes.history.order_by("-history_date", "-history_id")[:2]
    assert (latest.status, latest.approved_on) == ("approved", TODAY)
    assert latest.approved_by == chair_user
    assert latest.pdf_sha256 == minutes.pdf_sha256
    assert (latest.history_user, latest.history_change_reason) == (chair_user, "Referat godkendt")
    assert (written.status, written.history_user) == ("draft", secretariat_user)


@pytest.fixture
def approved(secretariat_user, held_meeting):
    item = add(secretariat_user, held_meeting)
    services.document_add(user=secretariat_user, uploaded=pdf_file(), agenda_item=item)
    decide_all(secretariat_user, held_meeting)
    services.minutes_approve(user=secretariat_user, meeting=held_meeting, how="chair")
    return held_meeting


def test_the_minutes_pdf_and_the_papers_are_stored_for_the_application_alone(approved):
    minutes = Minutes.objects.get(meeting=approved)
    document = Document.objects.get()

    for stored in (minutes.pdf, document.file):
        assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o600


def test_approved_minutes_cannot_be_changed_by_any_path(secretariat_user, approved):
    minutes = Minutes.objects.get(meeting=approved)
    item = AgendaItem.objects.get(meeting=approved)
    document = Document.objects.get()
    before = (minutes.present, item.decision, item.title)

    refusals = [
        lambda: services.minutes_update(
            user=secretariat_user, meeting=approved, present="Ændret", apologies=""
        ),
        lambda: services.item_update(user=secretariat_user, item=item, title="Ændret"),
        lambda: services.item_decide(
            user=secretariat_user, item=item, outcome=Outcome.DISCUSSED, decision="Ændret"
        ),
        lambda: add(secretariat_user, approved, "Nyt punkt"),
        lambda: services.document_add(user=secretariat_user, uploaded=pdf_file(), agenda_item=item),
        lambda: services.minutes_approve(user=secretariat_user, meeting=approved, how="chair"),
    ]
    for refuse in refusals:
        with pytest.raises(MeetingError, match="godkendt og kan ikke længere ændres"):
            refuse()
    # And around the services: the model, the queryset, a delete.
    minutes.present = "Ændret"
    item.decision = "Ændret"
    for refuse in (
        minutes.save,
        item.save,
        item.delete,
        document.delete,
        lambda: AgendaItem.objects.filter(pk=item.pk).update(decision="Ændret"),
        lambda: Minutes.objects.filter(pk=minutes.pk).update(present="Ændret"),
        lambda: Document.objects.filter(pk=document.pk).delete(),
        lambda: AgendaItem.objects.filter(pk=item.pk).delete(),
    ):
        with pytest.raises(MinutesFrozen):
            refuse()
    minutes.refresh_from_db()
    item.refresh_from_db()
    assert (minutes.present, item.decision, item.title) == before
    assert AgendaItem.objects.filter(meeting=approved).count() == 1


def test_approving_the_minutes_freezes_the_meetings_date_and_place(approved):
    before = Meeting.objects.values(*Meeting.RECORDED_FIELDS).get(pk=approved.pk)
    approved.date -= datetime.timedelta(days=1)
    approved.location = "Et andet sted"

    for refuse in (
        approved.save,
        lambda: Meeting.objects.filter(pk=approved.pk).update(location="Et andet sted"),
        lambda: Meeting.objects.bulk_update([approved], ["date", "location"]),
    ):
        # bulk_update writes in a transaction without a savepoint of its own.
        with pytest.raises(MeetingFrozen, match="dato, tidspunkter og sted"), transaction.atomic():
            refuse()
    assert Meeting.objects.values(*Meeting.RECORDED_FIELDS).get(pk=approved.pk) == before


def test_the_chair_approves_the_minutes_and_another_member_may_not(
    secretariat_user, held_meeting, chair_user, body_member_user
):
    add(secretariat_user, held_meeting)
    decide_all(secretariat_user, held_meeting)

    with pytest.raises(MeetingError, match="Kun formanden eller sekretariatet"):
        services.minutes_approve(user=body_member_user, meeting=held_meeting, how="chair")
    with pytest.raises(MeetingError, match="sekretariatet, der registrerer"):
        services.minutes_approve(user=chair_user, meeting=held_meeting, how="next_meeting")
    minutes = services.minutes_approve(user=chair_user, meeting=held_meeting, how="chair")

    assert minutes.approved_by == chair_user


# Sending the agenda -------------------------------------------------------------------


def test_the_agenda_is_mailed_to_each_member_with_its_pdf_and_recorded(
    secretariat_user, coming_meeting, dassos, aarhus, randers, django_capture_on_commit_callbacks
):
    for municipality, name in ((aarhus, "anna"), (randers, "rasmus")):
        user = type(secretariat_user).objects.create_user(name, email=f"{name}@kommune.dk")
        BodyRepresentative.objects.create(body=dassos, municipality=municipality, user=user)
    add(secretariat_user, coming_meeting)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.agenda_send(user=secretariat_user, meeting=coming_meeting)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@kommune.dk",
        "rasmus@kommune.dk",
    ]
    [(filename, data, kind)] = mail.outbox[0].attachments
    assert kind == "application/pdf"
    assert {record.email for record in sent} == {"anna@kommune.dk", "rasmus@kommune.dk"}
    assert sent[0].agenda_sha256 == hashlib.sha256(data).hexdigest()


def test_an_agenda_without_items_or_without_addresses_is_not_sent(secretariat_user, coming_meeting):
    with pytest.raises(MeetingError, match="ingen punkter"):
        services.agenda_send(user=secretariat_user, meeting=coming_meeting)
    add(secretariat_user, coming_meeting)
    with pytest.raises(MeetingError, match="e-mailadresse"):
        services.agenda_send(user=secretariat_user, meeting=coming_meeting)
    assert not mail.outbox


# Documents ----------------------------------------------------------------------------


def test_a_pdf_is_stored_with_its_sha256(secretariat_user, coming_meeting):
    item = add(secretariat_user, coming_meeting)
    upload = pdf_file("Notat om kapacitet.pdf")

    document = services.document_add(user=secretariat_user, uploaded=upload, agenda_item=item)

    data = document.file.open("rb").read()
    assert document.kind == Document.Kind.PDF
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.title == "Notat om kapacitet.pdf"
    assert "Notat" not in document.file.name


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    secretariat_user, coming_meeting
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = add(secretariat_user, coming_meeting)
    for name, data in (
        ("bilag.pdf", b"MZ\x90\x00 not a pdf"),
        ("bilag.docx", b"%PDF-1.7\n"),
        ("bilag.exe", b"%PDF-1.7\n"),
    ):
        with pytest.raises(MeetingError):
            services.document_add(
                user=secretariat_user, uploaded=SimpleUploadedFile(name, data), agenda_item=item
            )
    assert not Document.objects.exists()


def test_docx_and_xlsx_are_recognised_from_their_content(secretariat_user, coming_meeting):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = add(secretariat_user, coming_meeting)
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)

    document = services.document_add(
        user=secretariat_user,
        uploaded=SimpleUploadedFile("takster.xlsx", workbook.getvalue()),
        agenda_item=item,
    )
    assert document.kind == Document.Kind.XLSX
    with pytest.raises(MeetingError, match="ikke hvad navnet siger"):
        services.document_add(
            user=secretariat_user,
            uploaded=SimpleUploadedFile("takster.docx", workbook.getvalue()),
            agenda_item=item,
        )


def test_a_file_over_the_size_limit_is_refused(secretariat_user, coming_meeting, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    item = add(secretariat_user, coming_meeting)

    services.document_add(user=secretariat_user, uploaded=pdf_file(size=900), agenda_item=item)
    with pytest.raises(MeetingError, match="grænsen er 0,0 MB"):
        services.document_add(user=secretariat_user, uploaded=pdf_file(size=1000), agenda_item=item)
    assert Document.objects.count() == 1


def test_a_document_on_an_agreement(secretariat_user, midtjylland):
    document = services.document_add(
        user=secretariat_user, uploaded=pdf_file("Bilag 1.pdf"), agreement=midtjylland
    )
    assert document.agreement == FrameworkAgreement.objects.get(pk=midtjylland.pk)


# Planning a meeting -------------------------------------------------------------------


def test_a_meeting_needs_a_place_or_a_link(secretariat_user, dassos):
    with pytest.raises(MeetingError, match="Angiv et sted eller et link"):
        services.meeting_create(user=secretariat_user, body=dassos, date=TODAY)
    meeting = services.meeting_create(
        user=secretariat_user, body=dassos, date=TODAY, online_link="https://moede.example/1"
    )
    assert meeting.pk


def test_a_meeting_ends_after_it_starts_in_the_service_and_the_database(secretariat_user, dassos):
    import datetime

    from django.db import IntegrityError, transaction

    from agreements.models import Meeting

    nine = datetime.time(9, 0)
    with pytest.raises(MeetingError, match="Mødet skal slutte, efter det begynder."):
        services.meeting_create(
            user=secretariat_user,
            body=dassos,
            date=TODAY,
            location="Viborg",
            starts_at=nine,
            ends_at=nine,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(body=dassos, date=TODAY, starts_at=nine, ends_at=nine)
    meeting = services.meeting_create(
        user=secretariat_user,
        body=dassos,
        date=TODAY,
        location="Viborg",
        starts_at=nine,
        ends_at=datetime.time(9, 1),
    )
    assert meeting.ends_at > meeting.starts_at


def test_only_the_secretariat_plans_meetings(body_member_user, dassos):
    with pytest.raises(MeetingError, match="Kun sekretariatet"):
        services.meeting_create(user=body_member_user, body=dassos, date=TODAY, location="Viborg")


def test_a_file_of_exactly_the_size_limit_is_taken_and_one_byte_more_is_not(
    secretariat_user, coming_meeting, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DOCUMENT_MAX_BYTES = 1000
    item = add(secretariat_user, coming_meeting)
    exact = b"%PDF-1.7\n" + b"0" * (1000 - 9)
    assert len(exact) == 1000

    services.document_add(
        user=secretariat_user, uploaded=SimpleUploadedFile("a.pdf", exact), agenda_item=item
    )
    with pytest.raises(MeetingError, match="grænsen er"):
        services.document_add(
            user=secretariat_user,
            uploaded=SimpleUploadedFile("b.pdf", exact + b"0"),
            agenda_item=item,
        )
    assert Document.objects.count() == 1
