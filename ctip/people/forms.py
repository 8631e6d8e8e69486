from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.validators import validate_past_date
from ctip.reference.selectors import country_list, county_list

from .enums import Gender, IdentifierKind, Sex
from .identity import IdentifierValue, Identity


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n,;]+", text or "") if p.strip()]


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    middle_names = forms.CharField(label=_("Middle name(s)"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name / family name"), max_length=100, required=False)
    aliases = forms.CharField(
        label=_("Other names and spellings"),
        required=False,
        help_text=_("Separate with commas."),
        max_length=500,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_past_date],
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth (if the date is not known)"),
        required=False,
        help_text=_("For example 1998, when the person knows the year but not the date."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (if neither is known)"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("About how old the person is today, in years; CTIP keeps the year of birth it gives."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    gender = forms.ChoiceField(label=_("Gender (HTCDS)"), choices=[("", "—"), *Gender.choices], required=False)
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenship(s)"), required=False, choices=(), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    passport = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    phones = forms.CharField(
        label=_("Phone number(s)"),
        max_length=200,
        required=False,
        help_text=_("e.g. 0712 345 678; separate several with commas."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    emails = forms.CharField(label=_("E-mail(s)"), max_length=300, required=False)
    county = forms.ModelChoiceField(label=_("County of residence"), queryset=None, required=False, to_field_name="code")
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Identity notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citizenships"].choices = [(c.alpha2, c.name) for c in country_list()]
        self.fields["county"].queryset = county_list()

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("Give a year between 1900 and %(year)s.") % {"year": timezone.localdate().year}
            )
        return year

    def clean(self):
        data = super().clean()
        # One of the three says when the person was born: a date, else a year, else an age estimated today.
        if data.get("date_of_birth") and data.get("birth_year") and data["birth_year"] != data["date_of_birth"].year:
            self.add_error("birth_year", _("The year of birth differs from the date of birth."))
        if data.get("birth_year") is None and data.get("estimated_age") is not None:
            data["birth_year"] = timezone.localdate().year - data["estimated_age"]
        return data

    def to_identity(self) -> Identity:
        d = self.cleaned_data
        identifiers = []
        if d["national_id"]:
            identifiers.append(IdentifierValue(IdentifierKind.NATIONAL_ID, d["national_id"], "KE"))
        if d["passport"]:
            identifiers.append(IdentifierValue(IdentifierKind.PASSPORT, d["passport"]))
        identifiers += [IdentifierValue(IdentifierKind.PHONE, p) for p in _split(d["phones"])]
        identifiers += [IdentifierValue(IdentifierKind.EMAIL, e) for e in _split(d["emails"])]
        addresses = []
        if d["county"] or d["address"]:
            addresses.append({"county": d["county"].code if d["county"] else "", "line": d["address"]})
        return Identity(
            first_name=d["first_name"],
            middle_names=d["middle_names"],
            last_name=d["last_name"],
            aliases=_split(d["aliases"]),
            date_of_birth=d["date_of_birth"],
            birth_year=None if d["date_of_birth"] else d.get("birth_year"),
            sex=d["sex"],
            gender=d["gender"],
            citizenships=list(d["citizenships"]),
            addresses=addresses,
            notes=d["notes"],
            identifiers=identifiers,
        )

    @staticmethod
    def initial_from(identity: Identity, version: int) -> dict:
        addr = identity.addresses[0] if identity.addresses else {}
        return {
            "first_name": identity.first_name,
            "middle_names": identity.middle_names,
            "last_name": identity.last_name,
            "aliases": ", ".join(identity.aliases),
            "date_of_birth": identity.date_of_birth,
            "birth_year": identity.birth_year,
            "sex": identity.sex,
            "gender": identity.gender,
            "citizenships": identity.citizenships,
            "national_id": ", ".join(identity.of_kind(IdentifierKind.NATIONAL_ID)),
            "passport": ", ".join(identity.of_kind(IdentifierKind.PASSPORT)),
            "phones": ", ".join(identity.of_kind(IdentifierKind.PHONE)),
            "emails": ", ".join(identity.of_kind(IdentifierKind.EMAIL)),
            "county": addr.get("county") or None,
            "address": addr.get("line", ""),
            "notes": identity.notes,
            "version": version,
        }


# Service field names -> form field names, for showing service errors on the right input.
SERVICE_FIELD_MAP = {
    IdentifierKind.NATIONAL_ID: "national_id",
    IdentifierKind.PASSPORT: "passport",
    IdentifierKind.PHONE: "phones",
    IdentifierKind.EMAIL: "emails",
}


class IdentifierSearchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Search by"),
        choices=[
            (IdentifierKind.NATIONAL_ID, IdentifierKind.NATIONAL_ID.label),
            (IdentifierKind.PASSPORT, IdentifierKind.PASSPORT.label),
            (IdentifierKind.PHONE, IdentifierKind.PHONE.label),
            (IdentifierKind.EMAIL, IdentifierKind.EMAIL.label),
        ],
    )
    value = forms.CharField(label=_("Exact number or address"), max_length=100)


class NameSearchForm(forms.Form):
    """Find a person by name (POSTed: a name must never appear in a URL). Prefix "n" on the person list."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Two names or more, in any order; spelling variants are found."),
    )
    birth_year = forms.IntegerField(label=_("Year of birth (optional)"), required=False)
    county = forms.ModelChoiceField(
        label=_("County (optional)"), queryset=None, required=False, to_field_name="code", empty_label="—"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "n")
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()

    def clean_name(self) -> str:
        from .matching_store import searchable

        name = " ".join(self.cleaned_data["name"].split())
        if not searchable(name):
            raise forms.ValidationError(_("Give at least two names (for example a first and a family name)."))
        return name

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("Give a year between 1900 and %(year)s.") % {"year": timezone.localdate().year}
            )
        return year
