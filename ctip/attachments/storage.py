"""Encrypted files at rest: the attachments' store under settings.CTIP_PRIVATE_FILES/attachments.

Each file is encrypted with the identity vault's keys (`Vault.seal_bytes`: AES-256-GCM, the primary key of
CTIP_VAULT_KEYS, the associated data binding it to its attachment's public id, so a file copied under another
attachment's name does not open) and written under a random name (48 hex digits), mode 0600, in a folder of mode
0700 outside STATIC_ROOT, MEDIA and any folder a web server serves. Writes go to a temporary file renamed over
the target, so a reader never sees half a file. `vault_rotate` re-encrypts files under an older key through
`AttachmentFileStore` (registered with ctip.people.vault_stores)."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ctip.people.vault import get_vault

SUBDIR = "attachments"
CHUNK = 200


def root() -> Path:
    return Path(settings.CTIP_PRIVATE_FILES) / SUBDIR


def new_storage_name() -> str:
    return secrets.token_hex(24)


def context_of(public_id) -> str:
    return f"attachments.attachment:{public_id}:file"


def path_of(storage_name: str) -> Path:
    if not storage_name or not all(c in "0123456789abcdef" for c in storage_name):
        raise ValueError("bad storage name")
    return root() / storage_name


def _write_atomic(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write(storage_name: str, public_id, content: bytes) -> str:
    """Encrypt `content` for the attachment `public_id` and store it; the id of the key used."""
    vault = get_vault()
    _write_atomic(path_of(storage_name), vault.seal_bytes(content, context=context_of(public_id)))
    return vault.primary


def read(storage_name: str, public_id) -> bytes:
    """The decrypted content (VaultError if the file was tampered with or belongs to another attachment)."""
    blob = path_of(storage_name).read_bytes()
    return get_vault().open_bytes(blob, context=context_of(public_id))


def discard(storage_name: str) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        path_of(storage_name).unlink()


class AttachmentFileStore:
    """The attachments' files for `manage.py vault_rotate` (ctip.people.vault_stores). Removed attachments keep
    their file (soft removal), so they are rotated too."""

    def _stale(self, vault):
        from .models import Attachment

        return Attachment.objects.exclude(key_id=vault.primary)

    def remaining(self, vault) -> int:
        return self._stale(vault).count()

    def rotate(self, vault, *, dry_run: bool) -> int:
        changed = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                qs = self._stale(vault).filter(pk__gt=last_pk).order_by("pk").only("pk", "public_id", "storage_name")
                rows = list((qs if dry_run else qs.select_for_update())[:CHUNK])
                if not rows:
                    return changed
                last_pk = rows[-1].pk
                for row in rows:
                    changed += 1
                    if dry_run:
                        continue
                    path = path_of(row.storage_name)
                    try:
                        blob = path.read_bytes()
                    except FileNotFoundError:  # left under its old key id: counted by remaining(), reported
                        changed -= 1
                        continue
                    if vault.file_key_id(blob) != vault.primary:
                        context = context_of(row.public_id)
                        _write_atomic(path, vault.seal_bytes(vault.open_bytes(blob, context=context), context=context))
                    type(row).objects.filter(pk=row.pk).update(key_id=vault.primary)
