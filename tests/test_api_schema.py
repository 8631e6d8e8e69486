"""The API answers what its OpenAPI schema says: schemathesis over every operation, in process.

The schema is loaded from /api/schema/ as a partner would read it, then every operation (every path and method)
is called with generated requests, valid and invalid ones, with the API tokens of three roles (case worker,
coordinator, auditor) and without a token, against a small world of real records (a case with consent, a
person, a follow-up, a tip, a hotline call, a provider and a referral) so that path parameters also name records
that exist. Each response must not be a server error, must have a status code the schema documents for the
operation, a documented content type, and a body valid against the documented schema. Write methods run too:
the test database is rolled back at the end.

Bounded and deterministic: a fixed number of examples per operation, role and mode, `derandomize=True`, no
example database, no shrinking (every failure is collected and reported at once instead).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ctip.accounts.enums import Role
from ctip.accounts.tests.helpers import PASSWORD

ROLES = (Role.CASE_WORKER, Role.COORDINATOR, Role.AUDITOR)
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}  # 20 requests per operation
ANONYMOUS_EXAMPLES = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Report:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)
    violations: list = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"schemathesis: {self.requests} requests, {len(self.server_errors)} server errors, "
            f"{len(self.violations)} schema violations; statuses {dict(sorted(self.statuses.items()))}"
        )


class InProcess:
    """Run the WSGI application inside the test's transaction: Django closes "old" connections at the start and
    end of each request, which would end the test transaction (the test client disconnects the same handler)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(users, make_user, make_person, system_actor):
    """Records the path parameters can name, created through the real services."""
    from ctip.accounts.services import agency_create
    from ctip.cases.services.consent import consent_record
    from ctip.cases.services.followups import followup_schedule
    from ctip.cases.tests.factories import open_case
    from ctip.intake import services as intake
    from ctip.reference.models import County
    from ctip.referrals import services as referrals

    worker, coordinator = users[Role.CASE_WORKER], users[Role.COORDINATOR]
    case = open_case(worker, make_person)
    consent_record(
        actor=worker,
        case=case,
        given_by="self",
        given_on=date(2026, 3, 2),
        purpose_explained=True,
        data_use=True,
        sharing=True,
    )
    follow_up = followup_schedule(
        actor=worker,
        case=case,
        due_on=timezone.localdate() + timedelta(days=7),
        purpose="Check on the shelter stay",
        assigned_to=worker,
    )
    shelter_agency = agency_create(
        actor=system_actor,
        name="Schema Safe House",
        short_name="SCHEMA",
        agency_type="shelter",
        counties=list(County.objects.filter(code="047")),
    )
    provider = referrals.provider_create(
        actor=coordinator,
        agency=shelter_agency,
        services=["shelter", "psychosocial"],
        counties=list(County.objects.filter(code="047")),
        shelter_capacity=2,
        languages=["English"],
        phone="0711000000",
    )
    referral = referrals.referral_send(
        actor=worker, case=case, provider=provider, service_type="shelter", sections=["care"], notes=""
    )
    tip, _pin = intake.tip_submit(
        data=intake.TipInput(situation="other", description="Girls kept in a house in Kilimani, not allowed out.")
    )
    call = intake.call_log(
        actor=make_user(Role.HOTLINE_OPERATOR, worker.agency),
        data=intake.CallInput(
            caller_type="victim", summary="A caller asked for help.", call_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
        ),
    )
    return {
        "/api/v1/cases/{public_id}/": case.public_id,
        "/api/v1/persons/{public_id}/": case.person.public_id,
        "/api/v1/intake/tips/{public_id}/": tip.public_id,
        "/api/v1/intake/calls/{public_id}/": call.public_id,
        "/api/v1/referrals/providers/{public_id}/": provider.public_id,
        "/api/v1/referrals/{public_id}/": referral.public_id,
        "follow_up_id": follow_up.public_id,
    }


def _known_parameters(path: str, world: dict) -> dict:
    """Path parameters naming real records, for the operations whose path starts with a known one."""
    params = {}
    for prefix, value in world.items():
        if prefix.startswith("/") and path.startswith(prefix):
            params["public_id"] = str(value)
    if "{follow_up_id}" in path:
        params["follow_up_id"] = str(world["follow_up_id"])
    return params


def _record(report: Report, case, response, headers: dict, label: str) -> None:
    report.requests += 1
    report.statuses[response.status_code] += 1
    label = f"{label}: {response.status_code}"
    if response.status_code >= 500:
        report.server_errors.append(f"{label} {case.as_curl_command(headers=headers)}")
        return
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            report.violations.append(f"{label} {failure.title}: {failure.message[:300]} <- {_sent(case)}")


