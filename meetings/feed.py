"""The meetings as an iCalendar feed (RFC 5545), for Outlook and other calendars."""

import datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar, Event

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def meetings_feed(meetings, deadlines, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Rammeaftale//Moeder//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Rammeaftale – møder")
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@rammeaftale")
        event.add("dtstamp", stamp)
        if meeting.starts_at:
            start = datetime.datetime.combine(meeting.date, meeting.starts_at, COPENHAGEN)
            end_time = (
                meeting.ends_at
                or (
                    datetime.datetime.combine(meeting.date, meeting.starts_at)
                    + datetime.timedelta(hours=2)
                ).time()
            )
            event.add("dtstart", start)
            event.add("dtend", datetime.datetime.combine(meeting.date, end_time, COPENHAGEN))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("summary", f"{meeting.body.name}: møde")
        if meeting.location:
            event.add("location", meeting.location)
        url = urljoin(base_url, reverse("meetings:meeting", args=[meeting.pk]))
        event.add("url", url)
        description = url if not meeting.online_link else f"{meeting.online_link}\n{url}"
        event.add("description", description)
        calendar.add_component(event)
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"cycle-{deadline.pk}@rammeaftale")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + datetime.timedelta(days=1))
        event.add("summary", f"Årshjul: {deadline.title} ({deadline.agreement.name})")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
