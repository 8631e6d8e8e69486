"""Evidence files kept across a complaint form's errors (issue 12): a browser does not send a file twice, so a form
re-shown for a missing field used to lose the receipts the complainant had chosen.

Each file sent with the form is checked at once (evidence.check: type by content, size) and, when valid, written
privately under settings.CTIP_PRIVATE_FILES/complaint-evidence-stash/ under a random name. The list of kept files
lives in the user's session only (storage name, type, size, time: never the original file name, which may name
someone); the form carries a signed token naming the stash, checked against the session, so a token copied to
another browser or forged opens nothing. Nothing of it is in a URL. Kept files expire after MAX_AGE seconds
(dropped when the stash is next read, and by `manage.py complaint_stash_expire` for abandoned forms); they are
removed as soon as the complaint is saved (the service stores its own copies) or the user removes one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed

from . import evidence as evidence_files

SESSION_KEY = "ctip_complaint_evidence"
SALT = "ctip.recruitment.evidence_stash"
SUBDIR = "complaint-evidence-stash"
MAX_AGE = 3600  # seconds a kept file waits for its form


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Kept:
    id: str  # a random handle for the remove button (not the storage name)
    kind: str  # EvidenceType value
    size: int


def root() -> Path:
    return Path(settings.CTIP_PRIVATE_FILES) / SUBDIR


def _path(storage: str) -> Path:
    if not storage or not storage.isalnum():
        raise ValueError("bad storage name")
    return root() / storage


def _store_stashed_file(content: bytes) -> str:
    storage = secrets.token_hex(24)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / storage
    with open(path, "xb") as fh:
        fh.write(content)
    os.chmod(path, 0o600)
    return storage


def _unlink(storage: str) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        _path(storage).unlink()


class Stash:
    """The files kept for one complaint form of one session. `token` goes in the form (hidden field)."""

    def __init__(self, session, token: str = ""):
        self.session = session
        data = session.get(SESSION_KEY) or {}
        key = ""
        with contextlib.suppress(signing.BadSignature):
            key = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        if not data or not key or data.get("key") != key:
            # no stash yet, or the form is not the one this session was given: start afresh (old files removed)
            for item in data.get("files", []):
                _unlink(item.get("storage", ""))
            data = {"key": secrets.token_urlsafe(16), "files": []}
            self._set(data)
        self.data = data
        self._expire()

    def _set(self, data: dict) -> None:
        self.session[SESSION_KEY] = data
        self.session.modified = True

    def _expire(self) -> None:
        now = _now()
        fresh = []
        for item in self.data["files"]:
            if now - item.get("at", 0) > MAX_AGE or not _path(item["storage"]).is_file():
                _unlink(item["storage"])
            else:
                fresh.append(item)
        if len(fresh) != len(self.data["files"]):
            self.data["files"] = fresh
            self._set(self.data)

    @property
    def token(self) -> str:
        return signing.dumps(self.data["key"], salt=SALT)

    @property
    def files(self) -> list[Kept]:
        return [Kept(item["id"], item["kind"], item["size"]) for item in self.data["files"]]

    def __len__(self) -> int:
        return len(self.data["files"])

    def add(self, uploads: list[evidence_files.Upload]) -> list[str]:
        """Check and keep each upload; the error messages of those refused (nothing is kept of them)."""
        errors: list[str] = []
        for upload in uploads:
            if len(self.data["files"]) >= evidence_files.MAX_FILES:
                errors.append(_("At most 5 files."))
                break
            try:
                kind = evidence_files.check(upload)
            except ValidationFailed as exc:
                errors.extend(str(m) for m in (exc.fields or {}).get("evidence", [exc.message]))
                continue
            self.data["files"].append(
                {
                    "id": secrets.token_hex(6),
                    "storage": _store_stashed_file(upload.content),
                    "kind": kind,
                    "size": len(upload.content),
                    "at": _now(),
                }
            )
        self._set(self.data)
        return errors

    def remove(self, item_id: str) -> bool:
        for item in self.data["files"]:
            if item["id"] == item_id:
                _unlink(item["storage"])
                self.data["files"].remove(item)
                self._set(self.data)
                return True
        return False

    def uploads(self) -> list[evidence_files.Upload]:
        """The kept files' contents, for the service (which checks and stores them again, as any upload)."""
        out = []
        for item in self.data["files"]:
            with open(_path(item["storage"]), "rb") as fh:
                out.append(evidence_files.Upload(content=fh.read()))
        return out

    def clear(self) -> None:
        for item in self.data["files"]:
            _unlink(item["storage"])
        self.session.pop(SESSION_KEY, None)
        self.session.modified = True


def expire_abandoned(now: float | None = None) -> int:
    """Remove kept files older than MAX_AGE whose form was never sent again (the session forgot them); a count."""
    folder = root()
    if not folder.is_dir():
        return 0
    limit = (now if now is not None else _now()) - MAX_AGE
    removed = 0
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed
