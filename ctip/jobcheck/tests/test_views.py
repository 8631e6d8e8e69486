"""The public page, the API and the officers' pages: answers, errors, limits, CSRF, language, what is kept,
and the rule-set pages' query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from ctip.jobcheck.models import CheckTally, RuleSet

from .conftest import HIGH_RISK_POST, LOW_RISK_POST, SEED

pytestmark = pytest.mark.django_db


def api_body(post: dict, **extra) -> dict:
    return {**{k: v for k, v in post.items() if v != ""}, **extra}


def test_public_page_says_high_risk_and_why(client, fresh):
    response = client.post("/job-check/", HIGH_RISK_POST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-level="high"' in html
    for rule in ("tourist_visa", "fee_charged", "fee_to_individual", "advisory_southeast_asia", "text_urgency"):
        assert f'data-rule="{rule}"' in html
    assert "1195" in html and "/verify/" in html
    assert "rule set version 1" in html


def test_public_page_low_risk_with_a_licensed_agency(client, agencies, fresh):
    response = client.post("/job-check/", LOW_RISK_POST)
    assert response.status_code == 200
    assert 'data-level="low"' in response.content.decode()


def test_public_page_in_kiswahili(client, fresh):
    client.cookies["django_language"] = "sw"
    response = client.post("/job-check/", HIGH_RISK_POST, HTTP_ACCEPT_LANGUAGE="sw")
    assert "Ungesafiri kwa visa ya utalii" in response.content.decode()


def test_bad_input_keeps_the_form_and_says_why(client):
    data = {**HIGH_RISK_POST, "fee_amount": "a lot", "visa": "spaceship", "destination": "XX"}
    response = client.post("/job-check/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the amount in figures" in html
    assert "Kazi ya haraka Bangkok" in html  # the text typed is kept in the form
    assert not CheckTally.objects.exists()


def test_fee_without_amount_and_amount_without_payee(client):
    response = client.post("/job-check/", {**HIGH_RISK_POST, "fee_amount": ""})
    assert response.status_code == 400 and "Give the amount asked" in response.content.decode()
    response = client.post("/job-check/", {**HIGH_RISK_POST, "fee_to": "none"})
    assert response.status_code == 400 and "Say to whom" in response.content.decode()


def test_csrf_is_required_on_the_public_form():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/job-check/", HIGH_RISK_POST).status_code == 403


def test_public_page_is_rate_limited(client, settings, monkeypatch):
    from ctip.core import ratelimit
    from ctip.jobcheck import public

    monkeypatch.setattr(public, "PAGE_LIMIT", ratelimit.Limit("jobcheck_page", 2, 600))
    assert client.post("/job-check/", HIGH_RISK_POST).status_code == 200
    assert client.post("/job-check/", HIGH_RISK_POST).status_code == 200
    response = client.post("/job-check/", HIGH_RISK_POST)
    assert response.status_code == 429 and "Too many checks" in response.content.decode()


def test_nothing_identifying_is_kept(client, fresh):
    from ctip.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    client.post("/job-check/", {**HIGH_RISK_POST, "text": "Call Wanjiku on 0712345678", "agency_name": "0712345678"})
    assert list(CheckTally.objects.values_list("channel", "level", "count")) == [("page", "high", 1)]
    assert AuditEvent.objects.count() == before


def test_api_answers_with_flags_and_version(fresh):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/jobcheck/check/", api_body(HIGH_RISK_POST, language="sw"), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] == "high" and body["rule_set_version"] == 1
    ids = [f["id"] for f in body["flags"]]
    assert {"tourist_visa", "fee_charged", "advisory_southeast_asia"} <= set(ids)
    assert next(f for f in body["flags"] if f["id"] == "tourist_visa")["title"].startswith("Ungesafiri")
    assert "1195" in body["report"]
    assert CheckTally.objects.get(channel="api").count == 1


def test_api_accepts_numbers_for_amounts(fresh):
    from rest_framework.test import APIClient

    body = api_body(HIGH_RISK_POST, fee_amount=80000, salary_amount=1500)
    response = APIClient().post("/api/v1/jobcheck/check/", body, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "Thailand"}, "destination"),
        ({"visa": "spaceship"}, "visa"),
        ({"fee_amount": "plenty"}, "fee_amount"),
        ({"fee_amount": True}, "fee_amount"),
        ({"documents": ["kidney"]}, "documents"),
        ({"text": "x" * 5001}, "text"),
        ({"fee_to": "none"}, "fee_to"),
    ],
)
def test_api_errors_are_code_message_fields(change, field):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/jobcheck/check/", api_body(HIGH_RISK_POST, **change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and body["message"] and field in body["fields"]


def test_api_is_rate_limited(monkeypatch):
    from rest_framework.test import APIClient

    from ctip.core import ratelimit
    from ctip.jobcheck import api

    monkeypatch.setattr(api, "API_LIMIT", ratelimit.Limit("jobcheck_api", 1, 600))
    client = APIClient()
    assert client.post("/api/v1/jobcheck/check/", api_body(HIGH_RISK_POST), format="json").status_code == 200
    response = client.post("/api/v1/jobcheck/check/", api_body(HIGH_RISK_POST), format="json")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_officer_page_offers_the_next_steps(users, client_for, fresh):
    response = client_for(users["case_worker"]).post("/jobcheck/", HIGH_RISK_POST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-level="high"' in html and "Record a complaint" in html  # case workers file complaints
    assert CheckTally.objects.get(channel="officer").count == 1
    html = client_for(users["hotline_operator"]).post("/jobcheck/", HIGH_RISK_POST).content.decode()
    assert "Record a complaint" not in html and "record it as a hotline call or a tip" in html


def test_editor_shows_every_mistake(users, client_for):
    from ctip.jobcheck import services

    officer = users["labour_officer"]
    draft = services.ruleset_draft(actor=officer)
    bad = SEED.read_text().replace("weight: 4", "weight: 40", 1)
    response = client_for(officer).post(
        f"/jobcheck/rules/{draft.public_id}/edit/", {"source_text": bad, "note": "x", "version": draft.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "rules[0].weight" in html and "weight: 40" in html  # the error, and the text kept
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_stale_edit_shows_the_conflict(users, client_for):
    from ctip.jobcheck import services

    officer = users["labour_officer"]
    draft = services.ruleset_draft(actor=officer)
    data = {"source_text": SEED.read_text(), "note": "x", "version": draft.version}
    client = client_for(officer)
    assert client.post(f"/jobcheck/rules/{draft.public_id}/edit/", data).status_code == 302
    response = client.post(f"/jobcheck/rules/{draft.public_id}/edit/", data)
    assert response.status_code == 409 and "Someone else changed" in response.content.decode()


def test_rules_list_query_count_is_the_same_at_10_and_50_versions(users, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = users["labour_officer"]
    v1 = RuleSet.objects.get(number=1)
    client = client_for(officer)
    counts = []
    for total in (10, 50):
        have = RuleSet.objects.count()
        RuleSet.objects.bulk_create(
            RuleSet(number=100 + have + i, status="retired", source_text="x", document=v1.document, created_by=officer)
            for i in range(total - have)
        )
        client.get("/jobcheck/rules/")  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/jobcheck/rules/")
        assert response.status_code == 200 and response.content.decode().count("/jobcheck/rules/") >= total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts
