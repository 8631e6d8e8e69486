"""Forms of intake. Labels are short and plain: the public form is used on phones, in English or Kiswahili."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.validators import validate_past_date
from ctip.people.forms import PersonForm
from ctip.reference.options_cache import CachedOptionsSelect
from ctip.reference.selectors import country_list, county_list, htcds_choices

from .enums import (
    CallerType,
    CallLanguage,
    CallStatus,
    Situation,
    TipCloseReason,
    TipSource,
    TipStatus,
    Urgency,
)
from .services import CallInput, CaseDraft, TipInput

TRI_STATE = [("", _("Work it out from the date of birth")), ("yes", _("Yes, a child")), ("no", _("No, an adult"))]


# --- public -------------------------------------------------------------------------------------------------


class PublicTipForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("What kind of situation is it?"), choices=Situation.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tell us as much as you can: who, what, where. You do not have to give your name."),
    )
    # the option lists are the same for every visitor: rendered once per language (ctip.reference.options_cache)
    county = forms.ModelChoiceField(
        label=_("Where? County in Kenya"), queryset=None, required=False, widget=CachedOptionsSelect
    )
    country = forms.ModelChoiceField(
        label=_("Or country, if outside Kenya"), queryset=None, required=False, widget=CachedOptionsSelect
    )
    place = forms.CharField(label=_("Town, city or place"), max_length=200, required=False)
    occurred = forms.CharField(
        label=_("When?"),
        max_length=200,
        required=False,
        help_text=_("For example: yesterday, last week, since January, it is still happening."),
    )
    people_involved = forms.CharField(
        label=_("Names or phone numbers of the people involved (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The people who may be victims, or who may be responsible."),
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you want us to contact you. Leave it empty to stay anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Left empty by people; bots fill every field. Hidden from screen readers and sighted users alike.
    website = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()
        self.fields["country"].queryset = country_list()

    def to_input(self, language: str) -> TipInput:
        d = self.cleaned_data
        return TipInput(
            situation=d["situation"],
            description=d["description"],
            county_id=d["county"].pk if d["county"] else None,
            country_id=d["country"].pk if d["country"] else None,
            place=d["place"],
            occurred=d["occurred"],
            people_involved=d["people_involved"],
            contact=d["contact"],
            language=language,
        )


class StatusCheckForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "TIP-"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


# --- triage --------------------------------------------------------------------------------------------------


class TipFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *TipStatus.choices], required=False)
    situation = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *Situation.choices], required=False)
    county = forms.ModelChoiceField(label=_("County"), queryset=None, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All")), *TipSource.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TipCloseForm(VersionForm):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "—"), *TipCloseReason.choices])
    note = forms.CharField(
        label=_("Internal note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message = forms.CharField(
        label=_("Message to the reporter (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the reporter with their reference and PIN. Say nothing about the people involved."),
    )


class TipMessageForm(VersionForm):
    message = forms.CharField(
        label=_("Message to the reporter"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the reporter with their reference and PIN. Say nothing about the people involved."),
    )


class ConvertCaseForm(VersionForm):
    """The case part of converting a tip or call; the person part is ctip.people.forms.PersonForm."""

    identified_on = forms.DateField(
        label=_("Date identified"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        validators=[validate_past_date],
    )
    identified_county = forms.ModelChoiceField(label=_("County where identified"), queryset=None, required=False)
    identified_country = forms.ModelChoiceField(
        label=_("Or country where identified (abroad)"), queryset=None, required=False
    )
    is_child = forms.ChoiceField(label=_("Child when identified?"), choices=TRI_STATE, required=False)
    exploitation = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )
    narrative = forms.CharField(
        label=_("What happened (circumstances)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Encrypted. Only officers with a need to know can read it; every read is recorded."),
    )
    message = forms.CharField(
        label=_("Message to the reporter (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the reporter with their reference and PIN. Say nothing about the people involved."),
    )

    def __init__(self, *args, with_message: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_county"].queryset = county_list()
        self.fields["identified_country"].queryset = country_list()
        self.fields["exploitation"].choices = htcds_choices("vic_TypeOfExploitation")
        if not with_message:
            del self.fields["message"]

    def to_draft(self, pform: PersonForm) -> CaseDraft:
        d = self.cleaned_data
        return CaseDraft(
            identity=pform.to_identity(),
            identified_on=d["identified_on"],
            narrative=d["narrative"],
            htcds={"vic_TypeOfExploitation": list(d["exploitation"])},
            is_child={"yes": True, "no": False}.get(d.get("is_child") or ""),
            identified_county_id=d["identified_county"].pk if d["identified_county"] else None,
            identified_country_id=d["identified_country"].pk if d["identified_country"] else None,
        )


# --- hotline ---------------------------------------------------------------------------------------------------


class CallForm(forms.Form):
    caller_type = forms.ChoiceField(label=_("Who called?"), choices=CallerType.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    language = forms.ChoiceField(label=_("Language of the call"), choices=CallLanguage.choices, initial="sw")
    call_at = forms.DateTimeField(
        label=_("Call started"),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[validate_past_date],
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=0, max_value=1440, initial=0)
    county = forms.ModelChoiceField(label=_("County"), queryset=None, required=False)
    country = forms.ModelChoiceField(label=_("Or country (abroad)"), queryset=None, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=120, required=False)
    summary = forms.CharField(
        label=_("Summary of the call"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Encrypted. Every read is recorded."),
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()
        self.fields["country"].queryset = country_list()

    def to_input(self) -> CallInput:
        d = self.cleaned_data
        return CallInput(
            caller_type=d["caller_type"],
            summary=d["summary"],
            call_at=d["call_at"],
            urgency=d["urgency"],
            language=d["language"],
            county_id=d["county"].pk if d["county"] else None,
            country_id=d["country"].pk if d["country"] else None,
            city=d["city"],
            duration_minutes=d["duration_minutes"],
            follow_up_needed=d["follow_up_needed"],
        )


class CallFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CallStatus.choices], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", _("All")), *Urgency.choices], required=False)
    follow_up = forms.BooleanField(label=_("Follow-up needed"), required=False)


class EscalateForm(VersionForm):
    situation = forms.ChoiceField(label=_("Type of situation"), choices=Situation.choices, initial=Situation.OTHER)


# --- import -----------------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (HTCDS Excel template .xlsx, or CSV)"),
        help_text=_("At most 8 MB. Every row is checked; if one row has an error, nothing is imported."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not name.endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if f.size > 8 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 8 MB: split it."))
        return f
