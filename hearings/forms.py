"""The hearing's and the publication's forms: input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import FrameworkAgreement
from domain.forms import DateInput, DesignSystemForm
from hearings.models import AgreementHearing, DocumentKind, HearingAnswer


class HearingForm(DesignSystemForm):
    """The agreements to choose from are those the user's secretariat administers."""

    agreement = forms.ModelChoiceField(
        label=_("Framework agreement"), queryset=FrameworkAgreement.objects.none()
    )
    document = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Deadline for answers"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = FrameworkAgreement.objects.administered_by(user)


class SectionForm(DesignSystemForm):
    number = forms.IntegerField(label=_("Section number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(DesignSystemForm):
    """A council's answer: a text per section, or "no comments". The councils
    to choose from are those the user may answer for (`councils`)."""

    council = forms.ChoiceField(label=_("Council"))
    received = forms.ChoiceField(
        label=_("Received"),
        choices=[c for c in HearingAnswer.Received.choices if c[0] != "page"],
    )
    no_comments = forms.BooleanField(
        label=_("No comments (ingen bemærkninger)"),
        required=False,
        help_text=_("The council has no comments to any section."),
    )

    def __init__(self, *args, hearing: AgreementHearing, councils, recording: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = {council.key: council for council in councils}
        self.fields["council"].choices = [(c.key, c.name) for c in councils]
        if not recording:
            del self.fields["received"]
        self.section_fields = []
        for section in hearing.sections.order_by("number"):
            name = f"section_{section.number}"
            self.fields[name] = forms.CharField(
                label=f"{section.number}. {section.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
            )
            self.section_fields.append((section, name))

    def clean_council(self):
        return self.councils[self.cleaned_data["council"]]

    def texts(self) -> dict[int, str]:
        return {section.number: self.cleaned_data[name] for section, name in self.section_fields}


class CommentForm(DesignSystemForm):
    comment = forms.CharField(
        label=_("The secretariat's comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AddressForm(DesignSystemForm):
    """Where a municipality published; the municipalities to choose from are
    those the user may record for (`municipalities`)."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    url = forms.URLField(
        label=_("Address of the publication"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The page on the municipality's website with the approved documents."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
