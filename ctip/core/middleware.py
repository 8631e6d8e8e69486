from __future__ import annotations

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import context
from .api import error_body
from .client_ip import client_ip
from .errors import ErrorCode


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.RequestContext(request_id=context.new_request_id(), ip=client_ip(request), channel=channel)
        request.ctip_context = ctx
        token = context.set_current(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class NoStoreMiddleware:
    """Pages of a logged-in user may contain victim data: never let a browser or proxy cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
        return response


# NUL cannot be stored in a PostgreSQL text column (the driver raises, a 500), and lone surrogates cannot be
# encoded as UTF-8. Django's forms and DRF's CharField refuse both, but filters read straight from request.GET,
# path segments and hand-read POST fields would reach the database: refuse them here, before anything does.
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
# A JSON body spells NUL as an escape: \u0000 not itself escaped (\\u0000 is the six characters "\u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _has_forbidden(query) -> bool:
    return any(_FORBIDDEN.search(key) or any(_FORBIDDEN.search(v) for v in values) for key, values in query.lists())


class RejectControlCharactersMiddleware:
    """A request whose path, query string or form / JSON body holds a NUL byte gets a 400, never a 500: the
    API's error shape under /api/, the 400 page elsewhere. Runs before sessions and authentication, so nothing
    has touched the database yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            return self._bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _refused(request) -> bool:
        if _FORBIDDEN.search(request.path) or _has_forbidden(request.GET):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                return _has_forbidden(request.POST)
            except OSError:  # the client went away mid-body (UnreadablePostError): nothing to check
                return False
        if content_type.endswith("json"):
            try:
                body = request.body
            except OSError:
                return False
            return b"\x00" in body or bool(_JSON_NUL.search(body))
        return False

    @staticmethod
    def _bad_request(request):
        message = _("The request contains a character that is not allowed (a NUL byte). Remove it and try again.")
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(ErrorCode.BAD_REQUEST, message), status=400)
        return render(request, "errors/400.html", {"code": ErrorCode.BAD_REQUEST, "message": message}, status=400)
