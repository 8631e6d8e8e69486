"""Enforce the second factor: a user whose role needs TOTP reaches nothing but the 2FA pages until verified."""

from __future__ import annotations

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
