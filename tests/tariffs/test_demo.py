"""The demo holds two years of bases and tariffs, a basis breaking the
occupancy rule, and a closed offer with its closure costs divided."""

from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from tariffs.models import CalculationBasis, CostShare
from tariffs.queries import published_tariffs


def test_the_demo_has_tariffs_bases_a_flagged_basis_and_a_cost_split(db):
    call_command("seed_demo", verbosity=0)
    year = timezone.localdate().year
    for shown in (year - 1, year):
        tariffs = list(published_tariffs(shown))
        assert len(tariffs) >= 10
        basis = CalculationBasis.objects.get(pk=tariffs[0].basis_id)
        assert basis.compute_tariff() == tariffs[0].amount
    flagged = CalculationBasis.objects.get(status="submitted", year=year)
    assert flagged.flags[0] == "Budgetteret belægning 88 % er under 95 %"
    split = CostShare.objects.get(kind="closure")
    assert split.lines.count() == 3
    assert sum(split.lines.values_list("amount", flat=True)) == Decimal("1250000.00")
