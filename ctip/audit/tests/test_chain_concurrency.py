"""Chaining after commit under real commits (ADR 0010): a worker killed between its commit and its chaining loses
no event, and on PostgreSQL concurrent audited transactions neither wait for each other nor lose or reorder events.

Transactional tests (their own module: the shared world keeps its per-test behaviour elsewhere).
"""

from __future__ import annotations

import importlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record, verify_chain

# serialized_rollback: the flush after each test then restores the migrations' data (reference lists, content types)
# instead of re-running post_migrate, so serialized tests that follow (the browser journeys) start from the same state.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _audit_triggers(*, enabled: bool) -> None:
    migration = importlib.import_module("ctip.audit.migrations.0003_chain_after_commit")
    with connection.schema_editor() as editor:
        migration.drop_triggers(None, editor)
        if enabled:
            migration.create_new_triggers(None, editor)


@pytest.fixture(autouse=True, scope="module")
def _audit_triggers_restored(django_db_setup, django_db_blocker):
    """After the module's last flush, put the append-only triggers back for whatever runs next."""
    yield
    with django_db_blocker.unblock():
        _audit_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _audit_flushable(transactional_db, _audit_triggers_restored):
    """The triggers refuse the flush that ends a transactional test (as in tests/browser/conftest.py): they stay
    on while the test runs and are lifted just before the flush."""
    _audit_triggers(enabled=True)
    yield
    _audit_triggers(enabled=False)


ROOT = Path(settings.BASE_DIR)

# A web worker that commits an audited read and is killed (SIGKILL: no clean-up runs) before it chains it.
WORKER = """
import sys, time
import django
django.setup()
from django.db import transaction
from ctip.audit import services

def killed_here(**kwargs):
    print("committed", flush=True)
    time.sleep(120)

services.chain_pending = killed_here
with transaction.atomic():
    services.audit_record(actor="worker", action="identity.read", target_type="test", target_id="killed")
print("chained", flush=True)
"""


def _run(args: list[str], url: str, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    if kwargs.pop("background", False):
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)


def _database_for_processes(tmp_path: Path) -> tuple[str, callable]:
    """A database URL other processes can open, and a function counting (events, chained events) in it."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

        def counts() -> tuple[int, int]:
            qs = AuditEvent.objects.filter(target_id="killed")
            return qs.count(), qs.filter(seq__isnull=False).count()

        return url, counts
    # SQLite: the test database lives in memory; copy it (schema and triggers) to a file the processes share.
    path = tmp_path / "ctip.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)

    def counts_in_file() -> tuple[int, int]:
        with sqlite3.connect(path) as con:
            sql = "SELECT COUNT(*), COUNT(seq) FROM audit_auditevent WHERE target_id = 'killed'"
            return con.execute(sql).fetchone()

    return f"sqlite:///{path}", counts_in_file


def test_a_worker_killed_after_its_commit_loses_no_event_and_the_sweep_chains_it(tmp_path):
    url, counts = _database_for_processes(tmp_path)
    # given a worker that committed its audited read
    worker = _run(["-c", WORKER], url, background=True)
    try:
        line = worker.stdout.readline().strip()
        assert line == "committed", worker.stderr.read() if line == "" else line
        # when it is killed before chaining
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:  # pragma: no cover - only when the worker never reached its commit
            worker.kill()
            worker.wait()
        worker.stdout.close()
        worker.stderr.close()
    # then the event is there, committed and waiting
    assert counts() == (1, 0)
    # and the periodic sweep gives it its place, and the chain verifies
    assert "Chained 1 waiting audit event(s)." in _run(["manage.py", "audit_chain"], url).stdout
    assert counts() == (1, 1)
    assert "Audit chain intact" in _run(["manage.py", "audit_verify"], url).stdout


# --- PostgreSQL: real concurrency --------------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="concurrent writers need PostgreSQL (SQLite runs one writer at a time by design)",
)


def _in_thread(target, *args) -> threading.Thread:
    errors: list[BaseException] = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.errors = errors
    thread.start()
    return thread


@needs_postgres
def test_an_open_audited_transaction_does_not_hold_up_other_audited_requests():
    written, release = threading.Event(), threading.Event()

    def slow_request():
        with transaction.atomic():
            audit_record(actor="slow", action="identity.read", target_type="test", target_id="slow")
            written.set()
            release.wait(timeout=30)

    slow = _in_thread(slow_request)
    try:
        assert written.wait(timeout=30)
        # when another audited request runs while the slow one is still open
        started = time.monotonic()
        with transaction.atomic():
            audit_record(actor="fast", action="identity.read", target_type="test", target_id="fast")
        elapsed = time.monotonic() - started
        # then it neither waited for the slow one nor waits to be chained
        assert elapsed < 5, elapsed
        fast = AuditEvent.objects.get(target_id="fast")
        assert fast.seq is not None
    finally:
        release.set()
        slow.join(timeout=30)
    assert not slow.errors
    # and the slow one is chained after it, when it commits
    assert AuditEvent.objects.get(target_id="slow").seq == fast.seq + 1
    assert verify_chain(chain_first=False) == (True, None, "", AuditEvent.objects.count())


@needs_postgres
def test_concurrent_audited_transactions_lose_and_reorder_nothing():
    threads_n, transactions_n = 6, 15
    barrier = threading.Barrier(threads_n)

    def worker(t: int):
        barrier.wait(timeout=30)
        for n in range(transactions_n):
            with transaction.atomic():
                audit_record(actor=f"w{t}", action="identity.read", target_type="test", target_id=f"{t}-{n}-a")
                audit_record(actor=f"w{t}", action="identity.read", target_type="test", target_id=f"{t}-{n}-b")

    threads = [_in_thread(worker, t) for t in range(threads_n)]
    for thread in threads:
        thread.join(timeout=120)
    assert not [e for thread in threads for e in thread.errors]
    events = list(AuditEvent.objects.filter(target_type="test").order_by("seq"))
    # every event is there and chained, once, in a gapless chain that verifies
    assert len(events) == threads_n * transactions_n * 2
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + len(events)))
    assert verify_chain(chain_first=False) == (True, None, "", AuditEvent.objects.count())
    # and each worker's events are in the chain in the order the worker wrote them
    for t in range(threads_n):
        mine = [e.target_id for e in events if e.actor_label == f"w{t}"]
        assert mine == [f"{t}-{n}-{x}" for n in range(transactions_n) for x in "ab"]
