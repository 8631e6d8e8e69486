"""Kenya's cases in the CTDC 2024 schema (issue 14): the k-anonymised (k = 11) and the differentially private
synthetic exports. Who may ask for them, which cases they hold (research consent only), that nothing identifying is
written, that k = 11 holds, that the synthetic file leaks no rare combination, and the privacy report."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.models import Case, CaseAttribute
from ctip.cases.selectors import CTDC_COLUMNS, CTDC_QUASI_IDENTIFIERS, ctdc_age_band, ctdc_rows
from ctip.cases.selectors.ctdc import K_STEPS, QI_INDEXES
from ctip.cases.services import consent_record
from ctip.cases.tests.factories import open_case
from ctip.core.synthetic import combination_counts, dp_synthesise, k_anonymise, rare_combination_leakage
from ctip.exports.models import ExportJob

START = reverse("exports:start")
KINDS = ["ctdc_k", "ctdc_synthetic"]


def _post(client, kind, **data):
    return client.post(START, {"kind": kind, "format": "csv", "next": "/cases/", **data})


def _sections(response) -> tuple[list[dict[str, str]], list[list[str]]]:
    """The data rows (as dicts) and the privacy report's rows."""
    assert response.status_code == 200, response.status_code
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    data, _, report = text[1:].partition("\r\n\r\n")
    report_rows = list(csv.reader(io.StringIO(report)))
    return list(csv.DictReader(io.StringIO(data))), report_rows


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
    htcds = {
        "vic_TypeOfExploitation": ["ForcedLabour"],
        "vic_MethodsOfControl": ["DebtBondage", "WithholdsDocuments", "Other"],
        "vic_ForcedLabourIndustry": ["T_ActivitiesOfHouseholdsAsEmployers"],
        "vic_RelationshipToTrafficker": ["Acquainted"],
    }
    for i in range(12):
        case = open_case(
            worker, make_person, first_name=f"Wanjiru{i}", last_name="Kamau", narrative="Taken to Muscat", htcds=htcds
        )
        _consent(worker, case)
        made.append(case)
    return made


# --- permissions ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_sent_to_log_in(client, kind):
    response = _post(client, kind)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", [Role.DATA_ANALYST, Role.SERVICE_PROVIDER, Role.INVESTIGATOR, Role.AUDITOR])
def test_roles_without_the_export_get_403(users, client_for, role, kind):
    assert _post(client_for(users[role]), kind).status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_allowed_roles_get_the_file(users, worker, client_for, consented, kind):
    for user in (worker, users[Role.COORDINATOR]):
        rows, report = _sections(_post(client_for(user), kind))
        assert report[0] == ["Privacy report"]
    event = AuditEvent.objects.filter(action="export.start").latest("id")
    assert event.changes["list"] == kind and event.changes["rows"] == 12


@pytest.mark.django_db
def test_other_agency_gets_none(other_users, client_for, consented):
    rows, _ = _sections(_post(client_for(other_users[Role.CASE_WORKER]), "ctdc_k"))
    assert rows == []


# --- the microdata ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_k_anonymised_file(worker, client_for, consented, make_person):
    no_research = open_case(worker, make_person, first_name="Akinyi")
    _consent(worker, no_research, research_use=False)
    open_case(worker, make_person, first_name="Nafula")  # no consent at all
    response = _post(client_for(worker), "ctdc_k")
    text = response.content.decode("utf-8")
    for secret in ("Wanjiru", "Kamau", "Akinyi", "Muscat", "1998", consented[0].reference, str(consented[0].public_id)):
        assert secret not in text
    rows, report = _sections(response)
    assert list(rows[0]) == CTDC_COLUMNS and len(rows) == 12  # the two without research consent are left out
    row = rows[0]
    assert (row["yearOfRegistration"], row["ageBroad"], row["citizenship"]) == ("2026", "27--29", "KEN")
    assert row["isForcedLabour"] == "1" and row["isSexualExploit"] == ""
    assert row["meansDebtBondageEarnings"] == row["meansWithholdDocs"] == "1" and row["meansThreats"] == ""
    assert row["typeOfLabourDomesticWork"] == "1" and row["recruiterRelationOther"] == "1"
    assert row["recruiterRelationFriend"] == ""
    assert dict(r for r in report[1:] if len(r) == 2)["Records suppressed"] == "0"


@pytest.mark.django_db
def test_a_rare_case_is_generalised_then_suppressed(worker, client_for, consented, make_person):
    child = open_case(worker, make_person, first_name="Chebet", date_of_birth=date(2012, 5, 1))
    _consent(worker, child, given_by="guardian", giver_name="Her mother")
    rows, report = _sections(_post(client_for(worker), "ctdc_k"))
    assert len(rows) == 12 and all(r["ageBroad"] == "27--29" for r in rows)
    assert dict(r for r in report[1:] if len(r) == 2)["Records suppressed"] == "1"


