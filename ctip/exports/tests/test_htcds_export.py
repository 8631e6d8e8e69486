"""The de-identified HTCDS export for partners (issue 14): who may ask for it, which cases it holds (research consent
only, the user's own agency at agency scope), that nothing identifying is written, that rare combinations of
quasi-identifiers are generalised, and that the header holds the standard's field names."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.models import Case
from ctip.cases.selectors import HTCDS_EXPORT_COLUMNS, htcds_age_band, htcds_export_generalisation
from ctip.cases.services import consent_record, consent_withdraw
from ctip.cases.tests.factories import open_case
from ctip.exports.models import ExportJob

pytestmark = pytest.mark.django_db

START = reverse("exports:start")


def _post(client, **data):
    return client.post(START, {"kind": "htcds", "format": "csv", "next": "/cases/", **data})


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.status_code
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _consent(actor, case, research_use=True, given_by="self", giver_name=""):
    return consent_record(
        actor=actor,
        case=case,
        given_by=given_by,
        giver_name=giver_name,
        given_on=date(2026, 3, 2),
        purpose_explained=True,
        data_use=True,
        research_use=research_use,
    )


@pytest.fixture
def worker(users):
    return users[Role.CASE_WORKER]


@pytest.fixture
def consented(worker, make_person):
    made = []
    for i in range(3):
        case = open_case(worker, make_person, first_name=f"Wanjiru{i}", last_name="Kamau", narrative="Taken to Muscat")
        _consent(worker, case)
        made.append(case)
    return made


# --- permissions ----------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    response = _post(client)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.DATA_ANALYST, Role.SERVICE_PROVIDER, Role.INVESTIGATOR, Role.AUDITOR])
def test_roles_without_the_export_get_403(users, client_for, consented, role):
    assert _post(client_for(users[role])).status_code == 403
    assert not ExportJob.objects.exists()


def test_case_worker_exports_own_agency_consented_cases(worker, client_for, consented):
    rows = _rows(_post(client_for(worker)))
    assert len(rows) == 3
    assert list(rows[0]) == HTCDS_EXPORT_COLUMNS
    event = AuditEvent.objects.filter(action="export.start").latest("id")
    assert event.changes["list"] == "htcds" and event.changes["rows"] == 3


def test_other_agency_case_worker_gets_none_of_them_even_when_shared(other_users, client_for, consented):
    # agency scope: only the user's own agency's cases, whatever is shared with it
    rows = _rows(_post(client_for(other_users[Role.CASE_WORKER])))
    assert rows == []


def test_coordinator_exports_nationally(users, other_users, client_for, consented, make_person):
    other = other_users[Role.CASE_WORKER]
    case = open_case(other, make_person, first_name="Otieno")
    _consent(other, case)
    rows = _rows(_post(client_for(users[Role.COORDINATOR])))
    assert len(rows) == 4


# --- which cases, what is written ------------------------------------------------------------------------------


def test_only_active_research_consent_counts(worker, client_for, consented, make_person):
    no_consent = open_case(worker, make_person, first_name="Nafula")
    no_research = open_case(worker, make_person, first_name="Akinyi")
    _consent(worker, no_research, research_use=False)
    consent_withdraw(actor=worker, consent=consented[0].consents.get(), reason="Changed her mind")
    rows = _rows(_post(client_for(worker)))
    assert len(rows) == 2
    assert Case.objects.filter(pk__in=[no_consent.pk, no_research.pk]).count() == 2


@override_settings(CTIP_HTCDS_EXPORT_MIN_GROUP=1)
def test_nothing_identifying_is_written(worker, client_for, consented):
    response = _post(client_for(worker))
    text = response.content.decode("utf-8")
    for secret in ("Wanjiru", "Kamau", "Muscat", "1998", consented[0].reference, str(consented[0].public_id)):
        assert secret not in text
    rows = _rows(response)
    assert {r["ctip_ExportID"] for r in rows} and len({r["ctip_ExportID"] for r in rows}) == 3
    assert all(r["vic_TypeOfExploitation"] == "ForcedLabour" for r in rows)
    assert all(r["ctip_AgeBand"] == "27-29" for r in rows)  # born 1998, identified 2026: 27
    assert all(r["ctip_YearIdentified"] == "2026" for r in rows)


def test_a_file_smaller_than_the_group_size_is_generalised_throughout(worker, client_for, consented):
    rows = _rows(_post(client_for(worker)))  # default: groups of 5, and there are 3 rows
    assert {(r["ctip_AgeBand"], r["ctip_IdentifiedCounty"], r["ctip_YearIdentified"]) for r in rows} == {
        ("18+", "", "")
    }


def test_pseudonyms_are_stable_across_exports(worker, client_for, consented):
    first = {r["ctip_ExportID"] for r in _rows(_post(client_for(worker)))}
    second = {r["ctip_ExportID"] for r in _rows(_post(client_for(worker)))}
    assert first == second


@override_settings(CTIP_HTCDS_EXPORT_MIN_GROUP=3)
def test_rare_rows_are_generalised(worker, client_for, consented, make_person):
    odd = open_case(worker, make_person, first_name="Chebet", date_of_birth=date(2012, 5, 1))
    _consent(worker, odd, given_by="guardian", giver_name="Her mother")
    rows = _rows(_post(client_for(worker)))
    assert len(rows) == 4
    # the three alike keep their county; the one child is alone in any grouping, so every step is applied
    by_band = {}
    for r in rows:
        by_band.setdefault(r["ctip_AgeBand"], []).append(r)
    assert len(by_band["27-29"]) == 3
    (child,) = by_band["0-17"]
    assert child["ctip_IdentifiedCounty"] == "" and child["ctip_YearIdentified"] == ""


def test_generalisation_steps(worker, consented):
    qs = Case.objects.filter(pk__in=[c.pk for c in consented])
    assert htcds_export_generalisation(qs, k=3).rows_changed == 0
    changed = htcds_export_generalisation(qs, k=4)
    assert changed.blank_county == changed.coarse_age == changed.blank_year == {c.pk for c in consented}


@pytest.mark.parametrize(
    ("age", "band"), [(None, ""), (0, "0-8"), (8, "0-8"), (9, "9-17"), (17, "9-17"), (18, "18-20"), (48, "48+")]
)
def test_age_bands(age, band):
    assert htcds_age_band(age) == band


def test_xlsx_export(worker, client_for, consented):
    response = _post(client_for(worker), format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_case_list_shows_the_htcds_form_to_who_may_use_it(worker, users, client_for, consented):
    assert 'value="htcds"' in client_for(worker).get(reverse("cases:list")).content.decode()
    provider_page = client_for(users[Role.SERVICE_PROVIDER]).get(reverse("cases:list")).content.decode()
    assert 'value="htcds"' not in provider_page
