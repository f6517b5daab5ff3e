"""The meetings' calendar feed: a body member's meetings (and the annual cycle
for the secretariat) from a month back to a year ahead, found by a secret in
its address; its page is for the secretariat and body members only."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from agreements.models import CycleDeadline, GoverningBody
from portal.models import CalendarFeed
from tests.meetings.conftest import TODAY, make_meeting

pytestmark = pytest.mark.django_db


def _seat_body(user) -> GoverningBody:
    return user.body_seats.get().body


def _feed(client, user) -> Calendar:
    token = CalendarFeed.for_user(user).token
    return Calendar.from_ical(
        client.get(reverse("portal:meetings_calendar_feed", args=[token])).content
    )


def test_the_meetings_feed_parses_and_holds_the_members_meetings_only(client, body_member_user):
    dassos = _seat_body(body_member_user)
    mine = make_meeting(dassos, 20, starts_at=datetime.time(9, 0), ends_at=datetime.time(12, 0))
    make_meeting(GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE), 21)
    make_meeting(dassos, 400)  # beyond the year ahead
    make_meeting(dassos, -40)  # more than a month back
    token = CalendarFeed.for_user(body_member_user).token

    response = client.get(reverse("portal:meetings_calendar_feed", args=[token]))

    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [f"meeting-{mine.pk}@rammeaftale"]
    assert events[0].decoded("dtstart").hour == 9
    assert response["Content-Type"].startswith("text/calendar")


def test_the_secretariats_feed_holds_the_annual_cycle(client, secretariat_user, midtjylland):
    CycleDeadline.objects.create(
        agreement=midtjylland,
        title="Takstindberetning",
        kind="tariffs",
        due_on=TODAY + datetime.timedelta(days=30),
    )

    calendar = _feed(client, secretariat_user)

    assert any("Takstindberetning" in str(event["summary"]) for event in calendar.walk("VEVENT"))


def test_an_unknown_token_or_a_user_without_a_seat_gets_404(client, municipality_user):
    feed = "portal:meetings_calendar_feed"
    assert client.get(reverse(feed, args=["ukendt"])).status_code == 404
    token = CalendarFeed.for_user(municipality_user).token
    assert client.get(reverse(feed, args=[token])).status_code == 404


@pytest.mark.parametrize(
    ("days", "included"), [(-31, True), (-32, False), (366, True), (367, False)]
)
def test_the_meetings_feed_window_boundaries(client, body_member_user, days, included):
    meeting = make_meeting(_seat_body(body_member_user), days)

    calendar = _feed(client, body_member_user)

    uids = [str(event["uid"]) for event in calendar.walk("VEVENT")]
    assert (f"meeting-{meeting.pk}@rammeaftale" in uids) is included


def test_the_feed_page_is_404_for_those_without_a_seat(client, municipality_user, provider_leader):
    for user in (municipality_user, provider_leader):
        client.force_login(user)
        assert client.get(reverse("portal:meetings_feed_page")).status_code == 404


def test_the_feed_keeps_its_address_under_the_meetings_pages(client, body_member_user):
    client.force_login(body_member_user)
    token = CalendarFeed.for_user(body_member_user).token

    response = client.get("/moeder/kalender/")

    assert response.status_code == 200
    assert f"/moeder/kalender/{token}.ics" in response.content.decode()


def test_a_new_address_makes_the_old_one_404(client, body_member_user):
    client.force_login(body_member_user)
    old = CalendarFeed.for_user(body_member_user).token

    client.post(reverse("portal:meetings_feed_page"))

    assert client.get(reverse("portal:meetings_calendar_feed", args=[old])).status_code == 404
    new = CalendarFeed.for_user(body_member_user).token
    assert client.get(reverse("portal:meetings_calendar_feed", args=[new])).status_code == 200


def test_the_secretariats_feed_holds_its_own_annual_cycle_only(
    client, secretariat_user, midtjylland, copenhagen_agreement
):
    for agreement, title in ((midtjylland, "Takstindberetning"), (copenhagen_agreement, "Anden")):
        CycleDeadline.objects.create(
            agreement=agreement,
            title=title,
            kind="tariffs",
            due_on=TODAY + datetime.timedelta(days=30),
        )

    summaries = [str(event["summary"]) for event in _feed(client, secretariat_user).walk("VEVENT")]

    assert any("Takstindberetning" in summary for summary in summaries)
    assert not any("Anden" in summary for summary in summaries)
