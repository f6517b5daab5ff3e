"""The deadlines' iCalendar text (RFC 5545): escaped, folded, readable by a
calendar library."""

import datetime

from icalendar import Calendar

from portal.deadlines import Deadline
from portal.feed import feed_bytes

TITLE = (
    "Individuel kontrakt IK-000123-v2 udløber (Ringkøbing-Skjern; Ærø, Høje-Taastrup) "
    "– søg forlængelse\\genforhandling i god tid"
)


def _deadline(title: str = TITLE) -> Deadline:
    return Deadline(
        uid="individual-contract-end-123-2026-12-24",
        date=datetime.date(2026, 12, 24),
        title=title,
        kind="Kontrakt udløber",
        url="/contracts/individual/123/",
    )


def test_a_long_title_is_folded_within_75_octets_and_read_back_whole():
    feed = feed_bytes([_deadline()], "https://rammeaftale.example.dk/")

    lines = feed.split(b"\r\n")
    assert lines[-1] == b""
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) >= 1
    for line in lines:
        line.decode()  # never cut inside a character
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["summary"]) == TITLE


def test_commas_semicolons_and_backslashes_are_escaped():
    feed = feed_bytes([_deadline()], "https://rammeaftale.example.dk/").decode()
    unfolded = feed.replace("\r\n ", "")
    assert "(Ringkøbing-Skjern\\; Ærø\\, Høje-Taastrup)" in unfolded
    assert "forlængelse\\\\genforhandling" in unfolded


def test_an_event_is_the_whole_day_of_the_deadline_with_its_link():
    feed = feed_bytes([_deadline("Kort")], "https://rammeaftale.example.dk/")

    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2026, 12, 24)
    assert event.decoded("dtend") == datetime.date(2026, 12, 25)
    assert str(event["uid"]) == "individual-contract-end-123-2026-12-24@rammeaftale"
    assert str(event["url"]) == "https://rammeaftale.example.dk/contracts/individual/123/"
    assert str(event["summary"]) == "Kort"
