"""Complaints about recruitment: submission (public and officers), evidence checked by content, the public status
by reference and PIN, triage through the register's status service, the distress case, the watchlist."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed

from .conftest import JPEG, PDF, PNG, complaint_input, make_complaint

pytestmark = pytest.mark.django_db


def _upload(content, name="x.png"):
    from ctip.recruitment.evidence import Upload

    return Upload(content=content, name=name)


# --- evidence type by content ---------------------------------------------------------------------------------


def test_sniff_recognises_the_three_types_by_content():
    from ctip.recruitment.evidence import sniff

    assert sniff(PNG) == "image/png"
    assert sniff(JPEG) == "image/jpeg"
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"<html><script>alert(1)</script></html>") is None
    assert sniff(b"MZ\x90\x00 a windows program") is None
    assert sniff(PNG[:20]) is None  # truncated: no end marker


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_sniff_never_accepts_random_bytes_without_a_signature(data):
    from ctip.recruitment.evidence import sniff

    if not data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"%PDF-")):
        assert sniff(data) is None


def test_wrong_type_refused_and_nothing_saved(private_files):
    from ctip.recruitment.models import Complaint

    with pytest.raises(ValidationFailed) as exc:
        make_complaint(uploads=[_upload(PNG, "a.png"), _upload(b"#!/bin/sh\nrm -rf /\n", "photo.jpg")])
    assert "evidence" in exc.value.fields
    assert not Complaint.objects.exists()
    folder = private_files / "complaint-evidence"
    assert not folder.exists() or not any(folder.iterdir())  # the good file written first was removed too


def test_fake_extension_refused():
    with pytest.raises(ValidationFailed) as exc:
        make_complaint(uploads=[_upload(PDF, "receipt.jpg")])
    assert "does not match" in str(exc.value.fields["evidence"][0])


def test_too_big_refused():
    from ctip.recruitment.evidence import MAX_BYTES

    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_BYTES + b"IEND\xaeB`\x82"
    with pytest.raises(ValidationFailed) as exc:
        make_complaint(uploads=[_upload(big, "big.png")])
    assert "5 MB" in str(exc.value.fields["evidence"][0])


def test_evidence_stored_privately_with_a_random_name(private_files, settings):
    complaint, _pin = make_complaint(uploads=[_upload(PNG, "my name is Wanjiru.png"), _upload(PDF, "r.pdf")])
    items = list(complaint.evidence.all())
    assert [i.content_type for i in items] == ["image/png", "application/pdf"]
    assert complaint.evidence_count == 2
    for item in items:
        path = private_files / "complaint-evidence" / item.storage_name
        assert path.is_file() and "Wanjiru" not in item.storage_name
        assert oct(path.stat().st_mode)[-3:] == "600"
    assert not str(private_files).startswith(str(settings.STATIC_ROOT))


# --- submission ---------------------------------------------------------------------------------------------------


def test_public_complaint_is_sealed_and_pin_hashed(register):
    from ctip.audit.models import AuditEvent
    from ctip.recruitment.models import Complaint

    complaint, pin = make_complaint(
        against_kind="agency", agency_licence=register["valid"].licence_number, against_name="", contact="0711 222 333"
    )
    assert complaint.reference.startswith("CMP-") and len(pin) == 6
    assert pin not in complaint.pin_hash
    row = Complaint.objects.filter(pk=complaint.pk).values_list("description", "contact", "paid_to_numbers").get()
    from ctip.people.sealed import Ciphertext

    assert all(isinstance(v, Ciphertext) for v in row)  # tokens, not text
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.agency == register["valid"] and fresh.has_contact
    assert fresh.paid_to_numbers == "+254712345678" and fresh.transaction_codes == "QGH7XK2L9P"
    event = AuditEvent.objects.get(action="complaint.submit", target_id=str(complaint.public_id))
    assert event.ip is None and event.changes["source"] == "public"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "short"}, "description"),
        ({"against_kind": "agency", "agency_licence": "RA/0000/404"}, "agency"),
        ({"against_name": ""}, "against_name"),
        ({"transaction_codes": ["NOTACODE"]}, "transaction_codes"),
        ({"paid_to_numbers": ["12"]}, "paid_to_numbers"),
        ({"amount_paid_cents": -5}, "amount_paid"),
        ({"whereabouts": "abroad_distress"}, "current_country"),
        ({"whereabouts": "moon"}, "whereabouts"),
    ],
)
def test_bad_input_refused_with_field_errors(overrides, field):
    from ctip.recruitment.models import Complaint

    with pytest.raises(ValidationFailed) as exc:
        make_complaint(**overrides)
    assert field in exc.value.fields
    assert not Complaint.objects.exists()


def test_officer_needs_the_right_to_file(users):
    with pytest.raises(PermissionDenied):
        make_complaint(actor=users["data_analyst"])
    complaint, _pin = make_complaint(actor=users["consular_officer"])
    assert complaint.source == "officer" and complaint.created_by == users["consular_officer"]


def test_public_status_shows_no_internal_notes(register, officer):
    from ctip.recruitment import complaints_selectors as cs
    from ctip.recruitment import complaints_services as svc

    complaint, pin = make_complaint()
    status = cs.complaint_public_status(reference=complaint.reference.lower().replace("-", " "), pin=pin)
    assert status.status == "new"
    svc.complaint_triage(
        actor=officer,
        complaint=complaint,
        decision=svc.TriageDecision(outcome="no_action", note="Secret internal reason about Otieno"),
        expected_version=complaint.version,
    )
    status = cs.complaint_public_status(reference=complaint.reference, pin=pin)
    assert status.status == "closed"
    assert "Otieno" not in str(vars(status))
    with pytest.raises(NotFound):
        cs.complaint_public_status(reference=complaint.reference, pin="000000" if pin != "000000" else "111111")
    with pytest.raises(NotFound):
        cs.complaint_public_status(reference="CMP-AAAA-AAAA", pin=pin)


# --- triage ---------------------------------------------------------------------------------------------------------


def _agency_complaint(register, key="valid", **kw):
    return make_complaint(against_kind="agency", agency_licence=register[key].licence_number, **kw)[0]


def test_suspension_goes_through_the_status_service_with_the_complaint_as_source(register, officer):
    from ctip.audit.models import AuditEvent
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register)
    svc.complaint_start_review(actor=officer, complaint=complaint, expected_version=complaint.version)
    complaint.refresh_from_db()
    done = svc.complaint_triage(
        actor=officer,
        complaint=complaint,
        decision=svc.TriageDecision(outcome="suspension", note="Three complaints this month"),
        expected_version=complaint.version,
    )
    agency = register["valid"]
    agency.refresh_from_db()
    assert done.status == "action_taken" and agency.status == "suspended"
    change = agency.status_history.first()
    assert change.complaint_id == complaint.pk and complaint.reference in change.source
    assert done.actions.last().status_change == change
    status_event = AuditEvent.objects.get(action="recruiter.status", target_id=str(agency.public_id))
    assert status_event.changes["complaint"] == complaint.reference
    assert AuditEvent.objects.filter(action="complaint.triage", target_id=str(complaint.public_id)).exists()


def test_deregistration_and_warning(register, officer):
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register, "suspended")
    svc.complaint_triage(
        actor=officer,
        complaint=complaint,
        decision=svc.TriageDecision(outcome="deregistration", effective_on=date(2024, 6, 1)),
        expected_version=complaint.version,
    )
    register["suspended"].refresh_from_db()
    assert register["suspended"].status == "deregistered"
    second = _agency_complaint(register)
    done = svc.complaint_triage(
        actor=officer, complaint=second, decision=svc.TriageDecision(outcome="warning"), expected_version=None
    )
    register["valid"].refresh_from_db()
    assert done.status == "action_taken" and register["valid"].status == "valid"


def test_agency_outcomes_need_a_registered_agency_and_no_action_a_reason(officer):
    from ctip.recruitment import complaints_services as svc

    complaint, _ = make_complaint()
    with pytest.raises(ValidationFailed) as exc:
        svc.complaint_triage(
            actor=officer, complaint=complaint, decision=svc.TriageDecision("suspension"), expected_version=None
        )
    assert "outcome" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        svc.complaint_triage(
            actor=officer, complaint=complaint, decision=svc.TriageDecision("no_action"), expected_version=None
        )
    assert "note" in exc.value.fields


def test_stale_version_refused_and_decided_complaint_final(register, officer):
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register)
    stale = complaint.version
    svc.complaint_start_review(actor=officer, complaint=complaint, expected_version=stale)
    with pytest.raises(Conflict):
        svc.complaint_triage(
            actor=officer, complaint=complaint, decision=svc.TriageDecision("warning"), expected_version=stale
        )
    svc.complaint_triage(
        actor=officer, complaint=complaint, decision=svc.TriageDecision("warning"), expected_version=None
    )
    with pytest.raises(InvalidTransition):
        svc.complaint_triage(
            actor=officer, complaint=complaint, decision=svc.TriageDecision("warning"), expected_version=None
        )


def test_triage_needs_the_labour_officer_role(register, users):
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register)
    for role in ("coordinator", "investigator", "case_worker"):
        with pytest.raises(PermissionDenied):
            svc.complaint_triage(
                actor=users[role], complaint=complaint, decision=svc.TriageDecision("warning"), expected_version=None
            )


# --- distress case ---------------------------------------------------------------------------------------------


def test_distress_complaint_opens_an_nrm_case_abroad(register, officer):
    from ctip.people.identity import Identity
    from ctip.recruitment import complaints_services as svc
    from ctip.reference.models import Country

    saudi = Country.objects.get(alpha2="SA")
    complaint = _agency_complaint(register, whereabouts="abroad_distress", current_country_id=saudi.pk)
    registration = svc.complaint_open_case(
        actor=officer,
        complaint=complaint,
        draft=svc.DistressDraft(
            identity=Identity(first_name="Akinyi", last_name="Odhiambo"),
            identified_on=date(2024, 6, 1),
            abroad_city="Riyadh",
        ),
        expected_version=complaint.version,
    )
    case = registration.case
    assert case is not None and case.is_abroad and case.abroad_country == saudi
    assert case.recruiting_agency_name == register["valid"].legal_name
    complaint.refresh_from_db()
    assert complaint.case == case
    assert case.timeline.filter(kind="case.from_complaint").exists()
    with pytest.raises(InvalidTransition):
        svc.complaint_open_case(
            actor=officer,
            complaint=complaint,
            draft=svc.DistressDraft(identity=Identity(first_name="X", last_name="Y"), identified_on=date(2024, 6, 1)),
            expected_version=None,
        )


def test_no_distress_case_for_someone_in_kenya(officer):
    from ctip.people.identity import Identity
    from ctip.recruitment import complaints_services as svc

    complaint, _ = make_complaint()
    with pytest.raises(InvalidTransition):
        svc.complaint_open_case(
            actor=officer,
            complaint=complaint,
            draft=svc.DistressDraft(identity=Identity(first_name="A", last_name="B"), identified_on=date(2024, 6, 1)),
            expected_version=None,
        )


# --- watchlist and profile --------------------------------------------------------------------------------------


def test_watchlist_add_remove_once(register, officer, users):
    from ctip.recruitment import complaints_selectors as cs
    from ctip.recruitment import complaints_services as svc

    agency = register["lookalike"]
    with pytest.raises(ValidationFailed):
        svc.watch_add(actor=officer, agency=agency, reason="")
    svc.watch_add(actor=officer, agency=agency, reason="Look-alike of a deregistered agency")
    with pytest.raises(Conflict):
        svc.watch_add(actor=officer, agency=agency, reason="again, twice")
    with pytest.raises(PermissionDenied):
        svc.watch_add(actor=users["case_worker"], agency=register["valid"], reason="no right to")
    assert [e.agency for e in cs.watchlist_for_user(user=officer)] == [agency]
    svc.watch_remove(actor=officer, agency=agency)
    assert not cs.watchlist_for_user(user=officer).exists()


def test_profile_counts_only_for_those_who_may_not_list(register, officer, users):
    from ctip.recruitment import complaints_selectors as cs

    for _ in range(3):
        _agency_complaint(register)
    full = cs.agency_risk_profile_for_user(user=officer, agency=register["valid"])
    assert full.complaints.total == 3 and len(full.complaints.rows) == 3
    assert full.money_paid_cents == 3 * 4_500_000
    limited = cs.agency_risk_profile_for_user(user=users["immigration_officer"], agency=register["valid"])
    assert limited.complaints.rows is None and limited.complaints.published.suppressed  # 3 < 11


def test_complaint_text_read_is_audited(register, officer):
    from ctip.audit.models import AuditEvent
    from ctip.recruitment import complaints_selectors as cs

    complaint = _agency_complaint(register)
    detail = cs.complaint_detail_for_user(user=officer, complaint=complaint)
    assert "money" in detail.text.description
    assert AuditEvent.objects.filter(action="complaint.text_read", target_id=str(complaint.public_id)).count() == 1


def test_complaint_input_default_is_valid():
    assert complaint_input().whereabouts == "in_kenya"


# --- referral to the DCI: an investigation lead (ctip.leads) ------------------------------------------------------


@pytest.fixture
def national_police(agency):
    from ctip.accounts.models import Agency

    Agency.objects.filter(pk=agency.pk).update(national=True)
    return agency


def test_referral_to_dci_opens_a_lead_for_investigators(register, officer, users, national_police):
    from ctip.audit.models import AuditEvent
    from ctip.leads import sources
    from ctip.leads.models import Lead
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register, key="deregistered")
    done = svc.complaint_triage(
        actor=officer,
        complaint=complaint,
        decision=svc.TriageDecision("referral_dci", note="Took fees for jobs in Riyadh"),
        expected_version=complaint.version,
    )
    assert done.status == "referred" and done.lead_reference
    lead = Lead.objects.get(reference=done.lead_reference)
    assert lead.source == "complaint" and lead.source_ref == complaint.reference
    assert lead.owning_agency_id == national_police.pk
    suspects = [s.name for s in lead.suspects.all()]
    assert suspects == [register["deregistered"].legal_name]
    kinds = sorted(i.kind for i in lead.identifiers.all())
    assert kinds == ["mpesa_code", "mpesa_number"]
    assert "Riyadh" in lead.summary
    assert AuditEvent.objects.filter(action="lead.open").exists()
    # the lead's link back: the complaint page for those who may see complaints, nothing for others
    assert sources.source_url(users["investigator"], lead).endswith(f"/complaints/{complaint.public_id}/")
    assert sources.source_url(users["case_worker"], lead) is None


def test_referral_needs_a_reason_and_fails_whole(register, officer, national_police):
    from ctip.leads.models import Lead
    from ctip.recruitment import complaints_services as svc

    complaint = _agency_complaint(register)
    with pytest.raises(ValidationFailed) as exc:
        svc.complaint_triage(
            actor=officer, complaint=complaint, decision=svc.TriageDecision("referral_dci"), expected_version=None
        )
    assert "note" in exc.value.fields
    assert not Lead.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == "new"


def test_referral_without_a_police_unit_refused_on_the_outcome(register, officer):
    from ctip.accounts.models import Agency
    from ctip.recruitment import complaints_services as svc

    Agency.objects.filter(agency_type="police").update(national=False)
    complaint = _agency_complaint(register)
    with pytest.raises(ValidationFailed) as exc:
        svc.complaint_triage(
            actor=officer,
            complaint=complaint,
            decision=svc.TriageDecision("referral_dci", note="A good reason"),
            expected_version=None,
        )
    assert "outcome" in exc.value.fields
    complaint.refresh_from_db()
    assert complaint.status == "new" and not complaint.lead_reference


def test_profile_lists_investigations_naming_the_agency_by_permission(register, users, other_users):
    from ctip.justice import services as justice
    from ctip.justice.tests.conftest import open_file
    from ctip.recruitment import complaints_selectors as cs

    investigator = users["investigator"]
    file = open_file(investigator)
    justice.suspect_add(
        actor=investigator,
        investigation=file,
        roles=["RecruiterOrIntermediary"],
        organisation_name=register["valid"].legal_name.upper(),
    )
    mine = cs.agency_risk_profile_for_user(user=investigator, agency=register["valid"])
    assert [f.reference for f in mine.investigations.rows] == [file.reference]
    assert mine.investigations.published is None
    # an investigator of another unit: the file is not theirs, so a suppressed count only (1 < 11)
    theirs = cs.agency_risk_profile_for_user(user=other_users["investigator"], agency=register["valid"])
    assert theirs.investigations.rows == [] and theirs.investigations.published.suppressed
    # a labour officer (no investigation.view): a count only
    labour = cs.agency_risk_profile_for_user(user=users["labour_officer"], agency=register["valid"])
    assert labour.investigations.rows == [] and labour.investigations.published is not None
    assert cs.agency_risk_profile_for_user(user=investigator, agency=register["suspended"]).investigations.total == 0
