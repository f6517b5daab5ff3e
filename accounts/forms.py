"""Input of the user pages. The forms name every field they read: nothing
else a POST carries (is_superuser, is_staff, groups, permissions …) reaches
the services. The rules are in accounts/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import BodyRepresentative, GoverningBody, Municipality, Secretariat
from providers.models import Provider

ROLE_CHOICES = [
    ("", _("All roles")),
    ("secretariat", _("Secretariat")),
    ("leader", _("Provider leader")),
    ("municipality", _("Municipality staff")),
    ("body", _("Body member")),
    ("none", _("Linked to nothing")),
]
ACTIVE_CHOICES = [("", _("Active and deactivated")), ("1", _("Active")), ("0", _("Deactivated"))]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)
    inactive = forms.BooleanField(
        label=_("Only users without a login for 12 months"), required=False
    )


class LinkForm(forms.Form):
    """What gives a user their role: choices limited to what the acting
    secretariat administers."""

    provider = forms.ModelChoiceField(
        label=_("Leader of provider"), queryset=Provider.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Staff of municipality"), queryset=Municipality.objects.none(), required=False
    )
    body = forms.ModelChoiceField(
        label=_("Seat in governing body"), queryset=GoverningBody.objects.none(), required=False
    )
    seat_for = forms.ModelChoiceField(
        label=_("The seat answers for"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("A member municipality of the body."),
    )
    secretariat = forms.ModelChoiceField(
        label=_("Member of our secretariat"), queryset=Secretariat.objects.none(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.administered_by(actor)
        municipalities = Municipality.objects.administered_by(actor)
        self.fields["municipality"].queryset = municipalities
        self.fields["seat_for"].queryset = municipalities
        self.fields["body"].queryset = GoverningBody.objects.administered_by(actor)
        self.fields["secretariat"].queryset = Secretariat.objects.visible_to(actor)

    LINKS = ("provider", "municipality", "body", "seat_for", "secretariat")

    def links(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.LINKS}

    def clean(self):
        data = super().clean()
        if data.get("body") and not data.get("seat_for"):
            self.add_error("seat_for", _("Choose the member municipality the seat answers for."))
        return data


class InviteForm(LinkForm):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    field_order = ["email", "first_name", "last_name"]

    def clean(self):
        data = super().clean()
        links = ("provider", "municipality", "body", "secretariat")
        if not any(data.get(name) for name in links):
            raise forms.ValidationError(
                _("Link the user to a provider, a municipality, a body or your secretariat.")
            )
        return data


class UnlinkForm(forms.Form):
    """One link to remove, named by kind and id."""

    kind = forms.ChoiceField(
        choices=[(k, k) for k in ("provider", "municipality", "seat", "secretariat")]
    )
    pk = forms.IntegerField()

    MODELS = {
        "provider": Provider,
        "municipality": Municipality,
        "seat": BodyRepresentative,
        "secretariat": Secretariat,
    }

    def target(self):
        model = self.MODELS[self.cleaned_data["kind"]]
        return model.objects.filter(pk=self.cleaned_data["pk"]).first()


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I am sure"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class BulkDeactivateForm(ConfirmForm):
    users = forms.TypedMultipleChoiceField(coerce=int, label=_("Users"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = [(user.pk, str(user)) for user in candidates]
        self.fields["users"].error_messages["required"] = _("Choose at least one user.")


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    """The six digits of the authenticator app (the second factor)."""

    token = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": _("Enter the six digits the app shows."),
            "required": _("Enter the six digits the app shows."),
        },
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
