from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.recruitment import services
from ctip.recruitment.models import AgencyContact, AgencyStatusChange, RecruitmentAgency

from .conftest import make_agency

pytestmark = pytest.mark.django_db


def test_create_records_first_status_contacts_and_audit(officer):
    agency = make_agency(officer, "ra-2024-0001", "Kilele Placement Agency", phones=["0712 345 678", "+254712345678"])
    assert agency.licence_key == "RA20240001"
    assert agency.name_key == "kilele"
    assert list(AgencyContact.objects.filter(agency=agency).values_list("normalized", flat=True)) == ["+254712345678"]
    history = AgencyStatusChange.objects.get(agency=agency)
    assert history.status == "valid" and history.source == "NEA notice of 1 March 2024"
    assert AuditEvent.objects.filter(action="recruiter.create", target_id=str(agency.public_id)).exists()


def test_duplicate_licence_refused(officer, register):
    with pytest.raises(ValidationFailed) as exc:
        make_agency(officer, "ra 2019 0042", "Another name")
    assert "licence_number" in exc.value.fields


def test_bad_contacts_refused_and_nothing_saved(officer):
    with pytest.raises(ValidationFailed) as exc:
        services.agency_create(
            actor=officer,
            data=services.AgencyInput(
                licence_number="RA/1",
                legal_name="X Agency",
                contacts={"phone": ["12"], "email": ["not-an-email"]},
            ),
            status_source="NEA",
        )
    assert set(exc.value.fields) == {"phones", "emails"}
    assert not RecruitmentAgency.objects.exists()


def test_status_only_by_labour_officers(users, register):
    agency = register["valid"]
    for role in ("investigator", "coordinator", "case_worker"):
        with pytest.raises(PermissionDenied):
            services.agency_set_status(
                actor=users[role],
                agency=agency,
                status="suspended",
                effective_on=date(2024, 5, 1),
                source="NEA notice",
                expected_version=agency.version,
            )


def test_status_change_needs_source_and_past_date(officer, register):
    agency = register["valid"]
    with pytest.raises(ValidationFailed) as exc:
        services.agency_set_status(
            actor=officer,
            agency=agency,
            status="suspended",
            effective_on=timezone.localdate() + timedelta(days=2),
            source=" ",
            expected_version=agency.version,
        )
    assert set(exc.value.fields) == {"source", "effective_on"}


def test_status_change_history_and_audit(officer, register):
    agency = register["valid"]
    changed = services.agency_set_status(
        actor=officer,
        agency=agency,
        status="deregistered",
        effective_on=date(2024, 6, 1),
        source="NEA notice 2024/17",
        expected_version=agency.version,
    )
    assert changed.status == "deregistered" and changed.version == agency.version + 1
    last = AgencyStatusChange.objects.filter(agency=agency).first()
    assert (last.previous_status, last.status, last.source) == ("valid", "deregistered", "NEA notice 2024/17")
    event = AuditEvent.objects.filter(action="recruiter.status").latest("seq")
    assert event.changes["status"] == ["valid", "deregistered"]
    assert event.changes["source"] == "NEA notice 2024/17"


def test_stale_edit_is_a_conflict(officer, register):
    agency = register["valid"]
    data = services.AgencyInput(licence_number=agency.licence_number, legal_name="Upendo Recruitment Ltd")
    services.agency_update(actor=officer, agency=agency, data=data, expected_version=agency.version)
    with pytest.raises(Conflict):
        services.agency_update(actor=officer, agency=agency, data=data, expected_version=agency.version)


def test_director_goes_through_the_people_registry(officer, register):
    from ctip.people.identity import Identity

    agency = register["deregistered"]
    identity = Identity(first_name="Baraka", last_name="Mwangi")
    outcome = services.director_add(
        actor=officer, agency=agency, choice=services.PersonChoice(identity=identity, confirm_new=True)
    )
    assert outcome.director is not None
    assert outcome.director.person.owning_agency_id == officer.agency_id
    assert AuditEvent.objects.filter(action="recruiter.director_add").exists()
    assert AuditEvent.objects.filter(action="person.create").exists()
    # The same identity again: the registry proposes the person instead of registering a second one.
    again = services.director_add(
        actor=officer, agency=register["lookalike"], choice=services.PersonChoice(identity=identity)
    )
    assert again.director is None and again.person.candidates


def test_job_order_validated(officer, register):
    from ctip.reference.models import Country

    qatar = Country.objects.get(alpha2="QA")
    data = services.JobOrderInput(
        employer="Doha Facilities",
        country_id=qatar.pk,
        role="Cleaner",
        workers=20,
        salary_cents=45_000,
        salary_currency="usd",
        valid_from=date(2024, 1, 1),
        valid_until=date(2023, 1, 1),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.job_order_add(actor=officer, agency=register["valid"], data=data)
    assert "valid_until" in exc.value.fields
    data.valid_until = date(2025, 1, 1)
    order = services.job_order_add(actor=officer, agency=register["valid"], data=data)
    assert order.salary_currency == "USD"
