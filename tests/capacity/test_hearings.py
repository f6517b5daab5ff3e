"""R2/R4: the e-mail hearing — a 14-day deadline in calendar days, conclusion
at the deadline, objections to the next meeting — and its e-mails."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from agreements.models import BodyRepresentative, FrameworkAgreement, Meeting, Municipality
from capacity import services
from capacity.models import CapacityError, Hearing, Notification
from tests.capacity.helpers import consult_all, request
from tests.conftest import make_buyer, make_user

OPENED = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    return OPENED + datetime.timedelta(days=n)


@pytest.fixture
def hearing(secretariat_user, municipality_user, capacity_offer, randers, dassos, dassos_member):
    municipality_user.email = "karen@aarhus.dk"
    municipality_user.save()
    make_buyer(capacity_offer, randers)
    adjustment = request(municipality_user, capacity_offer, places=12)
    consult_all(municipality_user, adjustment)
    return services.hearing_open(
        user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
    )


def _answer(user, hearing, municipality, answer="support", today=None):
    return services.hearing_answer(
        user=user, hearing=hearing, municipality=municipality, answer=answer, today=today or day(1)
    )


def _answer_all_but(hearing, skip: set[int], answer="support"):
    """Every other member answers on the page; the region's seat holder too."""
    for municipality in hearing.body.members.exclude(pk__in=skip):
        user = User.objects.create(username=f"medlem{municipality.code}")
        BodyRepresentative.objects.filter(body=hearing.body, municipality=municipality).update(
            user=user
        )
        _answer(user, hearing, municipality, answer)
    region = hearing.body.member_region
    user = User.objects.create(username="medlem-regionen")
    BodyRepresentative.objects.filter(body=hearing.body, region=region).update(user=user)
    services.hearing_answer(user=user, hearing=hearing, region=region, answer=answer, today=day(1))


def test_the_deadline_is_exactly_fourteen_days_after_opening(hearing):
    assert hearing.deadline == datetime.date(2026, 3, 16)
    assert hearing.adjustment.status == "in_hearing"
    assert hearing.adjustment.route == "hearing"


def test_the_deadline_follows_the_policys_hearing_days(
    secretariat_user, municipality_user, midtjylland, dassos
):
    from tests.conftest import make_capacity_offer

    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(hearing_days=21)
    adjustment = request(municipality_user, make_capacity_offer(), places=12)
    hearing = services.hearing_open(
        user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
    )
    assert hearing.deadline == day(21)


@pytest.mark.parametrize("on", [13, 14])
def test_concluding_before_the_deadline_day_has_ended_with_answers_missing_is_refused(
    hearing, secretariat_user, on
):
    with pytest.raises(CapacityError, match="Høringen løber til og med 16.03.2026"):
        services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(on))
    hearing.refresh_from_db()
    assert hearing.is_open
    assert hearing.adjustment.status == "in_hearing"


def test_a_member_answering_on_the_afternoon_of_the_deadline_day_is_still_heard(
    hearing, secretariat_user, dassos_member, randers
):
    with pytest.raises(CapacityError):
        services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(14))
    _answer(dassos_member, hearing, randers, "objection", today=day(14))
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    hearing.refresh_from_db()
    assert hearing.outcome == "objection"


def test_one_unanswered_member_still_blocks_an_early_conclusion(
    hearing, secretariat_user, dassos_member, randers
):
    _answer(dassos_member, hearing, randers)
    _answer_all_but(hearing, {randers.pk, Municipality.objects.get(code=791).pk})
    with pytest.raises(CapacityError, match="Viborg"):
        services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(5))


def test_concluding_early_is_allowed_when_every_member_has_answered(
    hearing, secretariat_user, dassos_member, randers
):
    _answer(dassos_member, hearing, randers)
    _answer_all_but(hearing, {randers.pk})
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(5))
    hearing.refresh_from_db()
    assert hearing.outcome == "approved"


