from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ctip.cases"
    label = "cases"
    verbose_name = _("Victim cases")

    def ready(self):
        from ctip.people import sealed

        from . import models as m

        # Free text that may name people is sealed with the vault; vault_rotate re-encrypts all of it.
        for model, fields in (
            (m.Case, ["narrative", "closure_note"]),
            (m.TraffickingEvent, ["description"]),
            (m.Screening, ["notes"]),
            (m.StatusDecision, ["rationale"]),
            (m.Consent, ["giver_name", "withdrawal_reason"]),
            (m.NeedsAssessment, ["notes"]),
            (m.CarePlan, ["objectives"]),
            (m.CarePlanAction, ["description"]),
            (m.ServiceDelivery, ["notes"]),
            (m.Repatriation, ["notes"]),
            (m.FollowUp, ["outcome"]),
        ):
            sealed.register(model, fields)

        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.CaseEvent, subjects=events.SUBJECTS)  # audit event names
