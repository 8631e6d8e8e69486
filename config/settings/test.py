"""Test settings: fixed throw-away keys (never used anywhere else), fast hashing, immediate tasks."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdefghij")
# 32-byte keys, base64. Test-only values.
os.environ.setdefault(
    "CTIP_VAULT_KEYS",
    "t1:dGVzdC12YXVsdC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=",
)
os.environ.setdefault("CTIP_INDEX_KEY", "dGVzdC1pbmRleC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("CTIP_AUDIT_KEY", "dGVzdC1hdWRpdC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("CTIP_DEMO_MODE", "1")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Serve static files straight from the apps (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The suite reads and writes one test database: a configured reports replica (DATABASE_REPLICA_URL) is left out.
DATABASES.pop("replica", None)  # noqa: F405
# Private files (attachments, which the demo also writes) go to a throw-away folder per test process, removed at
# exit, never the project's var/private.
if "CTIP_PRIVATE_FILES" not in os.environ:
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    CTIP_PRIVATE_FILES = Path(tempfile.mkdtemp(prefix="ctip-test-private-"))
    atexit.register(shutil.rmtree, CTIP_PRIVATE_FILES, ignore_errors=True)
