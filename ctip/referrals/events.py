"""Audit event names written by referrals and the provider directory (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"referral": _("Referrals"), "provider": _("Service providers"), "consent": _("Consent overrides")}


class ReferralEvent(TextChoices):
    SEND = "referral.send", _("Referral sent")
    ACCEPT = "referral.accept", _("Referral accepted")
    DECLINE = "referral.decline", _("Referral declined")
    START = "referral.start", _("Referral work started")
    COMPLETE = "referral.complete", _("Referral completed")
    REVOKE = "referral.revoke", _("Referral revoked")
    READ_SENSITIVE = "referral.read_sensitive", _("Sealed referral text shown")
    PROVIDER_CREATE = "provider.create", _("Service provider added")
    PROVIDER_UPDATE = "provider.update", _("Service provider updated")
    CONSENT_OVERRIDE = "consent.override", _("Shared without consent")
    SHARE_EXPIRE_SET = "share.expire_set", _("Share end date set")