def test_after_the_deadline_no_objection_approves(
    hearing, secretariat_user, dassos_member, randers
):
    _answer(dassos_member, hearing, randers, "no_comment")
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    hearing.refresh_from_db()
    adjustment = hearing.adjustment
    assert hearing.outcome == "approved"
    assert adjustment.status == "approved"
    assert adjustment.decided_on == day(15)
    assert adjustment.decided_by_body == hearing.body


def test_at_the_deadline_an_objection_sends_it_to_the_next_meeting(
    hearing, secretariat_user, dassos_member, randers, dassos
):
    later = Meeting.objects.create(body=dassos, date=day(60))
    sooner = Meeting.objects.create(body=dassos, date=day(30))
    _answer(dassos_member, hearing, randers, "objection")
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    hearing.refresh_from_db()
    adjustment = hearing.adjustment
    assert hearing.outcome == "objection"
    assert adjustment.status == "on_agenda"
    assert adjustment.meeting == sooner != later


def test_an_objection_without_a_planned_meeting_goes_back_to_the_secretariat(
    hearing, secretariat_user, dassos_member, randers
):
    _answer(dassos_member, hearing, randers, "objection")
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    adjustment = hearing.adjustment
    adjustment.refresh_from_db()
    assert adjustment.status == "requested"
    assert adjustment.route == "meeting"
    with pytest.raises(CapacityError, match="skal afgøres på et møde"):
        services.hearing_open(
            user=secretariat_user, adjustment=adjustment, body=hearing.body, today=day(15)
        )


def test_a_member_answers_on_the_deadline_day_but_not_after(hearing, dassos_member, randers):
    _answer(dassos_member, hearing, randers, today=day(14))
    with pytest.raises(CapacityError, match="Høringsfristen var 16.03.2026"):
        _answer(dassos_member, hearing, randers, "objection", today=day(15))
    assert hearing.responses.get().answer == "support"


def test_a_member_cannot_answer_for_another_municipality(hearing, dassos_member):
    aarhus = Municipality.objects.get(code=751)
    with pytest.raises(CapacityError, match="det medlem, du repræsenterer"):
        _answer(dassos_member, hearing, aarhus)
    assert not hearing.responses.exists()


def test_municipality_staff_without_a_seat_cannot_answer_the_hearing(
    hearing, other_municipality_user, randers
):
    with pytest.raises(CapacityError):
        _answer(other_municipality_user, hearing, randers)


# The deadline command -----------------------------------------------------------------


def _deadlines(on: datetime.date) -> None:
    call_command("capacity_deadlines", date=on.isoformat(), verbosity=0)


def test_the_command_leaves_the_deadline_day_to_the_members(hearing):
    _deadlines(day(14))
    hearing.refresh_from_db()
    assert hearing.is_open


