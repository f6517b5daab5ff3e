"""Forms of the contract pages: they validate input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.cpr import normalise_cpr, validate_cpr
from contracts.models import CPR_PURPOSE_MIN_LENGTH, Signature
from domain.forms import DesignSystemForm


class PaperSignatureForm(forms.Form):
    """A signature made on paper, recorded by the secretariat with the signed scan."""

    party = forms.ChoiceField(label=_("Party"), choices=Signature.Party.choices)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(
        label=_("Signed scan (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DigitalSignatureForm(DesignSystemForm):
    """The signatory signs in person: for which party, and with which title."""

    party = forms.ChoiceField(label=_("I sign on behalf of"), widget=forms.RadioSelect)
    signer_title = forms.CharField(
        label=_("Your title"),
        max_length=200,
        help_text=_("As it is to appear with your signature, e.g. Head of social services."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the document for signature and sign it."), required=True
    )

    def __init__(self, *args, parties: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(party, Signature.Party(party).label) for party in parties]
        if len(parties) == 1:
            self.fields["party"].initial = parties[0]


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
