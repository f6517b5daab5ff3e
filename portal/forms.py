from django import forms
from django.utils.translation import gettext_lazy as _

from domain.forms import DesignSystemForm


class DeadlineForm(forms.Form):
    """The leader's deadline list: from which day, and optionally one provider."""

    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, data=None, *, providers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["provider"].queryset = providers.order_by("name")


class SealedPdfForm(DesignSystemForm):
    pdf = forms.FileField(
        label=_("The PDF to check"),
        help_text=_("A contract, minutes or tariff list from Rammeaftale, as you received it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
