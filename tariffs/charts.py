"""Server-drawn SVG charts for the Takstgruppe's reports (no JavaScript),
like the capacity chart in portal/charts.py. Each page shows the same numbers
in a table below the chart. Every coordinate is given as text with a point,
so the page's Danish number format (a comma) never reaches the SVG."""

import math
from dataclasses import dataclass
from decimal import Decimal

from domain.charts import axis_ticks

WIDTH, HEIGHT, MARGIN = 640, 260, 48
COLOURS = [
    "#0059b3",
    "#b51d09",
    "#008139",
    "#6b3fa0",
    "#a35a00",
    "#1a1a1a",
    "#00727a",
    "#c2185b",
    "#5d6b00",
    "#7a4e2d",
]


@dataclass
class Series:
    label: str
    values: list  # one value (or None) per category


def _top(series: list[Series]) -> int:
    """The axis's top: the largest value rounded up to a whole number."""
    values = [value for one in series for value in one.values if value is not None]
    return math.ceil(max(values, default=0)) or 1


def line_chart(categories: list, series: list[Series]) -> dict:
    """Coordinates for one polyline per series over the categories (years, months)."""
    if not categories or not series:
        return {}
    top = _top(series)
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    step = plot_w / max(len(categories) - 1, 1)

    def x(index: int) -> str:
        return f"{MARGIN + step * index:.1f}"

    def y(value) -> str:
        return f"{MARGIN + plot_h * (1 - float(value) / top):.1f}"

    lines = []
    # At most as many series as colours (the legend's CSS has one class per colour).
    for number, one in enumerate(series[: len(COLOURS)]):
        points = [(x(i), y(v)) for i, v in enumerate(one.values) if v is not None]
        lines.append(
            {
                "label": one.label,
                "colour": COLOURS[number],
                "points": " ".join(f"{px},{py}" for px, py in points),
                "dots": points,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": MARGIN,
        "right": WIDTH - MARGIN,
        "bottom": HEIGHT - MARGIN,
        "top_y": MARGIN,
        "top": top,
        "label_x": MARGIN - 8,
        "ticks": [{"y": y(value), "label": value} for value in axis_ticks(top)],
        "labels": [{"x": x(i), "text": str(c)} for i, c in enumerate(categories)],
        "lines": lines,
    }


def bar_chart(rows: list[tuple[str, Decimal]], *, limit: int = 20) -> dict:
    """Horizontal bars, the largest first, at most `limit` (the table has all)."""
    rows = sorted(rows, key=lambda row: row[1], reverse=True)[:limit]
    if not rows:
        return {}
    top = max(value for _label, value in rows) or 1
    bar, gap, label_w = 16, 6, 180
    plot_w = WIDTH - label_w - MARGIN
    bars = []
    for index, (label, value) in enumerate(rows):
        y = MARGIN // 2 + index * (bar + gap)
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + bar - 3,
                "width": f"{plot_w * float(value) / float(top):.1f}",
                "value": value,
            }
        )
    return {
        "width": WIDTH,
        "height": MARGIN + len(rows) * (bar + gap),
        "label_x": label_w - 6,
        "bar_x": label_w,
        "bar_height": bar,
        "bars": bars,
    }
