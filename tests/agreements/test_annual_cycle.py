"""The annual cycle (årshjul, 004): a region's steps become each agreement's
deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from agreements.models import (
    AgreementError,
    CycleDeadline,
    CycleKind,
    CycleStep,
    FrameworkAgreement,
    Region,
)
from agreements.services import annual_cycle_generate, cycle_deadline_done

pytestmark = pytest.mark.django_db


def step(**fields) -> CycleStep:
    values = {
        "region": Region.objects.get(code=1082),
        "title": "Godkendelse i byrådene",
        "kind": CycleKind.COUNCIL_APPROVAL,
        "year_offset": -1,
        "month": 10,
        "day": 15,
    } | fields
    return CycleStep.objects.create(**values)


def test_a_once_per_agreement_step_falls_in_the_year_before_the_start(midtjylland):
    step()

    [deadline] = annual_cycle_generate(agreement=midtjylland)

    assert deadline.due_on == datetime.date(2024, 10, 15)
    assert deadline.kind == CycleKind.COUNCIL_APPROVAL


def test_a_yearly_step_falls_in_each_year_of_the_period(midtjylland):
    step(title="Årlig evaluering", kind=CycleKind.EVALUATION, recurs_yearly=True, year_offset=0)

    deadlines = annual_cycle_generate(agreement=midtjylland)

    assert [d.due_on for d in deadlines] == [
        datetime.date(2025, 10, 15),
        datetime.date(2026, 10, 15),
    ]


def test_an_open_ended_agreement_gets_yearly_steps_up_to_the_year_asked(copenhagen_agreement):
    step(
        region=Region.objects.get(code=1084),
        title="Årlig evaluering",
        recurs_yearly=True,
        year_offset=0,
    )

    deadlines = annual_cycle_generate(agreement=copenhagen_agreement, until_year=2017)

    assert [d.due_on.year for d in deadlines] == [2015, 2016, 2017]


def test_making_the_cycle_again_adds_only_what_is_missing(midtjylland):
    step()
    [first] = annual_cycle_generate(agreement=midtjylland)
    first.done_on = datetime.date(2024, 10, 1)
    first.save()
    step(title="Takstindberetning", kind=CycleKind.TARIFFS, month=9, day=1)

    added = annual_cycle_generate(agreement=midtjylland)

    assert [d.title for d in added] == ["Takstindberetning"]
    first.refresh_from_db()
    assert first.done_on == datetime.date(2024, 10, 1)
    assert CycleDeadline.objects.filter(agreement=midtjylland).count() == 2


def test_the_31st_of_a_short_month_becomes_its_last_day(midtjylland):
    step(month=6, day=31)
    with pytest.raises(ValidationError):
        CycleStep(region=midtjylland.region, title="x", kind="other", month=6, day=31).full_clean()

    [deadline] = annual_cycle_generate(agreement=midtjylland)

    assert deadline.due_on == datetime.date(2024, 6, 30)


def test_the_command_makes_the_deadlines_of_agreements_not_expired(midtjylland):
    step()
    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(status="expired")

    call_command("annual_cycle", verbosity=0)
    assert not CycleDeadline.objects.exists()

    FrameworkAgreement.objects.filter(pk=midtjylland.pk).update(status="in_force")
    call_command("annual_cycle", verbosity=0)
    call_command("annual_cycle", verbosity=0)
    assert CycleDeadline.objects.count() == 1


def test_a_secretariat_sees_the_steps_of_the_regions_its_agreements_follow(
    secretariat_user, copenhagen_secretary, municipality_user
):
    """Midtjylland's regional agreement follows Midtjylland's cycle; København's
    municipal agreement that of the Capital Region. The register's readers see all."""
    midt = step()
    capital = step(region=Region.objects.get(code=1084))

    assert list(CycleStep.objects.visible_to(secretariat_user)) == [midt]
    assert list(CycleStep.objects.visible_to(copenhagen_secretary)) == [capital]
    assert set(CycleStep.objects.visible_to(municipality_user)) == {midt, capital}


# Marking a deadline done ---------------------------------------------------------------


def _deadline(agreement, due_on: datetime.date) -> CycleDeadline:
    return CycleDeadline.objects.create(
        agreement=agreement,
        title="Takstindberetning",
        kind=CycleKind.COUNCIL_APPROVAL,
        due_on=due_on,
    )


def test_the_agreements_secretary_marks_a_deadline_done_with_history(midtjylland, secretariat_user):
    deadline = _deadline(midtjylland, datetime.date(2026, 5, 1))
    cycle_deadline_done(user=secretariat_user, deadline=deadline, today=datetime.date(2026, 5, 3))
    deadline.refresh_from_db()
    assert deadline.done_on == datetime.date(2026, 5, 3)
    assert deadline.history.latest().history_change_reason == "Markeret som udført"


def test_a_deadline_is_marked_done_once(midtjylland, secretariat_user):
    deadline = _deadline(midtjylland, datetime.date(2026, 5, 1))
    cycle_deadline_done(user=secretariat_user, deadline=deadline, today=datetime.date(2026, 5, 3))
    with pytest.raises(AgreementError, match="03.05.2026"):
        cycle_deadline_done(user=secretariat_user, deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.done_on == datetime.date(2026, 5, 3)


@pytest.mark.parametrize("persona", ["copenhagen_secretary", "municipality_user"])
def test_another_secretariat_or_a_municipality_cannot_mark_it_done(request, midtjylland, persona):
    deadline = _deadline(midtjylland, datetime.date(2026, 5, 1))
    with pytest.raises(AgreementError):
        cycle_deadline_done(user=request.getfixturevalue(persona), deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.done_on is None


def test_the_current_round_leaves_out_deadlines_more_than_a_year_overdue(midtjylland):
    today = datetime.date(2026, 12, 3)
    old = _deadline(midtjylland, today - datetime.timedelta(days=365))
    recent = _deadline(midtjylland, today - datetime.timedelta(days=364))
    done = _deadline(midtjylland, today - datetime.timedelta(days=10))
    done.done_on = today
    done.save()
    current = set(CycleDeadline.objects.current(today))
    assert recent in current
    assert old not in current
    assert done not in current
