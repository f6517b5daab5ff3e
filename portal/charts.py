"""A server-rendered SVG chart of an offer's places over time (no JavaScript)."""

import datetime
from dataclasses import dataclass

from capacity.models import CapacityAdjustment
from domain.charts import axis_ticks


@dataclass(frozen=True)
class PlacesPoint:
    """The places from `date` on, and the adjustment that made the change
    (None for the places the offer was registered with)."""

    date: datetime.date
    places: int
    adjustment: CapacityAdjustment | None = None


def places_history(offer) -> list[PlacesPoint]:
    """R5: the offer's places as registered (from the day it opened), then each
    carried-out adjustment on the day it took effect ("gælder fra") — not the
    day someone ran the step. Two queries, whatever the history's length."""
    adjustments = list(
        CapacityAdjustment.objects.filter(
            offer=offer, status=CapacityAdjustment.Status.CARRIED_OUT
        ).order_by("effective_on", "carried_out_at", "pk")
    )
    first = offer.history.order_by("history_date", "history_id").first()
    if adjustments:
        start_places = adjustments[0].places_before
    else:
        start_places = first.approved_places if first is not None else offer.approved_places
    registered = offer.opened_on or (first.history_date.date() if first else None)
    points: list[PlacesPoint] = []
    if registered is not None and (not adjustments or registered <= adjustments[0].effective_on):
        points.append(PlacesPoint(registered, start_places))
    for adjustment in adjustments:
        point = PlacesPoint(adjustment.effective_on, adjustment.places_after, adjustment)
        if points and points[-1].date == point.date:
            points[-1] = point  # the last change of a day holds from that day
        else:
            points.append(point)
    if not points:
        points.append(PlacesPoint(datetime.date.today(), offer.approved_places))
    return points


def step_chart(
    points: list[PlacesPoint],
    today: datetime.date,
    width: int = 640,
    height: int = 240,
    margin: int = 48,
) -> dict:
    """Coordinates for a step line from the first change until today. Every
    number is given as text with a point, so the page's Danish number format
    (a comma) never reaches the SVG."""
    if not points:
        return {}
    start = points[0].date
    end = max(today, points[-1].date + datetime.timedelta(days=1))
    span = max((end - start).days, 1)
    top = max(point.places for point in points) or 1
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def x(day: datetime.date) -> str:
        return f"{margin + plot_w * (day - start).days / span:.1f}"

    def y(places: int) -> str:
        return f"{margin + plot_h * (1 - places / top):.1f}"

    path = []
    for index, point in enumerate(points):
        if index:
            path.append(f"{x(point.date)},{y(points[index - 1].places)}")
        path.append(f"{x(point.date)},{y(point.places)}")
    path.append(f"{x(end)},{y(points[-1].places)}")
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(path),
        "axis_x": margin,
        "axis_top": margin,
        "axis_bottom": height - margin,
        "axis_right": width - margin,
        "label_x": margin - 8,
        "date_y": height - margin + 20,
        "ticks": [{"y": y(value), "label": str(value)} for value in axis_ticks(top)],
        "top": top,
        "start": start,
        "end": end,
        "dots": [{"x": x(p.date), "y": y(p.places), "point": p} for p in points],
    }
