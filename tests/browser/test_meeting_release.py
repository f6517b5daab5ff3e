"""An agenda reviewed, released, noted on, decided and published: the
secretariat sends it for review, the member comments, the secretariat
releases it, the member writes a private note, the minutes are approved, and
anyone reads the public page without login. axe-core checks each page, and
the public page is drawn at 375 px too."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from agreements.models import GoverningBody, Meeting
from meetings import services
from meetings.models import AgendaComment, AgendaItem, MemberNote
from tests.browser.conftest import choose, log_in

pytestmark = pytest.mark.browser


def ok(page) -> None:
    page.wait_for_load_state()
    assert page.locator(".alert-success").first.is_visible(), page.locator(
        "main .alert"
    ).all_inner_texts()


def test_an_agenda_is_reviewed_released_noted_approved_and_public(
    page, check_accessibility, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    secretariat = User.objects.get(username="sekretariat")
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    today = datetime.date.today()
    day = today
    while Meeting.objects.filter(body=dassos, date=day).exists():
        day -= datetime.timedelta(days=1)
    meeting = Meeting.objects.create(body=dassos, date=day, location="Viborg Rådhus")
    open_item = services.item_add(
        user=secretariat,
        meeting=meeting,
        kind=AgendaItem.Kind.ORIENTATION,
        title="Status på udviklingsstrategien",
        case_text="Sekretariatet orienterer.",
    )
    closed = services.item_add(
        user=secretariat,
        meeting=meeting,
        kind=AgendaItem.Kind.ORIENTATION,
        title="Tilbud under skærpet tilsyn",
        case_text="Fortrolige oplysninger.",
    )
    services.item_close(user=secretariat, item=closed, reason="business_secret")
    url = reverse("meetings:meeting", args=[meeting.pk])

    # The secretariat sends the agenda for review to the member.
    log_in(page, "sekretariat")
    page.goto(url)
    check_accessibility(page)
    review = page.locator('form[action$="/gennemlaesning/"]')
    review.get_by_label("Dorte Direktør", exact=False).check()
    review.get_by_role("button", name="Send dagsordenen til gennemlæsning").click()
    ok(page)
    check_accessibility(page)

    # The member reads it before release and comments.
    page.context.clear_cookies()
    log_in(page, "dassos")
    page.goto(url)
    check_accessibility(page)
    page.locator('form[action$="/kommentar/"] textarea').fill("Punkt 2 bør komme først.")
    page.get_by_role("button", name="Gem bemærkningen").click()
    ok(page)
    assert AgendaComment.objects.get(meeting=meeting).text == "Punkt 2 bør komme først."

    # The secretariat releases it to every member.
    page.context.clear_cookies()
    log_in(page, "sekretariat")
    page.goto(url)
    assert page.get_by_text("Punkt 2 bør komme først.").is_visible()
    page.get_by_role("button", name="Send dagsordenen til medlemmerne").click()
    ok(page)
    assert mail.outbox
    check_accessibility(page)

    # The member writes a private note on an item.
    page.context.clear_cookies()
    log_in(page, "dassos")
    page.goto(url)
    block = page.locator(f"#punkt-{open_item.pk}")
    block.locator("details.member-note summary").click()
    block.get_by_label("Min note").fill("Spørg til tidsplanen.")
    block.get_by_role("button", name="Gem noten").click()
    ok(page)
    check_accessibility(page)
    assert page.locator("p.member-note-text", has_text="Spørg til tidsplanen.").is_visible()
    assert MemberNote.objects.get().author.username == "dassos"

    # Decided; the secretariat approves the minutes on the page.
    for item in (open_item, closed):
        services.item_decide(
            user=secretariat, item=item, outcome="noted", decision="Taget til efterretning."
        )
    page.context.clear_cookies()
    log_in(page, "sekretariat")
    page.goto(url)
    assert page.get_by_text("Spørg til tidsplanen.").count() == 0
    choose(page.locator('form[action$="/godkend-referat/"]'), "how", "next_meeting")
    page.get_by_role("button", name="Godkend referatet").click()
    ok(page)
    check_accessibility(page)

    # Anyone reads the public page: the open item and its decision, not the closed one.
    page.context.clear_cookies()
    page.goto(reverse("meetings:public"))
    check_accessibility(page)
    page.goto(reverse("meetings:public_body", args=[dassos.pk]))
    check_accessibility(page)
    page.goto(reverse("meetings:public_meeting", args=[meeting.pk]))
    check_accessibility(page)
    assert page.get_by_text("Status på udviklingsstrategien").is_visible()
    assert page.get_by_text("Tilbud under skærpet tilsyn").count() == 0
    page.screenshot(path="/tmp/u21a-public-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/u21a-public-375.png", full_page=True)
