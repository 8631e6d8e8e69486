"""Helpers shared by the accounts tests."""

from __future__ import annotations

from ctip.accounts.enums import Role

PASSWORD = "Correct-Horse-Battery-9"
ALL_ROLES = list(Role.values)
MFA_ROLES = [r for r in ALL_ROLES if r != Role.DATA_ANALYST]


def audit_actions(**filters) -> list[str]:
    """The actions of the audit events matching `filters`, oldest first."""
    from ctip.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def last_event(action: str):
    from ctip.audit.models import AuditEvent

    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def assert_login_redirect(response, path: str) -> None:
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/accounts/login/"), location
    assert f"next={path}" in location.replace("%2F", "/"), location


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, getattr(response, "content", b"")[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


def totp_now(device) -> str:
    """The current 6-digit code for a django-otp TOTP device."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def wrong_token(device) -> str:
    right = totp_now(device)
    return "000000" if right != "000000" else "111111"
