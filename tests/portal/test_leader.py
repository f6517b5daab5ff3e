"""The provider leader's pages: obligations (acceptance 3) and the feed (acceptance 6)."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from portal.models import CalendarFeed
from providers.models import CollaborationModel
from tests.conftest import make_offer, make_operating_agreement, make_provider, make_tariff

LEVELS = ("required", "flexible", "not_required")


def _list_items(body: str, list_id: str) -> list[str]:
    """The text of each <li> of the <ul id=list_id>, tags stripped."""
    match = re.search(rf'<ul[^>]*id="{list_id}"[^>]*>(.*?)</ul>', body, re.S)
    assert match, list_id
    items = re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_obligations_page_lists_exactly_the_models_obligations(client, provider_leader, number):
    model = CollaborationModel.objects.get(number=number)
    provider = make_provider(collaboration_model=model)
    provider.leaders.add(provider_leader)
    client.force_login(provider_leader)

    response = client.get(reverse("portal:leader_obligations", args=[provider.pk]))
    assert response.status_code == 200
    body = response.content.decode()

    # Each municipal solution under exactly its level of the reference data (R10–R13).
    for level in LEVELS:
        expected = [
            f"{r.solution.name} – {r.note}" if r.note else r.solution.name
            for r in model.requirements.filter(level=level).select_related("solution")
        ]
        assert _list_items(body, f"solutions-{level}") == (expected or ["Ingen"]), level

    financing = _list_items(body, "obligations-financing")
    assert financing[0] == " ".join(
        model.financing.replace("{operator}", "Driftskommunen (Aarhus)").split()
    )
    assert ("Kommunen dækker et underskud." in financing) == model.deficit_covered
    assert ("Der er ingen underskudsdækning." in financing) == (not model.deficit_covered)
    assert any(
        "ekstraordinære udgifter" in line and "hæfter" in line for line in financing[1:]
    ) == (model.municipality_liable_for_extraordinary_expenses)
    assert any("fast årlig ydelse" in line for line in financing[1:]) == (
        model.fixed_places_for_yearly_payment
    )

    documentation = _list_items(body, "obligations-documentation")
    assert documentation[0] == (" ".join(model.documentation_duties.split()) or "Ingen")
    assert any("bogføres løbende" in line for line in documentation) == (
        model.continuous_bookkeeping_required
    )

    discussions = _list_items(body, "obligations-discussions")
    takes_part = "Tilbuddet deltager i kommunens faglige drøftelser på samme vilkår som kommunale institutioner."
    assert (takes_part in discussions) == model.part_of_municipal_discussions
    assert any("forudgående forhandling" in line for line in discussions) == (
        model.requires_prior_negotiation
    )

    review = _list_items(body, "obligations-review")
    if model.review_note:
        assert " ".join(model.review_note.split()) in review
    assert any("Serviceeftersyn hvert" in line for line in review) == (
        model.review_interval_years is not None
    )
    # Each fact is said once, under its own heading.
    all_items = financing + documentation + discussions + review
    assert len(all_items) == len(set(all_items) - {"Ingen"}) + all_items.count("Ingen")
    assert sum("drøftelser" in line for line in all_items) == 1
    assert sum("serviceeftersyn" in line.lower() for line in all_items) <= 1


def test_a_model_two_provider_operated_by_herning_sees_herning_not_copenhagen(
    client, provider_leader
):
    from agreements.models import Municipality

    herning = Municipality.objects.get(name="Herning")
    provider = make_provider(
        collaboration_model=CollaborationModel.objects.get(number=2),
        operating_municipality=herning,
    )
    provider.leaders.add(provider_leader)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_obligations", args=[provider.pk])).content.decode()
    assert "Driftskommunen (Herning) hæfter økonomisk" in body
    # Named once, not "Driftskommune: Driftskommunen (Herning)".
    assert "<p>Driftskommune: Herning." in body
    assert "Driftskommune: Driftskommunen" not in body
    assert "København" not in body
    assert "Socialforvaltningen" not in body


def test_a_provider_under_an_agreement_without_the_models_sees_its_operating_agreement(
    client, provider_leader, midtjylland
):
    from agreements.models import Municipality

    herning = Municipality.objects.get(name="Herning")
    provider = make_provider(
        collaboration_model=CollaborationModel.objects.get(number=2),
        operating_municipality=herning,
    )
    make_offer(provider).framework_agreements.add(midtjylland)
    make_operating_agreement(
        provider, model=2, municipality=herning, signed_on=datetime.date(2022, 5, 1)
    )
    provider.leaders.add(provider_leader)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_obligations", args=[provider.pk])).content.decode()
    terms = _list_items(body, "operating-agreement-terms")
    assert terms[0].startswith("Med Herning, underskrevet 01.05.2022.")
    assert 'id="obligations-financing"' not in body
    assert "København" not in body and "Socialforvaltningen" not in body


def test_model_one_is_nowhere_looser_than_model_two(db):
    from providers.models import SolutionRequirement

    strictness = {"required": 2, "flexible": 1, "not_required": 0}
    levels = {
        number: dict(
            SolutionRequirement.objects.filter(model__number=number).values_list(
                "solution__code", "level"
            )
        )
        for number in (1, 2)
    }
    assert set(levels[1]) == set(levels[2])
    for code, level in levels[1].items():
        assert strictness[level] >= strictness[levels[2][code]], code
    assert levels[1]["it-sikkerhed"] == "required"


def test_model_one_requires_kor_and_sofus_and_model_two_does_not(client, provider_leader):
    client.force_login(provider_leader)
    pages = {}
    for number in (1, 2):
        provider = make_provider(collaboration_model=CollaborationModel.objects.get(number=number))
        provider.leaders.add(provider_leader)
        pages[number] = client.get(reverse("portal:leader_obligations", args=[provider.pk]))
    assert "KØR" in _list_items(pages[1].content.decode(), "solutions-required")
    assert any(
        item.startswith("KØR")
        for item in _list_items(pages[2].content.decode(), "solutions-not_required")
    )


def test_a_provider_without_a_model_is_told_it_has_none(client, provider_leader, provider):
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_obligations", args=[provider.pk])).content.decode()
    assert "ingen samarbejdsmodel" in body


def test_provider_page_shows_agreement_review_capacity_and_tariffs(
    client, provider_leader, provider, offer
):
    today = datetime.date.today()
    make_operating_agreement(provider, model=1, last_review_on=today - datetime.timedelta(days=365))
    make_tariff(offer, year=today.year)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_provider", args=[provider.pk])).content.decode()
    next_review = today - datetime.timedelta(days=365)
    next_review = next_review.replace(year=next_review.year + 5)
    assert f"{next_review:%d.%m.%Y}" in body
    days = f"{(next_review - today).days:,}".replace(",", ".")  # Danish thousands
    assert f"{days} dage" in body
    assert offer.name in body
    assert "2.150,50" in body
    assert reverse("portal:offer_capacity", args=[offer.pk]) in body


def _carried_out(offer, user, places: int, effective_on: datetime.date):
    from capacity import services

    adjustment = services.adjustment_request(
        user=user,
        offer=offer,
        kind="increase" if places > 0 else "decrease",
        places=abs(places),
        effective_on=effective_on,
        reason="Behov",
        answers_by=datetime.date.today(),
        today=min(effective_on, datetime.date.today()),
    )
    return services.adjustment_carry_out(user=user, adjustment=adjustment)


def test_each_change_shows_on_its_effective_date_with_its_adjustment(
    client, provider_leader, secretariat_user, midtjylland
):
    provider = make_provider()
    provider.leaders.add(provider_leader)
    offer = make_offer(provider, approved_places=24, opened_on=datetime.date(2012, 3, 1))
    offer.framework_agreements.add(midtjylland)
    first = _carried_out(offer, secretariat_user, 5, datetime.date(2024, 6, 1))
    second = _carried_out(offer, secretariat_user, 3, datetime.date(2025, 2, 1))
    client.force_login(provider_leader)
    response = client.get(reverse("portal:offer_capacity", args=[offer.pk]))
    points = [(p.date, p.places, p.adjustment) for p in response.context["points"]]
    assert points == [
        (datetime.date(2012, 3, 1), 24, None),
        (datetime.date(2024, 6, 1), 29, first),
        (datetime.date(2025, 2, 1), 32, second),
    ]
    body = response.content.decode()
    # Not the day the adjustments were carried out (today), but when they took effect.
    assert f"<td>{datetime.date.today():%d.%m.%Y}</td>" not in body
    assert reverse("capacity:adjustment", args=[second.pk]) in body
    # The axis reads 32, not a localised "32,0", and no SVG number has a comma.
    assert 'dominant-baseline="middle">32</text>' in body
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert not re.search(r'(x|y|cx|cy|x1|x2|y1|y2)="[0-9]+,[0-9]', svg)


def test_the_capacity_page_query_count_does_not_grow_with_the_history(
    client, provider_leader, secretariat_user, midtjylland
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    provider = make_provider()
    provider.leaders.add(provider_leader)
    offer = make_offer(provider, approved_places=10, opened_on=datetime.date(2012, 3, 1))
    offer.framework_agreements.add(midtjylland)
    client.force_login(provider_leader)
    url = reverse("portal:offer_capacity", args=[offer.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _carried_out(offer, secretariat_user, 1, datetime.date(2020, 1, 1))
    small = queries()
    for year in range(2021, 2026):
        _carried_out(offer, secretariat_user, 1, datetime.date(year, 1, 1))
    assert queries() == small


# The iCalendar feed (acceptance 6) -------------------------------------------


def _feed(client, user):
    feed = CalendarFeed.for_user(user)
    return client.get(reverse("portal:calendar_feed", args=[feed.token]))


@time_machine.travel(datetime.date(2027, 6, 1), tick=False)
def test_feed_is_valid_icalendar_with_the_leaders_deadlines_only(
    client, provider_leader, provider, other_provider
):
    own = make_operating_agreement(provider, model=1, last_review_on=datetime.date(2023, 4, 1))
    make_operating_agreement(other_provider, model=2, last_review_on=datetime.date(2023, 6, 1))
    response = _feed(client, provider_leader)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == own.next_review_on == datetime.date(2028, 4, 1)
    assert provider.name in str(event["summary"])
    assert other_provider.name not in response.content.decode()


def test_renewing_the_feed_makes_the_old_address_404(client, provider_leader, provider):
    make_operating_agreement(provider, model=1)
    old = CalendarFeed.for_user(provider_leader).token
    client.force_login(provider_leader)
    response = client.post(reverse("portal:leader_calendar_renew"), follow=True)
    assert "Den gamle adresse virker ikke længere" in response.content.decode()
    new = CalendarFeed.for_user(provider_leader).token
    assert new != old
    client.logout()
    assert client.get(reverse("portal:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("portal:calendar_feed", args=[new])).status_code == 200


def test_renewing_needs_a_post(client, provider_leader):
    client.force_login(provider_leader)
    assert client.get(reverse("portal:leader_calendar_renew")).status_code == 405


def test_calendar_page_shows_the_secret_address(client, provider_leader):
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_calendar")).content.decode()
    token = CalendarFeed.objects.get(user=provider_leader).token
    assert f"/kalender/{token}.ics" in body
    # Whole, in a readonly field, with a copy button (drawn by site.js).
    assert re.search(rf'<input[^>]*readonly value="[^"]*/kalender/{token}.ics"', body)
    assert 'data-copy="feed-url"' in body
    assert "Kopiér" in body


def test_leader_home_lists_each_provider_with_its_places(client, provider_leader, provider):
    make_offer(provider, approved_places=7)
    make_offer(provider, approved_places=5)
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader")).content.decode()
    assert provider.name in body
    assert ">12<" in body


def test_the_provider_page_names_the_operating_municipality(client, provider_leader, provider):
    client.force_login(provider_leader)
    body = client.get(reverse("portal:leader_provider", args=[provider.pk])).content.decode()
    assert re.search(r"<dt>Driftskommune</dt><dd>Aarhus</dd>", body)
