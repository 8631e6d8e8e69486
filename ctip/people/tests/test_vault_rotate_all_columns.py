"""Every sealed column of every app rotates: the columns are enumerated by the same introspection `vault_rotate`
uses (ctip.people.sealed.sealed_columns), so a sealed column a new module adds is covered without editing this
test, and the hard count below makes adding one a deliberate, reviewed change."""

from __future__ import annotations

import uuid
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.people.sealed import SealedTextField, sealed_columns, sealed_models, stored_token
from ctip.people.vault import Vault, VaultError, _vault, generate_key, get_vault

pytestmark = pytest.mark.django_db

# people: Person 10 + PersonIdentifier 1 + PersonPhoto 1; cases: 13; referrals: 4; intake: Tip 7 + call 2 + import 2
EXPECTED_COLUMNS = 66  # + leads 5; court: CourtEvent 1, ForfeitureOrder 1, VictimWitness 1; complaints 7; exports 1;
# attachments 2 (description, removal reason; the files themselves: ctip/attachments/tests/test_services.py);
# people.person.birth_year 1
FIXED_DAY = date(2026, 3, 2)


def _builders(actor, person, other_agency):
    """One unsaved row per model that has sealed columns, with its required (non-sealed) fields."""
    from ctip.cases import enums as ce
    from ctip.cases import models as cm
    from ctip.intake import enums as ie
    from ctip.intake import models as im
    from ctip.justice import models as jm
    from ctip.leads import models as lm
    from ctip.people.models import PersonIdentifier, PersonPhoto
    from ctip.referrals.models import Referral, ServiceProvider

    agency = actor.agency
    case = cm.Case.objects.create(
        reference="CT-TEST-1", person=person, owning_agency=agency, identified_on=FIXED_DAY, created_by=actor
    )
    plan = cm.CarePlan.objects.create(case=case, plan_type="Health", objectives="x", created_by=actor)
    provider = ServiceProvider.objects.create(agency=other_agency)
    now = timezone.now()
    investigation = jm.Investigation.objects.create(
        reference="IV-TEST-1", owning_agency=agency, ob_number="OB 1", police_station="Central", unit="ahtcpu"
    )
    lead = lm.Lead.objects.create(reference="LD-TEST-1", owning_agency=agency, source="officer")
    from ctip.exports.models import ExportJob
    from ctip.justice.models import ChargeSheet, CourtStation
    from ctip.recruitment import models as rm

    sheet = ChargeSheet.objects.create(
        investigation=investigation,
        prosecution_agency=other_agency,
        court=CourtStation.objects.order_by("id").first(),
        court_case_number="MCCR/E1/2026",
        charged_on=FIXED_DAY,
    )
    accused = jm.Suspect.objects.create(investigation=investigation, kind="organisation", organisation_name="Y")
    recruiter = rm.RecruitmentAgency.objects.create(
        licence_number="RA/1", licence_key="RA1", legal_name="Test Agency", name_key="test agency"
    )
    complaint = rm.Complaint.objects.create(
        reference="CMP-TEST-1",
        pin_hash="!",
        source="public",
        against_kind="agency",
        agency=recruiter,
        whereabouts="in_kenya",
    )
    return {
        "people.person": lambda: person,
        "people.personidentifier": lambda: PersonIdentifier(person=person, kind="phone", blind_index="x" * 64),
        "people.personphoto": lambda: PersonPhoto(
            person=person, public_id=uuid.uuid4(), content_type="image/png", created_by=actor
        ),
        "cases.case": lambda: case,
        "cases.traffickingevent": lambda: cm.TraffickingEvent(case=case, event_type=ce.EventType.values[0]),
        "cases.screening": lambda: cm.Screening(
            case=case, indicator_list="adult_labour", suggestion="x", screened_on=FIXED_DAY, screened_by=actor
        ),
        "cases.statusdecision": lambda: cm.StatusDecision(
            case=case,
            status=ce.TraffickingStatus.values[0],
            decision_org=ce.DecisionMakingOrg.values[0],
            deciding_agency=agency,
            decided_on=FIXED_DAY,
            decided_by=actor,
        ),
        "cases.consent": lambda: cm.Consent(
            case=case, given_by=ce.ConsentGiver.values[0], given_on=FIXED_DAY, recorded_by=actor
        ),
        "cases.needsassessment": lambda: cm.NeedsAssessment(case=case, assessed_on=FIXED_DAY, assessed_by=actor),
        "cases.careplan": lambda: plan,
        "cases.careplanaction": lambda: cm.CarePlanAction(plan=plan),
        "cases.servicedelivery": lambda: cm.ServiceDelivery(
            case=case, service_type=ce.ServiceType.values[0], provider=agency, delivered_on=FIXED_DAY
        ),
        "cases.repatriation": lambda: cm.Repatriation(case=case, step=ce.RepatriationStep.values[0]),
        "cases.followup": lambda: cm.FollowUp(case=case, due_on=FIXED_DAY, purpose="Visit", assigned_to=actor),
        "referrals.referral": lambda: Referral(
            reference="RF-TEST-1",
            case=case,
            provider=provider,
            sender_agency=agency,
            service_type=ce.ServiceType.values[0],
            sent_by=actor,
            response_due_at=now,
        ),
        "intake.tip": lambda: im.Tip(reference="TIP-TEST-1", pin_hash="!", situation=ie.Situation.values[0]),
        "intake.hotlinecall": lambda: im.HotlineCall(
            reference="HL-TEST-1", owning_agency=agency, caller_type=ie.CallerType.values[0], call_at=now
        ),
        "intake.importjob": lambda: im.ImportJob(owning_agency=agency, file_format=ie.ImportFormat.values[0]),
        "justice.investigation": lambda: investigation,
        "justice.suspect": lambda: jm.Suspect(investigation=investigation, kind="organisation", organisation_name="X"),
        "justice.foundidentifier": lambda: jm.FoundIdentifier(
            investigation=investigation, kind="phone", added_by=actor
        ),
        "justice.actionentry": lambda: jm.ActionEntry(investigation=investigation, done_on=FIXED_DAY, added_by=actor),
        "justice.evidence": lambda: jm.Evidence(investigation=investigation, item="contracts"),
        "justice.submission": lambda: jm.Submission(
            investigation=investigation, agency=other_agency, submitted_by=actor
        ),
        "leads.lead": lambda: lead,
        "leads.leadsuspect": lambda: lm.LeadSuspect(lead=lead, kind="person"),
        "leads.leadidentifier": lambda: lm.LeadIdentifier(lead=lead, kind="phone"),
        "justice.courtevent": lambda: jm.CourtEvent(charge_sheet=sheet, kind="mention", sits_on=FIXED_DAY),
        "justice.forfeitureorder": lambda: jm.ForfeitureOrder(
            charge_sheet=sheet, accused=accused, amount_cents=100, ordered_on=FIXED_DAY
        ),
        "justice.victimwitness": lambda: jm.VictimWitness(charge_sheet=sheet, case=case, number=1),
        "recruitment.complaint": lambda: complaint,
        "recruitment.complaintaction": lambda: rm.ComplaintAction(complaint=complaint, kind="warning", by=actor),
        "recruitment.watchlistentry": lambda: rm.WatchlistEntry(agency=recruiter, added_by=actor),
        "exports.exportjob": lambda: ExportJob(kind="cases", file_format="csv", created_by=actor),
        "attachments.attachment": _attachment(case, actor),
    }


