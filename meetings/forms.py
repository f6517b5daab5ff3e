from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import FrameworkAgreement, GoverningBody, Meeting
from meetings.models import AgendaItem, Mandate, Minutes


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "date", "starts_at", "ends_at", "location", "online_link"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = GoverningBody.objects.administered_by(user)
        for name in ("starts_at", "ends_at", "location", "online_link"):
            self.fields[name].required = False

    def clean(self):
        from meetings.services import meeting_place_refusal

        data = super().clean()
        if refusal := meeting_place_refusal(data):
            self.add_error("location", refusal)
        return data


class ItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "case_text",
            "recommendation",
            "evaluation_of",
            "mandate",
            "tariff_matter",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "case_text": forms.Textarea(attrs={"rows": 6}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # What the user's secretariat may put on an agenda: its agreements in
        # force or to come, and its ad hoc groups' mandates not yet approved.
        self.fields["evaluation_of"].queryset = FrameworkAgreement.objects.administered_by(
            user
        ).exclude(status=FrameworkAgreement.Status.EXPIRED)
        self.fields["mandate"].queryset = Mandate.objects.visible_to(user).filter(
            approved_at__isnull=True
        )
        self.fields["evaluation_of"].required = False
        self.fields["mandate"].required = False
        # A type is chosen, not left at "---------".
        self.fields["kind"].choices = AgendaItem.Kind.choices
        if editing:
            del self.fields["evaluation_of"]
            del self.fields["mandate"]

    def clean(self):
        data = super().clean()
        if data.get("evaluation_of") and data.get("mandate"):
            raise forms.ValidationError(_("An agenda item is about one thing at most."))
        return data


class MoveForm(forms.Form):
    """The meetings whose material the user may see, narrowed by the view to
    those that fit (`meetings=`)."""

    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Move to meeting"))

    def __init__(self, *args, user, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Meeting.objects.material_visible_to(user)
        if meetings is not None:
            visible = meetings.filter(pk__in=visible.values("pk"))
        self.fields["meeting"].queryset = visible


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=AgendaItem.Outcome.choices, label=_("Outcome"), widget=forms.RadioSelect
    )
    decision = forms.CharField(
        label=_("Decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Not needed when the item is noted."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") not in (None, AgendaItem.Outcome.NOTED)
            and not data.get("decision", "").strip()
        ):
            self.add_error("decision", _("Write the decision."))
        return data


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["present", "apologies", "notes"]
        widgets = {
            "present": forms.Textarea(attrs={"rows": 4}),
            "apologies": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ApproveForm(forms.Form):
    how = forms.ChoiceField(
        choices=Minutes.ApprovedHow.choices, label=_("Approved"), widget=forms.RadioSelect
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (DOCX) or Excel (XLSX), at most 20 MB.")
    )
