"""Forms of the job-offer risk check (the public and officer check, the rule-set editor). Shape only: the rule
set decides the risk, services do the checks of the rules' workflow."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ctip.reference.selectors import country_list

from .enums import CURRENCIES, Contact, Departure, Document, FeeTo, Job, Period, Visa
from .parsing import parse_amount
from .selectors import CheckInput

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]


class QuickSelect(forms.Select):
    """A select of many options (the countries) written directly: Django renders each option through a template,
    which costs a third of a second for 250 countries on every public check."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs or {})
        chosen = str(value) if value not in (None, "") else ""
        options = "".join(
            format_html(
                '<option value="{}"{}>{}</option>', code, mark_safe(" selected") if str(code) == chosen else "", label
            )
            for code, label in self.choices
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe(options))


class AmountField(forms.CharField):
    """An amount typed as people write it ("50,000", "50k", "KSh 1.5m"): parsing.parse_amount."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(_("Write the amount in figures, for example 45,000 or 45k."))
        return amount


class CheckForm(forms.Form):
    destination = forms.ChoiceField(label=_("Which country is the job in?"), widget=QuickSelect)
    job = forms.ChoiceField(label=_("What is the job?"), choices=[("", "---------"), *Job.choices])
    salary_amount = AmountField(label=_("Salary offered"), help_text=_("In figures, for example 45,000."))
    salary_currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="KES")
    salary_period = forms.ChoiceField(label=_("Paid"), choices=Period.choices, initial=Period.MONTH)
    fee_to = forms.ChoiceField(
        label=_("Were you asked to pay anything? To whom?"), choices=FeeTo.choices, widget=forms.RadioSelect
    )
    fee_amount = AmountField(label=_("How much were you asked to pay?"))
    fee_currency = forms.ChoiceField(label=_("Currency of the fee"), choices=CURRENCY_CHOICES, initial="KES")
    visa = forms.ChoiceField(label=_("Which visa would you travel on?"), choices=Visa.choices, widget=forms.RadioSelect)
    contact = forms.ChoiceField(label=_("How were you contacted?"), choices=Contact.choices, widget=forms.RadioSelect)
    agency_name = forms.CharField(
        label=_("Name of the agency (if any)"),
        max_length=100,
        required=False,
        help_text=_("Its name, licence number or phone number: we look it up in the NEA register."),
    )
    documents = forms.MultipleChoiceField(
        label=_("Which documents were you asked to hand over?"),
        choices=Document.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    departure = forms.ChoiceField(
        label=_("How soon would you leave?"), choices=Departure.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Paste the advert or the message (optional)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_("English, Kiswahili or Sheng. It is not stored: leave out names and phone numbers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [
            ("", _("Choose a country")),
            *country_list().exclude(alpha2="KE").values_list("alpha2", "name"),
        ]

    def clean(self):
        data = super().clean()
        fee_to, amount = data.get("fee_to"), data.get("fee_amount")
        if fee_to and fee_to != FeeTo.NONE and not amount:
            self.add_error("fee_amount", _("Give the amount asked (an estimate is fine)."))
        if fee_to == FeeTo.NONE and amount:
            self.add_error("fee_to", _("Say to whom the fee is to be paid."))
        return data

    def complaint_prefill(self) -> dict:
        """What an officer's "record a complaint" carries from this check to the complaint form (labels, as the
        officer saw them; nothing of the pasted text, which may name people)."""
        d = getattr(self, "cleaned_data", None) or {}
        fee = d.get("fee_amount")
        return {
            "p_agency_name": d.get("agency_name") or "",
            "p_destination": d.get("destination") or "",
            "p_job": str(Job(d["job"]).label) if d.get("job") in Job.values and d["job"] != Job.OTHER else "",
            "p_fee_amount": "" if fee is None else f"{fee:f}",
            "p_fee_currency": d.get("fee_currency") or "",
            "p_fee_to": str(FeeTo(d["fee_to"]).label) if d.get("fee_to") in FeeTo.values else "",
            "p_visa": str(Visa(d["visa"]).label) if d.get("visa") in Visa.values else "",
        }

    def to_input(self) -> CheckInput:
        d = self.cleaned_data
        return CheckInput(
            destination=d["destination"],
            job=d["job"],
            salary_amount=d["salary_amount"],
            salary_currency=d["salary_currency"],
            salary_period=d["salary_period"],
            fee_amount=d["fee_amount"],
            fee_currency=d["fee_currency"],
            fee_to=d["fee_to"],
            visa=d["visa"],
            contact=d["contact"],
            agency_name=d["agency_name"],
            documents=list(d["documents"]),
            departure=d["departure"],
            text=d["text"],
        )


class RuleSetForm(forms.Form):
    source_text = forms.CharField(
        label=_("Rules (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "mono"}),
        help_text=_("See docs/jobcheck.md for the rule language. Checked when you save."),
    )
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What must change"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class DraftForm(forms.Form):
    note = forms.CharField(label=_("Why a new version"), max_length=500, required=False)
