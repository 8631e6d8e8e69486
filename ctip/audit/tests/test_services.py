"""Writing the audit trail: what an event holds, masking, and that it commits or rolls back with the change."""

from __future__ import annotations

import pytest
from django.db import transaction

from ctip.audit.models import AuditChainHead, AuditEvent
from ctip.audit.services import MASK, audit_record, chain_pending, mask_changes, verify_chain
from ctip.core import context
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.people.identity import IdentifierValue, Identity
from ctip.people.services import person_register, person_update_identity

pytestmark = pytest.mark.django_db


def _identity(**overrides) -> Identity:
    data = {
        "first_name": "Wambuikari",
        "last_name": "Gachanjaro",
        "identifiers": [IdentifierValue("phone", "0711 222 333"), IdentifierValue("national_id", "12345678")],
    }
    return Identity(**{**data, **overrides})


# --- masking ---------------------------------------------------------------------------------------


def test_mask_changes_masks_identity_fields_at_every_level():
    changes = {
        "full_name": "Wanjiru Kamau",
        "phone": "+254711222333",
        "status": ["open", "closed"],
        "count": 3,
        "nested": {"national_id": "12345678", "agency": 7},
        "persons": [{"given_names": "Wanjiru", "ref": "AB12"}, "plain"],
    }
    masked = mask_changes(changes, extra=["count"])
    assert masked == {
        "full_name": MASK,
        "phone": MASK,
        "status": ["open", "closed"],
        "count": MASK,
        "nested": {"national_id": MASK, "agency": 7},
        "persons": [{"given_names": MASK, "ref": "AB12"}, "plain"],
    }
    assert "Wanjiru" not in str(masked)
    assert mask_changes(None) == {}
    assert mask_changes({}) == {}


def test_mask_changes_makes_values_json_safe():
    import datetime as dt
    import uuid

    uid = uuid.uuid4()
    masked = mask_changes({"when": dt.date(2024, 5, 1), "id": uid})
    assert masked == {"when": "2024-05-01", "id": str(uid)}


# --- what an event records ---------------------------------------------------------------------------


def test_audit_record_fills_the_event_from_actor_and_request_context(users, agency):
    actor = users["investigator"]
    token = context.set_current(context.RequestContext(request_id="req123", ip="192.0.2.7", channel="api"))
    try:
        event = audit_record(
            actor=actor,
            action="case.update",
            target_type="people.person",
            target_id="abc",
            changes={"name": "x", "email": "a@b.c"},
            reason="why",
            mask=["name"],
        )
    finally:
        context.reset(token)
    assert event.seq is None  # sealed now, chained after the commit
    chain_pending()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == actor.pk
    assert stored.actor_label == actor.username
    assert stored.agency_id == agency.pk
    assert (stored.action, stored.target_type, stored.target_id) == ("case.update", "people.person", "abc")
    assert (stored.ip, stored.channel, stored.request_id) == ("192.0.2.7", "api", "req123")
    assert stored.changes == {"name": MASK, "email": MASK}
    assert stored.reason == "why"
    assert stored.seq == AuditChainHead.objects.get(id=1).seq
    assert stored.hash == AuditChainHead.objects.get(id=1).hash


def test_audit_record_outside_a_request_and_by_a_system_actor(db):
    event = audit_record(actor="vault_rotate", action="vault.rotate", agency_id=42)
    assert event.actor_id is None
    assert event.actor_label == "vault_rotate"
    assert event.channel == "cli"
    assert event.ip is None
    assert event.agency_id == 42
    assert event.target_id == ""


# --- one transaction with the change -----------------------------------------------------------------


def test_successful_registration_writes_one_masked_event(users, agency):
    actor = users["case_worker"]
    before = AuditEvent.objects.count()
    # when
    person = person_register(actor=actor, identity=_identity())
    # then exactly one event, naming actor, agency, action and record, without the identity itself
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.actor_id == actor.pk
    assert event.agency_id == agency.pk
    assert event.action == "person.create"
    assert (event.target_type, event.target_id) == ("people.person", str(person.public_id))
    assert event.changes == {
        "fields": ["first_name", "identifiers", "last_name"],
        "identifier_kinds": ["national_id", "phone"],
    }
    text = str(event.changes) + event.reason
    for secret in ("Wambuikari", "Gachanjaro", "711222333", "12345678"):
        assert secret not in text
    assert verify_chain()[0]


def test_failed_validation_leaves_no_event_and_no_person(users):
    from ctip.people.models import Person

    chain_pending()
    before = AuditEvent.objects.count()
    head = AuditChainHead.objects.get(id=1).hash
    with pytest.raises(ValidationFailed) as info:
        person_register(actor=users["case_worker"], identity=_identity(identifiers=[IdentifierValue("phone", "12")]))
    assert "phone" in info.value.fields
    assert AuditEvent.objects.count() == before
    assert AuditChainHead.objects.get(id=1).hash == head
    assert Person.objects.count() == 0


def test_refused_registration_leaves_no_event(users):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        person_register(actor=users["data_analyst"], identity=_identity())
    assert AuditEvent.objects.count() == before


def test_event_rolls_back_with_the_change(users):
    """The event joins the service's transaction: if the caller's transaction fails, neither survives."""
    from ctip.people.models import Person

    chain_pending()
    before = AuditEvent.objects.count()
    head = AuditChainHead.objects.get(id=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        person_register(actor=users["case_worker"], identity=_identity())
        assert AuditEvent.objects.count() == before + 1  # written inside the transaction...
        raise RuntimeError("something later in the same transaction fails")
    # ... and gone with it, the chain head included, so the chain stays intact
    assert AuditEvent.objects.count() == before
    assert Person.objects.count() == 0
    assert AuditChainHead.objects.get(id=1).hash == head.hash
    assert verify_chain()[0]
    # and the next event continues the chain from the old head
    nxt = audit_record(actor=users["case_worker"], action="case.update")
    assert chain_pending() == 1
    nxt.refresh_from_db()
    assert (nxt.seq, nxt.prev_hash) == (head.seq + 1, head.hash)


def test_conflicting_update_leaves_no_event(users):
    person = person_register(actor=users["case_worker"], identity=_identity())
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        person_update_identity(
            actor=users["case_worker"], person=person, identity=_identity(last_name="Other"), expected_version=99
        )
    assert AuditEvent.objects.count() == before


def test_update_event_lists_changed_fields_only(users):
    person = person_register(actor=users["case_worker"], identity=_identity())
    person_update_identity(
        actor=users["case_worker"],
        person=person,
        identity=_identity(last_name="Kiprotichson"),
        expected_version=person.version,
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "person.update"
    assert event.changes == {"fields_changed": ["last_name"]}
    assert "Kiprotichson" not in str(event.changes)


def test_account_services_are_audited_too(system_actor, agency):
    """Writes of other apps go through the same trail (user creation here), with no password in it."""
    from ctip.accounts.services import user_create

    user = user_create(
        actor=system_actor, username="newbie", password="Sup3r-Secret-Passw0rd!", role="case_worker", agency=agency
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "user.create"
    assert event.actor_id == system_actor.pk
    assert event.target_id == str(user.public_id)
    assert "Sup3r-Secret" not in str(event.changes)
