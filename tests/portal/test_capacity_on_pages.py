"""Capacity adjustments on the pages: what waits for a municipality's answer,
what the secretariat must route, hearings running and due; 404 for another
municipality's consultations."""

import datetime

from django.urls import reverse

from agreements.models import GoverningBody, Municipality
from capacity import services
from capacity.models import Hearing
from tests.conftest import make_adjustment, make_offer, make_provider, seat_every_member


def _municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def _dassos() -> GoverningBody:
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    seat_every_member(body)
    return body


def test_municipality_sees_the_consultation_waiting_for_its_answer(
    client, municipality_user, secretariat_user, aarhus, randers, other_offer
):
    waiting = make_adjustment(
        other_offer, user=secretariat_user, consulted=(aarhus,), recorded=False
    )
    client.force_login(municipality_user)
    body = client.get(reverse("portal:municipality")).content.decode()
    assert reverse("capacity:adjustment", args=[waiting.pk]) in body
    assert "Henvendelse om" in body
    assert other_offer.name in body


def test_an_answered_or_withdrawn_consultation_no_longer_waits(
    client, municipality_user, secretariat_user, aarhus, other_offer
):
    answered = make_adjustment(
        other_offer, user=secretariat_user, consulted=(aarhus,), recorded=False
    )
    withdrawn = make_adjustment(
        other_offer, user=secretariat_user, consulted=(aarhus,), recorded=False
    )
    client.force_login(municipality_user)
    url = reverse("portal:municipality")
    waiting = {c.adjustment_id for c in client.get(url).context["consultations"]}
    assert waiting == {answered.pk, withdrawn.pk}
    services.consultation_answer(
        user=municipality_user, adjustment=answered, municipality=aarhus, answer="agrees"
    )
    services.adjustment_withdraw(user=secretariat_user, adjustment=withdrawn)
    assert list(client.get(url).context["consultations"]) == []


def test_municipality_gets_404_for_another_municipalitys_consultation(
    client, municipality_user, secretariat_user, randers, other_offer
):
    # Only Randers (the operator) and Viborg are involved; Aarhus is not.
    from agreements.models import Municipality

    viborg = Municipality.objects.get(code=791)
    adjustment = make_adjustment(
        other_offer, user=secretariat_user, consulted=(viborg,), recorded=False
    )
    client.force_login(municipality_user)
    assert client.get(reverse("capacity:adjustment", args=[adjustment.pk])).status_code == 404
    body = client.get(reverse("portal:municipality")).content.decode()
    assert reverse("capacity:adjustment", args=[adjustment.pk]) not in body


def test_municipality_may_ask_for_an_adjustment_of_the_offers_it_operates(
    client, municipality_user, offer, other_offer
):
    client.force_login(municipality_user)
    body = client.get(reverse("portal:municipality")).content.decode()
    assert reverse("capacity:request", args=[offer.pk]) in body  # operated by Aarhus
    assert reverse("capacity:request", args=[other_offer.pk]) not in body


def test_body_member_sees_the_hearing_waiting_for_their_answer(
    client, body_member_user, secretariat_user
):
    adjustment = make_adjustment(user=secretariat_user)
    services.hearing_open(user=secretariat_user, adjustment=adjustment, body=_dassos())
    client.force_login(body_member_user)
    body = client.get(reverse("portal:municipality")).content.decode()
    assert reverse("capacity:adjustment", args=[adjustment.pk]) in body
    assert "14 dage" in body


def test_a_hearing_the_body_member_has_answered_no_longer_waits(
    client, body_member_user, secretariat_user, randers
):
    adjustment = make_adjustment(user=secretariat_user)
    hearing = services.hearing_open(user=secretariat_user, adjustment=adjustment, body=_dassos())
    client.force_login(body_member_user)
    url = reverse("portal:municipality")
    assert list(client.get(url).context["hearings"]) == [hearing]
    services.hearing_answer(
        user=body_member_user, hearing=hearing, municipality=randers, answer="support"
    )
    assert list(client.get(url).context["hearings"]) == []


def test_dashboard_lists_adjustments_to_route_hearings_running_and_due(client, secretariat_user):
    to_route = make_adjustment(user=secretariat_user)
    running = make_adjustment(user=secretariat_user)
    services.hearing_open(user=secretariat_user, adjustment=running, body=_dassos())
    due = make_adjustment(user=secretariat_user)
    services.hearing_open(
        user=secretariat_user,
        adjustment=due,
        body=_dassos(),
        today=datetime.date.today() - datetime.timedelta(days=20),
    )
    small = make_adjustment(user=secretariat_user, places=3)
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:dashboard"))
    assert list(response.context["to_route"]) == [to_route]
    assert list(response.context["hearings_running"]) == [running]
    assert list(response.context["hearings_due"]) == [due]
    assert small in response.context["to_carry_out"]
    body = response.content.decode()
    for adjustment in (to_route, running, due, small):
        assert reverse("capacity:adjustment", args=[adjustment.pk]) in body
    assert "14 dage" in body
    assert "6 dage overskredet" in body
    # Each table's total and full list agree with its rows.
    for key in ("hearings_running", "hearings_due"):
        assert response.context[key].total == 1
        listed = client.get(response.context[f"{key}_url"]).context["listing"]
        assert list(listed.rows) == list(response.context[key]), key