def _attachment(case, actor):
    """An attachment with its encrypted file (vault_rotate re-encrypts the file too: ctip.people.vault_stores)."""

    def build():
        from ctip.attachments import storage
        from ctip.attachments.models import Attachment

        obj = Attachment(case=case, section="care", category="other", content_type="application/pdf", size=1)
        obj.storage_name = storage.new_storage_name()
        obj.key_id = storage.write(obj.storage_name, obj.public_id, b"%PDF-1.4 secret file")
        obj.created_by = actor
        return obj

    return build


def _fill(obj, fields) -> dict[str, str]:
    """Put a distinct value in every sealed field of `obj` and save it; return field name -> plaintext."""
    plain = {}
    for field in fields:
        text = f"secret {obj._meta.label_lower}.{field.name}"
        plain[field.name] = text
        if isinstance(field, SealedTextField):
            setattr(obj, field.attname, text)  # sealed by pre_save
    if obj.pk is None:
        obj.save()  # a VaultTokenField's context may need the saved row (none does today; harmless)
    for field in fields:
        if not isinstance(field, SealedTextField):  # VaultTokenField: the caller seals (the identity code does)
            setattr(obj, field.attname, get_vault().seal(plain[field.name], context=field.context_for(obj)))
    obj.save()
    return plain


