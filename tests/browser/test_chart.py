"""The capacity chart in a real browser at two data sizes: a screenshot of the
drawn chart, its axis labels readable (whole numbers, inside the chart, not on
top of each other) and one dot per change on its effective date."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from PIL import Image

from capacity import services
from providers.models import Offer
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _history(offer: Offer, changes: int) -> None:
    """`changes` carried-out increases of one place, 20 days apart, up to today,
    by the secretariat of the offer's (København's) agreement."""
    secretariat = User.objects.get(username="kbh-sekretariat")
    start = datetime.date.today() - datetime.timedelta(days=20 * changes)
    for number in range(changes):
        adjustment = services.adjustment_request(
            user=secretariat,
            offer=offer,
            kind="increase",
            places=1,
            effective_on=start + datetime.timedelta(days=20 * number),
            reason="Behov",
            today=start,
        )
        services.adjustment_carry_out(user=secretariat, adjustment=adjustment)


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
        or a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
    )


@pytest.mark.parametrize("changes", [1, 30])
def test_the_capacity_chart_is_drawn_readably_at_two_sizes(page, changes):
    offer = Offer.objects.filter(provider__name="Kofoeds Skole").order_by("name").first()
    _history(offer, changes)
    offer.refresh_from_db()
    log_in(page, "leder")
    page.goto(reverse("portal:offer_capacity", args=[offer.pk]))

    chart = page.locator("svg.chart")
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    width, height = image.size  # 640 × 240 and the 1-pixel border
    assert abs(width - 640) <= 2 and abs(height - 240) <= 2, image.size
    # The step line is drawn in the chart's blue (#0059b3).
    blue = sum(1 for r, g, b in image.get_flattened_data() if r < 40 and 70 < g < 110 and b > 160)
    assert blue > 200, blue

    frame = chart.bounding_box()
    labels = page.locator("svg.chart text.tick")
    texts = labels.all_text_contents()
    assert texts[0] == "0" and texts[-1] == str(offer.approved_places)
    assert all(text.isdigit() for text in texts)
    boxes = [label.bounding_box() for label in labels.all()]
    for box in boxes:
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    # One dot for the registered places and one per change.
    assert page.locator("svg.chart circle").count() == changes + 1
