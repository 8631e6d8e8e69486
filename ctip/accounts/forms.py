from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ctip.reference.selectors import county_list

from .enums import AgencyType, BreakGlassReview, Role
from .models import Agency


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class MfaSetupForm(TokenForm):
    """The new device's code, plus proof that the person at the keyboard owns the account: a code from the
    current device when one is being replaced, the password at a first enrolment."""

    def __init__(self, *args, replacing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["current_token"] = forms.RegexField(
                label=_("6-digit code from your current authenticator device"),
                regex=r"^\s*\d{6}\s*$",
                max_length=8,
                error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
            )
            self.order_fields(["current_token", "token"])
        else:
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        error_messages={"invalid": _("3-150 letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        to_field_name="public_id",
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters; the user should change it after logging in."),
    )


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        to_field_name="public_id",
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    agency_type = forms.ChoiceField(label=_("Type"), choices=AgencyType.choices)
    national = forms.BooleanField(label=_("Serves the whole country"), required=False)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties served"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    email = forms.EmailField(label=_("Office e-mail"), required=False)
    phone = forms.CharField(label=_("Office phone"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = county_list()


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("old_password") and not self.user.check_password(data["old_password"]):
            self.add_error("old_password", _("Your current password is not right."))
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this record?"),
        min_length=15,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your access is logged and reviewed by auditors and the national coordinator."),
    )


class BreakGlassReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (BreakGlassReview.JUSTIFIED, BreakGlassReview.JUSTIFIED.label),
            (BreakGlassReview.UNJUSTIFIED, BreakGlassReview.UNJUSTIFIED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
