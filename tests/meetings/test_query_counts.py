"""The calendar, the agenda and the decision register answer in the same
number of queries at 10 and at 200 meetings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Meeting
from meetings.models import AgendaItem, Document
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(body, user, start: int, count: int) -> Meeting:
    """`count` held meetings, each with three decided items and a document."""
    meetings = Meeting.objects.bulk_create(
        Meeting(body=body, date=TODAY + datetime.timedelta(days=start + n), location="Viborg")
        for n in range(count)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            kind="orientation",
            title=f"Punkt {position}",
            outcome="noted",
            decision="Taget til efterretning.",
        )
        for meeting in meetings
        for position in (1, 2, 3)
    )
    Document.objects.bulk_create(
        Document(
            agenda_item=item,
            title="Bilag",
            file="documents/x.pdf",
            filename="bilag.pdf",
            kind="pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=user,
        )
        for item in items
    )
    return meetings[0]


@pytest.mark.parametrize("who", ["secretariat_user", "body_member_user"])
def test_calendar_and_decision_register_do_not_grow_from_10_to_200_meetings(
    client, request, dassos, secretariat_user, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    _grow(dassos, secretariat_user, -300, 5)
    _grow(dassos, secretariat_user, 1, 5)
    small = [
        _queries(client, reverse(name)) for name in ("meetings:calendar", "meetings:decisions")
    ]

    _grow(dassos, secretariat_user, -200, 95)
    _grow(dassos, secretariat_user, 10, 95)
    large = [
        _queries(client, reverse(name)) for name in ("meetings:calendar", "meetings:decisions")
    ]

    assert small == large
    assert max(large) <= 15


@pytest.mark.parametrize("who", ["secretariat_user", "body_member_user"])
def test_the_agenda_does_not_grow_with_items_and_documents(
    client, request, dassos, secretariat_user, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    small = _grow(dassos, secretariat_user, -5, 1)
    few = _queries(client, reverse("meetings:meeting", args=[small.pk]))

    big = _grow(dassos, secretariat_user, -400, 1)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=big, position=n, kind="discussion", title=f"Drøftelse {n}")
        for n in range(4, 60)
    )
    many = _queries(client, reverse("meetings:meeting", args=[big.pk]))

    assert few == many
    # The secretariat's page holds the review, the disqualifications and the
    # changes after release besides the agenda and the minutes.
    assert many <= 22