def _exercise(operation, mode, examples: int, headers: dict, known: dict, report: Report, who: str) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if known:
        strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=known))

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        _record(report, case, case.call(headers=headers), headers, f"{operation.label} as {who} ({mode.value})")

    try:
        run()
    except Unsatisfiable:
        # Negative mode on an operation without any input (no parameter, no body): nothing can be made invalid.
        assert mode == GenerationMode.NEGATIVE, operation.label


def _happy_requests(world: dict, users: dict) -> list[tuple[str, str, dict, object]]:
    """Requests with valid input (generated input is rarely valid enough to reach a 201 or a 409), sent by every
    role in turn: the first may create, the next ones meet a possible duplicate, a stale version or a refusal."""
    case = str(world["/api/v1/cases/{public_id}/"])
    person = str(world["/api/v1/persons/{public_id}/"])
    identity = {
        "first_name": "Nafula",
        "last_name": "Wanjala",
        "date_of_birth": "1997-08-14",
        "sex": "female",
        "identifiers": [{"kind": "phone", "value": "0722987654"}],
    }
    return [
        ("/api/v1/persons/", "POST", {}, identity),
        ("/api/v1/persons/lookup/", "POST", {}, {"kind": "phone", "value": "0722987654"}),
        ("/api/v1/persons/{public_id}/identity/", "PUT", {"public_id": person}, {**identity, "version": 1}),
        (
            "/api/v1/cases/",
            "POST",
            {},
            {
                "person": identity,
                "identified_on": "2026-03-01",
                "identified_county": "047",
                "htcds": {"vic_TypeOfExploitation": ["ForcedLabour"]},
                "events": [{"event_type": "Recruitment", "started_on": "2026-01-10", "country": "SA"}],
            },
        ),
        ("/api/v1/cases/{public_id}/status/", "POST", {"public_id": case}, {"status": "FollowUp", "version": 2}),
        (
            "/api/v1/cases/{public_id}/consent/",
            "POST",
            {"public_id": case},
            {"given_by": "self", "given_on": "2026-03-02", "purpose_explained": True, "sharing": True},
        ),
        (
            "/api/v1/cases/{public_id}/screening/",
            "POST",
            {"public_id": case},
            {"indicator_list": "adult_labour", "indicators": [], "screened_on": "2026-03-02"},
        ),
        (
            "/api/v1/cases/{public_id}/decision/",
            "POST",
            {"public_id": case},
            {
                "version": 2,
                "status": "PossibleVictimOfTrafficking",
                "decision_org": "Police",
                "decided_on": "2026-03-03",
            },
        ),
        (
            "/api/v1/cases/{public_id}/follow-ups/",
            "POST",
            {"public_id": case},
            {"due_on": "2999-01-01", "purpose": "Visit", "assigned_to": str(users[Role.CASE_WORKER].public_id)},
        ),
        (
            "/api/v1/cases/{public_id}/follow-ups/{follow_up_id}/done/",
            "POST",
            {"public_id": case, "follow_up_id": str(world["follow_up_id"])},
            {"outcome": "Seen at the shelter."},
        ),
        (
            "/api/v1/referrals/",
            "POST",
            {},
            {
                "case": case,
                "provider": str(world["/api/v1/referrals/providers/{public_id}/"]),
                "service_type": "shelter",
            },
        ),
        (
            "/api/v1/referrals/{public_id}/{transition}/",
            "POST",
            {"public_id": str(world["/api/v1/referrals/{public_id}/"]), "transition": "revoke"},
            {"reason": "Sent to the wrong shelter."},
        ),
        (
            "/api/v1/intake/calls/",
            "POST",
            {},
            {"caller_type": "victim", "summary": "A caller asked for help.", "call_at": "2026-03-01T09:30:00+03:00"},
        ),
        (
            "/api/v1/intake/calls/{public_id}/escalate/",
            "POST",
            {"public_id": str(world["/api/v1/intake/calls/{public_id}/"])},
            {"situation": "forced_work"},
        ),
        (
            "/api/v1/intake/public/tips/",
            "POST",
            {},
            {"situation": "job_abroad", "description": "An agent in Mombasa keeps passports.", "county": "001"},
        ),
        (
            "/api/v1/intake/tips/{public_id}/{action}/",
            "POST",
            {"public_id": str(world["/api/v1/intake/tips/{public_id}/"]), "action": "review"},
            {},
        ),
        ("/api/v1/auth/token/", "POST", {}, {"username": users[Role.AUDITOR].username, "password": PASSWORD}),
    ]


