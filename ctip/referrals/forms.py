"""Forms of the directory and of referrals. Labels and help are translated; services do the real checks."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.cases.enums import CaseSection, ServiceType
from ctip.reference.selectors import county_list

from .enums import SUGGESTED_SECTIONS, AcceptsSex, ReferralStatus


def _county_queryset():
    return county_list()


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n,;]+", text or "") if p.strip()]


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any service")), *ServiceType.choices], required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, to_field_name="code", empty_label=_("Any county")
    )
    beds = forms.BooleanField(label=_("Shelters with a free bed"), required=False)
    children = forms.BooleanField(label=_("Accepts children"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _county_queryset()


class ProviderForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=True, to_field_name="public_id")
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )
    national = forms.BooleanField(label=_("Serves the whole country"), required=False)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties served"),
        queryset=None,
        required=False,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    shelter_capacity = forms.IntegerField(
        label=_("Shelter beds"),
        min_value=0,
        max_value=10_000,
        initial=0,
        required=False,
        help_text=_("Beds in use are counted from accepted and in-progress shelter referrals."),
    )
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False, initial=True)
    accepts_adults = forms.BooleanField(label=_("Accepts adults"), required=False, initial=True)
    accepts_sex = forms.ChoiceField(label=_("Accepts"), choices=AcceptsSex.choices, initial=AcceptsSex.ANY)
    languages = forms.CharField(
        label=_("Languages spoken"), max_length=300, required=False, help_text=_("Separate with commas.")
    )
    phone = forms.CharField(label=_("Office phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Office e-mail"), required=False)
    notes = forms.CharField(
        label=_("Notes for referring officers"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("About the organisation (opening hours, how to arrive). Never about a victim."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = _county_queryset()
        if editing:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "services": d["services"],
            "counties": list(d["counties"]),
            "languages": split_list(d["languages"]),
            "national": d["national"],
            "shelter_capacity": d["shelter_capacity"] or 0,
            "accepts_children": d["accepts_children"],
            "accepts_adults": d["accepts_adults"],
            "accepts_sex": d["accepts_sex"],
            "phone": d["phone"].strip(),
            "email": d["email"].strip(),
            "notes": d["notes"].strip(),
            "is_active": d["is_active"],
        }

    @classmethod
    def initial_from(cls, provider, services: list[str]) -> dict:
        return {
            "services": services,
            "counties": list(provider.counties.all()),
            "languages": ", ".join(provider.languages),
            "national": provider.national,
            "shelter_capacity": provider.shelter_capacity,
            "accepts_children": provider.accepts_children,
            "accepts_adults": provider.accepts_adults,
            "accepts_sex": provider.accepts_sex,
            "phone": provider.phone,
            "email": provider.email,
            "notes": provider.notes,
            "is_active": provider.is_active,
            "version": provider.version,
        }


class ReferralForm(forms.Form):
    # Chosen once, above the form ("Service needed"), which lists the providers offering it; carried here.
    service_type = forms.ChoiceField(
        label=_("Service needed"),
        choices=ServiceType.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the service needed first."),
            "invalid_choice": _("Choose the service needed first."),
        },
    )
    provider = forms.ChoiceField(
        label=_("Provider"),
        choices=(),
        error_messages={
            "required": _("Choose a provider from the list."),
            "invalid_choice": _(
                "This provider does not offer the service needed, or no longer takes referrals here: choose one "
                "from the list."
            ),
        },
    )
    sections = forms.MultipleChoiceField(
        label=_("Parts of the case to share"),
        choices=CaseSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        help_text=_(
            "Share the minimum the provider needs. Identity and contacts are shared only if you tick them. "
            "Without any section, the provider sees only the case number and status."
        ),
    )
    notes = forms.CharField(
        label=_("Notes for the provider"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. Seen by your agency and the provider; every read is recorded."),
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing without consent"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name in the audit trail, where auditors can find every override."),
    )

    def __init__(self, *args, providers=(), needs_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *providers]
        if not providers:
            self.fields["provider"].help_text = _("No provider offers this service here: show providers elsewhere.")
        if not needs_override:
            del self.fields["override_reason"]
        else:
            self.fields["override_reason"].required = True

    @staticmethod
    def suggested_sections(service_type: str) -> list[str]:
        return [str(s) for s in SUGGESTED_SECTIONS.get(service_type, ())]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted; seen by both agencies."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What was provided (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ReferralStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
