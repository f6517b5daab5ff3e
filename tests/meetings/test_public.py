"""The open meeting pages without login: released agendas and approved
minutes of the bodies that publish, their open items and papers, and the
per-body ICS and RSS feeds — no closed item, no draft (issue 21, acceptance 1)."""

import pytest
from django.urls import reverse

from agreements.models import GoverningBody
from meetings import services
from meetings.models import AgendaItem
from tests.meetings.conftest import make_meeting, pdf_file, released

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _item(user, meeting, title, closed=""):
    item = services.item_add(
        user=user, meeting=meeting, kind=AgendaItem.Kind.ORIENTATION, title=title
    )
    if closed:
        services.item_close(user=user, item=item, reason=closed)
    return item


@pytest.fixture
def agendas(secretariat_user, dassos, media):
    """A released agenda with an open and a closed item, and a draft one."""
    shown = make_meeting(dassos, 5)
    _item(secretariat_user, shown, "Åbent punkt om takster")
    _item(secretariat_user, shown, "Lukket punkt om en borger", closed="personal_data")
    released(shown)
    draft = make_meeting(dassos, 40, location="Udkastets sted")
    _item(secretariat_user, draft, "Punkt på et udkast")
    return shown, draft


def test_the_public_pages_show_released_agendas_without_login(client, agendas, dassos):
    shown, draft = agendas
    index = client.get(reverse("meetings:public")).content.decode()
    assert "DASSOS" in index
    body = client.get(reverse("meetings:public_body", args=[dassos.pk])).content.decode()
    assert reverse("meetings:public_meeting", args=[shown.pk]) in body
    assert reverse("meetings:public_meeting", args=[draft.pk]) not in body
    page = client.get(reverse("meetings:public_meeting", args=[shown.pk])).content.decode()
    assert "Åbent punkt om takster" in page
    assert "Lukket punkt om en borger" not in page
    assert client.get(reverse("meetings:public_meeting", args=[draft.pk])).status_code == 404


def test_the_public_ics_and_rss_hold_no_closed_item_and_no_draft(client, agendas, dassos):
    shown, draft = agendas
    ics = client.get(reverse("meetings:public_body_ics", args=[dassos.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert f"public-meeting-{shown.pk}@" in text
    assert f"public-meeting-{draft.pk}@" not in text
    assert "Udkastets sted" not in text
    assert "Lukket punkt" not in text
    rss = client.get(reverse("meetings:public_body_rss", args=[dassos.pk]))
    assert rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert "Åbent punkt om takster" in text
    assert "Lukket punkt om en borger" not in text
    assert "Punkt på et udkast" not in text
    assert reverse("meetings:public_meeting", args=[draft.pk]) not in text


def test_decisions_are_public_once_the_minutes_are_approved(
    client, secretariat_user, dassos, media
):
    held = make_meeting(dassos, -3)
    item = _item(secretariat_user, held, "Orientering om tilsyn")
    released(held)
    services.item_decide(
        user=secretariat_user,
        item=item,
        outcome="noted",
        decision="Taget til efterretning med ros.",
    )
    url = reverse("meetings:public_meeting", args=[held.pk])
    assert "med ros" not in client.get(url).content.decode()
    services.minutes_update(
        user=secretariat_user, meeting=held, present="Anne Andersen", apologies=""
    )
    services.minutes_approve(user=secretariat_user, meeting=held, how="next_meeting")
    text = client.get(url).content.decode()
    assert "med ros" in text
    # Attendance names people: not on the public pages.
    assert "Anne Andersen" not in text


def test_an_open_items_document_is_public_a_closed_items_is_not(
    client, secretariat_user, dassos, media
):
    meeting = make_meeting(dassos, 5)
    open_item = _item(secretariat_user, meeting, "Åbent")
    closed = _item(secretariat_user, meeting, "Lukket", closed="business_secret")
    open_paper = services.document_add(
        user=secretariat_user, uploaded=pdf_file("a.pdf"), agenda_item=open_item
    )
    closed_paper = services.document_add(
        user=secretariat_user, uploaded=pdf_file("b.pdf"), agenda_item=closed
    )
    assert client.get(reverse("meetings:public_document", args=[open_paper.pk])).status_code == 404
    released(meeting)
    assert client.get(reverse("meetings:public_document", args=[open_paper.pk])).status_code == 200
    assert (
        client.get(reverse("meetings:public_document", args=[closed_paper.pk])).status_code == 404
    )


def test_ad_hoc_groups_do_not_publish_unless_set_and_a_body_can_stop(
    client, secretariat_user, dassos, media
):
    group = GoverningBody.objects.create(
        name="Ad hoc-gruppe om autisme", kind=GoverningBody.Kind.AD_HOC, agreement=dassos.agreement
    )
    assert not group.is_public and dassos.is_public
    assert client.get(reverse("meetings:public_body", args=[group.pk])).status_code == 404
    group.publishes = True
    group.save()
    assert client.get(reverse("meetings:public_body", args=[group.pk])).status_code == 200
    dassos.publishes = False
    dassos.save()
    assert client.get(reverse("meetings:public_body", args=[dassos.pk])).status_code == 404
    assert client.get(reverse("meetings:public_body_rss", args=[dassos.pk])).status_code == 404