def test_the_dashboard_says_see_all_only_under_a_table_with_rows(client, secretariat_user):
    running = make_adjustment(user=secretariat_user)
    services.hearing_open(user=secretariat_user, adjustment=running, body=_dassos())
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:dashboard"))
    body = response.content.decode()
    assert response.context["hearings_due"].total == 0
    assert response.context["hearings_running_url"].replace("&", "&amp;") in body
    assert response.context["hearings_due_url"].replace("&", "&amp;") not in body


def test_dashboard_shows_a_meetings_capacity_items(client, secretariat_user):
    from agreements.models import Meeting

    meeting = Meeting.objects.create(
        body=_dassos(), date=datetime.date.today() + datetime.timedelta(days=20)
    )
    adjustment = make_adjustment(user=secretariat_user)
    services.adjustment_route_to_meeting(
        user=secretariat_user, adjustment=adjustment, meeting=meeting
    )
    client.force_login(secretariat_user)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("meetings:meeting", args=[meeting.pk]) in body
    assert reverse("capacity:adjustment", args=[adjustment.pk]) in body


def test_leader_sees_adjustments_and_hearing_deadlines_of_their_offers(
    client, provider_leader, provider, secretariat_user
):
    offer = make_offer(provider)
    adjustment = make_adjustment(offer, user=secretariat_user)
    hearing = services.hearing_open(user=secretariat_user, adjustment=adjustment, body=_dassos())
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_provider", args=[provider.pk])).content.decode()
    assert reverse("capacity:adjustment", args=[adjustment.pk]) in body
    assert f"{hearing.deadline:%d.%m.%Y}" in body
    assert Hearing.objects.count() == 1


def test_waiting_consultations_show_the_answer_deadline_and_days_left(
    client, municipality_user, secretariat_user, aarhus, other_offer
):
    waiting = make_adjustment(
        other_offer, user=secretariat_user, consulted=(aarhus,), recorded=False
    )
    answers_by = datetime.date.today() + datetime.timedelta(days=14)
    assert waiting.answers_by == answers_by  # the hearing's 14 days by default
    client.force_login(municipality_user)
    body = client.get(reverse("portal:municipality")).content.decode()
    row = body[body.index(reverse("capacity:adjustment", args=[waiting.pk])) :]
    row = row[: row.index("</tr>")]
    assert f"{answers_by:%d.%m.%Y}" in row
    assert "14 dage" in row
    assert f"{waiting.effective_on:%d.%m.%Y}" not in row


def test_the_operator_sets_the_date_to_answer_by(municipality_user, capacity_offer):
    day = datetime.date.today() + datetime.timedelta(days=5)
    adjustment = services.adjustment_request(
        user=municipality_user,
        offer=capacity_offer,
        kind="increase",
        places=3,
        effective_on=datetime.date.today(),
        reason="Behov",
        answers_by=day,
    )
    assert adjustment.answers_by == day


# An offer's page and the offer list's search ----------------------------------------------


def test_the_offer_page_shows_the_provider_its_operator_and_the_actions(
    client, municipality_user, offer, provider_leader, midtjylland
):
    offer.framework_agreements.add(midtjylland)
    url = reverse("portal:offer_capacity", args=[offer.pk])
    request_url = reverse("capacity:request", args=[offer.pk])
    client.force_login(municipality_user)
    page = client.get(url).content.decode()
    assert offer.provider.name in page
    assert offer.provider.cvr in page
    assert "<dd>Aarhus</dd>" in page
    assert midtjylland.name in page
    assert request_url in page
    assert f"{reverse('capacity:list')}?offer={offer.pk}" in page
    # A leader reads the same facts but asks for no adjustment.
    client.force_login(provider_leader)
    page = client.get(url).content.decode()
    assert offer.provider.name in page
    assert request_url not in page


def test_the_offer_list_is_searched_by_operating_municipality(client, municipality_user, offer):
    make_offer(
        make_provider(name="Bostedet Solsikken", operating_municipality=_municipality("Herning")),
        name="Solsikken",
    )
    client.force_login(municipality_user)
    page = client.get(reverse("portal:offers"), {"q": "Herning"}).content.decode()
    assert "Solsikken" in page
    assert offer.name not in page


def test_an_offer_numbered_above_a_thousand_is_linked_by_its_number_unlocalised(
    client, municipality_user, offer
):
    numbered = make_offer(offer.provider, id=1013)
    client.force_login(municipality_user)
    page = client.get(reverse("portal:offer_capacity", args=[numbered.pk])).content.decode()
    assert f"{reverse('capacity:list')}?offer=1013" in page
    assert "offer=1.013" not in page
