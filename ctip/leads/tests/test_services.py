"""Leads through the real services: sending, accepting (a file opened through the justice services), joining,
declining; the rules, the sealing, the audit trail and the notifications."""

from __future__ import annotations

import pytest
from django.db import connection

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.justice import services as justice
from ctip.justice.models import FoundIdentifier, Suspect
from ctip.leads import services
from ctip.leads.models import Lead, LeadIdentifier, LeadSuspect
from ctip.notifications.models import Notification

from .conftest import send

pytestmark = pytest.mark.django_db

FILE = justice.FileInput("OB 1/2/2026", "Kilimani", "ahtcpu")


def test_open_seals_everything_and_audits_without_names(lead, agency, users):
    assert lead.reference.startswith("LD-")
    assert lead.owning_agency == agency and lead.sender_agency_id == users[Role.LABOUR_OFFICER].agency_id
    assert lead.status == "new" and lead.source == "complaint" and lead.source_ref == "RC-2026-000001"
    with connection.cursor() as cur:
        cur.execute("SELECT summary FROM leads_lead WHERE id = %s", [lead.pk])
        assert "Kilifi" not in cur.fetchone()[0]
        cur.execute("SELECT name FROM leads_leadsuspect")
        assert all("Njeri" not in row[0] and "Gulf" not in row[0] for row in cur.fetchall())
        cur.execute("SELECT value FROM leads_leadidentifier")
        assert all("0712345678" not in row[0] for row in cur.fetchall())
    fresh = Lead.objects.get(pk=lead.pk)
    assert fresh.summary.startswith("Three girls")
    assert sorted(s.name for s in fresh.suspects.all()) == ["Gulf Star Agencies Ltd", "Mama Njeri Wambui"]
    assert [i.kind for i in fresh.identifiers.all()] == ["phone", "mpesa_code", "website"]
    event = AuditEvent.objects.get(action="lead.open")
    assert event.target_id == str(lead.public_id)
    assert "Njeri" not in str(event.changes) and "0712345678" not in str(event.changes)


def test_open_notifies_the_receiving_units_investigators(
    users, agency, tocu_investigator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = send(users[Role.COORDINATOR], agency, source="officer")
    notes = Notification.objects.filter(kind="lead.received")
    assert {n.user_id for n in notes} == {users[Role.INVESTIGATOR].pk}
    assert notes.get().params == {"reference": lead.reference}


@pytest.mark.parametrize(
    "kw, fields",
    [
        ({"source": "rumour"}, {"source"}),
        ({"summary": "  "}, {"summary"}),
        ({"suspects": [], "identifiers": []}, {"suspects"}),
        ({"suspects": [{"name": " "}, {"name": "X", "kind": "ghost"}]}, {"suspects"}),
        ({"suspects": [{"name": "X", "roles": ["Wizard"]}]}, {"suspects"}),
        ({"identifiers": [("fax", "1"), ("phone", "")]}, {"identifiers"}),
        ({"source": "case"}, {"case"}),
        ({"source_ref": "R" * 41}, {"source_ref"}),
    ],
)
def test_open_refuses_bad_input_and_saves_nothing(users, agency, kw, fields):
    with pytest.raises(ValidationFailed) as exc:
        send(users[Role.COORDINATOR], agency, **kw)
    assert set(exc.value.fields) == fields
    assert not Lead.objects.exists() and not LeadSuspect.objects.exists() and not LeadIdentifier.objects.exists()


def test_open_only_to_a_police_unit(users, other_agency):
    with pytest.raises(ValidationFailed) as exc:
        send(users[Role.COORDINATOR], other_agency)
    assert set(exc.value.fields) == {"agency"}


def test_open_without_agency_goes_to_the_national_police_unit(users, agency, tocu_agency, system_actor):
    tocu_agency.national = True
    tocu_agency.save()
    assert send(users[Role.COORDINATOR], None).owning_agency == tocu_agency


def test_open_refused_to_roles_without_the_action(users, agency):
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SERVICE_PROVIDER, Role.HOTLINE_OPERATOR, Role.SYSADMIN):
        with pytest.raises(PermissionDenied):
            send(users[role], agency)


def test_a_tip_lead_needs_tip_triage(users, agency):
    with pytest.raises(PermissionDenied):
        send(users[Role.LABOUR_OFFICER], agency, source="tip", source_ref="TIP-1")
    assert send(users[Role.COORDINATOR], agency, source="tip", source_ref="TIP-1").source == "tip"


def test_a_case_lead_needs_the_case_visible(users, other_users, agency, case):
    with pytest.raises(NotFound):
        send(other_users[Role.CASE_WORKER], agency, source="case", case=case)
    lead = send(users[Role.CASE_WORKER], agency, source="case", case=case)
    assert lead.source_case == case and lead.source_ref == case.reference


