"""Forms of the NRM sections of a case: screening and decision, non-punishment, consent, care, return and
follow-ups. They only parse input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.accounts.selectors import agency_list, agency_users_who_can
from ctip.core.validators import validate_not_before_1900, validate_past_date
from ctip.reference.selectors import htcds_choices

from ..enums import ConsentGiver, DecisionMakingOrg, RepatriationStep, ServiceType, TraffickingStatus


def _date(label, *, required=True, initial=None, planned=False):
    """A date input: not before 1900 and, unless planned, not in the future."""
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_not_before_1900 if planned else validate_past_date],
    )


def _text(label, *, required=False, rows=3, max_length=5000, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


SEALED_HELP = _("Encrypted. Only officers with a need to know can read it; every read is recorded.")


# --- screening and status ----------------------------------------------------------------------------------------


class ScreeningForm(forms.Form):
    indicator_list = forms.CharField(widget=forms.HiddenInput)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators observed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    screened_on = _date(_("Screening date"), initial=timezone.localdate)
    notes = _text(_("Notes of the interview"), help_text=SEALED_HELP)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.code, i.text) for i in indicators]


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    screening = forms.UUIDField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Trafficking status"), choices=[("", "—"), *TraffickingStatus.choices])
    decision_org = forms.ChoiceField(
        label=_("Type of organisation deciding"), choices=[("", "—"), *DecisionMakingOrg.choices]
    )
    decided_on = _date(_("Decision date"), initial=timezone.localdate)
    rationale = _text(_("Reasons for the decision"), help_text=SEALED_HELP)


class NonPunishmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    faces_charges = forms.BooleanField(label=_("Faces criminal charges"), required=False)
    in_detention = forms.BooleanField(label=_("Is in detention"), required=False)
    detention_place = forms.CharField(label=_("Where charged or detained"), max_length=200, required=False)
    charges_note = forms.CharField(label=_("Charges (e.g. immigration offence)"), max_length=300, required=False)


# --- consent -----------------------------------------------------------------------------------------------------


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(
        label=_("Name of the guardian or children's officer"),
        max_length=200,
        required=False,
        help_text=_("Required when a guardian or an officer gives consent. Encrypted."),
    )
    given_on = _date(_("Date given"), initial=timezone.localdate)
    purpose_explained = forms.BooleanField(label=_("The purpose of collecting data was explained"), required=False)
    data_use = forms.BooleanField(label=_("Agrees to the use of the data for assistance"), required=False)
    sharing = forms.BooleanField(label=_("Agrees to sharing with service providers"), required=False)
    research_use = forms.BooleanField(label=_("Agrees to anonymised research use"), required=False)
    right_of_access = forms.BooleanField(label=_("Told of the right to see and correct their data"), required=False)
    retention = forms.BooleanField(label=_("Told how long data are kept"), required=False)
    withdrawal = forms.BooleanField(label=_("Told they may withdraw consent at any time"), required=False)

    def __init__(self, *args, is_child=False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_child:
            self.fields["given_by"].choices = [c for c in ConsentGiver.choices if c[0] != ConsentGiver.SELF]


class ConsentWithdrawForm(forms.Form):
    reason = _text(_("Why is consent withdrawn?"), required=True, rows=2, max_length=2000)


# --- care ---------------------------------------------------------------------------------------------------------


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"})
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    assessed_on = _date(_("Assessment date"), initial=timezone.localdate)
    notes = _text(_("Notes"), help_text=SEALED_HELP)


class CarePlanForm(forms.Form):
    plan_type = forms.ChoiceField(label=_("Support plan type"))
    objectives = _text(_("Objectives"), required=True, help_text=SEALED_HELP)
    planned_end = _date(_("Planned end"), required=False, planned=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_type"].choices = [("", "—"), *htcds_choices("spl_Type")]


class CarePlanEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    actual_end = _date(_("Actual end"), initial=timezone.localdate)


class CareActionForm(forms.Form):
    description = _text(_("Action"), required=True, rows=2, max_length=2000, help_text=SEALED_HELP)
    service_type = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *ServiceType.choices], required=False)
    responsible_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None, required=False)
    planned_on = _date(_("Planned date"), required=False, planned=True)
    done_on = _date(_("Date done"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agency_list(active_only=True)


class CareActionDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date(_("Date done"), initial=timezone.localdate)


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *ServiceType.choices])
    provider = forms.ModelChoiceField(
        label=_("Delivered by"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for your own agency."),
    )
    delivered_on = _date(_("Date delivered"), initial=timezone.localdate)
    notes = _text(_("Notes"), help_text=SEALED_HELP)

    def __init__(self, *args, own_agency_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if own_agency_only:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = agency_list(active_only=True)


# --- return and follow-ups ------------------------------------------------------------------------------------


class RepatriationForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=[("", "—"), *RepatriationStep.choices])
    planned_on = _date(_("Planned date"), required=False, planned=True)
    done_on = _date(_("Date done"), required=False)
    notes = _text(_("Notes"), help_text=SEALED_HELP)


class FollowUpForm(forms.Form):
    due_on = _date(_("Due"), planned=True)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    assigned_to = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            officers if officers is not None else agency_users_who_can(agency=None, action="case.view")
        )


class FollowUpDoneForm(forms.Form):
    outcome = _text(_("Outcome"), required=True, rows=2, help_text=SEALED_HELP)