def test_sealed_columns_are_found_by_introspection_in_every_app():
    columns = sealed_columns()
    assert len(columns) == EXPECTED_COLUMNS, (
        "A sealed column was added or removed: check vault_rotate still covers it, then update EXPECTED_COLUMNS. "
        f"Found: {sorted(c.label for c in columns)}"
    )
    assert {c.model._meta.app_label for c in columns} == {
        "people",
        "cases",
        "referrals",
        "intake",
        "justice",
        "leads",
        "recruitment",
        "exports",
        "attachments",
    }


def test_every_sealed_column_in_every_app_rotates(users, other_agency, make_person, settings, tmp_path):
    settings.CTIP_PRIVATE_FILES = tmp_path  # the attachment's encrypted file
    # given one row per model with a value in every sealed field, sealed under the current key
    actor = users[Role.CASE_WORKER]
    person = make_person(actor, "Wanjiku", "Kamau")
    builders = _builders(actor, person, other_agency)
    rows = {}
    for model, fields in sealed_models():
        label = model._meta.label_lower
        assert label in builders, f"{label} has sealed columns: add a builder to this test"
        obj = builders[label]()
        rows[label] = (obj, fields, _fill(obj, fields))
    before = {(label, f.name): stored_token(obj, f.name) for label, (obj, fields, _) in rows.items() for f in fields}
    assert len(before) == EXPECTED_COLUMNS and all(before.values())
    old_keys = settings.CTIP_VAULT_KEYS
    old_only = Vault(old_keys, settings.CTIP_INDEX_KEY)
    old_key_id = old_only.primary

    # when a new key is put first and vault_rotate runs
    settings.CTIP_VAULT_KEYS = f"k9:{generate_key()},{old_keys}"
    _vault.cache_clear()
    try:
        out = StringIO()
        call_command("vault_rotate", stdout=out)
        new = get_vault()
        assert new.primary == "k9"
        # then every column's ciphertext changed, is under the new key, opens with the new key ring to the same
        # text, and would not open with the old keys alone
        for label, (obj, fields, plain) in rows.items():
            fresh = type(obj)._base_manager.get(pk=obj.pk)
            for field in fields:
                token = stored_token(fresh, field.name)
                old_token = before[(label, field.name)]
                where = f"{label}.{field.name}"
                assert token != old_token, where
                assert old_token.startswith(f"v1.{old_key_id}.") and token.startswith("v1.k9."), where
                context = field.context_for(fresh)
                assert new.open(token, context=context) == plain[field.name], where
                assert old_only.open(old_token, context=context) == plain[field.name], where  # the test can fail
                with pytest.raises(VaultError):
                    old_only.open(token, context=context)
                if isinstance(field, SealedTextField):
                    assert getattr(fresh, field.name) == plain[field.name], where  # the model reads it too
        assert "0 value(s) still under an older key" in out.getvalue()
        # and the attachment's file is re-encrypted under the new key, and opens to the same bytes
        from ctip.attachments import storage

        attachment = rows["attachments.attachment"][0]
        assert storage.path_of(attachment.storage_name).read_bytes().startswith(b"CTIPF1.k9.")
        assert storage.read(attachment.storage_name, attachment.public_id) == b"%PDF-1.4 secret file"
    finally:
        settings.CTIP_VAULT_KEYS = old_keys
        _vault.cache_clear()
