"""Forms of the contract pages: they validate input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.cpr import normalise_cpr, validate_cpr
from contracts.models import CPR_PURPOSE_MIN_LENGTH, Signature


class SignatureForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Signature.Party.choices)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("How"), choices=Signature.Method.choices)


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(
        label=_("Terminated on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason for termination"), widget=forms.Textarea)


class PurposeForm(forms.Form):
    """Showing a full CPR number needs a stated purpose; it goes to the access log."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        min_length=CPR_PURPOSE_MIN_LENGTH,
        help_text=_("Why you need the full CPR number. It is logged with your name."),
    )


class CprField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("validators", [validate_cpr])
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_cpr(super().to_python(value))


class CprSearchForm(PurposeForm):
    cpr = CprField(label=_("CPR number"))

    field_order = ["cpr", "purpose"]


class CprLogForm(forms.Form):
    cpr = CprField(
        label=_("The person's CPR number"),
        help_text=_("The child's, a parent's or the guardian's number."),
    )
