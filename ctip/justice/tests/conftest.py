"""Investigation fixtures: a prosecution office with its prosecutor, a victim case of the home agency (a police
unit, where the investigator works), and helpers that build a file through the real services."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import PASSWORD, register_person, shared_fixture


@shared_fixture("system_actor")
def odpp_agency(system_actor):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County

    return agency_create(
        actor=system_actor,
        name="ODPP Nairobi Office",
        short_name="ODPP-NBI",
        agency_type="prosecution",
        counties=list(County.objects.filter(code="047")),
    )


@shared_fixture("system_actor", "odpp_agency")
def odpp_users(system_actor, odpp_agency):
    from ctip.accounts.services import user_create

    return {
        Role.PROSECUTOR: user_create(
            actor=system_actor, username="odpp-prosecutor", password=PASSWORD, role=Role.PROSECUTOR, agency=odpp_agency
        )
    }


@pytest.fixture
def prosecutor(odpp_users):
    return odpp_users[Role.PROSECUTOR]


@pytest.fixture
def investigator(users):
    return users[Role.INVESTIGATOR]


@shared_fixture("users")
def case(users):
    from ctip.cases.tests.factories import open_case

    return open_case(users[Role.CASE_WORKER], register_person)


def open_file(actor, case=None, **kw):
    from ctip.justice import services

    return services.investigation_open(
        actor=actor,
        data=services.FileInput(
            kw.pop("ob_number", "OB 12/03/2026"), kw.pop("police_station", "Kilimani"), kw.pop("unit", "ahtcpu")
        ),
        case=case,
        **kw,
    )


def make_ready(actor, investigation, *, missing=()):
    """Add an organisation suspect, the s.3 offence, and record every evidence item (present, or missing with a
    reason for the items in `missing`)."""
    from ctip.justice import services
    from ctip.justice.enums import EvidenceItem
    from ctip.reference.models import Offence

    services.suspect_add(
        actor=actor, investigation=investigation, roles=["RecruiterOrIntermediary"], organisation_name="Gulf Jobs Ltd"
    )
    services.offence_add(actor=actor, investigation=investigation, offence=Offence.objects.get(code="ctipa-3"))
    for item in EvidenceItem.values:
        if item in missing:
            services.evidence_set(
                actor=actor, investigation=investigation, item=item, state="missing", reason="Awaiting Safaricom reply"
            )
        else:
            services.evidence_set(actor=actor, investigation=investigation, item=item, state="present")
    investigation.refresh_from_db()
    return investigation


@shared_fixture("users", "case")
def file(users, case):
    return open_file(users[Role.INVESTIGATOR], case)


@pytest.fixture
def submit(investigator, odpp_agency):
    from ctip.justice import services

    def _submit(investigation, sections=("victims", "suspects", "offences", "evidence", "identifiers", "actions")):
        investigation.refresh_from_db()
        return services.investigation_submit(
            actor=investigator,
            investigation=investigation,
            agency=odpp_agency,
            sections=list(sections),
            note="Please review",
        )

    return _submit


@pytest.fixture
def submitted(file, investigator, submit):
    make_ready(investigator, file, missing=("phone_records",))
    submit(file)
    file.refresh_from_db()
    return file
