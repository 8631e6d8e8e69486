"""Past one machine, by configuration only: the tasks backend (database or RQ on Redis), the task timeout, static
files left to the web server, trusted proxies, and the reports replica (ctip.core.replica)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from ctip.core.replica import using_reports

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'tasks': s.TASKS['default'], 'rq': getattr(s, 'RQ_QUEUES', None), "
    "'apps': [a for a in s.INSTALLED_APPS if 'rq' in a], 'whitenoise': any('whitenoise' in m for m in s.MIDDLEWARE), "
    "'databases': {k: v['NAME'] for k, v in s.DATABASES.items()}, "
    "'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), 'proxies': s.CTIP_TRUSTED_PROXIES}))"
)


def _settings(**environment: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CTIP_", "DJANGO_", "TASK", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "CTIP_VAR_DIR": os.environ.get("CTIP_VAR_DIR", str(ROOT / "var")),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _shown(**environment: str) -> dict:
    done = _settings(**environment)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_defaults_are_one_machine():
    shown = _shown()
    assert shown["tasks"] == {"BACKEND": "django_tasks_db.DatabaseBackend"}
    assert shown["apps"] == [] and shown["rq"] is None
    assert shown["whitenoise"] is True
    assert list(shown["databases"]) == ["default"]
    assert shown["proxies"] == []


def test_rq_backend_replica_static_and_proxies_from_the_environment():
    shown = _shown(
        TASKS_BACKEND="rq",
        TASK_QUEUE_URL="redis://redis.internal:6379/2",
        CTIP_TASK_TIMEOUT_SECONDS="600",
        CTIP_SERVE_STATIC="0",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/ctip",
        CTIP_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16",
    )
    assert shown["tasks"] == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    assert shown["rq"] == {"default": {"URL": "redis://redis.internal:6379/2", "DEFAULT_TIMEOUT": 600}}
    assert shown["apps"] == ["django_rq", "django_tasks_rq"]
    assert shown["whitenoise"] is False
    assert shown["databases"] == {"default": shown["databases"]["default"], "replica": "ctip"}
    assert shown["mirror"] == "default"
    assert shown["proxies"] == ["10.0.0.5", "10.1.0.0/16"]


@pytest.mark.parametrize(
    "environment",
    [
        {"TASKS_BACKEND": "celery"},
        {"TASKS_BACKEND": "rq"},  # no TASK_QUEUE_URL
        {"CTIP_TRUSTED_PROXIES": "lb.internal"},
    ],
)
def test_wrong_configuration_is_refused(environment):
    done = _settings(**environment)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_reports_read_the_replica_only_when_there_is_one(settings):
    assert using_reports() == "default"
    with override_settings(DATABASES={**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}):
        assert using_reports() == "replica"


@pytest.mark.django_db
def test_national_figures_go_through_using_reports(monkeypatch):
    """The analysts' national count asks ctip.core.replica which database to read (a replica is a mirror of the
    primary in tests, so the count is the same)."""
    from django.core.cache import cache

    from ctip.people import selectors

    asked: list[str] = []

    def spy() -> str:
        asked.append("reports")
        return "default"

    monkeypatch.setattr(selectors, "using_reports", spy)
    cache.delete(selectors.NATIONAL_COUNT_KEY)
    selectors.person_count_national()
    assert asked == ["reports"]
    cache.delete(selectors.NATIONAL_COUNT_KEY)
