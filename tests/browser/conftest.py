"""Playwright fixtures: one headless Debian Chromium per test session, a fresh context and page per test.

The browser talks to pytest-django's `live_server`, so every test here runs against a transactional database
(`serialized_rollback` puts the counties and countries loaded by data migrations back before each test). A test that
fails leaves a full-page screenshot in test-artifacts/.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CTIP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 15_000


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: Playwright journeys in Debian's Chromium")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections.settings
    }
    with sync_playwright() as playwright:
        # Playwright's sync API keeps an event loop running in this thread, so from here on Django's connection
        # handler (an asgiref Local) hands the tests new, per-context connection objects. Those lack the snapshot
        # taken when the test database was created, and `serialized_rollback` would silently restore nothing
        # (no counties, countries or indicators after the first flush). Give them the snapshot.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _audit_triggers(*, enabled: bool) -> None:
    """Drop (and re-create) the audit table's append-only triggers with the project's own migration code."""
    from django.db import connection

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
    """The triggers refuse DELETE/TRUNCATE on the audit table, so the flush that ends every transactional test
    fails. They stay on while the test runs, and are lifted just before pytest-django's flush."""
    _audit_triggers(enabled=True)
    yield
    _audit_triggers(enabled=False)


@pytest.fixture
def artifacts_dir(request) -> Path:
    path = Path(request.config.rootpath) / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser_context_args() -> dict:
    """Override in a test module (or with indirect parametrisation) for another viewport."""
    return {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(request, browser, live_server, browser_context_args, artifacts_dir) -> Iterator:
    """A page in a fresh context. `page.requested_urls` lists every URL the page asked for."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **browser_context_args)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    page.requested_urls = requested
    yield page
    if _failed(request):
        _screenshot(page, artifacts_dir / f"{_artifact_name(request)}.png")
    context.close()


def _failed(request) -> bool:
    return any(
        getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )


def _artifact_name(request) -> str:
    return re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]


def _screenshot(page, path: Path) -> None:
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the real failure
        print(f"screenshot failed: {exc}")


@pytest.fixture
def new_page(request, browser, live_server, artifacts_dir):
    """Factory for more pages, each in its own fresh context (another person on another device), e.g.
    `coordinator_page = new_page()`. On failure each one leaves a screenshot too (suffixed -2, -3...)."""
    made = []

    def make(**context_args):
        args = {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB", **context_args}
        context = browser.new_context(base_url=live_server.url, **args)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        extra = context.new_page()
        made.append(extra)
        return extra

    yield make
    failed = _failed(request)
    for number, extra in enumerate(made, start=2):
        if failed:
            _screenshot(extra, artifacts_dir / f"{_artifact_name(request)}-{number}.png")
        extra.context.close()


@pytest.fixture
def case_worker(make_user, agency):
    """A case worker in the home agency, created through accounts.services.user_create by a system actor."""
    from ctip.accounts.enums import Role

    return make_user(Role.CASE_WORKER, agency, username="cw-browser", first_name="Wanjiku")
