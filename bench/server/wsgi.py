"""CTIP's own WSGI application plus one bare Django JSON view, so one gunicorn process serves both (bench/load.py).

`/__bench__/ceiling` goes to Django's own WSGI handler with no middleware and a one-line URLconf: a JSON view with
no database, session, template or security work. It measures what gunicorn + Django can serve on this machine at
all (the ceiling); every other path goes to `config.wsgi.application` unchanged. Only bench/load.py serves this
module; the application's URLs and settings do not know about it.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.handlers.exception import convert_exception_to_response  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from config.wsgi import application as ctip_application  # noqa: E402

CEILING_PATH = "/__bench__/ceiling"


def ceiling(request):
    return JsonResponse({"ok": True})


urlpatterns = [path(CEILING_PATH.lstrip("/"), ceiling)]


class BareHandler(WSGIHandler):
    """Django's WSGI handler with no middleware, resolving against this module's URLconf only."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


bare_application = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == CEILING_PATH:
        return bare_application(environ, start_response)
    return ctip_application(environ, start_response)
