"""Input validation for the capacity pages; the rules are in services.py."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import GoverningBody, Meeting, Municipality
from capacity.models import CapacityAdjustment, Consultation, HearingResponse
from domain.forms import DateInput, DesignSystemForm
from providers.models import Offer


class RequestForm(DesignSystemForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CapacityAdjustment.Kind.choices)
    places = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        required=False,
        help_text=_("How many places to add or remove; not needed for a closure."),
    )
    target_group = forms.ChoiceField(
        label=_("New target group"),
        choices=[("", _("Unchanged")), *Offer.TargetGroup.choices],
        required=False,
        help_text=_("Only for a relabelling."),
    )
    legal_basis = forms.ChoiceField(
        label=_("New paragraph"),
        choices=[("", _("Unchanged")), *Offer.LegalBasis.choices],
        required=False,
        help_text=_("Only for a relabelling."),
    )
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())
    answers_by = forms.DateField(
        label=_("Affected municipalities answer by"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: as many days as an e-mail hearing gives."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_effective_on(self):
        effective_on = self.cleaned_data["effective_on"]
        if effective_on < timezone.localdate():
            raise forms.ValidationError(
                _("An adjustment takes effect from today or later, not in the past.")
            )
        return effective_on

    def clean(self):
        data = super().clean()
        without_places = (CapacityAdjustment.Kind.CLOSURE, CapacityAdjustment.Kind.RELABELLING)
        # One message per error: a number below 1 is already refused by the field.
        if (
            data.get("kind") not in without_places
            and not data.get("places")
            and "places" not in self.errors
        ):
            self.add_error("places", _("State the number of places, at least 1."))
        return data


class ChoiceForm(DesignSystemForm):
    """A form whose first field picks among the objects the user may act on
    (`scoped(user)`, on GET and POST alike), narrowed by the view to those
    that fit the step (`choices=`); the service decides whether the pick is
    allowed."""

    choice_field = ""

    def __init__(self, *args, user, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.choice_field]
        field.queryset = self.scoped(user)
        if choices is not None:
            field.queryset = choices.filter(pk__in=field.queryset.values("pk"))
            if len(field.queryset) == 1:
                # One to choose from (a member's own seat): chosen already.
                field.empty_label = None

    def scoped(self, user) -> QuerySet:
        raise NotImplementedError


class MunicipalityForm(ChoiceForm):
    choice_field = "municipality"
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )

    def scoped(self, user) -> QuerySet:
        # Any municipality may buy places in an offer (R3), not only the parties.
        return Municipality.objects.visible_to(user)


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
    # Nothing chosen in advance: sending unread records no agreement.
    answer = forms.ChoiceField(
        label=_("Your municipality's answer"),
        choices=Consultation.Answer.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def scoped(self, user) -> QuerySet:
        """A municipality answers for itself only."""
        return Municipality.objects.staffed_by(user)


class MemberForm(DesignSystemForm):
    """Picks a member of a hearing (a municipality or the region) by its key."""

    member = forms.ChoiceField(
        label=_("Member"), error_messages={"invalid_choice": _("Choose a member of the hearing.")}
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.key: member for member in members}
        choices = [(key, member.name) for key, member in self.members.items()]
        if len(choices) != 1:
            choices.insert(0, ("", "---------"))
        self.fields["member"].choices = choices

    def clean_member(self):
        member = self.members.get(self.cleaned_data["member"])
        if member is None:
            raise forms.ValidationError(_("Choose a member of the hearing."))
        return member

    def service_data(self) -> dict:
        """The cleaned data with the member as the service takes it."""
        data = dict(self.cleaned_data)
        member = data.pop("member")
        return data | {"municipality": member.municipality, "region": member.region}


class HearingAnswerForm(MemberForm):
    answer = forms.ChoiceField(
        label=_("Your answer to the hearing"),
        choices=HearingResponse.Answer.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HearingRecordForm(MemberForm):
    """The secretariat records an answer a member gave by mail, phone or at a meeting."""

    answer = forms.ChoiceField(label=_("Their answer"), choices=HearingResponse.Answer.choices)
    channel = forms.ChoiceField(
        label=_("How it was received"),
        choices=[
            choice
            for choice in HearingResponse.Channel.choices
            if choice[0] != HearingResponse.Channel.PAGE
        ],
    )
    respondent = forms.CharField(label=_("Who answered"), max_length=200)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    comment = forms.CharField(
        label=_("The answer's text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RouteToMeetingForm(ChoiceForm):
    choice_field = "meeting"
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def scoped(self, user) -> QuerySet:
        return Meeting.objects.material_visible_to(user)


class OpenHearingForm(ChoiceForm):
    """The body to hear, and for each member without an e-mail address the
    secretariat's written reason for leaving it out (fields
    `left_out_<body pk>_<member key>`)."""

    choice_field = "body"
    body = forms.ModelChoiceField(label=_("Body to hear"), queryset=GoverningBody.objects.none())

    def scoped(self, user) -> QuerySet:
        return GoverningBody.objects.administered_by(user)

    def left_out(self) -> dict[str, str]:
        """The reasons given for the chosen body's members, by member key."""
        prefix = f"left_out_{self.cleaned_data['body'].pk}_"
        return {
            name.removeprefix(prefix): value
            for name, value in self.data.items()
            if name.startswith(prefix) and isinstance(value, str)
        }


class DecisionForm(DesignSystemForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approved", _("Approved")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    grounds = forms.CharField(
        label=_("Grounds for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
