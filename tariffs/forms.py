"""Input validation for the tariff pages; the rules are in services.py."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import FrameworkAgreement
from domain.forms import DateInput
from providers.models import Tariff
from tariffs.models import CalculationBasis


def amount_field(label):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("In kroner with øre, e.g. 1.000.000,00."),
    )


class CostShareForm(forms.Form):
    total = amount_field(_("Amount to divide (DKK)"))
    description = forms.CharField(
        label=_("What the amount covers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_total(self):
        total = self.cleaned_data["total"]
        if total <= 0:
            raise forms.ValidationError(_("The amount to divide must be positive."))
        return total


class DeficitForm(CostShareForm):
    year = forms.IntegerField(label=_("Year of the deficit"), min_value=2000, max_value=2100)

    field_order = ["year", "total", "description"]


class RoundForm(forms.Form):
    """The agreements to choose from are those the user's secretariat administers."""

    agreement = forms.ModelChoiceField(
        label=_("Framework agreement"), queryset=FrameworkAgreement.objects.none()
    )
    year = forms.IntegerField(label=_("Tariff year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Deadline for submissions"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = FrameworkAgreement.objects.administered_by(user)
        self.fields["year"].initial = datetime.date.today().year + 1


class BasisForm(forms.ModelForm):
    """The operator's numbers; the steering agreement's rules are checked by
    the service when the basis is submitted."""

    class Meta:
        model = CalculationBasis
        fields = CalculationBasis.INPUT_FIELDS
        widgets = {"increase_reason": forms.Textarea(attrs={"rows": 3})}
        # Amounts are written the Danish way (1.234,50): text inputs, not number inputs.
        localized_fields = CalculationBasis.AMOUNT_FIELDS

    def validate_unique(self):
        """The offer and year are set by the service, not by this form."""


class AddOnForm(forms.Form):
    name = forms.CharField(label=_("Add-on service"), max_length=200, required=False)
    price = forms.DecimalField(
        label=_("Price (DKK)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("", "—"), *Tariff.Unit.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and (data.get("price") is None or not data.get("unit")):
            raise forms.ValidationError(_("Give the add-on service's price and unit."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("correct", _("Ask for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the operator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for a correction."),
    )

    def clean(self):
        data = super().clean()
        # The service holds the rule; said here beside the field it is about.
        if data.get("decision") == "correct" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what must be corrected."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet with calculation bases (XLSX or CSV)"),
        help_text=_("Download the template, fill in the numbers and upload it here."),
    )
