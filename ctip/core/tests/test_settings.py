"""Settings from the environment: the cache URL, and production settings that pass `check --deploy`."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import cache_from_url

ROOT = Path(__file__).resolve().parents[3]


def test_cache_url_empty_is_per_process_memory():
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")


def test_cache_url_db_and_redis():
    assert cache_from_url("db") == {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ctip_cache"}
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_cache_url_unknown_is_refused():
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://x")


def _key(n: int = 32) -> str:
    return base64.b64encode(os.urandom(n)).decode()


def test_production_settings_pass_check_deploy_and_share_the_cache(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CTIP_", "DJANGO_", "CACHE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": _key(48),
        "ALLOWED_HOSTS": "ctip.example.go.ke",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CTIP_VAULT_KEYS": f"k1:{_key()}",
        "CTIP_INDEX_KEY": _key(),
        "CTIP_AUDIT_KEY": _key(),
        "CTIP_STATIC_ROOT": str(tmp_path / "static"),
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", shown.stderr
