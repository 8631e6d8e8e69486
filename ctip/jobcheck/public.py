"""The public job-offer check, no log-in: the mobile page /job-check/ (English and Kiswahili). The JSON API is
in api.py. Rate-limited per client (ctip.core.ratelimit: a keyed hash of the address); the answers travel in a
POST body and are neither stored nor logged: only a count of checks by risk level is kept."""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ctip.core import ratelimit

from . import selectors, services
from .enums import Channel
from .forms import CheckForm

log = logging.getLogger("ctip.jobcheck")

PAGE_LIMIT = ratelimit.Limit("jobcheck_page", 30, 600)  # 30 checks per client per 10 minutes
API_LIMIT = ratelimit.Limit("jobcheck_api", 120, 600)


REPORT = gettext_lazy(
    "Report to the national hotline 1195 (free, 24 hours) or to the National Employment Authority (NEA). "
    "Check an agency's licence at /verify/."
)


def too_many(scope: str) -> None:
    log.warning("job-offer check: rate limit reached", extra={"scope": scope})


def run_check(form: CheckForm, channel: str) -> selectors.CheckResult:
    result = selectors.check(form.to_input())
    services.record_check(level=result.level, channel=channel, rule_set_number=result.rule_set_number)
    return result


def check_view(request, *, template: str, channel: str, limit: ratelimit.Limit | None, extra: dict | None = None):
    form = CheckForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if limit is not None and not ratelimit.allow(limit, ratelimit.client_key(request)):
            too_many(channel)
            form.add_error(None, _("Too many checks from your connection. Try again in a few minutes."))
            status = 429
        elif form.is_valid():
            try:
                result = run_check(form, channel)
            except selectors.RulesUnavailable:
                form.add_error(None, _("The check is not available just now. Call the hotline 1195."))
                status = 503
        else:
            status = 400
    return render(request, template, {"form": form, "result": result, **(extra or {})}, status=status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def check_page(request):
    return check_view(request, template="jobcheck/check_public.html", channel=Channel.PAGE, limit=PAGE_LIMIT)
