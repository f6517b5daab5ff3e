"""The deadlines as an iCalendar feed (RFC 5545) for Outlook and other calendars."""

import datetime
from urllib.parse import urljoin

from icalendar import Calendar, Event

from portal.deadlines import Deadline


def feed_bytes(deadlines: list[Deadline], base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Rammeaftale//Frister//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Rammeaftale – frister")
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"{deadline.uid}@rammeaftale")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + datetime.timedelta(days=1))
        event.add("summary", deadline.title)
        event.add("categories", [deadline.kind])
        event.add("url", urljoin(base_url, deadline.url))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
