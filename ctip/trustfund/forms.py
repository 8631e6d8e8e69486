"""Forms of the Trust Fund pages: input shape only (the services decide). Amounts are typed in KSh and parsed
strictly into integer cents (money.parse_ksh)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.validators import validate_not_before_1900

from .enums import Purpose, ReceiptSource, ReversalReason
from .money import AmountError, parse_ksh

MAX_STATEMENT_DAYS = 3700  # about ten years


class DateInput(forms.DateInput):
    input_type = "date"


class AmountField(forms.CharField):
    """KSh with at most two decimals ("12,500.50"), cleaned to an int of cents."""

    default_error_messages = {
        "invalid": _("Enter an amount in KSh above zero, with at most two decimals, e.g. 12,500.50."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        text = super().clean(value)  # the text's checks (required, length) first, then the amount
        if text in self.empty_values:
            return None
        try:
            return parse_ksh(text)
        except AmountError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _date(label):
    return forms.DateField(label=label, widget=DateInput, validators=[validate_not_before_1900])


class OrderSearchForm(forms.Form):
    """Find the court's forfeiture order recorded in CTIP by its court case number (or the order's reference)."""

    q = forms.CharField(
        label=_("Court case number to find"),
        max_length=60,
        required=False,
        help_text=_("Part of the court case number on the order, e.g. E412/2026, or the order's CTIP reference."),
    )


class ReceiptForm(forms.Form):
    entry_date = _date(_("Date received"))
    amount = AmountField(label=_("Amount (KSh)"))
    source = forms.ChoiceField(label=_("Source"), choices=ReceiptSource.choices)
    forfeiture_order = forms.ChoiceField(
        label=_("Court's order recorded in CTIP"),
        required=False,
        help_text=_(
            "For forfeited proceeds: find the order by its court case number above. The court case number and "
            "the charge sheet come from the order, and the receipt may not exceed what remains unreceived on it."
        ),
    )
    court_case_number = forms.CharField(
        label=_("Court case number (forfeiture)"),
        max_length=40,
        required=False,
        help_text=_("Only for an order not recorded in CTIP (made before CTIP or outside it)."),
    )
    order_reference = forms.CharField(
        label=_("Forfeiture order reference"),
        max_length=60,
        required=False,
        help_text=_("The reference on the court's order. Needed for an order not recorded in CTIP."),
    )
    receipt_reference = forms.CharField(label=_("Receipt or bank reference"), max_length=60, required=False)

    def __init__(self, *args, orders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forfeiture_order"].choices = [("", _("None: an order not recorded in CTIP"))] + [
            (o.public_id, o.label) for o in orders
        ]
        self.fields["forfeiture_order"].error_messages["invalid_choice"] = _(
            "No forfeiture order recorded in CTIP has this reference."
        )


class DisbursementForm(forms.Form):
    entry_date = _date(_("Date paid"))
    amount = AmountField(label=_("Amount (KSh)"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    case_reference = forms.CharField(
        label=_("Victim case number"),
        max_length=20,
        help_text=_("The case number on the Board's approval. The ledger keeps the number only."),
    )
    approval_reference = forms.CharField(label=_("Board approval reference"), max_length=60)
    approval_date = _date(_("Date of the Board's approval"))


class ReversalForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReversalReason.choices)


class StatementForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput, validators=[validate_not_before_1900])
    end = forms.DateField(label=_("To"), widget=DateInput, validators=[validate_not_before_1900])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end of the period cannot be before its start."))
            elif end - start > timedelta(days=MAX_STATEMENT_DAYS):
                self.add_error("end", _("A statement covers ten years at most."))
        return data
