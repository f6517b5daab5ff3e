"""The leader's deadlines split into coming and overdue at today."""

import datetime

from portal.deadlines import Deadline, coming_and_overdue

TODAY = datetime.date(2026, 11, 22)


def _deadline(days: int) -> Deadline:
    day = TODAY + datetime.timedelta(days=days)
    return Deadline(uid=f"d{days}", date=day, title=f"D{days}", kind="k", url="/")


def test_a_deadline_today_is_coming_and_yesterdays_is_overdue_by_one_day():
    coming, overdue = coming_and_overdue([_deadline(-1), _deadline(0)], TODAY)
    assert [row["deadline"].uid for row in coming] == ["d0"]
    assert coming[0]["days_left"] == 0
    assert coming[0]["overdue_days"] is None
    assert [row["deadline"].uid for row in overdue] == ["d-1"]
    assert overdue[0]["overdue_days"] == 1


def test_the_limit_cuts_only_the_coming_deadlines():
    deadlines = [_deadline(days) for days in range(-3, 12)]
    coming, overdue = coming_and_overdue(deadlines, TODAY, limit=10)
    assert [row["deadline"].uid for row in coming] == [f"d{days}" for days in range(10)]
    assert len(overdue) == 3
