"""The complaints API: public filing (reference and PIN only, rate-limited, errors in the API shape, evidence by
multipart, nothing half-saved), public status, officers' queue (bounded queries), detail (audited read) and triage
(stale version refused, DCI referral opens a lead). Exact permission codes are in test_complaints_routes.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from .conftest import PDF, make_complaint

pytestmark = pytest.mark.django_db

FILE = "/api/v1/recruitment/complaints/file/"
STATUS = "/api/v1/recruitment/complaints/status/"
QUEUE = "/api/v1/recruitment/complaints/"


def _body(**overrides):
    data = {
        "against_kind": "unregistered",
        "against_name": "Bwana Kazi Agents",
        "amount_paid": "45000",
        "paid_to_numbers": ["0712 345 678"],
        "transaction_codes": ["QGH7XK2L9P"],
        "job_promised": "Driver",
        "destination_country": "ae",
        "whereabouts": "in_kenya",
        "description": "They took my money for a job in Dubai and disappeared.",
    }
    data.update(overrides)
    return data


def test_public_filing_returns_reference_and_pin_only_and_status_follows():
    from ctip.recruitment.models import Complaint

    client = APIClient()
    response = client.post(FILE, _body(), format="json")
    assert response.status_code == 201
    assert set(response.json()) == {"reference", "pin"}
    complaint = Complaint.objects.get()
    assert complaint.reference == response.json()["reference"] and complaint.destination_country.alpha2 == "AE"
    assert complaint.amount_paid_cents == 4_500_000 and complaint.source == "public"
    status = client.post(STATUS, {**response.json(), "language": "sw"}, format="json")
    assert status.status_code == 200
    assert status.json()["status"] == "new" and status.json()["reference"] == complaint.reference
    wrong = client.post(STATUS, {"reference": complaint.reference, "pin": "99999x"}, format="json")
    assert wrong.status_code == 404 and set(wrong.json()) == {"code", "message", "fields"}


def test_public_filing_with_evidence_multipart():
    from ctip.recruitment.models import Complaint

    body = _body()
    body.pop("paid_to_numbers")
    body.pop("transaction_codes")
    response = APIClient().post(FILE, {**body, "evidence": [SimpleUploadedFile("r.pdf", PDF)]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert Complaint.objects.get().evidence_count == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "short"}, "description"),
        ({"whereabouts": "moon"}, "whereabouts"),
        ({"against_kind": "agency", "agency_licence": "RA/0000/9999"}, "agency"),
        ({"transaction_codes": ["nope"]}, "transaction_codes"),
        ({"destination_country": "zz"}, "destination_country"),
        ({"amount_paid": "-1"}, "amount_paid"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_saved(overrides, field):
    from ctip.recruitment.models import Complaint

    response = APIClient().post(FILE, _body(**overrides), format="json")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"code", "message", "fields"} and field in data["fields"]
    assert not Complaint.objects.exists()


def test_a_bad_evidence_file_is_refused_and_nothing_saved(private_files):
    from ctip.recruitment.models import Complaint

    response = APIClient().post(
        FILE, {**_body(), "evidence": [SimpleUploadedFile("x.pdf", b"<html>")]}, format="multipart"
    )
    assert response.status_code == 400 and "evidence" in response.json()["fields"]
    assert not Complaint.objects.exists()
    assert not list((private_files / "complaint-evidence").glob("*"))


def test_public_endpoints_are_rate_limited_and_logged(caplog):
    client = APIClient()
    codes = [client.post(FILE, _body(), format="json").status_code for _ in range(6)]
    assert codes == [201] * 5 + [429]
    assert client.post(FILE, _body(), format="json").json()["code"] == "rate_limited"
    assert any("rate limit" in r.getMessage() for r in caplog.records)
    complaint, _pin = make_complaint()
    codes = [
        client.post(STATUS, {"reference": complaint.reference, "pin": "000000"}, format="json").status_code
        for _ in range(11)
    ]
    assert codes[-1] == 429 and set(codes[:-1]) <= {404, 200}


def test_public_endpoints_ignore_credentials_and_return_no_internal_ids(users, api_client_for):
    response = api_client_for(users["labour_officer"]).post(FILE, _body(), format="json")
    assert response.status_code == 201 and set(response.json()) == {"reference", "pin"}
    from ctip.recruitment.models import Complaint

    assert Complaint.objects.get().source == "public"


def test_officer_queue_detail_and_triage_to_a_dci_lead(register, users, api_client_for, agency):
    from ctip.accounts.models import Agency
    from ctip.audit.models import AuditEvent

    Agency.objects.filter(pk=agency.pk).update(national=True)  # the DCI unit a referral goes to
    complaint, _pin = make_complaint(against_kind="agency", agency_licence=register["valid"].licence_number)
    client = api_client_for(users["labour_officer"])
    rows = client.get(QUEUE).json()
    assert rows["page"] == 1 and [r["reference"] for r in rows["results"]] == [complaint.reference]
    assert "description" not in rows["results"][0]  # the sealed text is read only on the detail, audited
    url = f"{QUEUE}{complaint.public_id}/"
    detail = client.get(url).json()
    assert detail["description"].startswith("The agent took my money")
    assert detail["paid_to_numbers"] == "+254712345678"
    assert AuditEvent.objects.filter(action="complaint.text_read", target_id=str(complaint.public_id)).exists()
    stale = detail["version"]
    reviewed = client.post(f"{url}review/", {"version": stale}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "under_review"
    conflict = client.post(
        f"{url}triage/", {"version": stale, "outcome": "referral_dci", "note": "Same agent again"}, format="json"
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    done = client.post(
        f"{url}triage/",
        {"version": reviewed.json()["version"], "outcome": "referral_dci", "note": "Same agent again"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "referred" and done.json()["lead_reference"].startswith("LD-")
    assert [a["step"] for a in done.json()["actions"]] == ["review", "referral_dci"]
    bad = client.post(f"{url}triage/", {"version": done.json()["version"], "outcome": "nonsense"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()["fields"]


def test_queue_filters_checked(users, api_client_for):
    client = api_client_for(users["coordinator"])
    assert client.get(QUEUE, {"status": "bogus"}).status_code == 400
    assert client.get(QUEUE, {"status": "all", "distress": "true"}).status_code == 200


def test_queue_queries_do_not_grow_with_rows(users, api_client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(users["coordinator"])

    def count() -> int:
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(10):
        make_complaint()
    ten = count()
    for _ in range(40):
        make_complaint()
    assert count() == ten
    with django_assert_max_num_queries(12):
        client.get(QUEUE)
