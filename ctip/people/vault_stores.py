"""Encrypted stores outside the sealed columns (files on disk), rotated by `manage.py vault_rotate`.

Sealed columns are found by introspection; a store of encrypted files cannot be, so an app above people that keeps
one (ctip.attachments) registers it in its AppConfig.ready, without people importing it (docs/adr/0002):

    vault_stores.register("attachments", AttachmentFileStore())

A store answers `rotate(vault, *, dry_run) -> int` (re-encrypt under the primary key what is under another; the
count) and `remaining(vault) -> int` (how many items are still under a key other than the primary)."""

from __future__ import annotations

from typing import Protocol


class EncryptedStore(Protocol):
    def rotate(self, vault, *, dry_run: bool) -> int: ...

    def remaining(self, vault) -> int: ...


_STORES: dict[str, EncryptedStore] = {}


def register(name: str, store: EncryptedStore) -> None:
    _STORES[name] = store


def stores() -> dict[str, EncryptedStore]:
    return dict(_STORES)
