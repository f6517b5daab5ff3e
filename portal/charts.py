"""A server-rendered SVG chart of an offer's places over time (no JavaScript)."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class PlacesPoint:
    date: datetime.date
    places: int


def places_history(offer) -> list[PlacesPoint]:
    """The offer's approved places each time they changed, from its history."""
    points: list[PlacesPoint] = []
    rows = (
        offer.history.order_by("history_date", "history_id")
        .values_list("history_date", "approved_places")
        .iterator()
    )
    for when, places in rows:
        day = when.date()
        if points and points[-1].places == places:
            continue
        if points and points[-1].date == day:
            points[-1] = PlacesPoint(day, places)
        else:
            points.append(PlacesPoint(day, places))
    return points


def step_chart(
    points: list[PlacesPoint],
    today: datetime.date,
    width: int = 640,
    height: int = 240,
    margin: int = 40,
) -> dict:
    """Coordinates for a step line from the first change until today."""
    if not points:
        return {}
    start = points[0].date
    end = max(today, points[-1].date + datetime.timedelta(days=1))
    span = max((end - start).days, 1)
    top = max(point.places for point in points) or 1
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def x(day: datetime.date) -> float:
        return round(margin + plot_w * (day - start).days / span, 1)

    def y(places: int) -> float:
        return round(margin + plot_h * (1 - places / top), 1)

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
        "axis_bottom": height - margin,
        "axis_right": width - margin,
        "top_label_y": y(top),
        "top": top,
        "start": start,
        "end": end,
        "dots": [{"x": x(p.date), "y": y(p.places), "point": p} for p in points],
    }
