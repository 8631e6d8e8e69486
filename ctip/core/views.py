from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .api import error_body
from .errors import ErrorCode

log = logging.getLogger("ctip.health")


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request, status: int, code: ErrorCode, template: str):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, code.label), status=status)
    return render(request, template, {"code": code, "message": code.label}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, ErrorCode.BAD_REQUEST, "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, ErrorCode.PERMISSION_DENIED, "errors/403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, ErrorCode.NOT_FOUND, "errors/404.html")


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(ErrorCode.SERVER_ERROR, ErrorCode.SERVER_ERROR.label), status=500)
    return render(request, "errors/500.html", {"message": ErrorCode.SERVER_ERROR.label}, status=500)


def favicon(request):
    """Browsers ask for /favicon.ico by themselves (PDFs, JSON, older browsers): the SVG icon the pages link to,
    resolved per request (the hashed name exists once collectstatic has run)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("ctip/favicon.svg"))
