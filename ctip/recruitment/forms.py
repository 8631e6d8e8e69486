"""Forms of the recruitment-agency register and of public verification. Shape only: services do the checks."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.reference.selectors import country_list, county_list

from .enums import AgencyStatus, ContactKind
from .services import AgencyInput, JobOrderInput


def split_lines(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n;]+", text or "") if p.strip()]


def _cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, licence number or phone"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *AgencyStatus.choices], required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, to_field_name="code", empty_label=_("Any county")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()


CONTACT_HELP = _("One per line.")


class AgencyForm(forms.Form):
    licence_number = forms.CharField(label=_("Licence number"), max_length=40)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    trading_name = forms.CharField(label=_("Trading name"), max_length=200, required=False)
    office_address = forms.CharField(label=_("Physical office"), max_length=300, required=False)
    county = forms.ModelChoiceField(label=_("County"), queryset=None, required=False, to_field_name="code")
    phones = forms.CharField(
        label=_("Phones"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=CONTACT_HELP
    )
    emails = forms.CharField(
        label=_("E-mails"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=CONTACT_HELP
    )
    websites = forms.CharField(
        label=_("Websites"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=CONTACT_HELP
    )
    socials = forms.CharField(
        label=_("Social-media handles"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=CONTACT_HELP,
    )
    guarantee_issuer = forms.CharField(label=_("Guarantee issuer"), max_length=200, required=False)
    guarantee_amount = forms.DecimalField(
        label=_("Guarantee amount (KSh)"), min_value=0, max_digits=15, decimal_places=2, required=False
    )
    guarantee_expires_on = forms.DateField(
        label=_("Guarantee expiry"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()

    def to_input(self) -> AgencyInput:
        d = self.cleaned_data
        return AgencyInput(
            licence_number=d["licence_number"],
            legal_name=d["legal_name"],
            trading_name=d["trading_name"],
            office_address=d["office_address"],
            county_id=d["county"].pk if d["county"] else None,
            guarantee_issuer=d["guarantee_issuer"],
            guarantee_amount_cents=_cents(d["guarantee_amount"]),
            guarantee_expires_on=d["guarantee_expires_on"],
            contacts={
                ContactKind.PHONE: split_lines(d["phones"]),
                ContactKind.EMAIL: split_lines(d["emails"]),
                ContactKind.WEBSITE: split_lines(d["websites"]),
                ContactKind.SOCIAL: split_lines(d["socials"]),
            },
        )

    @classmethod
    def initial_for(cls, agency, contacts) -> dict:
        by_kind: dict[str, list[str]] = {}
        for c in contacts:
            by_kind.setdefault(c.kind, []).append(c.value)
        return {
            "licence_number": agency.licence_number,
            "legal_name": agency.legal_name,
            "trading_name": agency.trading_name,
            "office_address": agency.office_address,
            "county": agency.county.code if agency.county else None,
            "phones": "\n".join(by_kind.get(ContactKind.PHONE, [])),
            "emails": "\n".join(by_kind.get(ContactKind.EMAIL, [])),
            "websites": "\n".join(by_kind.get(ContactKind.WEBSITE, [])),
            "socials": "\n".join(by_kind.get(ContactKind.SOCIAL, [])),
            "guarantee_issuer": agency.guarantee_issuer,
            "guarantee_amount": (
                Decimal(agency.guarantee_amount_cents) / 100 if agency.guarantee_amount_cents is not None else None
            ),
            "guarantee_expires_on": agency.guarantee_expires_on,
            "version": agency.version,
        }


class AgencyCreateForm(AgencyForm):
    status = forms.ChoiceField(label=_("Licence status"), choices=AgencyStatus.choices, initial=AgencyStatus.VALID)
    status_since = forms.DateField(
        label=_("Status since"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    status_source = forms.CharField(
        label=_("Source of the status"), max_length=300, help_text=_("The NEA notice or list, with its date.")
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgencyStatus.choices)
    effective_on = forms.DateField(
        label=_("In effect since"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(
        label=_("Source notice"), max_length=300, help_text=_("The NEA notice or Gazette notice, with its date.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class JobOrderForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=200)
    country = forms.ModelChoiceField(label=_("Country"), queryset=None, to_field_name="alpha2")
    role = forms.CharField(label=_("Role"), max_length=120)
    workers = forms.IntegerField(label=_("Number of workers"), min_value=1, max_value=100_000)
    salary = forms.DecimalField(label=_("Monthly salary"), min_value=0, max_digits=12, decimal_places=2)
    salary_currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = country_list()

    def to_input(self) -> JobOrderInput:
        d = self.cleaned_data
        return JobOrderInput(
            employer=d["employer"],
            country_id=d["country"].pk,
            role=d["role"],
            workers=d["workers"],
            salary_cents=_cents(d["salary"]) or 0,
            salary_currency=d["salary_currency"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("The NEA list (CSV, UTF-8)"))
    source = forms.CharField(
        label=_("Which list is this?"), max_length=300, help_text=_("For example: NEA list published on 1 June 2024.")
    )


class VerifyForm(forms.Form):
    q = forms.CharField(
        label=_("Agency name, licence number or phone number"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "search"}),
    )
