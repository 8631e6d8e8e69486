from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.core.errors import NotFound, PermissionDenied, ValidationFailed
from ctip.core.views_helpers import login_only

from . import selectors, services
from .enums import ExportStatus

# the export form's own fields; everything else it posts is the list page's filters
OWN_FIELDS = {"csrfmiddlewaretoken", "kind", "format", "include_names", "next"}


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _back(request) -> str:
    nxt = request.POST.get("next", "")
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else "/"


@login_only
@require_http_methods(["POST"])
def export_start(request):
    filters = [[name, value] for name, values in request.POST.lists() if name not in OWN_FIELDS for value in values]
    try:
        job = services.export_start(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            file_format=request.POST.get("format", ""),
            filters=filters,
            include_names=request.POST.get("include_names") == "1",
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except ValidationFailed as exc:
        messages.error(request, _("The export could not start: %(reason)s") % {"reason": exc.message})
        return redirect(_back(request))
    if job.status == ExportStatus.DONE:
        return _file(*services.export_download(actor=request.user, job=job))
    return redirect("exports:detail", public_id=job.public_id)


def _job(request, public_id):
    try:
        return selectors.export_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@login_only
def export_detail(request, public_id):
    return render(request, "exports/export_detail.html", {"job": _job(request, public_id)})


@login_only
def export_status(request, public_id):
    return render(request, "exports/_progress.html", {"job": _job(request, public_id)})


@login_only
def export_download(request, public_id):
    job = _job(request, public_id)
    try:
        return _file(*services.export_download(actor=request.user, job=job))
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except ValidationFailed:
        return render(request, "exports/export_detail.html", {"job": job}, status=409)


@login_only
def export_list(request):
    return render(request, "exports/export_list.html", {"jobs": selectors.export_list_for_user(user=request.user)[:30]})
