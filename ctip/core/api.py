"""API plumbing: error shape {"code","message","fields"}, pagination, the default permission."""

from __future__ import annotations

import logging
from datetime import UTC

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions, pagination, permissions, renderers, serializers, status, throttling
from rest_framework.response import Response

from .client_ip import client_ip
from .errors import ErrorCode, ServiceError, ValidationFailed
from .validators import validate_not_before_1900
from .views_helpers import paginate

log = logging.getLogger("ctip.api")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": str(code), "message": str(message), "fields": fields or {}}


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, (list, tuple)):
                out[key] = [str(v) if not isinstance(v, dict) else _flatten(v) for v in value]
            elif isinstance(value, dict):
                out[key] = _flatten(value)
            else:
                out[key] = [str(value)]
        return out
    return {}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        err = ValidationFailed.from_django(exc)
        return Response(error_body(err.code, err.message, err.fields), status=400)
    if isinstance(exc, Http404):
        return Response(error_body(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.label), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body(ErrorCode.PERMISSION_DENIED, ErrorCode.PERMISSION_DENIED.label), status=403)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail) if isinstance(exc.detail, dict) else {}
        non_field = fields.pop("non_field_errors", None)
        if isinstance(exc.detail, list):
            message = " ".join(str(d) for d in exc.detail)
        else:
            message = " ".join(non_field) if non_field else str(ErrorCode.VALIDATION.label)
        return Response(error_body(ErrorCode.VALIDATION, message, fields), status=400)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return Response(
            error_body(ErrorCode.NOT_AUTHENTICATED, exc.detail),
            status=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": 'Token realm="api"'},
        )
    if isinstance(exc, exceptions.PermissionDenied):
        code = getattr(exc, "default_code", None)
        code = code if code in {ErrorCode.MFA_REQUIRED} else ErrorCode.PERMISSION_DENIED
        return Response(error_body(code, exc.detail), status=403)
    if isinstance(exc, exceptions.NotFound):
        return Response(error_body(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.label), status=404)
    if isinstance(exc, exceptions.Throttled):
        return Response(error_body(ErrorCode.RATE_LIMITED, exc.detail), status=429)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(exc.default_code, exc.detail), status=exc.status_code)
    return None  # unexpected: Django's 500 handling logs it and returns the generic error


class MFARequired(exceptions.PermissionDenied):
    default_code = ErrorCode.MFA_REQUIRED
    default_detail = ErrorCode.MFA_REQUIRED.label


class IsAuthenticatedAndVerified(permissions.BasePermission):
    """Logged in, and (for session log-ins of roles that need it) past the second factor.

    Token clients are exempt from the per-request OTP check because a token can only be issued from a session
    that passed 2FA (see accounts.services.api_token_issue).
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            raise exceptions.NotAuthenticated()
        if request.auth is None and user.mfa_required and not getattr(user, "is_verified", lambda: False)():
            raise MFARequired()
        return True


class Pagination(pagination.BasePagination):
    """For generic list views, should one appear: the same page as page_response (no COUNT), so the API has one
    list envelope, {"results", "page", "has_next"}."""

    per_page = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.page = paginate(getattr(request, "_request", request), queryset, per_page=self.per_page)
        return list(self.page.object_list)

    def get_paginated_response(self, data):
        return Response({"results": data, "page": self.page.number, "has_next": self.page.has_next()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "page", "has_next"],
            "properties": {
                "results": schema,
                "page": {"type": "integer", "minimum": 1},
                "has_next": {"type": "boolean"},
            },
        }

    def get_schema_operation_parameters(self, view):
        # Imported here: drf-spectacular reads REST_FRAMEWORK on import, which names classes of this module.
        from .schema import PAGE_PARAMETER

        return [PAGE_PARAMETER]


def page_response(request, queryset, serializer_class, per_page: int = 50) -> Response:
    """One page of a list: {"results", "page", "has_next"} (no COUNT; see views_helpers.Page). Its schema is
    ctip.core.schema.paged(serializer_class)."""
    page = paginate(getattr(request, "_request", request), queryset, per_page=per_page)
    return Response(
        {
            "results": serializer_class(page.object_list, many=True).data,
            "page": page.number,
            "has_next": page.has_next(),
        }
    )


class DateTimeField(serializers.DateTimeField):
    """RFC 3339 date-times, always in UTC (`...Z`).

    DRF renders a date-time in the current time zone; for Africa/Nairobi before 1908 that is the local mean time
    offset +02:27:16, which RFC 3339 (whole-minute offsets) does not allow. UTC is right for every instant.
    Input before 1900 is refused here; a time in the future is refused by the service that records it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validate_not_before_1900)

    def to_representation(self, value):
        if not value or isinstance(value, str):
            return value or None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class DateField(serializers.DateField):
    """An input date, refused before 1900. A date in the future is refused by the service that records it (with
    the other errors of the input at once), except planned dates such as a follow-up's due date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validate_not_before_1900)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML view of the API for people in a browser. Its template and its jQuery/Bootstrap set inline styles,
    so these pages, and only these, allow inline *styles* (django-csp's per-response replace). Scripts stay 'self'."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_replace = {"style-src": ["'self'", "'unsafe-inline'"]}
        return super().render(data, accepted_media_type, renderer_context)


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle counting by `ctip.core.client_ip` (DRF's own get_ident believes any
    X-Forwarded-For header, so a client could escape it by changing the header)."""

    def get_ident(self, request):
        return client_ip(request) or "unknown"
