"""The open meeting pages (/moeder/offentlige/), without login: each body that
publishes shows its released agendas and approved minutes — the open items,
their papers and, once the minutes are approved, their decisions — with an
iCalendar and an RSS feed per body. Never a closed item, a draft agenda,
draft minutes, attendance or members' notes."""

import datetime
from urllib.parse import urljoin

from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.access import public, visible_or_404
from agreements.models import GoverningBody, Meeting
from meetings.feed import COPENHAGEN
from meetings.models import AgendaItem, Document, Minutes, public_meetings

RECENT = 50


def _bodies():
    return GoverningBody.objects.filter(GoverningBody.publishing_q()).order_by("name")


def _meetings(body: GoverningBody | None = None):
    meetings = public_meetings().select_related("body", "record", "release")
    if body is not None:
        meetings = meetings.filter(body=body)
    return meetings.order_by("-date")


def _approved(meeting: Meeting) -> bool:
    minutes = getattr(meeting, "record", None)
    return minutes is not None and minutes.status == Minutes.Status.APPROVED


@public
def index(request: HttpRequest) -> HttpResponse:
    bodies = list(_bodies())
    recent = list(_meetings().filter(body__in=bodies)[:RECENT])
    for body in bodies:
        body.recent = [meeting for meeting in recent if meeting.body_id == body.pk][:5]
    return render(request, "meetings/public/index.html", {"bodies": bodies})


@public
def body(request: HttpRequest, pk: int) -> HttpResponse:
    shown = visible_or_404(_bodies(), pk=pk)
    return render(
        request,
        "meetings/public/body.html",
        {"body": shown, "meetings": _meetings(shown)[:RECENT]},
    )


@public
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    shown = visible_or_404(_meetings(), pk=pk)
    items = (
        AgendaItem.objects.public()
        .filter(meeting=shown)
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("pk")))
        .order_by("position", "pk")
    )
    return render(
        request,
        "meetings/public/meeting.html",
        {"meeting": shown, "items": items, "approved": _approved(shown)},
    )


@public
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper of an open item on a public agenda; anything else is 404."""
    paper = visible_or_404(Document.objects.public(), pk=pk)
    from meetings.views import CONTENT_TYPES

    return FileResponse(
        paper.file.open("rb"),
        content_type=CONTENT_TYPES[paper.kind],
        as_attachment=True,
        filename=paper.filename,
    )


@public
def body_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's released meetings as iCalendar (RFC 5545)."""
    shown = visible_or_404(_bodies(), pk=pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Rammeaftale//Offentlige moeder//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{shown.name} – møder")
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for one in _meetings(shown)[:RECENT]:
        event = Event()
        event.add("uid", f"public-meeting-{one.pk}@rammeaftale")
        event.add("dtstamp", stamp)
        if one.starts_at:
            event.add("dtstart", datetime.datetime.combine(one.date, one.starts_at, COPENHAGEN))
        else:
            event.add("dtstart", one.date)
            event.add("dtend", one.date + datetime.timedelta(days=1))
        event.add("summary", f"{shown.name}: møde")
        if one.location:
            event.add("location", one.location)
        event.add(
            "url", request.build_absolute_uri(reverse("meetings:public_meeting", args=[one.pk]))
        )
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@public
def body_rss(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's released agendas and approved minutes as RSS 2.0."""
    shown = visible_or_404(_bodies(), pk=pk)
    base = request.build_absolute_uri("/")
    feed = feedgenerator.Rss201rev2Feed(
        title=_("%(body)s: agendas and minutes") % {"body": shown.name},
        link=urljoin(base, reverse("meetings:public_body", args=[shown.pk])),
        description=_("Released agendas and approved minutes of %(body)s.") % {"body": shown.name},
        language="da",
    )
    meetings = list(_meetings(shown)[:RECENT])
    titles = {}
    for item in AgendaItem.objects.public().filter(meeting__in=meetings).order_by("position", "pk"):
        titles.setdefault(item.meeting_id, []).append(item.title)
    for one in meetings:
        kind = _("Minutes") if _approved(one) else _("Agenda")
        feed.add_item(
            title=f"{kind}: {one}",
            link=urljoin(base, reverse("meetings:public_meeting", args=[one.pk])),
            description="\n".join(titles.get(one.pk, [])),
            unique_id=f"public-meeting-{one.pk}-{'minutes' if _approved(one) else 'agenda'}",
            pubdate=one.release.released_at,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8"
    )