def test_accept_opens_a_file_with_the_suspects_and_identifiers(lead, investigator):
    investigation, result = services.lead_accept(
        actor=investigator, lead=lead, expected_version=lead.version, data=FILE
    )
    assert investigation.owning_agency_id == investigator.agency_id
    assert result.suspects_added == 2 and result.identifiers_added == 3
    kinds = {s.kind: s for s in Suspect.objects.filter(investigation=investigation)}
    assert kinds["organisation"].organisation_name == "Gulf Star Agencies Ltd"
    assert kinds["person"].person is not None and kinds["person"].roles == ["RecruiterOrIntermediary"]
    assert kinds["organisation"].roles == ["Other"]
    values = sorted(i.value for i in FoundIdentifier.objects.filter(investigation=investigation))
    assert values == ["0712345678", "QWE1RT2Y3U", "Website: gulfstar-jobs.example"]
    assert investigation.actions.get().text.startswith(f"Lead {lead.reference}")
    lead.refresh_from_db()
    assert lead.status == "accepted" and lead.investigation == investigation and lead.decided_by == investigator
    assert AuditEvent.objects.filter(action="lead.accept", target_id=str(lead.public_id)).exists()
    assert AuditEvent.objects.filter(action="investigation.open").exists()


def test_accept_links_the_source_case(users, agency, case, investigator):
    lead = send(users[Role.CASE_WORKER], agency, source="case", case=case)
    investigation, result = services.lead_accept(actor=investigator, lead=lead, expected_version=None, data=FILE)
    assert result.case_linked and [c.case_id for c in investigation.case_links.all()] == [case.pk]


def test_accept_refused_to_another_unit_and_to_other_roles(lead, users, tocu_investigator):
    with pytest.raises(NotFound):
        services.lead_accept(actor=tocu_investigator, lead=lead, expected_version=None, data=FILE)
    for role in (Role.COORDINATOR, Role.LABOUR_OFFICER, Role.PROSECUTOR):
        with pytest.raises(PermissionDenied):
            services.lead_accept(actor=users[role], lead=lead, expected_version=None, data=FILE)
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_accept_with_bad_file_input_saves_nothing(lead, investigator):
    with pytest.raises(ValidationFailed):
        services.lead_accept(
            actor=investigator, lead=lead, expected_version=None, data=justice.FileInput("", "", "army")
        )
    assert Lead.objects.get(pk=lead.pk).status == "new"
    assert not Suspect.objects.exists()


def test_stale_version_is_a_conflict(lead, investigator):
    with pytest.raises(Conflict):
        services.lead_decline(actor=investigator, lead=lead, expected_version=lead.version + 1, reason="x" * 20)
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_decline_needs_a_reason_and_is_final(lead, investigator):
    with pytest.raises(ValidationFailed) as exc:
        services.lead_decline(actor=investigator, lead=lead, expected_version=lead.version, reason="no")
    assert set(exc.value.fields) == {"reason"}
    services.lead_decline(actor=investigator, lead=lead, expected_version=lead.version, reason="Already under IV-1.")
    lead.refresh_from_db()
    assert lead.status == "declined" and lead.decline_reason == "Already under IV-1."
    assert AuditEvent.objects.filter(action="lead.decline").exists()
    with pytest.raises(InvalidTransition):
        services.lead_accept(actor=investigator, lead=lead, expected_version=None, data=FILE)


def test_join_adds_to_an_existing_file_and_skips_duplicates(lead, users, agency, investigator):
    investigation = justice.investigation_open(actor=investigator, data=FILE)
    justice.suspect_add(
        actor=investigator, investigation=investigation, roles=["Other"], organisation_name="Someone Else Ltd"
    )
    result = services.lead_join(
        actor=investigator, lead=lead, expected_version=lead.version, investigation=investigation
    )
    assert result.suspects_added == 2 and result.identifiers_added == 3
    assert Suspect.objects.filter(investigation=investigation).count() == 3
    lead.refresh_from_db()
    assert lead.status == "joined" and lead.investigation == investigation
    assert AuditEvent.objects.filter(action="lead.join").exists()


def test_join_refuses_another_units_file(lead, investigator, tocu_investigator):
    other_file = justice.investigation_open(actor=tocu_investigator, data=FILE)
    with pytest.raises((PermissionDenied, NotFound)):
        services.lead_join(actor=investigator, lead=lead, expected_version=None, investigation=other_file)
    assert Lead.objects.get(pk=lead.pk).status == "new"
