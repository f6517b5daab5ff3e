"""The reports' charts: coordinates an SVG can read in any language, whole ticks."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from tariffs.charts import Series, bar_chart, line_chart


def _chart():
    return line_chart(
        [f"{month:02d}" for month in range(1, 13)],
        [Series("Belægning", [Decimal("0.5")] * 12), Series("Budget", [Decimal("96.5")] * 12)],
    )


def test_the_axis_has_whole_round_ticks_up_to_the_top():
    labels = [tick["label"] for tick in _chart()["ticks"]]
    assert labels == [0, 20, 40, 60, 80, 97]


def test_coordinates_keep_a_point_in_a_danish_page():
    with translation.override("da"):
        html = render_to_string(
            "tariffs/_line_chart.html", {"chart": _chart(), "chart_id": "c", "chart_title": "t"}
        )
    assert 'x="97.5"' in html
    assert ',0"' not in html
    assert "Tabellen under diagrammet" in html


def test_bar_widths_keep_a_point():
    chart = bar_chart([("A", Decimal("3")), ("B", Decimal("1"))])
    assert chart["bars"][1]["width"] == "137.3"
