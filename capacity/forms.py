"""Input validation for the capacity pages; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import GoverningBody, Meeting, Municipality
from capacity.models import CapacityAdjustment, Consultation, HearingResponse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CapacityAdjustment.Kind.choices)
    places = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        required=False,
        help_text=_("How many places to add or remove; not needed for a closure."),
    )
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("kind") != CapacityAdjustment.Kind.CLOSURE and not data.get("places"):
            self.add_error("places", _("State the number of places, at least 1."))
        return data


class ChoiceForm(forms.Form):
    """A form whose first field picks among objects the view offers
    (`choices=`); the service decides whether the pick is allowed."""

    choice_field = ""

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            field = self.fields[self.choice_field]
            field.queryset = choices
            if len(choices) == 1:
                # One to choose from (a member's own seat): chosen already.
                field.empty_label = None


class MunicipalityForm(ChoiceForm):
    choice_field = "municipality"
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all()
    )


class ConsultationRecordForm(MunicipalityForm):
    contacted_on = forms.DateField(label=_("Contacted on"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=Consultation.Method.choices)
    answer = forms.ChoiceField(
        label=_("Their answer"),
        choices=[("", _("No answer yet")), *Consultation.Answer.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsultationAnswerForm(MunicipalityForm):
    answer = forms.ChoiceField(
        label=_("Your municipality's answer"), choices=Consultation.Answer.choices
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HearingAnswerForm(MunicipalityForm):
    answer = forms.ChoiceField(
        label=_("Your answer to the hearing"), choices=HearingResponse.Answer.choices
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RouteToMeetingForm(ChoiceForm):
    choice_field = "meeting"
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.all())


class OpenHearingForm(ChoiceForm):
    choice_field = "body"
    body = forms.ModelChoiceField(label=_("Body to hear"), queryset=GoverningBody.objects.all())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approved", _("Approved")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    grounds = forms.CharField(
        label=_("Grounds for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
