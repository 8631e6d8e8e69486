"""The identity vault's cryptography: field-level AES-256-GCM and keyed blind indexes.

Token format: ``v1.<key id>.<base64url(nonce || ciphertext+tag)>``. The associated data binds each ciphertext
to its record and field ("people.person:<public id>:first_name"), so a ciphertext copied into another row or
field does not decrypt. Keys come from the environment (CTIP_VAULT_KEYS, CTIP_INDEX_KEY) and never reach the
database. Rotation: put the new key first in CTIP_VAULT_KEYS, keep the old ones after it, run
``manage.py vault_rotate``, then remove the old keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
FILE_PREFIX = b"CTIPF1."


class VaultError(Exception):
    pass


def _b64d(value: str) -> bytes:
    padded = value + "=" * (-len(value) % 4)
    return base64.urlsafe_b64decode(padded) if ("-" in value or "_" in value) else base64.b64decode(padded)


class Vault:
    def __init__(self, keys_spec: str, index_key: str):
        self._keys: dict[str, AESGCM] = {}
        self.primary: str = ""
        for item in [k.strip() for k in keys_spec.split(",") if k.strip()]:
            kid, sep, material = item.partition(":")
            if not sep or not kid.isalnum():
                raise ImproperlyConfigured("CTIP_VAULT_KEYS items look like 'keyid:base64key' (key id alphanumeric).")
            raw = _b64d(material)
            if len(raw) != 32:
                raise ImproperlyConfigured(f"Vault key {kid} must be 32 bytes (base64 of 32 random bytes).")
            self._keys[kid] = AESGCM(raw)
            self.primary = self.primary or kid
        if not self._keys:
            raise ImproperlyConfigured("CTIP_VAULT_KEYS holds no key.")
        raw_index = _b64d(index_key)
        if len(raw_index) < 32:
            raise ImproperlyConfigured("CTIP_INDEX_KEY must be at least 32 bytes (base64).")
        self._index_key = raw_index

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def seal(self, plaintext: str | None, *, context: str) -> str:
        if plaintext is None or plaintext == "":
            return ""
        nonce = os.urandom(12)
        ct = self._keys[self.primary].encrypt(nonce, plaintext.encode("utf-8"), context.encode())
        return f"{PREFIX}.{self.primary}.{base64.urlsafe_b64encode(nonce + ct).decode().rstrip('=')}"

    def open(self, token: str, *, context: str) -> str:
        if not token:
            return ""
        try:
            prefix, kid, body = token.split(".", 2)
        except ValueError as exc:
            raise VaultError("not a vault token") from exc
        if prefix != PREFIX or kid not in self._keys:
            raise VaultError(f"unknown vault key id {kid!r}")
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        try:
            return self._keys[kid].decrypt(blob[:12], blob[12:], context.encode()).decode("utf-8")
        except InvalidTag as exc:
            raise VaultError("ciphertext does not match its key or record") from exc

    def key_id_of(self, token: str) -> str:
        return token.split(".", 2)[1] if token else ""

    def needs_rotation(self, token: str) -> bool:
        return bool(token) and self.key_id_of(token) != self.primary

    def rotate(self, token: str, *, context: str) -> str:
        if not self.needs_rotation(token):
            return token
        return self.seal(self.open(token, context=context), context=context)

    # --- whole files (attachments): the same keys and the same AES-256-GCM, for bytes ------------------------
    # File format: b"CTIPF1." + key id + b"." + nonce (12 bytes) + ciphertext with its tag. The key id in the
    # header says which key opens the file, so a file stays readable whatever the database says about it.

    def seal_bytes(self, data: bytes, *, context: str) -> bytes:
        nonce = os.urandom(12)
        ct = self._keys[self.primary].encrypt(nonce, data, context.encode())
        return FILE_PREFIX + self.primary.encode() + b"." + nonce + ct

    def file_key_id(self, blob: bytes) -> str:
        if not blob.startswith(FILE_PREFIX):
            raise VaultError("not a sealed file")
        kid, sep, _rest = blob[len(FILE_PREFIX) : len(FILE_PREFIX) + 64].partition(b".")
        if not sep:
            raise VaultError("not a sealed file")
        return kid.decode("ascii", "replace")

    def open_bytes(self, blob: bytes, *, context: str) -> bytes:
        kid = self.file_key_id(blob)
        if kid not in self._keys:
            raise VaultError(f"unknown vault key id {kid!r}")
        body = blob[len(FILE_PREFIX) + len(kid) + 1 :]
        try:
            return self._keys[kid].decrypt(body[:12], body[12:], context.encode())
        except InvalidTag as exc:
            raise VaultError("file does not match its key or record") from exc

    def blind_index(self, kind: str, normalized: str) -> str:
        """Keyed hash for exact look-ups: equal values give equal indexes; without the key, nothing leaks."""
        return hmac.new(self._index_key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _vault(keys_spec: str, index_key: str) -> Vault:
    return Vault(keys_spec, index_key)


def get_vault() -> Vault:
    return _vault(settings.CTIP_VAULT_KEYS, settings.CTIP_INDEX_KEY)


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
