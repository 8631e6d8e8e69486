"""Shared set-up for the bench scripts: a separate database filled by the project's own demo generator.

Database: DATABASE_URL when set (PostgreSQL), else an SQLite file var/bench-<size>.sqlite3. Keys: the dev keys
(var/dev.env), so the bench database is readable by `make run` settings too.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(size: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'bench-{size}.sqlite3'}"
    os.environ.setdefault("CTIP_DEMO_MODE", "1")
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def database_size_bytes() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def ensure_demo(size: str) -> float | None:
    """Migrate and load the demo at `size` when the database is empty; returns the load time, or None."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ctip.demo.generator import database_is_empty

    if not database_is_empty():
        return None
    started = time.perf_counter()
    call_command("demo", "--size", size)
    return time.perf_counter() - started


def verified_client(username: str):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctip.accounts.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if user.mfa_required:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def timed_get(client, url: str, repeat: int) -> dict:
    times = []
    client.get(url)  # warm-up
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, int(round(0.95 * len(times))) - 1)],
        "max": times[-1],
    }


def report(label: str, stats: dict) -> None:
    print(f"{label:<48} p50 {stats['p50']:7.1f} ms   p95 {stats['p95']:7.1f} ms   max {stats['max']:7.1f} ms")
