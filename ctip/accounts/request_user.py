"""The signed-in user of a request in one query (issue 10): the user, their agency, the second-factor device that
verified the session and the per-request figures other apps register (the unread notifications count), instead
of one query each.

- `RequestUserBackend` (AUTHENTICATION_BACKENDS, in place of Django's ModelBackend, which it extends: the same
  password check and `user_can_authenticate`) loads the session's user with `select_related("agency")` and the
  registered annotations. Django's `get_user` still checks the session hash afterwards (session epoch,
  deactivation and password change end a session exactly as before).
- `RequestUserMiddleware` (MIDDLEWARE, in place of django-otp's OTPMiddleware, which it extends) tells the backend
  which device the session was verified with, so the user is read from the device's row joined to the user and
  agency: one query for a verified session. The device is then checked as django-otp does (same user,
  confirmed), and a device that is gone leaves the session unverified. On a read-only request (GET, HEAD) the
  user's access grants are then read once for the whole request (ctip.accounts.access.request_grants).

Sessions opened before this backend was configured name ModelBackend as their backend and are logged out once
(docs/operations.md); the session hash is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend
from django.db.models import Expression
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import memoise_request_grants
from .models import User

# name -> factory(outer reference to the user's primary key) -> an expression giving one value per user
_ANNOTATIONS: dict[str, Callable[[str], Expression]] = {}
_TOTP_PREFIX = f"{TOTPDevice._meta.app_label}.{TOTPDevice._meta.model_name}/"
_NO_DEVICE = object()  # the backend did not look for a device (not a verified session, or another device type)
_device_hint: ContextVar[str | None] = ContextVar("ctip_request_device", default=None)


def register_annotation(name: str, factory: Callable[[str], Expression]) -> None:
    """Apps above accounts add a per-user value to the request user's query (read as `user.<name>`), from their
    AppConfig.ready. `factory(ref)` builds the expression with `OuterRef(ref)` as the user's primary key."""
    _ANNOTATIONS[name] = factory


def _annotations(ref: str) -> dict[str, Expression]:
    return {name: factory(ref) for name, factory in _ANNOTATIONS.items()}


def _totp_pk(persistent_id: str | None) -> int | None:
    if not persistent_id or not persistent_id.startswith(_TOTP_PREFIX):
        return None
    value = persistent_id[len(_TOTP_PREFIX) :]
    return int(value) if value.isdigit() else None


def load_request_user(user_id, device_persistent_id: str | None = None) -> User | None:
    """The user with agency and annotations, in one query; with the session's TOTP device (checked to belong to
    the user) attached as `_request_device` when `device_persistent_id` names one."""
    device_pk = _totp_pk(device_persistent_id)
    if device_pk is not None:
        device = (
            TOTPDevice.objects.select_related("user", "user__agency")
            .annotate(**{f"_user_{name}": expr for name, expr in _annotations("user_id").items()})
            .filter(pk=device_pk, user_id=user_id)
            .first()
        )
        if device is not None:
            user = device.user
            for name in _ANNOTATIONS:
                setattr(user, name, getattr(device, f"_user_{name}"))
            user._request_device = device
            return user
    try:
        user = User._default_manager.select_related("agency").annotate(**_annotations("pk")).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None
    user._request_device = None if device_pk is not None else _NO_DEVICE
    return user


class RequestUserBackend(ModelBackend):
    def get_user(self, user_id):
        user = load_request_user(user_id, _device_hint.get())
        return user if user is not None and self.user_can_authenticate(user) else None


class RequestUserMiddleware(OTPMiddleware):
    """django-otp's middleware, taking the verified device from the request user's query when it is there."""

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        token = _device_hint.set(persistent_id)
        try:
            self._init_user_fields(user)  # evaluates the lazy user: the backend reads the device with it
        finally:
            _device_hint.reset(token)
        if user.is_authenticated:
            device = getattr(user, "_request_device", _NO_DEVICE)
            if device is _NO_DEVICE:
                device = self._device_from_persistent_id(persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
            if request.method in ("GET", "HEAD"):
                memoise_request_grants(user)  # a read-only request reads the user's grants once
        return user