@pytest.mark.django_db
def test_rows_are_read_in_a_fixed_number_of_queries(worker, consented, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert len(ctdc_rows(Case.objects.filter(pk__in=[c.pk for c in consented]))) == 12


@pytest.mark.parametrize(("age", "band"), [(None, ""), (8, "0--8"), (9, "9--17"), (20, "18--20"), (47, "39--47")])
def test_age_bands(age, band):
    assert ctdc_age_band(age) == band


QI_VALUES = {
    "yearOfRegistration": ["2019", "2020", "2021", "2022", "2023"],
    "gender": ["Woman", "Man", ""],
    "ageBroad": ["0--8", "9--17", "18--20", "27--29", "48+", ""],
    "citizenship": ["KEN", "", "UGA"],
    "CountryOfExploitation": ["KEN", "SAU", "ARE", "QAT", ""],
}


def _record(draw_values: list[int], flags: list[bool]) -> list[str]:
    record = [""] * len(CTDC_COLUMNS)
    for column, pick in zip(CTDC_QUASI_IDENTIFIERS, draw_values, strict=True):
        values = QI_VALUES[column]
        record[CTDC_COLUMNS.index(column)] = values[pick % len(values)]
    for i, flag in enumerate(flags):
        record[6 + i] = "1" if flag else ""
    return record


RECORDS = st.lists(
    st.builds(
        _record,
        st.lists(st.integers(0, 20), min_size=5, max_size=5),
        st.lists(st.booleans(), min_size=len(CTDC_COLUMNS) - 6, max_size=len(CTDC_COLUMNS) - 6),
    ),
    max_size=300,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_k_11_holds_for_any_set_of_cases(records):
    result = k_anonymise(records, QI_INDEXES, K_STEPS, 11)
    assert len(result.records) + result.suppressed == len(records)
    counts: dict[tuple, int] = {}
    for r in result.records:
        key = tuple(r[i] for i in QI_INDEXES)
        counts[key] = counts.get(key, 0) + 1
    assert all(count >= 11 for count in counts.values())
    # nothing but quasi-identifiers is changed
    kept_flags = sorted(tuple(r[6:]) for r in result.records)
    assert all(flags in {tuple(r[6:]) for r in records} for flags in kept_flags)


# --- the synthetic file -----------------------------------------------------------------------------------------


def test_synthetic_data_leaks_no_rare_combination():
    rng = random.Random(14)
    records = [
        _record([rng.randint(0, 20) for _ in range(5)], [rng.random() < 0.3 for _ in CTDC_COLUMNS[6:]])
        for _ in range(400)
    ]
    synthetic, report = dp_synthesise(CTDC_COLUMNS, records, QI_INDEXES, k=11, epsilon=4.0)
    assert report.rare_combination_leakage == 0
    assert rare_combination_leakage(CTDC_COLUMNS, records, synthetic, QI_INDEXES, 11) == 0
    assert report.synthetic_records == len(synthetic) > 0
    assert set(report.preservation_by_length) == {1, 2, 3}
    assert report.mean_proportional_error is not None
    # the file holds the schema's values only
    assert all(len(r) == len(CTDC_COLUMNS) for r in synthetic)


def test_rare_combination_leakage_is_counted():
    records = [_record([0, 0, 0, 0, 0], [False] * (len(CTDC_COLUMNS) - 6))] * 11
    rare = _record([1, 1, 1, 2, 1], [False] * (len(CTDC_COLUMNS) - 6))
    # a rare real record copied into the "synthetic" file: every sub-combination of its 5 values is rare
    assert rare_combination_leakage(CTDC_COLUMNS, [*records, rare], [rare], QI_INDEXES, 11) == 31
    assert rare_combination_leakage(CTDC_COLUMNS, records, records, QI_INDEXES, 11) == 0
    assert combination_counts(CTDC_COLUMNS, records, QI_INDEXES, 1)["yearOfRegistration:2019"] == 11


def test_too_few_records_give_no_synthetic_rows():
    records = [_record([0, 0, 0, 0, 0], [True] * (len(CTDC_COLUMNS) - 6))] * 3
    synthetic, report = dp_synthesise(CTDC_COLUMNS, records, QI_INDEXES, k=11, epsilon=4.0)
    assert synthetic == [] and report.rare_combination_leakage == 0


@pytest.mark.django_db
def test_synthetic_export_and_its_report(worker, client_for, consented):
    response = _post(client_for(worker), "ctdc_synthetic")
    assert "Wanjiru" not in response.content.decode("utf-8")
    rows, report = _sections(response)
    facts = dict(r for r in report[1:] if len(r) == 2)
    assert facts["Rare-combination leakage (must be 0)"] == "0"
    assert facts["Sensitive records"] == "12"
    assert int(facts["Synthetic records"]) == len(rows)
    assert "Preservation of combination counts, length 3" in facts
    assert all(set(r) == set(CTDC_COLUMNS) for r in rows)
    assert CaseAttribute.objects.exists()


@pytest.mark.django_db
def test_xlsx_has_the_report_sheet(worker, client_for, consented):
    import openpyxl

    response = _post(client_for(worker), "ctdc_synthetic", format="xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 2
    assert [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))] == CTDC_COLUMNS
