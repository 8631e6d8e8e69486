"""Account middleware: the second factor is enforced (a user whose role needs TOTP reaches nothing but the 2FA
pages until verified), and the idle session time-out without a session write on every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core.errors import ErrorCode

ALLOWED_PREFIXES = ("/accounts/login", "/accounts/logout", "/accounts/2fa/", "/static/", "/i18n/", "/healthz")


class MFAEnforcementMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.mfa_required
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                # API clients with a token are not session users; a session without 2FA gets a clear error.
                if "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse(
                        {
                            "code": ErrorCode.MFA_REQUIRED,
                            "message": str(ErrorCode.MFA_REQUIRED.label),
                            "fields": {},
                        },
                        status=403,
                    )
                return self.get_response(request)
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect(reverse("accounts:mfa_verify" if has_device else "accounts:mfa_setup"))
        return self.get_response(request)


# Idle time-out without a database write per request: the last activity is stamped in the session and the
# session is saved (which also pushes its cookie and database expiry SESSION_COOKIE_AGE ahead) only when the stamp
# is older than SESSION_ACTIVITY_REFRESH_SECONDS, or when a view changed the session anyway. The idle expiry is
# enforced from the stamp, so a session is logged out after SESSION_COOKIE_AGE without a request (up to one
# refresh interval earlier, as the stamp may lag the last request by that much).
SESSION_ACTIVITY_KEY = "_ctip_last_activity"
SESSION_ACTIVITY_REFRESH_SECONDS = 60


def now() -> float:
    """The clock of the idle time-out (tests patch this)."""
    return time.time()


def stamp_session_at_log_in(sender, request=None, **kwargs) -> None:
    """user_logged_in receiver: a new session starts stamped (the log-in saves it anyway), whichever way it was
    opened (the log-in view, or a test client's force_login), so its first request does not write it again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_ACTIVITY_KEY] = now()


class SessionActivityMiddleware:
    """Between SessionMiddleware and AuthenticationMiddleware: an idle session is flushed before anyone reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        current = now()
        stamp = session.get(SESSION_ACTIVITY_KEY)
        if stamp is not None and current - stamp > settings.SESSION_COOKIE_AGE:
            session.flush()  # idle too long: logged out (the row is deleted, the cookie cleared)
            stamp = None
        response = self.get_response(request)
        # Stamp only sessions that hold something (an anonymous visitor gets no session row), at most once a
        # refresh interval unless the view saves the session anyway (log-in, 2FA: the stamp rides along).
        if session.keys() and (
            session.modified or stamp is None or current - stamp >= SESSION_ACTIVITY_REFRESH_SECONDS
        ):
            session[SESSION_ACTIVITY_KEY] = current
        return response