def test_the_command_concludes_the_day_after_the_deadline_once(
    hearing, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _deadlines(day(15))
        _deadlines(day(15))
        _deadlines(day(16))
    hearing.refresh_from_db()
    assert hearing.concluded_on == day(15)
    assert hearing.concluded_by is None
    assert hearing.adjustment.status == "approved"
    assert hearing.history.filter(concluded_on=day(15)).count() == 1
    assert Notification.objects.filter(key=f"decision:{hearing.adjustment_id}").count() == 1
    decisions = [m for m in mailoutbox if "Godkendt" in m.subject]
    assert len(decisions) == 1
    assert "karen@aarhus.dk" in decisions[0].to


def test_the_command_reminds_three_days_before_the_deadline_once(
    hearing, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _deadlines(day(10))
        assert not Notification.objects.filter(template="hearing_reminder").exists()
        _deadlines(day(11))
        _deadlines(day(11))
        _deadlines(day(12))
    hearing.refresh_from_db()
    assert hearing.reminder_sent_on == day(11)
    reminders = [m for m in mailoutbox if m.subject.startswith("Påmindelse")]
    # One to each of the 20 members (19 municipalities and the region), once.
    assert len(reminders) == 20
    assert ["dorte@randers.dk"] in [m.to for m in reminders]
    assert all("Randers" in m.body for m in reminders)
    assert Notification.objects.filter(template="hearing_reminder").count() == 20


def test_no_reminder_goes_to_members_who_have_answered(
    hearing, dassos_member, randers, django_capture_on_commit_callbacks, mailoutbox
):
    _answer(dassos_member, hearing, randers)
    with django_capture_on_commit_callbacks(execute=True):
        _deadlines(day(11))
    reminders = [m for m in mailoutbox if m.subject.startswith("Påmindelse")]
    assert len(reminders) == 19
    assert ["dorte@randers.dk"] not in [m.to for m in reminders]


# E-mails ---------------------------------------------------------------------------


def test_opening_a_hearing_mails_the_members_in_danish(
    secretariat_user,
    municipality_user,
    capacity_offer,
    dassos,
    dassos_member,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    adjustment = request(municipality_user, capacity_offer, places=12)
    with django_capture_on_commit_callbacks(execute=True):
        services.hearing_open(
            user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
        )
    (mail,) = [m for m in mailoutbox if m.to == ["dorte@randers.dk"]]
    assert mail.subject.startswith("Mailhøring i DASSOS")
    assert "16.03.2026" in mail.subject
    assert f"/kapacitet/{adjustment.pk}/" in mail.body
    assert mail.alternatives[0][1] == "text/html"


def test_affected_municipalities_are_asked_by_mail(
    municipality_user, capacity_offer, randers, django_capture_on_commit_callbacks, mailoutbox
):
    staff = make_user("rikke", email="rikke@randers.dk")
    randers.staff.add(staff)
    make_buyer(capacity_offer, randers)
    with django_capture_on_commit_callbacks(execute=True):
        request(municipality_user, capacity_offer, places=4)
    (mail,) = mailoutbox
    assert mail.to == ["rikke@randers.dk"]
    assert "beder om jeres kommunes vurdering" in mail.subject


def test_a_refused_step_sends_nothing(
    secretariat_user,
    municipality_user,
    capacity_offer,
    randers,
    dassos,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_buyer(capacity_offer, randers)
    adjustment = request(municipality_user, capacity_offer, places=12)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CapacityError):
        services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    assert not Hearing.objects.exists()
    assert not Notification.objects.filter(template="hearing_opened").exists()


# R4: every member is heard ----------------------------------------------------------------


def test_opening_mails_each_of_the_twenty_members_once_and_records_it(
    secretariat_user,
    municipality_user,
    capacity_offer,
    dassos,
    dassos_member,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    assert dassos.members.count() == 19 and dassos.member_region.name == "Region Midtjylland"
    adjustment = request(municipality_user, capacity_offer, places=12)
    with django_capture_on_commit_callbacks(execute=True):
        hearing = services.hearing_open(
            user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
        )
    assert len(mailoutbox) == 20
    addresses = [address for mail in mailoutbox for address in mail.to]
    assert len(set(addresses)) == 20
    assert "r1082@dassos.example" in addresses  # the region's representative
    members = hearing.members.all()
    assert len(members) == 20
    assert all(m.notified_at and m.email in addresses for m in members)
    # The mail says who was notified, at which address.
    assert "Region Midtjylland: Repræsentant for Region Midtjylland <r1082@dassos.example>" in (
        mailoutbox[0].body
    )
    assert hearing.all_notified()


def test_a_member_without_an_address_blocks_opening_until_the_secretariat_says_why(
    secretariat_user,
    municipality_user,
    capacity_offer,
    dassos,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    samsoe = Municipality.objects.get(name="Samsø")
    BodyRepresentative.objects.filter(body=dassos, municipality=samsoe).update(email="")
    adjustment = request(municipality_user, capacity_offer, places=12)
    with pytest.raises(CapacityError, match="ingen e-mailadresse: Samsø"):
        services.hearing_open(
            user=secretariat_user, adjustment=adjustment, body=dassos, today=OPENED
        )
    with pytest.raises(CapacityError, match="Samsø"):
        services.hearing_open(
            user=secretariat_user,
            adjustment=adjustment,
            body=dassos,
            left_out={f"m{samsoe.pk}": "   "},
            today=OPENED,
        )
    adjustment.refresh_from_db()
    assert adjustment.status == "requested" and not Hearing.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        hearing = services.hearing_open(
            user=secretariat_user,
            adjustment=adjustment,
            body=dassos,
            left_out={f"m{samsoe.pk}": "Pladsen er ubesat efter valget."},
            today=OPENED,
        )
    assert len(mailoutbox) == 19
    left_out = hearing.members.get(municipality=samsoe)
    assert (left_out.notified_at, left_out.left_out_reason) == (
        None,
        "Pladsen er ubesat efter valget.",
    )
    assert not hearing.all_notified()
    assert "Samsø" not in {m.name for m in hearing.missing_members()}


def test_an_answer_recorded_by_the_secretariat_counts_like_one_on_the_page(
    hearing, secretariat_user, dassos_member, randers
):
    region = hearing.body.member_region
    response = services.hearing_record_answer(
        user=secretariat_user,
        hearing=hearing,
        region=region,
        answer="objection",
        comment="Regionen ønsker sagen drøftet på mødet.",
        channel="phone",
        respondent="Regionsdirektør Rita Regnsen",
        received_on=day(3),
        today=day(4),
    )
    assert (response.channel, response.respondent, response.received_on) == (
        "phone",
        "Regionsdirektør Rita Regnsen",
        day(3),
    )
    assert response.answered_by == secretariat_user
    assert "Region Midtjylland" not in {m.name for m in hearing.missing_members()}
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    hearing.refresh_from_db()
    assert hearing.outcome == "objection"


def test_answers_recorded_for_every_member_allow_an_early_conclusion(hearing, secretariat_user):
    for member in hearing.members.all():
        services.hearing_record_answer(
            user=secretariat_user,
            hearing=hearing,
            municipality=member.municipality,
            region=member.region,
            answer="support",
            channel="email",
            respondent=member.representative,
            received_on=day(2),
            today=day(2),
        )
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(2))
    hearing.refresh_from_db()
    assert hearing.outcome == "approved"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_on": day(15)}, "svaret kom efter fristen"),
        ({"received_on": day(5), "today": day(4)}, "fremtiden"),
        ({"channel": "page"}, "hvordan svaret blev modtaget"),
        ({"respondent": " "}, "hvem der gav svaret"),
    ],
)
def test_a_recorded_answer_is_refused_when_it_is_late_or_incomplete(
    hearing, secretariat_user, randers, changes, message
):
    fields = {
        "answer": "support",
        "channel": "email",
        "respondent": "Direktør",
        "received_on": day(3),
        "today": day(16),
    } | changes
    with pytest.raises(CapacityError, match=message):
        services.hearing_record_answer(
            user=secretariat_user, hearing=hearing, municipality=randers, **fields
        )
    assert not hearing.responses.exists()


def test_only_the_secretariat_records_an_answer_for_a_member(hearing, dassos_member, randers):
    with pytest.raises(CapacityError, match="sekretariatet"):
        services.hearing_record_answer(
            user=dassos_member,
            hearing=hearing,
            municipality=randers,
            answer="support",
            channel="email",
            respondent="Dorte",
            received_on=day(1),
            today=day(1),
        )


def test_a_concluded_hearing_refuses_late_answers_with_its_date(
    hearing, secretariat_user, dassos_member, randers
):
    services.hearing_conclude(user=secretariat_user, hearing=hearing, today=day(15))
    with pytest.raises(CapacityError, match="afsluttet den 17.03.2026"):
        services.hearing_record_answer(
            user=secretariat_user,
            hearing=hearing,
            municipality=randers,
            answer="objection",
            channel="email",
            respondent="Dorte",
            received_on=day(14),
            today=day(16),
        )
    with pytest.raises(CapacityError, match="afsluttet den 17.03.2026"):
        _answer(dassos_member, hearing, randers, "objection", today=day(14))
