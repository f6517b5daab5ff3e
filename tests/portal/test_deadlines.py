"""The leader's deadlines: split at today, chosen, sorted and limited by the
database, and paged without overlap."""

import datetime

import pytest

from portal.deadlines import DeadlineList, count_deadlines, feed_window, rows, split_at
from tests.conftest import (
    make_offer,
    make_signed_individual_contract,
    make_signed_standard_contract,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


def _ending(provider, *days: int) -> None:
    standard = make_signed_standard_contract(offer=make_offer(provider))
    for day in days:
        make_signed_individual_contract(standard, ends_on=TODAY + datetime.timedelta(days=day))


def test_a_deadline_today_is_coming_and_yesterdays_is_overdue_by_one_day(provider):
    _ending(provider, -1, 0)
    split = split_at(frozenset([provider.pk]), TODAY, 10)
    coming, overdue = rows(split.coming, TODAY), rows(split.overdue, TODAY)
    assert [row["deadline"].date for row in coming] == [TODAY]
    assert coming[0]["days_left"] == 0
    assert coming[0]["overdue_days"] is None
    assert [row["deadline"].date for row in overdue] == [TODAY - datetime.timedelta(days=1)]
    assert overdue[0]["overdue_days"] == 1


def test_the_limit_gives_the_soonest_of_each_side(provider):
    _ending(provider, *range(-13, 0), *reversed(range(12)))
    split = split_at(frozenset([provider.pk]), TODAY, 10)
    assert [row["days_left"] for row in rows(split.coming, TODAY)] == list(range(10))
    assert [row["overdue_days"] for row in rows(split.overdue, TODAY)] == list(range(13, 3, -1))
    assert (split.coming_total, split.overdue_total) == (12, 13)
    assert count_deadlines(frozenset([provider.pk]), start=TODAY) == 12


def test_pages_of_the_deadline_list_neither_overlap_nor_skip(provider, other_provider):
    # Ties on the same day across two sources and two providers.
    _ending(provider, *[day // 3 for day in range(30)])
    _ending(other_provider, *[day // 2 for day in range(20)])
    deadlines = DeadlineList(frozenset([provider.pk, other_provider.pk]), start=TODAY)
    whole = [d.uid for d in deadlines[0:60]]
    paged = [d.uid for start in range(0, 50, 7) for d in deadlines[start : start + 7]]
    assert len(deadlines) == 50
    assert paged == whole[:50]
    assert len(set(whole)) == 50


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (datetime.date(2026, 11, 22), datetime.date(2026, 10, 22), datetime.date(2027, 11, 22)),
        (datetime.date(2027, 3, 31), datetime.date(2027, 2, 28), datetime.date(2028, 3, 31)),
        (datetime.date(2028, 2, 29), datetime.date(2028, 1, 29), datetime.date(2029, 2, 28)),
        (datetime.date(2027, 1, 15), datetime.date(2026, 12, 15), datetime.date(2028, 1, 15)),
    ],
)
def test_the_feed_window_is_the_past_month_and_the_coming_year(today, start, end):
    assert feed_window(today) == (start, end)
