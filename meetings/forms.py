from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody, Meeting
from domain.forms import DesignSystemForm
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


class ReviewForm(DesignSystemForm):
    """The members (besides the chair, always asked) to send the agenda to for review."""

    seats = forms.ModelMultipleChoiceField(
        queryset=BodyRepresentative.objects.none(),
        label=_("Also ask these members"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The chair is always asked."),
    )

    def __init__(self, *args, meeting, **kwargs):
        from meetings.services import reviewer_choices

        super().__init__(*args, **kwargs)
        seats = reviewer_choices(meeting).exclude(role=BodyRepresentative.Role.CHAIR)
        self.fields["seats"].queryset = seats
        self.fields["seats"].label_from_instance = lambda seat: (
            f"{seat.name} ({seat.municipality or seat.region})"
        )


class CommentForm(DesignSystemForm):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CloseForm(DesignSystemForm):
    reason = forms.ChoiceField(
        choices=[("", _("Open item"))] + list(AgendaItem.ClosedReason.choices),
        label=_("Closed item"),
        required=False,
        widget=forms.RadioSelect,
    )
    reason_text = forms.CharField(label=_("Other reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("reason") == AgendaItem.ClosedReason.OTHER
            and not (data.get("reason_text") or "").strip()
        ):
            self.add_error("reason_text", _("Say why the item is closed."))
        return data


class ExclusionForm(DesignSystemForm):
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), label=_("Item"))
    seat = forms.ModelChoiceField(queryset=BodyRepresentative.objects.none(), label=_("Member"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["seat"].queryset = (
            BodyRepresentative.objects.filter(body=meeting.body_id)
            .exclude(role=BodyRepresentative.Role.SECRETARY)
            .select_related("municipality", "region")
        )
        self.fields["seat"].label_from_instance = lambda seat: (
            f"{seat.name} ({seat.municipality or seat.region})"
        )


class NoteForm(DesignSystemForm):
    text = forms.CharField(
        label=_("My note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Only you can read it. Empty the field to delete the note."),
    )


class VersionForm(DesignSystemForm):
    file = forms.FileField(
        label=_("New version"), help_text=_("PDF, Word (DOCX) or Excel (XLSX), at most 20 MB.")
    )
