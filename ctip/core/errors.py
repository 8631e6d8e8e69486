"""Service errors. One set of codes shared by services, views, the API and tests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    VALIDATION = "validation_error", _("The data is not valid.")
    NOT_FOUND = "not_found", _("Not found.")
    PERMISSION_DENIED = "permission_denied", _("You do not have permission to do this.")
    NOT_AUTHENTICATED = "not_authenticated", _("Log in first.")
    MFA_REQUIRED = "mfa_required", _("Two-factor authentication is required.")
    CONFLICT = "conflict", _("Someone else changed this record. Reload it and try again.")
    INVALID_TRANSITION = "invalid_transition", _("This change of status is not allowed.")
    RATE_LIMITED = "rate_limited", _("Too many requests. Try again later.")
    REASON_REQUIRED = "reason_required", _("A reason is required.")
    LOCKED_OUT = "locked_out", _("Too many failed log-in attempts.")
    BAD_REQUEST = "bad_request", _("The request could not be understood.")
    SERVER_ERROR = "server_error", _("Something went wrong on our side. It has been logged.")


class ServiceError(Exception):
    code: str = ErrorCode.BAD_REQUEST
    status: int = 400

    def __init__(self, message: str | None = None, *, fields: dict | None = None, code: str | None = None):
        if code is not None:
            self.code = code
        self.message = str(message) if message is not None else str(ErrorCode(self.code).label)
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationFailed(ServiceError):
    code = ErrorCode.VALIDATION
    status = 400

    @classmethod
    def from_django(cls, exc) -> ValidationFailed:
        """Build from django.core.exceptions.ValidationError, keeping the per-field messages."""
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
            non_field = fields.pop("__all__", None)
            message = " ".join(non_field) if non_field else str(ErrorCode.VALIDATION.label)
            return cls(message, fields=fields)
        return cls(" ".join(str(m) for m in exc.messages))


class NotFound(ServiceError):
    code = ErrorCode.NOT_FOUND
    status = 404


class PermissionDenied(ServiceError):
    code = ErrorCode.PERMISSION_DENIED
    status = 403


class Conflict(ServiceError):
    code = ErrorCode.CONFLICT
    status = 409


class InvalidTransition(ServiceError):
    code = ErrorCode.INVALID_TRANSITION
    status = 409