def _sent(case) -> str:
    return json.dumps(
        {"path": case.path_parameters, "query": case.query, "body": case.body, "media_type": case.media_type},
        default=str,
    )[:400]


def _token(user) -> dict:
    from rest_framework.authtoken.models import Token

    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def api_schema(users):
    """The schema as /api/schema/ serves it, bound to the WSGI application that runs in the test transaction."""
    from config.wsgi import application

    loggers = [logging.getLogger(name) for name in ("django.request", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)  # 4xx and lock-outs are expected here; 5xx are still logged
    with InProcess():
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers=_token(users[Role.COORDINATOR])
        )
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _validate(case, response, headers) -> None:
    case.validate_response(response, checks=CHECKS, headers=headers)


def test_every_operation_answers_as_its_schema_says(api_schema, world, users):
    report = Report()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for path, method, path_parameters, body in _happy_requests(world, users):
        request = api_schema[path][method].Case(
            path_parameters=path_parameters, body=body, media_type="application/json"
        )
        for role in ROLES:
            headers = _token(users[role])
            response = request.call(headers=headers)
            _record(report, request, response, headers, f"{method} {path} as {role} (valid input)")
    for operation in operations:
        known = _known_parameters(operation.path, world)
        _exercise(operation, GenerationMode.POSITIVE, ANONYMOUS_EXAMPLES, {}, known, report, "anonymous")
        for role in ROLES:
            headers = _token(users[role])
            for mode, examples in EXAMPLES.items():
                _exercise(operation, mode, examples, headers, known, report, role)
    print(f"\n{report.summary()} over {len(operations)} operations")
    assert len(operations) >= 45
    assert not report.server_errors, "\n".join(report.server_errors[:30])
    assert not report.violations, "\n".join(report.violations[:40])


IDENTITY = {
    "first_name": "Jebet",
    "last_name": "Koech",
    "date_of_birth": "1999-05-04",
    "identifiers": [{"kind": "phone", "value": "0733444555"}],
}


