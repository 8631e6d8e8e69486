"""Public verification, no log-in: the mobile page /verify/ (English and Kiswahili), and the SMS short code's
incoming-message callback. The JSON API is in api.py.

Every entry is rate-limited per client (ctip.core.ratelimit: a keyed hash of the address; for SMS, of the
sender's number); what is searched for travels in a POST body, never in a URL (a phone number typed is personal
data, and URLs end up in logs). Abuse is logged without the address, number or query.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ctip.core import ratelimit

from . import answers, selectors, sms, tasks
from .forms import VerifyForm

log = logging.getLogger("ctip.recruitment")

PAGE_LIMIT = ratelimit.Limit("verify_page", 60, 600)  # 60 look-ups per client per 10 minutes
API_LIMIT = ratelimit.Limit("verify_api", 120, 600)
SMS_LIMIT = ratelimit.Limit("verify_sms", 10, 3600)  # per sender number


def too_many(scope: str) -> None:
    log.warning("public verification: rate limit reached", extra={"scope": scope})


@csrf_protect
@require_http_methods(["GET", "POST"])
def verify_page(request):
    form = VerifyForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(PAGE_LIMIT, ratelimit.client_key(request)):
            too_many("page")
            form.add_error(None, _("Too many searches from your connection. Try again in a few minutes."))
            status = 429
        elif form.is_valid():
            result = answers.describe(selectors.verify(form.cleaned_data["q"]))
        else:
            status = 400
    return render(request, "recruitment/verify.html", {"form": form, "result": result}, status=status)


def _secret_ok(request) -> bool:
    expected = settings.CTIP_SMS_CALLBACK_SECRET
    given = request.GET.get("secret") or request.headers.get("X-CTIP-SMS-Secret") or ""
    return bool(expected) and constant_time_compare(given, expected)


def parse_command(text: str) -> tuple[str, str]:
    """('en' | 'sw', what to look up) from "VERIFY <...>" / "HAKIKI <...>" (any case); ('', '') otherwise.
    A message without a keyword is read as English."""
    words = (text or "").strip().split(None, 1)
    if not words:
        return "", ""
    keyword = words[0].upper().strip(".:,")
    if keyword in answers.KEYWORDS:
        return answers.KEYWORDS[keyword], (words[1] if len(words) > 1 else "").strip()
    return "en", text.strip()


def _short_code_limit() -> ratelimit.Limit:
    """The whole short code, per minute (settings.CTIP_SMS_SHORT_CODE_PER_MINUTE)."""
    return ratelimit.Limit("verify_sms_gateway", settings.CTIP_SMS_SHORT_CODE_PER_MINUTE, 60)


@csrf_exempt  # a gateway's server-to-server callback: authenticated by the shared secret instead
@require_http_methods(["POST"])
def sms_callback(request):
    """The gateway's incoming-message callback: answer "VERIFY <name or number>" / "HAKIKI <...>" in one SMS."""
    if not settings.CTIP_SMS_CALLBACK_SECRET:
        raise Http404
    if not _secret_ok(request):
        log.warning("sms callback: wrong or missing secret")
        return HttpResponse(status=403)
    gateway = sms.gateway()
    try:
        message = gateway.parse(request.POST)
    except sms.GatewayError:
        return HttpResponse(status=400)
    language, query = parse_command(message.text)
    if not ratelimit.allow(_short_code_limit(), "all") or not ratelimit.allow(
        SMS_LIMIT, ratelimit.value_key(message.sender)
    ):
        too_many("sms")
        reply = answers.sms_busy(language or "en")
    elif not query:
        reply = answers.sms_usage(language or "en")
    else:
        with translation.override(language):
            reply = answers.sms_text(selectors.verify(query), language)
    tasks.send_sms_reply.enqueue(message.sender, message.to, message.message_id, message.link_id, reply)
    return HttpResponse(reply, content_type="text/plain; charset=utf-8")
