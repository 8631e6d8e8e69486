"""The investigation file and the hand-over through the real services: the rules, the share, the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ctip.accounts.access import require
from ctip.accounts.enums import Role
from ctip.accounts.models import RecordShare
from ctip.accounts.roles import Action
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.justice import selectors, services
from ctip.justice.enums import EvidenceItem, InvestigationStatus
from ctip.justice.models import FoundIdentifier, Investigation
from ctip.people.identity import Identity
from ctip.reference.models import Offence

from .conftest import make_ready, open_file

pytestmark = pytest.mark.django_db


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_open_from_a_case_links_it_and_starts_the_checklist(file, case, investigator):
    assert file.reference.startswith("IV-")
    assert file.owning_agency_id == investigator.agency_id
    assert file.origin == "case"
    assert [link.case_id for link in file.case_links.all()] == [case.pk]
    assert file.evidence.count() == len(EvidenceItem.values)
    assert set(file.evidence.values_list("state", flat=True)) == {"missing"}
    assert list(file.officers.all()) == [investigator]
    assert events("investigation.open").filter(target_id=str(file.public_id)).exists()
    assert events("investigation.link_case").exists()


def test_open_needs_the_ob_number_station_and_unit(investigator):
    with pytest.raises(ValidationFailed) as exc:
        open_file(investigator, ob_number=" ", police_station="", unit="army")
    assert set(exc.value.fields) == {"ob_number", "police_station", "unit"}
    assert not Investigation.objects.exists()


def test_open_refused_to_roles_without_the_action(users):
    for role in (Role.CASE_WORKER, Role.COORDINATOR, Role.DATA_ANALYST, Role.SYSADMIN, Role.PROSECUTOR):
        with pytest.raises(PermissionDenied):
            open_file(users[role])


def test_open_from_a_case_the_investigator_cannot_see(other_users, case):
    with pytest.raises(NotFound):
        open_file(other_users[Role.INVESTIGATOR], case)


def test_edit_with_a_stale_version_is_refused_and_nothing_changes(file, investigator):
    data = services.FileInput("OB 99/2026", "Central", "tocu", [investigator])
    services.investigation_update(actor=investigator, investigation=file, expected_version=file.version, data=data)
    with pytest.raises(Conflict):
        services.investigation_update(
            actor=investigator,
            investigation=file,
            expected_version=file.version,  # the version the first form was opened with
            data=services.FileInput("OB 1/2026", "Other", "dci", []),
        )
    file.refresh_from_db()
    assert (file.ob_number, file.unit) == ("OB 99/2026", "tocu")


def test_suspect_person_through_the_one_registration_path(file, investigator, make_person, users):
    make_person(users[Role.CASE_WORKER], "Juma", "Mwangi")
    identity = Identity(first_name="Juma", last_name="Mwangi")
    first = services.suspect_add(
        actor=investigator,
        investigation=file,
        roles=["RecruiterOrIntermediary"],
        person=services.PersonChoice(identity=identity),
    )
    assert first.suspect is None and first.outcome.candidates  # the same person may already be known
    known = first.outcome.candidates[0].person
    linked = services.suspect_add(
        actor=investigator,
        investigation=file,
        roles=["RecruiterOrIntermediary", "Transporter"],
        person=services.PersonChoice(link_person_id=str(known.public_id), link_token=first.outcome.link_token),
    )
    assert linked.suspect.person_id == known.pk
    assert linked.suspect.roles == ["RecruiterOrIntermediary", "Transporter"]
    with pytest.raises(ValidationFailed):  # the same person twice
        services.suspect_add(
            actor=investigator,
            investigation=file,
            roles=["Exploiter"],
            person=services.PersonChoice(link_person_id=str(known.public_id), link_token=first.outcome.link_token),
        )


def test_suspect_needs_a_known_role_and_one_name(file, investigator):
    with pytest.raises(ValidationFailed) as exc:
        services.suspect_add(actor=investigator, investigation=file, roles=["Boss"], organisation_name="X Ltd")
    assert "roles" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.suspect_add(actor=investigator, investigation=file, roles=["Exploiter"], organisation_name=" ")


def test_identifiers_and_action_log_are_sealed_and_their_read_logged(file, investigator):
    services.identifier_add(actor=investigator, investigation=file, kind="mpesa_code", value="QFT4X9ZP2L")
    services.action_add(
        actor=investigator, investigation=file, done_on=timezone.localdate(), text="Interviewed Achieng at Kilimani"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM justice_foundidentifier")
        raw = cursor.fetchone()[0]
    assert "QFT4X9ZP2L" not in raw
    assert FoundIdentifier.objects.get().value == "QFT4X9ZP2L"
    assert "QFT4X9ZP2L" not in str(list(events("investigation.identifier_add").values_list("changes", flat=True)))
    _inv, access = selectors.investigation_get_for_user(user=investigator, public_id=file.public_id)
    log = selectors.log_for_user(user=investigator, investigation=file, access=access)
    assert log["identifiers"][0]["value"] == "QFT4X9ZP2L"
    assert log["actions"][0]["text"] == "Interviewed Achieng at Kilimani"
    assert events("investigation.read_sensitive").count() == 1


def test_action_in_the_future_refused(file, investigator):
    with pytest.raises(ValidationFailed) as exc:
        services.action_add(
            actor=investigator, investigation=file, done_on=timezone.localdate() + timedelta(days=2), text="Plan"
        )
    assert "done_on" in exc.value.fields


def test_missing_evidence_needs_a_reason(file, investigator):
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_set(actor=investigator, investigation=file, item="phone_records", state="missing", reason="")
    assert "reason" in exc.value.fields


def test_submit_with_unexplained_missing_evidence_is_refused_and_shows_the_gaps(file, investigator, submit):
    make_ready(investigator, file)
    services.evidence_set(
        actor=investigator, investigation=file, item="medical_report", state="not_applicable", reason=""
    )
    from ctip.justice.models import Evidence

    Evidence.objects.filter(investigation=file, item="phone_records").update(state="missing")  # unexplained
    with pytest.raises(ValidationFailed) as exc:
        submit(file)
    assert exc.value.fields["evidence"] == ["Phone records"]
    file.refresh_from_db()
    assert file.status == InvestigationStatus.OPEN
    assert not RecordShare.objects.filter(target_type="justice.investigation").exists()


def test_submit_needs_a_suspect_and_an_offence(file, investigator, submit):
    for item in EvidenceItem.values:
        services.evidence_set(actor=investigator, investigation=file, item=item, state="present")
    with pytest.raises(ValidationFailed) as exc:
        submit(file)
    assert "suspects" in exc.value.fields


def test_submit_only_to_a_prosecution_office(file, investigator, other_agency):
    make_ready(investigator, file)
    with pytest.raises(ValidationFailed) as exc:
        services.investigation_submit(
            actor=investigator, investigation=file, agency=other_agency, sections=["suspects"]
        )
    assert "agency" in exc.value.fields


def test_submission_shares_the_named_sections_with_the_office(submitted, prosecutor, odpp_agency):
    share = RecordShare.active().get(target_type="justice.investigation", target_id=submitted.public_id)
    assert share.agency_id == odpp_agency.pk
    assert submitted.status == InvestigationStatus.WITH_ODPP
    access = require(prosecutor, Action.INVESTIGATION_VIEW, submitted)
    assert access.via == "share"
    assert access.sees("suspects") and access.sees("evidence")
    queue = list(selectors.review_queue_for_user(user=prosecutor))
    assert queue == [submitted]
    submission = submitted.submissions.get()
    assert submission.gaps == ["phone_records"]
    assert events("investigation.submit").exists()


def test_sections_not_handed_over_stay_hidden(file, investigator, submit, prosecutor):
    make_ready(investigator, file)
    submit(file, sections=("suspects", "offences"))
    access = require(prosecutor, Action.INVESTIGATION_VIEW, file)
    assert not access.sees("actions")
    with pytest.raises(NotFound):
        require(prosecutor, Action.INVESTIGATION_VIEW, file, section="identifiers")


def test_the_file_cannot_change_while_with_the_prosecutor(submitted, investigator):
    with pytest.raises(InvalidTransition):
        services.identifier_add(actor=investigator, investigation=submitted, kind="phone", value="0712345678")
    with pytest.raises(InvalidTransition):
        services.investigation_close(actor=investigator, investigation=submitted, reason="insufficient_evidence")


def test_further_investigation_needs_requests_and_returns_the_file(submitted, prosecutor, investigator, submit):
    with pytest.raises(ValidationFailed) as exc:
        services.investigation_advise(
            actor=prosecutor, investigation=submitted, advice="further_investigation", text=""
        )
    assert "text" in exc.value.fields
    services.investigation_advise(
        actor=prosecutor,
        investigation=submitted,
        advice="further_investigation",
        text="Obtain the phone records of 0712 from Safaricom",
    )
    submitted.refresh_from_db()
    assert submitted.status == InvestigationStatus.OPEN
    assert not RecordShare.active().filter(target_id=submitted.public_id).exists()
    with pytest.raises(NotFound):  # the office no longer sees the file
        require(prosecutor, Action.INVESTIGATION_VIEW, submitted)
    # the investigator adds the phone records and resubmits; the prosecutor charges
    services.evidence_set(actor=investigator, investigation=submitted, item="phone_records", state="present")
    submit(submitted)
    submitted.refresh_from_db()
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    assert submitted.status == InvestigationStatus.CHARGE_ADVISED
    assert require(prosecutor, Action.INVESTIGATION_VIEW, submitted).via == "share"  # kept to prosecute
    rows = selectors.exchange_for_user(user=investigator, investigation=submitted, text_shown=True)
    assert [r["submission"].advice for r in rows] == ["further_investigation", "charge"]
    assert rows[0]["advice_text"] == "Obtain the phone records of 0712 from Safaricom"
    lead = selectors.lead_times(investigation=submitted)
    assert lead.file_to_decision == 0
    assert lead.identification_to_file == (submitted.opened_on - date(2026, 3, 1)).days


def test_no_further_action_needs_a_reason_then_the_unit_closes(submitted, prosecutor, investigator):
    with pytest.raises(ValidationFailed):
        services.investigation_advise(actor=prosecutor, investigation=submitted, advice="no_further_action", text="no")
    services.investigation_advise(
        actor=prosecutor, investigation=submitted, advice="no_further_action", text="The victim withdrew the complaint"
    )
    submitted.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.investigation_close(actor=investigator, investigation=submitted, reason="other", note="")
    services.investigation_close(actor=investigator, investigation=submitted, reason="no_further_action")
    submitted.refresh_from_db()
    assert submitted.status == InvestigationStatus.CLOSED


def test_only_the_office_holding_the_file_advises(submitted, users, other_users, investigator):
    with pytest.raises(PermissionDenied):  # the investigator has no review action
        services.investigation_advise(actor=investigator, investigation=submitted, advice="charge")
    with pytest.raises(NotFound):  # a prosecutor of the home agency (not the office it was handed to)
        services.investigation_advise(actor=users[Role.PROSECUTOR], investigation=submitted, advice="charge")


def test_advice_twice_is_refused(submitted, prosecutor):
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")


def test_suspect_names_for_the_prosecutor_are_logged(file, investigator, submit, prosecutor):
    outcome = services.suspect_add(
        actor=investigator,
        investigation=file,
        roles=["Exploiter"],
        person=services.PersonChoice(identity=Identity(first_name="Baraka", last_name="Kiprono"), confirm_new=True),
    )
    make_ready(investigator, file)
    submit(file)
    _inv, access = selectors.investigation_get_for_user(user=prosecutor, public_id=file.public_id)
    hidden = selectors.suspects_for_user(user=prosecutor, investigation=file, access=access)
    assert "Baraka Kiprono" not in [r.name for r in hidden]  # names are opened on demand only
    assert not events("identity.list").filter(actor=prosecutor).exists()
    rows = selectors.suspects_for_user(user=prosecutor, investigation=file, access=access, names_shown=True)
    assert "Baraka Kiprono" in [r.name for r in rows]
    event = events("identity.list").filter(actor=prosecutor).get()
    assert str(outcome.suspect.person.public_id) in event.changes["persons"]


def test_offence_once(file, investigator):
    offence = Offence.objects.get(code="ctipa-3")
    services.offence_add(actor=investigator, investigation=file, offence=offence)
    with pytest.raises(ValidationFailed):
        services.offence_add(actor=investigator, investigation=file, offence=offence)


def test_other_agency_investigator_cannot_touch_the_file(file, other_users):
    with pytest.raises(NotFound):
        services.offence_add(
            actor=other_users[Role.INVESTIGATOR], investigation=file, offence=Offence.objects.get(code="ctipa-3")
        )


@pytest.mark.parametrize("utc_clock", ["2026-12-07 20:30:00", "2026-12-07 21:30:00", "2026-12-08 09:00:00"])
def test_lead_times_count_days_on_the_kenyan_calendar(users, case, investigator, prosecutor, submit, utc_clock):
    """A file opened and advised in the same Nairobi day is 0 days, also in the hours when the UTC date lags behind
    (21:00-24:00 UTC is already the next day in Nairobi); the CI run once failed on exactly that hour."""
    from freezegun import freeze_time

    with freeze_time(utc_clock):
        f = make_ready(investigator, open_file(investigator, case))
        submit(f)
        f.refresh_from_db()
        services.investigation_advise(actor=prosecutor, investigation=f, advice="charge")
        f.refresh_from_db()
        lead = selectors.lead_times(investigation=f)
        annotated, _ = selectors.investigation_get_for_user(user=investigator, public_id=f.public_id)
    assert lead.file_to_decision == 0
    assert selectors.lead_times(investigation=annotated).file_to_decision == 0
