"""The secretariat's dashboard (acceptance 4) and capacity overview."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import FrameworkAgreement, GoverningBody, Meeting
from capacity import services
from providers.models import OperatingAgreement
from tests.conftest import (
    COPENHAGEN_SECRETARIAT,
    make_adjustment,
    make_individual_contract,
    make_offer,
    make_operating_agreement,
    make_provider,
    make_secretary,
    make_signed_standard_contract,
    make_standard_contract,
    seat_every_member,
)


def _add_pending_items(count: int, today: datetime.date, user) -> None:
    """`count` more of each kind of item the dashboard lists."""
    body = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")
    seat_every_member(body)
    first_day = Meeting.objects.count()
    for index in range(first_day, first_day + count):
        provider = make_provider()
        offer = make_offer(provider)
        make_offer(provider)
        make_adjustment(offer, user=user)  # to route
        make_adjustment(offer, user=user, places=2)  # to carry out
        in_hearing = make_adjustment(offer, user=user)
        services.hearing_open(user=user, adjustment=in_hearing, body=body)
        make_standard_contract(offer=offer, status="awaiting_signature")
        make_individual_contract(
            make_signed_standard_contract(offer=offer), status="awaiting_signature"
        )
        # Overdue, and due within 90 days.
        make_operating_agreement(
            provider, signed_on=datetime.date(2012, 1, 1), last_review_on=datetime.date(2015, 1, 1)
        )
        make_operating_agreement(
            provider,
            model=2,
            signed_on=datetime.date(2012, 1, 1),
            last_review_on=today.replace(year=today.year - 5) + datetime.timedelta(days=30),
        )
        meeting = Meeting.objects.create(
            body=body, date=today + datetime.timedelta(days=10 + index)
        )
        services.adjustment_route_to_meeting(
            user=user, adjustment=make_adjustment(offer, user=user), meeting=meeting
        )


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_data(client, secretariat_user):
    today = datetime.date.today()
    client.force_login(secretariat_user)
    _add_pending_items(2, today, secretariat_user)
    small = _dashboard_queries(client)
    _add_pending_items(10, today, secretariat_user)
    large = _dashboard_queries(client)
    assert small == large


def test_dashboard_shows_each_kind_of_pending_item_from_the_demo_data(client, db):
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    secretary = User.objects.get(username="sekretariat")
    client.force_login(secretary)
    today = datetime.date.today()
    body = client.get(reverse("portal:dashboard")).content.decode()

    # Reviews overdue and due: each on the page of its agreement's secretariat.
    kinds = set()
    for username in ("sekretariat", "kbh-sekretariat"):
        user = User.objects.get(username=username)
        client.force_login(user)
        page = client.get(reverse("portal:dashboard")).content.decode()
        own = OperatingAgreement.objects.visible_to(user)
        overdue = own.review_overdue(today)
        due = own.review_due_within(90, today).exclude(pk__in=overdue)
        for kind, agreements in (("overdue", overdue), ("due", due)):
            for agreement in agreements:
                kinds.add(kind)
                change = reverse("admin:providers_operatingagreement_change", args=[agreement.pk])
                assert change in page
        if overdue:
            assert "dage overskredet" in page
    assert kinds == {"overdue", "due"}
    client.force_login(secretary)

    meeting = Meeting.objects.visible_to(secretary).filter(date__gte=today).order_by("date").first()
    assert meeting.body.name in body
    assert f"{meeting.date:%d.%m.%Y}" in body

    for agreement in FrameworkAgreement.objects.visible_to(secretary).exclude(status="expired"):
        assert reverse("admin:agreements_frameworkagreement_change", args=[agreement.pk]) in body
        assert f"{agreement.next_evaluation_on():%d.%m.%Y}" in body

    # The workflows of contracts and capacity, each with a link to where it is done.
    response = client.get(reverse("portal:dashboard"))
    context = response.context
    pending = {
        "to_route": list(context["to_route"]),
        "hearings_running": list(context["hearings_running"]),
        "to_carry_out": list(context["to_carry_out"]),
    }
    for kind, adjustments in pending.items():
        assert adjustments, kind
        for adjustment in adjustments:
            assert reverse("capacity:adjustment", args=[adjustment.pk]) in body, kind
    awaiting = list(context["standard_awaiting"]) + list(context["individual_awaiting"])
    assert awaiting
    for contract in context["standard_awaiting"]:
        assert reverse("contracts:standard_contract_detail", args=[contract.pk]) in body
    on_agenda = [m for m in context["meetings"] if m.capacity_items.all()]
    assert on_agenda
    assert reverse("meetings:meeting", args=[on_agenda[0].pk]) in body


def test_a_review_due_after_90_days_is_not_listed(client, secretariat_user):
    today = datetime.date.today()
    later = make_operating_agreement(
        signed_on=datetime.date(2012, 1, 1),
        last_review_on=today.replace(year=today.year - 5) + datetime.timedelta(days=120),
    )
    client.force_login(secretariat_user)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("admin:providers_operatingagreement_change", args=[later.pk]) not in body


def test_reviews_due_from_today_to_day_90_are_listed_and_overdue_ones_only_as_overdue(
    client, secretariat_user
):
    today = datetime.date.today()
    five_years_ago = today.replace(year=today.year - 5)
    overdue = make_operating_agreement(
        signed_on=datetime.date(2012, 1, 1),
        last_review_on=five_years_ago - datetime.timedelta(days=1),
    )
    due_today = make_operating_agreement(
        signed_on=datetime.date(2012, 1, 1), last_review_on=five_years_ago
    )
    on_day_90 = make_operating_agreement(
        signed_on=datetime.date(2012, 1, 1),
        last_review_on=five_years_ago + datetime.timedelta(days=90),
    )
    on_day_91 = make_operating_agreement(
        signed_on=datetime.date(2012, 1, 1),
        last_review_on=five_years_ago + datetime.timedelta(days=91),
    )
    assert on_day_90.next_review_on == today + datetime.timedelta(days=90)
    client.force_login(secretariat_user)
    context = client.get(reverse("portal:dashboard")).context
    assert [a.pk for a in context["reviews_overdue"]] == [overdue.pk]
    assert [a.pk for a in context["reviews_due"]] == [due_today.pk, on_day_90.pk]
    assert on_day_91.pk not in {a.pk for a in context["reviews_due"]}
    # The caption names the same horizon as the list uses.
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "forfalder inden for 90 dage" in body


def test_capacity_overview_sums_places_per_level_and_links_each_offer(client, secretariat_user):
    first = make_offer(specialisation_level=1, approved_places=7)
    make_offer(specialisation_level=1, approved_places=5)
    closed = make_offer(
        specialisation_level=1, approved_places=100, closed_on=datetime.date(2020, 1, 1)
    )
    client.force_login(secretariat_user)
    response = client.get(reverse("portal:capacity_overview"))
    body = response.content.decode()
    level_one = next(
        row for row in response.context["by_level"] if row["specialisation_level"] == 1
    )
    assert level_one["places"] == 12
    assert "1 – Højt specialiseret" in body or "Højt specialiseret" in body
    assert reverse("portal:offer_capacity", args=[first.pk]) in body
    assert closed.name not in body


def test_each_demo_secretariat_sees_only_its_own_items_on_the_dashboard(client, db):
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    midtjylland = User.objects.get(username="sekretariat")
    copenhagen = User.objects.get(username="kbh-sekretariat")
    for secretary, other in ((midtjylland, copenhagen), (copenhagen, midtjylland)):
        client.force_login(secretary)
        body = client.get(reverse("portal:dashboard")).content.decode()
        own = FrameworkAgreement.objects.visible_to(secretary).get(status="in_force")
        foreign = FrameworkAgreement.objects.visible_to(other).get(status="in_force")
        assert reverse("admin:agreements_frameworkagreement_change", args=[own.pk]) in body
        assert reverse("admin:agreements_frameworkagreement_change", args=[foreign.pk]) not in body
        for agreement in OperatingAgreement.objects.filter(framework_agreement=foreign):
            change = reverse("admin:providers_operatingagreement_change", args=[agreement.pk])
            assert change not in body
        for meeting in Meeting.objects.filter(body__agreement=foreign):
            assert meeting.body.name not in body


def test_the_dashboard_counts_the_contracts_waiting_for_an_archiving_decision(
    client, secretariat_user, midtjylland
):
    offer = make_offer()
    offer.framework_agreements.add(midtjylland)
    standard = make_signed_standard_contract(offer=offer)
    long_ago = datetime.date.today().replace(year=datetime.date.today().year - 6)
    for _ in range(2):
        make_individual_contract(
            standard,
            status="expired",
            starts_on=long_ago.replace(year=long_ago.year - 1),
            ends_on=long_ago,
        )
    make_individual_contract(standard, status="signed")  # running: not counted
    client.force_login(secretariat_user)

    waiting = client.get(reverse("portal:dashboard"))
    midtjylland.archiving_status = "discard"
    midtjylland.archiving_reference = "Stadsarkivet j.nr. 2026-117"
    midtjylland.archiving_date = datetime.date.today()
    midtjylland.save()
    released = client.get(reverse("portal:dashboard"))

    assert waiting.context["archiving_waiting"] == 2
    assert (
        "venter på en arkiveringsbeslutning, før deres cpr-numre slettes: <strong>2</strong>"
        in (waiting.content.decode())
    )
    assert released.context["archiving_waiting"] == 0


def test_another_secretariats_contracts_are_not_counted_as_waiting(client, midtjylland, db):
    offer = make_offer()
    offer.framework_agreements.add(midtjylland)
    long_ago = datetime.date.today().replace(year=datetime.date.today().year - 6)
    make_individual_contract(
        make_signed_standard_contract(offer=offer),
        status="expired",
        starts_on=long_ago.replace(year=long_ago.year - 1),
        ends_on=long_ago,
    )
    client.force_login(make_secretary("karl", COPENHAGEN_SECRETARIAT))

    assert client.get(reverse("portal:dashboard")).context["archiving_waiting"] == 0


# The annual cycle: marking a deadline done ------------------------------------------------


def _cycle_deadline(due_on: datetime.date):
    from agreements.models import CycleDeadline, CycleKind

    agreement = FrameworkAgreement.objects.get(
        kind="regional", region__code=1082, status="in_force"
    )
    return CycleDeadline.objects.create(
        agreement=agreement,
        title="Takstindberetning",
        kind=CycleKind.COUNCIL_APPROVAL,
        due_on=due_on,
    )


def test_the_secretariat_marks_a_cycle_deadline_done_after_confirming(client, secretariat_user):
    deadline = _cycle_deadline(datetime.date.today() - datetime.timedelta(days=3))
    url = reverse("portal:cycle_deadline_done", args=[deadline.pk])
    client.force_login(secretariat_user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert url in dashboard
    confirm = client.get(url)
    assert confirm.status_code == 200
    deadline.refresh_from_db()
    assert deadline.done_on is None  # a GET only asks
    response = client.post(url, follow=True)
    deadline.refresh_from_db()
    assert deadline.done_on == datetime.date.today()
    assert "er markeret som udført" in response.content.decode()
    assert url not in client.get(reverse("portal:dashboard")).content.decode()


def test_another_secretariat_gets_404_and_changes_nothing(
    client, secretariat_user, copenhagen_secretary
):
    deadline = _cycle_deadline(datetime.date.today())
    url = reverse("portal:cycle_deadline_done", args=[deadline.pk])
    client.force_login(copenhagen_secretary)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    deadline.refresh_from_db()
    assert deadline.done_on is None


def test_a_deadline_overdue_by_more_than_a_year_is_not_on_the_dashboard(client, secretariat_user):
    old = _cycle_deadline(datetime.date.today() - datetime.timedelta(days=1006))
    client.force_login(secretariat_user)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:cycle_deadline_done", args=[old.pk]) not in body
    assert "1.006 dage overskredet" not in body


@pytest.mark.parametrize(("days_overdue", "current"), [(364, True), (365, False)])
def test_a_deadline_is_current_until_it_is_a_year_overdue(db, days_overdue, current):
    from agreements.models import CycleDeadline

    today = datetime.date(2026, 12, 3)
    deadline = _cycle_deadline(today - datetime.timedelta(days=days_overdue))
    assert CycleDeadline.objects.current(today).filter(pk=deadline.pk).exists() is current
