"""CTDC generations (issue 14): the 2017-20 Global Dataset (ISO2, 0/1/-99 flags) and the 2024 Global Synthetic
Dataset (ISO3, 1-or-empty flags, merged means of control) are told from their header, checked whole (row-level
errors, nothing loaded from a file with one bad row), and stored normalised for the comparison."""

from __future__ import annotations

import pytest

from ctip.exchange.selectors import ctdc_comparison
from ctip.reference.ctdc import GLOBAL2017, SYNTHETIC2024, VP2022, CtdcInvalid, detect_generation, read_ctdc_any
from ctip.reference.models import CtdcDataset, CtdcRecord
from ctip.reference.services import ctdc_load
from ctip.stats.filters import Filters

G2017 = (
    "yearOfRegistration,Datasource,gender,ageBroad,majorityStatus,majorityStatusAtExploit,majorityEntry,citizenship,"
    "meansOfControlDebtBondage,meansOfControlNotSpecified,isForcedLabour,isSexualExploit,isOtherExploit,"
    "typeOfLabourDomesticWork,typeOfSexProstitution,isAbduction,RecruiterRelationship,CountryOfExploitation,"
    "recruiterRelationFriend"
)
G2017_ROWS = [
    "2017,Case Management,Female,18--20,Adult,Adult,-99,KE,1,0,1,0,0,1,0,0,Friend,SA,1",
    "2018,Hotline,Male,9--17,Minor,Minor,Minor,UA,-99,-99,0,1,-99,-99,-99,-99,-99,PL,-99",
]
G2024 = (
    "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,meansDebtBondageEarnings,"
    "meansThreats,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourDomesticWork,typeOfSexProstitution,"
    "recruiterRelationFamily"
)
G2024_ROWS = [
    "2021,Woman,27--29,KEN,SAU,13--24 (1-2 yrs),1,,1,,,1,,",
    "2022,Man,48+,UKR,POL,,,1,,1,1,,1,1",
    "2020,Trans/Transgender/NonConforming,,,,,,,,,,,,",
]


def _file(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_the_generation_is_told_from_the_header():
    assert detect_generation(G2017.split(",")) == GLOBAL2017
    assert detect_generation(G2024.split(",")) == SYNTHETIC2024
    assert detect_generation(["yearRegister", "gender", "majorityStatus"]) == VP2022
    assert detect_generation(["name", "age"]) is None


def test_2017_rows_are_normalised():
    generation, rows = read_ctdc_any(_file(G2017, *G2017_ROWS))
    assert generation == GLOBAL2017 and len(rows) == 2
    kenyan, ukrainian = rows
    assert (kenyan["citizenship"], kenyan["country_of_exploitation"], kenyan["coo_region"]) == ("KE", "SA", "Africa")
    assert kenyan["forced_labour"] and not kenyan["sexual_exploitation"] and kenyan["gender"] == "Female"
    assert ukrainian["majority_status"] == "Minor" and ukrainian["coo_region"] == ""
    assert ukrainian["sexual_exploitation"] and not ukrainian["other_exploitation"]  # -99 is missing


def test_2024_rows_are_normalised():
    generation, rows = read_ctdc_any(_file(G2024, *G2024_ROWS))
    assert generation == SYNTHETIC2024 and len(rows) == 3
    first, second, third = rows
    assert (first["gender"], first["age_band"], first["majority_status"]) == ("Female", "27--29", "Adult")
    assert (first["citizenship"], first["country_of_exploitation"]) == ("KE", "SA")
    assert second["other_exploitation"] and second["sexual_exploitation"] and second["gender"] == "Male"
    assert "gender" not in third and third["year_register"] == "2020"


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        (G2017, "2017,x,Female,18--20,Adult,Adult,-99,KEN,1,0,1,0,0,1,0,0,Friend,SA,1", "citizenship"),  # ISO3 in 2017
        (G2017, "2017,x,Female,18--20,Adult,Adult,-99,KE,2,0,1,0,0,1,0,0,Friend,SA,1", "meansOfControlDebtBondage"),
        (G2024, "2021,Woman,27--29,KEN,SAU,,0,,1,,,1,,", "meansDebtBondageEarnings"),  # 0 is not a 2024 flag
        (G2024, "2021,Woman,27-29,KEN,SAU,,,,1,,,1,,", "ageBroad"),
        (G2024, "1850,Woman,27--29,KEN,SAU,,,,1,,,1,,", "yearOfRegistration"),
    ],
)
def test_a_bad_cell_refuses_the_file_with_its_row(header, row, column):
    good = G2017_ROWS[0] if header == G2017 else G2024_ROWS[0]
    with pytest.raises(CtdcInvalid) as caught:
        read_ctdc_any(_file(header, good, row))
    assert list(caught.value.fields) == ["row 3"]
    assert caught.value.fields["row 3"][0].startswith(column)


def test_unknown_and_missing_columns_are_refused():
    with pytest.raises(CtdcInvalid) as caught:
        read_ctdc_any(_file(G2024.replace("traffickMonths", "traffickMonths,victimName"), "2021,,,,,,,,,,,,,,"))
    assert "victimName" in caught.value.fields["file"][0]


@pytest.mark.django_db
def test_a_2024_file_is_loaded_and_compared(users):
    from ctip.accounts.enums import Role

    dataset = ctdc_load(actor=None, content=_file(G2024, *G2024_ROWS), name="CTDC synthetic 2024")
    assert dataset.generation == SYNTHETIC2024 and dataset.row_count == 3
    assert CtdcRecord.objects.filter(dataset=dataset, coo_region="Africa").count() == 1
    comparison = ctdc_comparison(user=users[Role.COORDINATOR], filters=Filters())
    assert comparison.dataset == CtdcDataset.objects.first()
    sex = comparison.blocks[0]
    assert sex.all_total == 3 and sex.africa_total == 1
    assert [row.ctdc_all.count for row in sex.rows] == [1, 1]


def test_a_ctdc_file_of_any_generation_is_not_a_case_file():
    from ctip.reference.ctdc import looks_like_ctdc

    assert looks_like_ctdc(G2017.split(",")) and looks_like_ctdc(G2024.split(","))
    assert not looks_like_ctdc(["first_name", "last_name", "yearOfRegistration"])


@pytest.mark.django_db
def test_the_page_names_the_generation(users, client_for):
    from django.urls import reverse

    from ctip.accounts.enums import Role

    ctdc_load(actor=None, content=_file(G2017, *G2017_ROWS), name="CTDC global 2017-20")
    page = client_for(users[Role.DATA_ANALYST]).get(reverse("exchange:ctdc"))
    assert page.status_code == 200
    assert "Global Dataset, k-anonymised (2017-2020)" in page.content.decode()
