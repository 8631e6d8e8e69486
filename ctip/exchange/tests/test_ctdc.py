"""CTDC as a reference dataset (issue 14): the file is checked whole (unknown or missing columns, bad cells by row),
loaded all or nothing, compared with Kenya's figures under small-cell protection, and never taken as case records."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.tests.factories import open_case
from ctip.exchange.selectors import ctdc_comparison
from ctip.reference.ctdc import COLUMNS, CtdcInvalid, parse_year_range, read_ctdc
from ctip.reference.models import CtdcDataset, CtdcRecord
from ctip.reference.services import ctdc_load
from ctip.stats.filters import Filters

HEADER = ",".join(COLUMNS)
GOOD = [
    "2019,Female,Adult,1,,Africa,Asia,1,Male,30--38,Africa,FriendAcquaintance,Yes,1,,",
    "2014-2018,Male,Minor,,1,Africa,Africa,,Female;Male,,Africa;Asia,StrangerUnknownOther,No;Yes,,1,1",
    ",,,,,,,,,,,,,,,",  # a row with every value missing is skipped as blank
    "2021-2022,Female,Adult,,1,Europe,Europe,1,,48+,,,,,,",
]
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ctdc" / "CTDC_VPsynthetic_condensed.csv"


def _file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


# --- the parser -----------------------------------------------------------------------------------------------


def test_reads_good_rows():
    rows = read_ctdc(_file(*GOOD))
    assert len(rows) == 3
    assert rows[0]["year_register"] == "2019" and rows[0]["forced_labour"] == "1"
    assert rows[1]["ip_gender"] == "Female;Male"


def test_unknown_and_missing_columns_refuse_the_file():
    with pytest.raises(CtdcInvalid) as err:
        read_ctdc(_file(GOOD[0] + ",x", header=HEADER.replace("gender", "gendr") + ",extra"))
    text = " ".join(err.value.fields["file"])
    assert "gendr" in text and "extra" in text and "Missing columns: gender" in text


def test_bad_rows_are_listed_and_nothing_is_loaded(db):
    bad = _file(
        GOOD[0],
        "2019,Femme,Adult,2,,Africa,Asia,1,Male,30--38,Africa,FriendAcquaintance,Yes,1,,",
        "1885,,,,,,,,,,,,,,,",
    )
    with pytest.raises(CtdcInvalid) as err:
        ctdc_load(actor=None, content=bad, name="bad")
    assert set(err.value.fields) == {"row 3", "row 4"}
    assert any("Femme" in p for p in err.value.fields["row 3"]) and any(
        "isForcedLabour" in p for p in err.value.fields["row 3"]
    )
    assert not CtdcDataset.objects.exists() and not CtdcRecord.objects.exists()


def test_not_utf8_and_empty_files():
    with pytest.raises(CtdcInvalid):
        read_ctdc(b"\xff\xfe\x00")
    with pytest.raises(CtdcInvalid):
        read_ctdc(b"")
    with pytest.raises(CtdcInvalid):
        read_ctdc(_file())


@given(st.integers(1990, 2100), st.integers(0, 20))
def test_year_ranges(first, span):
    last = min(first + span, 2100)
    assert parse_year_range(f"{first}-{last}") == (parse_year_range(f"{first}-{last}"))
    parsed = parse_year_range(f"{first}-{last}")
    assert (parsed.first, parsed.last) == (first, last)
    assert parse_year_range(str(first)).last == first


@given(st.text(max_size=12))
def test_year_range_never_crashes(text):
    try:
        parsed = parse_year_range(text)
    except ValueError:
        return
    assert parsed is None or 1990 <= parsed.first <= parsed.last <= 2100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='01;-+ AaFMx,"\n', max_size=6), min_size=16, max_size=16), max_size=5))
def test_any_file_is_read_or_refused_clearly(cells):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(cells)
    try:
        rows = read_ctdc(out.getvalue().encode())
    except CtdcInvalid as exc:
        assert exc.fields
        return
    assert all(set(r) == set(COLUMNS.values()) for r in rows)


# --- loading, comparing, pages ---------------------------------------------------------------------------------


@pytest.fixture
def dataset(db):
    return ctdc_load(actor=None, content=_file(*GOOD), name="CTDC test")


def test_load_is_audited(dataset):
    assert dataset.row_count == 3 and CtdcRecord.objects.filter(dataset=dataset).count() == 3
    event = AuditEvent.objects.get(action="reference.ctdc_load")
    assert event.changes["rows"] == 3 and event.actor_label == "manage.py load_ctdc"


def test_comparison_protects_kenyas_small_counts(dataset, users, make_person):
    worker = users[Role.CASE_WORKER]
    for i in range(3):
        open_case(worker, make_person, first_name=f"Halima{i}")
    comparison = ctdc_comparison(user=users[Role.DATA_ANALYST], filters=Filters())
    sex = comparison.blocks[0]
    assert sex.kenya_total is None  # 3 victims: fewer than 11
    assert all(row.kenya.count is None for row in sex.rows)
    assert sex.africa_total == 2 and sex.all_total == 3
    female = sex.rows[0]
    assert (female.ctdc_africa.count, female.ctdc_all.count) == (1, 2)
    assert female.ctdc_all.percent == pytest.approx(66.7)
    assert dict(comparison.years) == {"2014-2018": 1, "2019": 1, "2021-2022": 1}


def test_page_permissions(dataset, users, other_users, client, client_for):
    url = reverse("exchange:ctdc")
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client_for(users[Role.CASE_WORKER]).get(url).status_code == 403
    assert client_for(users[Role.SERVICE_PROVIDER]).get(url).status_code == 403
    analyst = client_for(users[Role.DATA_ANALYST]).get(url)
    assert analyst.status_code == 200 and "CTDC test" in analyst.content.decode()
    assert 'name="file"' not in analyst.content.decode()  # no load form for the analyst
    coordinator = client_for(other_users[Role.COORDINATOR]).get(url)
    assert coordinator.status_code == 200 and 'name="file"' in coordinator.content.decode()
    assert AuditEvent.objects.filter(action="stats.view", target_id="ctdc").count() == 2


def test_page_without_dataset(db, users, client_for):
    response = client_for(users[Role.DATA_ANALYST]).get(reverse("exchange:ctdc"))
    assert response.status_code == 200 and 'data-testid="ctdc-none"' in response.content.decode()


def test_bad_filter_is_400(dataset, users, client_for):
    assert client_for(users[Role.DATA_ANALYST]).get(reverse("exchange:ctdc"), {"year": "abc"}).status_code == 400


def test_upload_permissions_and_errors(db, users, client, client_for):
    url = reverse("exchange:ctdc_upload")

    def post(c, content=_file(*GOOD), name="Upload"):
        return c.post(url, {"name": name, "file": SimpleUploadedFile("ctdc.csv", content, "text/csv")})

    assert post(client).status_code == 302
    assert post(client_for(users[Role.DATA_ANALYST])).status_code == 403
    assert post(client_for(users[Role.CASE_WORKER])).status_code == 403
    assert not CtdcDataset.objects.exists()
    coordinator = client_for(users[Role.COORDINATOR])
    refused = post(coordinator, content=_file("2019,Femme,,,,,,,,,,,,,,"))
    assert refused.status_code == 400 and "Femme" in refused.content.decode()
    assert 'value="Upload"' in refused.content.decode()  # the name typed is kept
    assert not CtdcDataset.objects.exists()
    assert post(coordinator, name="").status_code == 400
    done = post(coordinator)
    assert done.status_code == 302 and CtdcDataset.objects.get().row_count == 3


def test_command(db, tmp_path):
    path = tmp_path / "ctdc.csv"
    path.write_bytes(_file(*GOOD))
    out = io.StringIO()
    call_command("load_ctdc", str(path), "--name", "From the command", stdout=out)
    assert "Loaded 3 rows" in out.getvalue()
    path.write_bytes(_file("2019,Femme,,,,,,,,,,,,,,"))
    with pytest.raises(CommandError, match="row 2"):
        call_command("load_ctdc", str(path))
    with pytest.raises(CommandError, match="No file"):
        call_command("load_ctdc", str(tmp_path / "missing.csv"))


def test_the_real_ctdc_file_loads_whole(db):
    if not SHARED.is_file():
        pytest.skip(f"the CTDC reference file is not at {SHARED}")
    dataset = ctdc_load(actor=None, content=SHARED.read_bytes(), name="CTDC Dec 2022")
    assert dataset.row_count == 21_195  # more than the case import's 20,000-row cap


def test_case_import_points_a_ctdc_file_to_the_reference_page(users, client_for):
    from ctip.intake.importer import FileInvalid, read_table

    with pytest.raises(FileInvalid, match="CTDC dataset"):
        read_table(_file(*GOOD), "csv")
