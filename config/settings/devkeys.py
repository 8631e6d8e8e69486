"""Throw-away keys for the embedded development/demo install.

`make run` (and any `manage.py` call with the dev settings) needs a SECRET_KEY and vault keys. On first use
this writes fresh random keys to `var/dev.env` (mode 0600, git-ignored) and reads them on every later start, so
the demo database stays readable between runs. Production never uses this file: it reads the environment only.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


def _b64key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def load_dev_env(var_dir: Path) -> None:
    path = var_dir / "dev.env"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        content = (
            "# Generated development keys. Never use them in production. Deleting this file makes the\n"
            "# encrypted demo data in var/ unreadable: delete var/ctip.sqlite3 with it.\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"CTIP_VAULT_KEYS=dev1:{_b64key()}\n"
            f"CTIP_INDEX_KEY={_b64key()}\n"
            f"CTIP_AUDIT_KEY={_b64key()}\n"
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        os.environ.setdefault(name.strip(), value.strip())
