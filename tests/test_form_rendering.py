"""Every form's errors are drawn in the page's language, one message per error."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import translation

from capacity.forms import RequestForm


class _Amount(forms.Form):
    share = forms.DecimalField(validators=[MinValueValidator(Decimal("0.01"))])
    year = forms.IntegerField(min_value=2000)


def test_a_decimal_limit_reads_with_a_decimal_comma_in_danish():
    with translation.override("da"):
        form = _Amount(data={"share": "0", "year": "1999"})
        assert not form.is_valid()
        assert "0,01" in form["share"].errors[0]
        assert "0.01" not in form["share"].errors[0]
        assert "2000" in form["year"].errors[0]


def test_a_decimal_limit_reads_with_a_point_in_english():
    with translation.override("en"):
        form = _Amount(data={"share": "0", "year": "2000"})
        assert not form.is_valid()
        assert "0.01" in form["share"].errors[0]


def test_places_below_one_is_said_once():
    with translation.override("da"):
        form = RequestForm(
            data={"kind": "increase", "places": "0", "effective_on": "2099-01-01", "reason": "x"}
        )
        assert not form.is_valid()
        assert len(form["places"].errors) == 1
