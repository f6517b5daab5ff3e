"""The deadlines as an iCalendar feed (RFC 5545) for Outlook and other calendars.

Written line by line: a leader's feed holds hundreds of events, and building
each as a component object took most of the request (a feed has one fixed
shape: all-day events with a text title, a category and a link).
"""

import datetime
from urllib.parse import urljoin

from portal.deadlines import Deadline

# RFC 5545 3.1: a content line is at most 75 octets; longer ones are folded.
LINE_OCTETS = 75
ONE_DAY = datetime.timedelta(days=1)


def feed_bytes(deadlines: list[Deadline], base_url: str) -> bytes:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rammeaftale//Frister//DA",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _text("Rammeaftale – frister"),
    ]
    for deadline in deadlines:
        lines += [
            "BEGIN:VEVENT",
            "UID:" + _text(f"{deadline.uid}@rammeaftale"),
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.date + ONE_DAY:%Y%m%d}",
            "SUMMARY:" + _text(deadline.title),
            "CATEGORIES:" + _text(deadline.kind),
            "URL:" + urljoin(base_url, deadline.url),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_folded(line) for line in lines).encode()


def _text(value) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line
    breaks escaped."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _folded(line: str) -> str:
    """The line with its CRLF, folded after 75 octets (a continuation starts
    with a space), never inside a character."""
    if len(line.encode()) <= LINE_OCTETS:
        return line + "\r\n"
    parts, part, size = [], [], 0
    for character in line:
        octets = len(character.encode())
        if size + octets > LINE_OCTETS:
            parts.append("".join(part))
            # The continuation's leading space counts towards its 75 octets.
            part, size = [" "], 1
        part.append(character)
        size += octets
    parts.append("".join(part))
    return "\r\n".join(parts) + "\r\n"
