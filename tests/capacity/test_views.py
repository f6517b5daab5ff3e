"""The capacity pages for each role that may and may not see them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import GoverningBody, Meeting
from capacity import services
from capacity.models import CapacityAdjustment
from meetings import services as meeting_services
from tests.capacity.helpers import approve_at_meeting, consult_all, request
from tests.conftest import field_error, make_buyer, make_capacity_offer, make_user

SOON = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def adjustment(municipality_user, capacity_offer, randers):
    make_buyer(capacity_offer, randers)
    return request(municipality_user, capacity_offer, places=12)


@pytest.fixture
def stranger(db):
    """Staff of a municipality that neither operates nor buys: Herning."""
    from agreements.models import Municipality

    user = make_user("hanne")
    Municipality.objects.get(code=657).staff.add(user)
    return user


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# Overview ------------------------------------------------------------------------------


def test_the_secretariat_sees_the_overview_by_status(client, secretariat_user, adjustment):
    response = _get(client, secretariat_user, reverse("capacity:overview"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Til fordeling: afventer møde eller mailhøring (1)" in body
    assert adjustment.offer.name in body
    assert "1 kontakt ikke registreret" in body


@pytest.mark.parametrize("persona", ["municipality_user", "provider_leader", "dassos_member"])
def test_others_do_not_see_the_overview(db, client, request, persona):
    user = request.getfixturevalue(persona)
    assert _get(client, user, reverse("capacity:overview")).status_code == 404


def test_the_overview_shows_days_left_of_a_hearing(
    client, secretariat_user, municipality_user, adjustment, dassos
):
    consult_all(municipality_user, adjustment)
    services.hearing_open(
        user=secretariat_user,
        adjustment=adjustment,
        body=dassos,
        today=datetime.date.today() - datetime.timedelta(4),
    )
    body = _get(client, secretariat_user, reverse("capacity:overview")).content.decode()
    assert "10 dage tilbage" in body


def test_the_overview_warns_of_small_adjustments_adding_up(
    client, secretariat_user, capacity_offer
):
    request(secretariat_user, capacity_offer, places=6)
    request(secretariat_user, capacity_offer, places=6)
    body = _get(client, secretariat_user, reverse("capacity:overview")).content.decode()
    assert "Advarsel: 12 pladser inden for 12 måneder uden godkendelse" in body


def test_the_overview_does_not_warn_for_six_and_four(client, secretariat_user, capacity_offer):
    request(secretariat_user, capacity_offer, places=6)
    request(secretariat_user, capacity_offer, places=4)
    body = _get(client, secretariat_user, reverse("capacity:overview")).content.decode()
    assert "Advarsel" not in body


def test_the_overviews_query_count_does_not_grow_with_rows(
    client, secretariat_user, capacity_offer
):
    client.force_login(secretariat_user)
    request(secretariat_user, capacity_offer, places=2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("capacity:overview"))
    for _ in range(5):
        request(secretariat_user, make_capacity_offer(), places=2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("capacity:overview"))
    assert len(many) == len(few)


# The adjustment page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "step"),
    [
        ("secretariat_user", "Registrér kontakten"),
        ("municipality_user", "Registrér kontakten"),
        ("other_municipality_user", "Send dit svar"),
    ],
)
def test_the_adjustment_page_shows_the_viewers_next_step(
    client, request, adjustment, persona, step
):
    user = request.getfixturevalue(persona)
    response = _get(client, user, reverse("capacity:adjustment", args=[adjustment.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Næste skridt" in body
    assert step in body
    assert "Historik" in body


def test_the_provider_leader_reads_their_offers_adjustment(client, municipality_user, provider):
    from tests.conftest import make_user as new_user

    leader = new_user("lone")
    provider.leaders.add(leader)
    offer = make_capacity_offer()
    offer.provider = provider
    offer.save()
    adjustment = request(municipality_user, offer, places=3)
    response = _get(client, leader, reverse("capacity:adjustment", args=[adjustment.pk]))
    assert response.status_code == 200
    assert "Du har ikke noget at gøre i sagen nu." in response.content.decode()


def test_an_unrelated_municipality_gets_404(client, stranger, adjustment):
    url = reverse("capacity:adjustment", args=[adjustment.pk])
    assert _get(client, stranger, url).status_code == 404


def test_anonymous_users_are_sent_to_login(client, adjustment):
    response = client.get(reverse("capacity:adjustment", args=[adjustment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_body_member_sees_and_answers_a_hearing(
    client, secretariat_user, municipality_user, adjustment, dassos, dassos_member, randers
):
    consult_all(municipality_user, adjustment)
    services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    url = reverse("capacity:adjustment", args=[adjustment.pk])
    body = _get(client, dassos_member, url).content.decode()
    assert "Svar på mailhøringen senest" in body
    response = client.post(
        reverse("capacity:answer_hearing", args=[adjustment.pk]),
        {"member": f"m{randers.pk}", "answer": "support", "comment": ""},
    )
    assert response.status_code == 302
    assert adjustment.hearing.responses.get().municipality == randers


def test_a_body_member_cannot_answer_for_another_municipality_on_the_page(
    client, secretariat_user, municipality_user, adjustment, dassos, dassos_member, aarhus
):
    consult_all(municipality_user, adjustment)
    services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    client.force_login(dassos_member)
    response = client.post(
        reverse("capacity:answer_hearing", args=[adjustment.pk]),
        {"member": f"m{aarhus.pk}", "answer": "objection"},
        follow=True,
    )
    assert "Vælg et medlem af høringen." in response.content.decode()
    assert not adjustment.hearing.responses.exists()


def test_a_municipality_answers_its_consultation_on_the_page(
    client, other_municipality_user, adjustment, randers
):
    client.force_login(other_municipality_user)
    response = client.post(
        reverse("capacity:answer_consultation", args=[adjustment.pk]),
        {"municipality": randers.pk, "answer": "concerns", "comment": "Vi mangler pladser"},
        follow=True,
    )
    assert "Din kommunes svar er registreret." in response.content.decode()
    assert adjustment.consultations.get().answer == "concerns"


def answer_consultation(client, user, adjustment, data: dict, **options):
    client.force_login(user)
    return client.post(
        reverse("capacity:answer_consultation", args=[adjustment.pk]), data, **options
    )


def test_a_municipality_cannot_answer_for_another_on_the_page(
    client, municipality_user, adjustment, randers
):
    response = answer_consultation(
        client,
        municipality_user,
        adjustment,
        {"municipality": randers.pk, "answer": "agrees"},
        follow=True,
    )
    # Only the user's own municipality is a choice of the form.
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert adjustment.consultations.get().answer == ""


def test_another_secretariats_meeting_is_no_choice_when_routing_on_the_page(
    client, secretariat_user, municipality_user, adjustment, copenhagen_agreement
):
    consult_all(municipality_user, adjustment)
    other = Meeting.objects.create(
        body=GoverningBody.objects.get(agreement=copenhagen_agreement),
        date=datetime.date.today() + datetime.timedelta(days=10),
    )
    client.force_login(secretariat_user)
    response = client.post(
        reverse("capacity:route_to_meeting", args=[adjustment.pk]),
        {"meeting": other.pk},
        follow=True,
    )
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.meeting is None
    assert adjustment.status == CapacityAdjustment.Status.REQUESTED


@pytest.mark.parametrize(
    "name", ["carry_out", "route_to_meeting", "open_hearing", "record_decision", "conclude_hearing"]
)
def test_secretariat_steps_are_404_for_municipalities(client, municipality_user, adjustment, name):
    client.force_login(municipality_user)
    response = client.post(reverse(f"capacity:{name}", args=[adjustment.pk]), {})
    assert response.status_code == 404


def test_a_refused_step_says_why_in_danish_and_changes_nothing(
    client, secretariat_user, municipality_user, capacity_offer, randers
):
    make_buyer(capacity_offer, randers)
    small = request(municipality_user, capacity_offer, places=4)
    client.force_login(secretariat_user)
    response = client.post(reverse("capacity:carry_out", args=[small.pk]), follow=True)
    body = response.content.decode()
    assert "Driftskommunen skal først kontakte alle berørte kommuner" in body
    assert "Der er ikke registreret kontakt med: Randers." in body
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 20


def test_the_secretariat_routes_carries_out_through_the_pages(
    client, secretariat_user, municipality_user, adjustment, dassos, capacity_offer
):
    consult_all(municipality_user, adjustment)
    meeting = Meeting.objects.create(body=dassos, date=datetime.date.today())
    client.force_login(secretariat_user)
    url = reverse("capacity:adjustment", args=[adjustment.pk])
    assert "Sæt på dagsordenen" in client.get(url).content.decode()
    client.post(reverse("capacity:route_to_meeting", args=[adjustment.pk]), {"meeting": meeting.pk})
    assert "Registrér mødets beslutning" in client.get(url).content.decode()
    client.post(
        reverse("capacity:record_decision", args=[adjustment.pk]),
        {"decision": "approved", "grounds": "Enig"},
    )
    assert "Gennemfør justeringen" in client.get(url).content.decode()
    client.post(reverse("capacity:carry_out", args=[adjustment.pk]))
    capacity_offer.refresh_from_db()
    assert capacity_offer.approved_places == 32
    assert CapacityAdjustment.objects.get().status == "carried_out"


# Meetings ------------------------------------------------------------------------------


def test_the_agenda_lists_items_with_the_facts_a_member_needs(
    client, secretariat_user, municipality_user, adjustment, dassos, dassos_member
):
    consult_all(municipality_user, adjustment)
    meeting = Meeting.objects.create(
        body=dassos, date=datetime.date.today() + datetime.timedelta(9)
    )
    services.adjustment_route_to_meeting(
        user=secretariat_user, adjustment=adjustment, meeting=meeting
    )
    meeting_services.agenda_send(user=secretariat_user, meeting=meeting)  # released to members
    for user in (secretariat_user, dassos_member):
        response = _get(client, user, reverse("meetings:meeting", args=[meeting.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Dagsorden: DASSOS" in body
        assert adjustment.offer.name in body
        assert "20 → 32 (+12)" in body
        assert '<th scope="row">Randers</th>' in body
        assert "Aarhus" in body
    listing = _get(client, dassos_member, reverse("meetings:calendar")).content.decode()
    assert meeting.date.strftime("%d.%m.%Y") in listing


def test_the_old_agenda_addresses_lead_to_the_meetings_pages(
    client, secretariat_user, dassos, municipality_user
):
    meeting = Meeting.objects.create(body=dassos, date=datetime.date.today())
    old = reverse("capacity:meeting", args=[meeting.pk])
    assert _get(client, secretariat_user, old).url == reverse("meetings:meeting", args=[meeting.pk])
    assert _get(client, secretariat_user, reverse("capacity:meetings")).url == reverse(
        "meetings:calendar"
    )
    assert _get(client, municipality_user, old).status_code == 404


@pytest.mark.parametrize("persona", ["municipality_user", "provider_leader"])
def test_the_agenda_is_404_for_those_outside_the_body(client, request, dassos, persona):
    meeting = Meeting.objects.create(body=dassos, date=datetime.date.today())
    user = request.getfixturevalue(persona)
    assert _get(client, user, reverse("meetings:meeting", args=[meeting.pk])).status_code == 404


# Requesting ------------------------------------------------------------------------------


def test_the_operator_asks_for_an_adjustment(client, municipality_user, capacity_offer):
    client.force_login(municipality_user)
    mine = client.get(reverse("capacity:mine")).content.decode()
    assert reverse("capacity:request", args=[capacity_offer.pk]) in mine
    url = reverse("capacity:request", args=[capacity_offer.pk])
    assert "Anmod om kapacitetsjustering" in client.get(url).content.decode()
    response = client.post(
        url,
        {"kind": "decrease", "places": "2", "effective_on": SOON, "reason": "Færre"},
    )
    adjustment = CapacityAdjustment.objects.get()
    assert response["Location"] == reverse("capacity:adjustment", args=[adjustment.pk])
    assert adjustment.change == -2


def test_a_refused_request_is_shown_on_the_form(client, municipality_user):
    offer = make_capacity_offer(places=3)
    client.force_login(municipality_user)
    response = client.post(
        reverse("capacity:request", args=[offer.pk]),
        {"kind": "decrease", "places": "3", "effective_on": SOON, "reason": "Ingen"},
    )
    assert response.status_code == 200
    assert "anmod i stedet om en lukning" in response.content.decode()
    assert not CapacityAdjustment.objects.exists()


def test_another_municipality_cannot_open_the_request_page(
    client, other_municipality_user, capacity_offer
):
    url = reverse("capacity:request", args=[capacity_offer.pk])
    assert _get(client, other_municipality_user, url).status_code == 404


def test_a_municipality_sees_the_consultations_it_must_answer(
    client, other_municipality_user, adjustment
):
    body = _get(client, other_municipality_user, reverse("capacity:mine")).content.decode()
    assert adjustment.offer.name in body
    assert "for Randers" in body


def test_a_provider_leader_has_no_task_page(client, provider_leader):
    assert _get(client, provider_leader, reverse("capacity:mine")).status_code == 404


def test_the_meeting_list_is_404_for_municipality_staff(client, municipality_user):
    assert _get(client, municipality_user, reverse("meetings:calendar")).status_code == 404


def test_the_adjustment_pages_query_count_does_not_grow_with_consultations(
    client, secretariat_user, municipality_user, capacity_offer, randers
):
    from agreements.models import Municipality

    make_buyer(capacity_offer, randers)
    adjustment = request(municipality_user, capacity_offer, places=12)
    client.force_login(secretariat_user)
    url = reverse("capacity:adjustment", args=[adjustment.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in (791, 657, 661, 740):
        municipality = Municipality.objects.get(code=code)
        services.adjustment_add_affected_municipality(
            user=secretariat_user, adjustment=adjustment, municipality=municipality
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) <= len(few)


def test_the_adjustment_page_still_renders_when_the_agreement_has_expired(
    client, secretariat_user, municipality_user, adjustment, midtjylland
):
    from agreements.models import FrameworkAgreement

    consult_all(municipality_user, adjustment)
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(status="expired")
    url = reverse("capacity:adjustment", args=[adjustment.pk])
    assert _get(client, secretariat_user, url).status_code == 200


def test_a_closed_offer_can_be_asked_to_open_again(client, municipality_user):
    offer = make_capacity_offer(
        places=0, opened_on=datetime.date(2010, 1, 1), closed_on=datetime.date(2020, 1, 1)
    )
    client.force_login(municipality_user)
    response = client.post(
        reverse("capacity:request", args=[offer.pk]),
        {"kind": "opening", "places": "5", "effective_on": SOON, "reason": "Genåbning"},
    )
    assert response.status_code == 302
    assert CapacityAdjustment.objects.get().kind == "opening"


def test_the_municipalitys_page_query_count_does_not_grow_with_rows(
    client, municipality_user, other_municipality_user, randers
):
    def make_rows():
        offer = make_capacity_offer()
        make_buyer(offer, randers)
        request(municipality_user, offer, places=2)

    make_rows()
    for user in (municipality_user, other_municipality_user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("capacity:mine")).status_code == 200
        for _ in range(4):
            make_rows()
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("capacity:mine")).status_code == 200
        assert len(many) == len(few)


def test_the_agendas_query_count_does_not_grow_with_items(
    client, secretariat_user, municipality_user, randers, dassos_meeting
):
    def put_on_agenda():
        offer = make_capacity_offer()
        make_buyer(offer, randers)
        adjustment = request(municipality_user, offer, places=12)
        consult_all(municipality_user, adjustment)
        services.adjustment_route_to_meeting(
            user=secretariat_user, adjustment=adjustment, meeting=dassos_meeting
        )

    put_on_agenda()
    client.force_login(secretariat_user)
    url = reverse("meetings:meeting", args=[dassos_meeting.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        put_on_agenda()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="agenda-item"') == 5
    assert len(many) == len(few)


# R4: every member heard, on the page ---------------------------------------------------------


def test_before_opening_the_page_shows_members_without_an_address_in_red(
    client, secretariat_user, municipality_user, adjustment, dassos
):
    from agreements.models import BodyRepresentative, Municipality

    consult_all(municipality_user, adjustment)
    samsoe = Municipality.objects.get(name="Samsø")
    BodyRepresentative.objects.filter(body=dassos, municipality=samsoe).update(email="")
    body = _get(client, secretariat_user, reverse("capacity:adjustment", args=[adjustment.pk]))
    html = body.content.decode()
    assert '<tr class="member-without-address"><th scope="row">Samsø</th>' in html
    assert f'name="left_out_{dassos.pk}_m{samsoe.pk}"' in html
    assert f"left_out_{dassos.pk}_m{Municipality.objects.get(code=730).pk}" not in html
    assert "Hvorfor Samsø udelades af høringen" in html
    assert "r1082@dassos.example" in html  # the region is listed with its address

    response = client.post(
        reverse("capacity:open_hearing", args=[adjustment.pk]), {"body": dassos.pk}, follow=True
    )
    assert "ingen e-mailadresse: Samsø" in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.status == "requested"

    response = client.post(
        reverse("capacity:open_hearing", args=[adjustment.pk]),
        {
            "body": dassos.pk,
            f"left_out_{dassos.pk}_m{samsoe.pk}": "Ingen repræsentant udpeget.",
        },
        follow=True,
    )
    html = response.content.decode()
    # The mails leave after the commit: until the mail server took them they wait.
    assert "Mailhøringen er åbnet. E-mailene til 19 medlemmer venter på at blive sendt" in html
    assert "Ikke underrettet: Samsø." in html
    assert "medlemmerne har fået besked" not in html
    assert "Ikke underrettet</span>: Ingen repræsentant udpeget." in html


def test_when_every_member_was_notified_the_page_says_so(
    client,
    secretariat_user,
    municipality_user,
    adjustment,
    dassos,
    django_capture_on_commit_callbacks,
):
    consult_all(municipality_user, adjustment)
    client.force_login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("capacity:open_hearing", args=[adjustment.pk]), {"body": dassos.pk})
    # Each mail was accepted by the mail server (here Django's test outbox).
    html = client.get(reverse("capacity:adjustment", args=[adjustment.pk])).content.decode()
    assert "Alle medlemmer har fået besked pr. e-mail." in html
    assert "r1082@dassos.example" in html


def test_the_secretariat_records_a_members_answer_on_the_page(
    client, secretariat_user, municipality_user, adjustment, dassos, randers
):
    consult_all(municipality_user, adjustment)
    services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    client.force_login(secretariat_user)
    response = client.post(
        reverse("capacity:record_hearing_answer", args=[adjustment.pk]),
        {
            "member": f"m{randers.pk}",
            "answer": "objection",
            "channel": "meeting",
            "respondent": "Direktør Dorte",
            "received_on": datetime.date.today().isoformat(),
            "comment": "Sagt på KKR-mødet.",
        },
        follow=True,
    )
    assert "Medlemmets svar er registreret." in response.content.decode()
    answer = adjustment.hearing.responses.get()
    assert (answer.municipality, answer.channel, answer.respondent) == (
        randers,
        "meeting",
        "Direktør Dorte",
    )


def test_a_body_member_cannot_record_answers_for_others(
    client, secretariat_user, municipality_user, adjustment, dassos, dassos_member, randers
):
    consult_all(municipality_user, adjustment)
    services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    client.force_login(dassos_member)
    response = client.post(
        reverse("capacity:record_hearing_answer", args=[adjustment.pk]),
        {"member": f"m{randers.pk}", "answer": "support", "channel": "email"},
    )
    assert response.status_code in (403, 404)
    assert not adjustment.hearing.responses.exists()


def test_the_workflow_forms_use_the_design_systems_fields(
    client, secretariat_user, municipality_user, adjustment, dassos
):
    consult_all(municipality_user, adjustment)
    body = _get(
        client, secretariat_user, reverse("capacity:adjustment", args=[adjustment.pk])
    ).content.decode()
    assert '<select name="meeting" class="form-select"' in body or 'class="form-select" ' in body
    assert '<select name="body" class="form-select"' in body
    assert '<select name="municipality" class="form-select"' in body


def test_a_request_for_no_places_is_refused_once_beside_the_places_and_keeps_what_was_typed(
    client, municipality_user, capacity_offer
):
    client.force_login(municipality_user)
    response = client.post(
        reverse("capacity:request", args=[capacity_offer.pk]),
        {"kind": "increase", "places": "0", "effective_on": "2099-01-01", "reason": "Flere børn"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_places") == (
        "Antal pladser",
        "Denne værdi skal være større end eller lig 1.",
    )
    assert html.count('id="id_places_error"') == 1
    assert "Flere børn</textarea>" in html
    assert 'value="2099-01-01"' in html
    assert not CapacityAdjustment.objects.exists()


def test_a_request_taking_effect_in_the_past_is_refused_beside_the_date_and_keeps_what_was_typed(
    client, municipality_user, capacity_offer
):
    client.force_login(municipality_user)
    response = client.post(
        reverse("capacity:request", args=[capacity_offer.pk]),
        {"kind": "increase", "places": "11", "effective_on": "2020-01-01", "reason": "Flere børn"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_effective_on") == (
        "Gælder fra",
        "En justering træder i kraft i dag eller senere, ikke i fortiden.",
    )
    assert 'value="11"' in html
    assert "Flere børn</textarea>" in html
    assert not CapacityAdjustment.objects.exists()


def test_a_request_counts_an_approved_adjustment_not_yet_carried_out_and_warns(
    client, secretariat_user, municipality_user
):
    offer = make_capacity_offer(places=28)
    approved = approve_at_meeting(secretariat_user, request(municipality_user, offer, places=12))
    client.force_login(municipality_user)

    page = client.get(reverse("capacity:request", args=[offer.pk])).content.decode()
    assert "Godkendte justeringer af tilbuddet er endnu ikke gennemført" in page
    assert reverse("capacity:adjustment", args=[approved.pk]) in page
    assert "Med dem har tilbuddet 40 pladser." in page

    new = request(municipality_user, offer, places=11)
    page = client.get(reverse("capacity:adjustment", args=[new.pk])).content.decode()
    assert "28 → 39 (+11)" in page
    assert "Med dem har tilbuddet 51 pladser." in page


def test_a_request_without_approved_adjustments_to_come_has_no_warning(
    client, municipality_user, capacity_offer
):
    client.force_login(municipality_user)
    page = client.get(reverse("capacity:request", args=[capacity_offer.pk])).content.decode()
    assert "endnu ikke gennemført" not in page


def test_a_consultation_answer_is_not_chosen_in_advance(
    client, other_municipality_user, adjustment
):
    client.force_login(other_municipality_user)
    page = client.get(reverse("capacity:adjustment", args=[adjustment.pk])).content.decode()
    assert 'name="answer"' in page
    assert not re.search(r'<input[^>]*name="answer"[^>]*checked', page)


def test_a_consultation_answer_without_an_answer_is_refused_beside_it_and_keeps_the_comment(
    client, other_municipality_user, adjustment, randers
):
    response = answer_consultation(
        client,
        other_municipality_user,
        adjustment,
        {"municipality": randers.pk, "comment": "Vi mangler pladser"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_answer") == ("Din kommunes svar", "Dette felt er påkrævet.")
    assert "Vi mangler pladser</textarea>" in html
    assert adjustment.consultations.get().answer == ""
