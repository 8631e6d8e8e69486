"""The OpenAPI schema tells the truth: error responses, page envelopes and their parameter.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to every operation the error responses the API's
plumbing can answer, all in the shape `{"code", "message", "fields"}` (ctip.core.api.exception_handler):

- 400 on every operation (invalid input, an unparsable body or query);
- 401 and 403 on every operation that needs a log-in (no or bad credentials; a role without the right, or a
  session without its second factor);
- 404 on every operation with a path parameter (the record is missing or not visible);
- 406 on every operation (an Accept header that excludes JSON), 415 on every operation with a body (a body that
  is not JSON, form or multipart);
- 429 on every operation with a throttle.

An operation declares the other codes it can answer (409 on a stale version, a refused transition or a possible
duplicate; 404 without a path parameter...) in its own `@extend_schema(responses=...)`, with `ERROR` as the body;
what it declares wins over the defaults here.

A list answered with `ctip.core.api.page_response` declares `responses=paged(ItemSerializer)`: the envelope
`{"results", "page", "has_next"}`, and the `page` query parameter is added to the operation.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_basic_type, build_parameter_type, force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import permissions, serializers

FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Messages per input field. A nested input (an object or a list of objects) has the same "
    "shape inside, keyed by field name or by position.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}


@extend_schema_field(FIELD_ERRORS_SCHEMA)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """Every 4xx the API answers."""

    code = serializers.CharField(
        help_text="Machine-readable: validation_error, bad_request, not_authenticated, permission_denied, "
        "mfa_required, not_found, conflict, invalid_transition, rate_limited, locked_out, possible_duplicate, "
        "or a code of the domain (e.g. already_referred, shelter_full)."
    )
    message = serializers.CharField(help_text="For people, in the user's language.")
    fields = FieldErrorsField()


ErrorOut = ERROR = ErrorSerializer  # the component is named "Error"

# The schema is developer documentation, in English like the rest of it (not translated).
COMMON_ERRORS = {
    "400": "The request is not valid (code validation_error with per-field messages; bad_request or "
    "parse_error for a request that cannot be read).",
    "401": "Not logged in, or the credentials are wrong (code not_authenticated).",
    "403": "The role may not do this, or the record is visible but not changeable "
    "(code permission_denied; mfa_required for a session without its second factor).",
    "404": "No such record, or not visible to this user (code not_found).",
    "406": "The Accept header excludes JSON, the only type the API answers in (code not_acceptable).",
    "415": "The body's Content-Type is not JSON, form or multipart (code unsupported_media_type).",
    "409": "The record changed since it was read (code conflict), or this change is not allowed in its current "
    "state (code invalid_transition).",
    "429": "Too many requests; try again later (code rate_limited).",
}


def error(status: int | str, description: str | None = None) -> OpenApiResponse:
    """The error body for a status the operation declares itself, e.g. `409: error(409)`."""
    return OpenApiResponse(ERROR, description=description or str(COMMON_ERRORS.get(str(status), "")))


class PagedBase(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, help_text="This page's number (the `page` query parameter).")
    has_next = serializers.BooleanField(help_text="Whether a next page exists (pages are not counted).")


_PAGED: dict[type, type] = {}


def paged(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The envelope `{"results": [item...], "page", "has_next"}` of ctip.core.api.page_response."""
    if item not in _PAGED:
        name = item.__name__.removesuffix("Serializer")
        _PAGED[item] = type(f"Paginated{name}List", (PagedBase,), {"results": item(many=True), "__module__": __name__})
    return _PAGED[item]


PAGE_PARAMETER = build_parameter_type(
    name="page",
    schema={**build_basic_type(OpenApiTypes.INT), "minimum": 1},
    location="query",
    description="Page number, from 1 (a number out of range gives page 1 or an empty last page).",
)


class AutoSchema(openapi.AutoSchema):
    def _requires_login(self) -> bool:
        return any(not issubclass(p, permissions.AllowAny) for p in getattr(self.view, "permission_classes", []))

    def _declared_serializer(self, code: str):
        declared = self.get_response_serializers()
        if isinstance(declared, dict):
            declared = declared.get(int(code), declared.get(code))
        if isinstance(declared, OpenApiResponse):
            declared = declared.response
        return declared

    def _is_paged(self) -> bool:
        return self.method == "GET" and isinstance(force_instance(self._declared_serializer("200")), PagedBase)

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if self._is_paged() and operation_id.endswith("_retrieve"):
            operation_id = operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def _get_pagination_parameters(self):
        params = super()._get_pagination_parameters()
        if self._is_paged():
            params = [*params, PAGE_PARAMETER]
        return params

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        common = ["400"]
        if self._requires_login():
            common += ["401", "403"]
        if "{" in self.path:
            common.append("404")
        common.append("406")
        if self.method in ("POST", "PUT", "PATCH"):
            common.append("415")
        if getattr(self.view, "throttle_classes", None):
            common.append("429")
        for code in common:
            if code not in responses:
                responses[code] = self._get_response_for_code(error(code), code, direction=direction)
        return dict(sorted(responses.items()))
