"""Audit event names written by accounts: agencies, users, log-in, shares, break-the-glass (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "agency": _("Agencies"),
    "auth": _("Log-in and second factor"),
    "breakglass": _("Break the glass"),
    "share": _("Shares"),
    "user": _("User accounts"),
}


class AccountsEvent(TextChoices):
    AGENCY_CREATE = "agency.create", _("Agency created")
    AGENCY_UPDATE = "agency.update", _("Agency updated")
    AUTH_LOGIN_PASSWORD = "auth.login_password", _("Logged in with a password")
    AUTH_LOGIN_MFA = "auth.login_mfa", _("Second factor passed")
    AUTH_LOGIN_FAILED = "auth.login_failed", _("Log-in failed")
    AUTH_API_LOGIN_FAILED = "auth.api_login_failed", _("API log-in failed")
    AUTH_MFA_FAILED = "auth.mfa_failed", _("Second factor failed")
    AUTH_LOGOUT = "auth.logout", _("Logged out")
    AUTH_MFA_ENROLLED = "auth.mfa_enrolled", _("Second factor set up")
    AUTH_MFA_ENROL_FAILED = "auth.mfa_enrol_failed", _("Second factor set-up failed")
    AUTH_MFA_REPLACED = "auth.mfa_replaced", _("Second factor device replaced by its user")
    BREAKGLASS_OPEN = "breakglass.open", _("Break-the-glass access opened")
    BREAKGLASS_REVIEW = "breakglass.review", _("Break-the-glass access reviewed")
    SHARE_GRANT = "share.grant", _("Record shared with another agency")
    SHARE_REVOKE = "share.revoke", _("Share revoked")
    USER_CREATE = "user.create", _("User account created")
    USER_UPDATE = "user.update", _("User account updated")
    USER_ACTIVATE = "user.activate", _("User account activated")
    USER_DEACTIVATE = "user.deactivate", _("User account deactivated")
    USER_MFA_RESET = "user.mfa_reset", _("Second factor reset by an administrator")
    USER_PASSWORD_SET = "user.password_set", _("Password set")
    USER_API_TOKEN_ISSUE = "user.api_token_issue", _("API token issued")
    USER_API_TOKEN_REVOKE = "user.api_token_revoke", _("API token revoked")
