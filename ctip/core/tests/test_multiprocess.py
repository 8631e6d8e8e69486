"""Past one machine (issue 10): tools/multiprocess_check.py starts two gunicorn app processes and an RQ worker
against PostgreSQL and Redis, and checks that a session, a rate limit and a background import work across them.

Runs only on the PostgreSQL leg (the check needs a database server the processes share) and when Redis answers on
127.0.0.1:6379 (`.ci/run` starts it). The check uses its own database (ctip_multiprocess_pytest, dropped and
recreated) and Redis databases 12 (cache) and 13 (task queue), apart from `make multiprocess-check`'s 14 and 15."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
REDIS = ("127.0.0.1", 6379)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _postgres_url() -> str | None:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return None
    host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    if not _reachable(host, port):
        return None
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/ctip_multiprocess_pytest"


def test_two_app_processes_and_a_worker_share_session_rate_limit_and_tasks():
    url = _postgres_url()
    if url is None:
        pytest.skip("needs PostgreSQL (the PostgreSQL leg of the suite)")
    if not _reachable(*REDIS):
        pytest.skip("needs Redis on 127.0.0.1:6379 (redis-server --daemonize yes)")
    done = subprocess.run(
        [
            sys.executable,
            "tools/multiprocess_check.py",
            "--database-url",
            url,
            "--redis-url",
            f"redis://{REDIS[0]}:{REDIS[1]}",
            "--cache-db",
            "12",
            "--queue-db",
            "13",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for check in ("static files:", "session: signed in", "rate limit:", "replica:", "background import:", "log-out"):
        assert check in done.stdout, done.stdout
