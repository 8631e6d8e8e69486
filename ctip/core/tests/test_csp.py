"""Content-Security-Policy: on every kind of response, scripts from our own origin only (no inline, no eval)."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client

from ctip.accounts.enums import Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict_csp(response) -> None:
    d = _directives(response)
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts == ["'self'"], d
    assert "'unsafe-inline'" not in d.get("script-src-elem", []) + d.get("script-src-attr", [])
    assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]
    assert d["style-src"] == ["'self'"] and d["base-uri"] == ["'self'"]
    assert not any("'unsafe-eval'" in v for v in d.values())


def test_every_kind_of_response_carries_the_policy(users, client_for, api_client_for):
    anonymous = Client()
    staff = client_for(users[Role.CASE_WORKER])
    responses = {
        "page": staff.get("/"),
        "login page": anonymous.get("/accounts/login/"),
        "redirect": anonymous.get("/"),
        "public form": anonymous.get("/report/"),
        "API": api_client_for(users[Role.CASE_WORKER]).get("/api/v1/me/"),
        "API error": anonymous.get("/api/v1/me/"),
        "API 404": anonymous.get("/api/v1/no-such-thing/"),
        "404 page": staff.get("/no-such-page/"),
        "403 page": staff.get("/audit/"),
        "400 page": staff.get("/cases/?q=%00"),
        "API 400": anonymous.get("/api/v1/referrals/providers/?q=%00"),
        "API docs": staff.get("/api/docs/"),
        "API docs script": staff.get("/api/docs/?script="),
        "schema": staff.get("/api/schema/"),
        "health": anonymous.get("/healthz"),
    }
    expected = {"redirect": 302, "API error": 401, "API 404": 404, "404 page": 404, "403 page": 403}
    expected |= {"400 page": 400, "API 400": 400}
    for kind, response in responses.items():
        assert response.status_code == expected.get(kind, 200), (kind, response.status_code)
        assert_strict_csp(response)


def test_the_500_page_carries_the_policy(users, client_for):
    client = client_for(users[Role.CASE_WORKER])
    client.raise_request_exception = False
    with mock.patch("ctip.accounts.views.selectors.agency_list", side_effect=RuntimeError("boom")):
        response = client.get("/accounts/agencies/")
    assert response.status_code == 500
    assert_strict_csp(response)
    assert b"<script" not in response.content


def test_the_api_docs_page_has_no_inline_script(users, client_for):
    body = client_for(users[Role.CASE_WORKER]).get("/api/docs/").content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", body, re.S)
    assert scripts and all('src="' in attrs and not text.strip() for attrs, text in scripts), scripts
    assert "<style" not in body
    assert any("?script=" in attrs or "&script=" in attrs for attrs, _ in scripts)


def test_templates_have_no_inline_script_event_handler_or_style():
    """The policy refuses them in the browser; this finds them before a user does."""
    offenders = []
    for path in sorted((ROOT / "ctip").rglob("templates/**/*.html")):
        text = path.read_text()
        for pattern in (
            r"<script\b(?![^>]*\bsrc=)",  # a script without src
            r"\son[a-z]+\s*=",  # onclick=, onchange=...
            r"\bstyle\s*=",
            r"<style\b",
            r"javascript:",
            r"\bhx-on",
        ):
            for match in re.finditer(pattern, text, re.I):
                offenders.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {pattern}")
    assert not offenders, offenders


def test_the_browsable_api_allows_inline_styles_but_never_inline_scripts(users, client_for):
    response = client_for(users[Role.CASE_WORKER]).get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    d = _directives(response)
    assert d["script-src"] == ["'self'"] and d["style-src"] == ["'self'", "'unsafe-inline'"]