def test_possible_duplicate_envelopes_and_pages_are_as_documented(api_schema, users, other_users, make_person):
    make_person(
        other_users[Role.CASE_WORKER],
        "Jebet",
        "Koech",
        identifiers=[("phone", "0733444555")],
        date_of_birth=date(1999, 5, 4),
    )
    headers = _token(users[Role.CASE_WORKER])

    person = api_schema["/api/v1/persons/"]["POST"].Case(body=IDENTITY, media_type="application/json")
    response = person.call(headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "possible_duplicate"
    assert response.json()["candidates"] and "link_token" not in response.json()
    _validate(person, response, headers)

    register = api_schema["/api/v1/cases/"]["POST"]
    case = register.Case(
        body={"person": IDENTITY, "identified_on": "2026-03-01", "channel": "officer"}, media_type="application/json"
    )
    duplicate = case.call(headers=headers)
    body = duplicate.json()
    assert duplicate.status_code == 409 and set(body) == {"code", "message", "fields", "candidates", "link_token"}
    _validate(case, duplicate, headers)

    link = register.Case(
        body={
            "person_id": body["candidates"][0]["person"],
            "link_token": body["link_token"],
            "identified_on": "2026-03-01",
        },
        media_type="application/json",
    )
    created = link.call(headers=headers)
    assert created.status_code == 201, created.text
    _validate(link, created, headers)

    listing = api_schema["/api/v1/cases/"]["GET"].Case(query={"page": 1})
    page = listing.call(headers=headers)
    assert page.status_code == 200 and set(page.json()) == {"results", "page", "has_next"}
    _validate(listing, page, headers)


@pytest.mark.parametrize(
    ("call_at", "shown"),
    [
        # Africa/Nairobi kept local mean time (+02:27:16) until 1908: RFC 3339 offsets are whole minutes.
        ("1905-06-01T08:00:00+03:00", "1905-06-01T05:00:00Z"),
        ("2026-03-01T09:30:00+03:00", "2026-03-01T06:30:00Z"),
    ],
)
def test_times_are_rfc3339_in_utc(api_schema, users, make_user, call_at, shown):
    operator = make_user(Role.HOTLINE_OPERATOR, users[Role.CASE_WORKER].agency)
    headers = _token(operator)
    log = api_schema["/api/v1/intake/calls/"]["POST"].Case(
        body={"caller_type": "victim", "summary": "A caller asked for help.", "call_at": call_at},
        media_type="application/json",
    )
    created = log.call(headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["call_at"] == shown
    _validate(log, created, headers)
    read = api_schema["/api/v1/intake/calls/{public_id}/"]["GET"].Case(
        path_parameters={"public_id": created.json()["id"]}
    )
    assert read.call(headers=headers).json()["call_at"] == shown


@pytest.mark.parametrize("day", ["1899-12-31", "2999-01-01"])
def test_dates_before_1900_or_in_the_future_are_refused(api_schema, world, users, make_user, day):
    """Every date input of the API (a due date may be in the future, not before 1900)."""
    case = str(world["/api/v1/cases/{public_id}/"])
    worker = _token(users[Role.CASE_WORKER])
    coordinator = _token(users[Role.COORDINATOR])
    operator = _token(make_user(Role.HOTLINE_OPERATOR, users[Role.CASE_WORKER].agency))
    identity = {"first_name": "Amani", "last_name": "Wekesa", "date_of_birth": day}
    attempts = [
        ("/api/v1/persons/", {}, {**identity, "confirm_new_person": True}, worker, ["date_of_birth"]),
        # before 1900: the nested serializer's error; in the future: the identity validation's
        (
            "/api/v1/cases/",
            {},
            {"person": identity, "identified_on": "2026-03-01"},
            worker,
            ["person", "date_of_birth"],
        ),
        ("/api/v1/cases/", {}, {"person": {"first_name": "Amani"}, "identified_on": day}, worker, ["identified_on"]),
        (
            "/api/v1/cases/",
            {},
            {
                "person": {"first_name": "Amani"},
                "identified_on": "2026-03-01",
                "events": [{"event_type": "Recruitment", "started_on": day}],
            },
            worker,
            ["events", "events.0"],
        ),
        (
            "/api/v1/intake/calls/",
            {},
            {"caller_type": "victim", "summary": "A call.", "call_at": f"{day}T10:00:00Z"},
            operator,
            ["call_at"],
        ),
        (
            "/api/v1/cases/{public_id}/screening/",
            {"public_id": case},
            {"indicator_list": "adult_labour", "indicators": [], "screened_on": day},
            coordinator,
            ["screened_on"],
        ),
        (
            "/api/v1/cases/{public_id}/decision/",
            {"public_id": case},
            {"version": 1, "status": "ActualVictimOfTrafficking", "decision_org": "Police", "decided_on": day},
            coordinator,
            ["decided_on"],
        ),
        (
            "/api/v1/cases/{public_id}/consent/",
            {"public_id": case},
            {"given_by": "self", "given_on": day, "purpose_explained": True},
            worker,
            ["given_on"],
        ),
    ]
    if day < "1900":
        attempts.append(
            (
                "/api/v1/cases/{public_id}/follow-ups/",
                {"public_id": case},
                {"due_on": day, "purpose": "Visit", "assigned_to": str(users[Role.CASE_WORKER].public_id)},
                worker,
                ["due_on"],
            )
        )
    for path, path_parameters, data, headers, fields in attempts:
        request = api_schema[path]["POST"].Case(
            path_parameters=path_parameters, body=data, media_type="application/json"
        )
        response = request.call(headers=headers)
        assert response.status_code == 400, (path, data, response.text)
        body = response.json()
        assert body["code"] == "validation_error" and len(body["fields"]) == 1, (path, body)
        assert next(iter(body["fields"])) in fields, (path, body)
        _validate(request, response, headers)


def test_other_media_types_are_refused_as_documented(api_schema, users):
    headers = _token(users[Role.CASE_WORKER])
    register = api_schema["/api/v1/persons/"]["POST"].Case(body={"first_name": "Amani"}, media_type="application/json")
    not_json = register.call(headers={**headers, "Content-Type": "text/plain"})
    assert not_json.status_code == 415 and not_json.json()["code"] == "unsupported_media_type"
    _validate(register, not_json, headers)
    listing = api_schema["/api/v1/cases/"]["GET"].Case()
    xml = listing.call(headers={**headers, "Accept": "application/xml"})
    assert xml.status_code == 406 and xml.json()["code"] == "not_acceptable"
    _validate(listing, xml, headers)


def test_a_user_for_an_unknown_agency_is_a_documented_400(api_schema, users):
    """POST /api/v1/users/ answers a 400 field error for an unknown agency (input, not a record of the path)."""
    headers = _token(users[Role.SYSADMIN])
    create = api_schema["/api/v1/users/"]["POST"].Case(
        body={
            "username": "new-officer",
            "password": "Correct-Horse-Battery-9",
            "role": "case_worker",
            "agency": "00000000-0000-4000-8000-000000000000",
        },
        media_type="application/json",
    )
    response = create.call(headers=headers)
    assert response.status_code == 400 and list(response.json()["fields"]) == ["agency"], response.text
    _validate(create, response, headers)
