"""Demo-only TOTP devices, so the demo logins work without a phone: `demo_logins` prints each secret and
`demo_totp <username>` prints the current code. Refused outside demo mode; never used for real accounts."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.accounts.models import User

DEMO_DEVICE_NAME = "demo authenticator"


def demo_key(username: str, seed: int = 2026) -> str:
    """A 20-byte hex key derived from the username: stable across reloads of the demo."""
    return hmac.new(f"ctip-demo-{seed}".encode(), username.encode(), hashlib.sha1).hexdigest()


def ensure_device(user: User, seed: int = 2026) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=DEMO_DEVICE_NAME, key=demo_key(user.username, seed), confirmed=True
        )
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
