from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "ctip.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from ctip.notifications import messages

        # Notification texts: a referral number and a service, never anything about the person.
        for kind, message in (
            ("referral.received", _("New referral %(reference)s for %(service)s.")),
            ("referral.accepted", _("Referral %(reference)s for %(service)s was accepted by %(provider)s.")),
            ("referral.declined", _("Referral %(reference)s for %(service)s was declined by %(provider)s.")),
            ("referral.in_progress", _("Referral %(reference)s for %(service)s is in progress at %(provider)s.")),
            ("referral.completed", _("Referral %(reference)s for %(service)s was completed by %(provider)s.")),
            ("referral.revoked", _("Referral %(reference)s for %(service)s was revoked by the sender.")),
        ):
            messages.register(kind, message)

        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.ReferralEvent, subjects=events.SUBJECTS)  # audit event names

        from ctip.audit import lookups

        from . import selectors

        lookups.register_record_resolver(selectors.audit_ids_for_reference)  # referral numbers in the audit filter

        from ctip.cases import contributions

        # the case overview's referrals and the caseload's "referrals awaiting an answer" (cases cannot import us)
        contributions.register_overview_referrals(
            flags=selectors.case_overview_referral_flags, rows=selectors.case_overview_referrals
        )
        contributions.register_awaiting_referral(selectors.awaiting_referral_exists)
