"""A DASSOS meeting through the pages: the secretariat plans it, puts four
items on the agenda (a capacity adjustment, the yearly evaluation, a decision
with two papers, an orientation), sends the agenda, records the decisions and
approves the minutes; a member then reads the decisions and the minutes.
axe-core checks each page."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from agreements.models import FrameworkAgreement, Meeting
from capacity.models import CapacityAdjustment
from meetings.models import AgendaItem, Minutes
from providers.models import Offer
from tests.browser.conftest import choose, log_in
from tests.conftest import make_adjustment

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def ok(page) -> None:
    page.wait_for_load_state()
    assert page.locator(".alert-success").first.is_visible(), page.locator(
        "main .alert"
    ).all_inner_texts()


def add_item(page, kind: str, title: str, **selects) -> None:
    form = page.locator('form[action$="/punkt/"]')
    choose(form, "kind", kind)
    form.locator('input[name="title"]').fill(title)
    form.locator('textarea[name="case_text"]').fill(f"Sagsfremstilling: {title}.")
    form.locator('textarea[name="recommendation"]').fill("Det indstilles, at punktet godkendes.")
    for name, value in selects.items():
        form.locator(f'select[name="{name}"]').select_option(value)
    form.get_by_role("button").click()
    ok(page)


def item_block(page, title: str):
    return page.locator("article.agenda-item", has=page.get_by_role("heading", name=title))


def decide(page, title: str, outcome: str, decision: str) -> None:
    block = item_block(page, title)
    block.locator("summary", has_text="Arbejd med punktet").click()
    form = block.locator('form[action$="/beslutning/"]')
    choose(form, "outcome", outcome)
    form.locator('textarea[name="decision"]').fill(decision)
    form.get_by_role("button").click()
    ok(page)


def test_a_dassos_meeting_is_prepared_sent_decided_and_its_minutes_approved(
    page, media, check_accessibility, tmp_path
):
    secretariat = User.objects.get(username="sekretariat")
    midtjylland = FrameworkAgreement.objects.get(region__code=1082, status="in_force")
    offer = Offer.objects.filter(provider__operating_municipality__code=751).first()
    adjustment = make_adjustment(offer, user=secretariat, places=14)
    today = datetime.date.today()

    # The secretariat plans the meeting.
    log_in(page, "sekretariat")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Møder").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_role("link", name="Planlæg et møde").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Organ").select_option(label="DASSOS")
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Begynder kl.").fill("10:00")
    page.get_by_label("Sted").fill("Viborg Rådhus, mødelokale 2")
    page.get_by_role("button", name="Opret mødet").click()
    ok(page)
    meeting = Meeting.objects.get(body__name="DASSOS", date=today)

    # The capacity adjustment is put on this meeting from its own page.
    page.goto(reverse("capacity:adjustment", args=[adjustment.pk]))
    form = page.locator(
        f'form[action="{reverse("capacity:route_to_meeting", args=[adjustment.pk])}"]'
    ).first
    form.locator('select[name="meeting"]').select_option(str(meeting.pk))
    form.get_by_role("button").click()
    ok(page)

    # The other three items.
    page.goto(reverse("meetings:meeting", args=[meeting.pk]))
    add_item(
        page, "decision", "Årlig evaluering af rammeaftalen", evaluation_of=str(midtjylland.pk)
    )
    add_item(page, "decision", "Udviklingsstrategi 2027")
    add_item(page, "orientation", "Orientering om tilsyn")
    check_accessibility(page)
    for name in ("Strategi.pdf", "Bilag 2.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF)
        block = item_block(page, "Udviklingsstrategi 2027")
        block.locator("summary", has_text="Arbejd med punktet").click()
        block.locator('form[action$="/dokument/"] input[type="file"]').set_input_files(str(path))
        block.get_by_role("button", name="Tilføj dokumentet").click()
        ok(page)
    titles = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert len(titles) == 4
    assert titles[0].startswith("Kapacitetsjustering")
    assert (
        item_block(page, "Udviklingsstrategi 2027")
        .get_by_role("link", name="Bilag 2.pdf")
        .is_visible()
    )

    # Sent to the members.
    page.get_by_role("button", name="Send dagsordenen til medlemmerne").click()
    ok(page)
    assert mail.outbox and mail.outbox[0].attachments
    assert page.locator(
        "table", has=page.locator("caption", has_text="Hvem har fået dagsordenen")
    ).is_visible()
    check_accessibility(page)

    # Decided, minutes written and approved.
    decide(page, titles[0], "approved", "Godkendt som indstillet.")
    decide(page, "Årlig evaluering af rammeaftalen", "approved", "Evalueringen er godkendt.")
    decide(page, "Udviklingsstrategi 2027", "approved", "Strategien sendes i høring.")
    decide(page, "Orientering om tilsyn", "noted", "Taget til efterretning.")
    page.get_by_label("Til stede").fill("Repræsentanter for 17 kommuner og regionen")
    page.get_by_label("Afbud").fill("Samsø, Lemvig")
    page.get_by_role("button", name="Gem referatet som udkast").click()
    ok(page)
    choose(page.locator('form[action$="/godkend-referat/"]'), "how", "next_meeting")
    page.get_by_role("button", name="Godkend referatet").click()
    ok(page)
    check_accessibility(page)

    adjustment.refresh_from_db()
    assert adjustment.status == CapacityAdjustment.Status.APPROVED
    midtjylland.refresh_from_db()
    assert midtjylland.last_evaluated_on == today
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.APPROVED

    # A member reads the decisions and the approved minutes.
    page.context.clear_cookies()
    log_in(page, "dassos")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Møder").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.goto(reverse("meetings:meeting", args=[meeting.pk]))
    check_accessibility(page)
    assert page.get_by_text("Strategien sendes i høring.").is_visible()
    assert page.get_by_role("link", name="Det godkendte referat som PDF").is_visible()
    assert page.get_by_role("button", name="Godkend referatet").count() == 0
    page.get_by_role("link", name="Møder").first.click()
    page.goto(reverse("meetings:decisions"))
    check_accessibility(page)
    assert page.get_by_text("Udviklingsstrategi 2027").is_visible()
