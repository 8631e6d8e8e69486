from __future__ import annotations

from django.utils.cache import add_never_cache_headers

from . import context


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only; X-Forwarded-For from the open internet is never trusted. Behind a reverse proxy,
    # REMOTE_ADDR is the real client only with the PROXY protocol (gunicorn --proxy-protocol
    # --proxy-allow-from <proxy>); see docs/operations.md. --forwarded-allow-ips alone does not do it.
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.RequestContext(request_id=context.new_request_id(), ip=_client_ip(request), channel=channel)
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
