"""Complaint pages: the public form (search, submit with files, bad files, rate limit, Kiswahili), the status
page, triage through the page (conflict shown), evidence download (audited), and bounded queries (10 vs 50 rows)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctip.core.tests.querycount import LIMIT, count_queries

from .conftest import JPEG, PDF, PNG, make_complaint

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "do": "submit",
        "against_kind": "unregistered",
        "against_name": "Bwana Kazi Agents",
        "amount_paid": "45000",
        "paid_to_numbers": "0712 345 678",
        "transaction_codes": "QGH7XK2L9P",
        "job_promised": "Driver",
        "whereabouts": "in_kenya",
        "description": "They took my money for a job in Dubai and disappeared.",
        "contact": "",
    }
    data.update(overrides)
    return data


def test_public_search_then_submit_with_evidence_shows_reference_and_pin(register, fresh_index):
    client = Client(enforce_csrf_checks=False)
    url = reverse("verify:complaint")
    body = client.post(url, _form(do="search", agency_query="Upendo")).content.decode()
    assert register["valid"].licence_number in body and "This field is required" not in body
    response = client.post(
        url,
        _form(
            against_kind="agency",
            agency_licence=register["valid"].licence_number,
            evidence=[SimpleUploadedFile("r.pdf", PDF), SimpleUploadedFile("p.jpg", JPEG)],
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "CMP-" in body and "PIN" in body
    from ctip.recruitment.models import Complaint

    complaint = Complaint.objects.get()
    assert complaint.agency == register["valid"] and complaint.evidence_count == 2
    assert complaint.amount_paid_cents == 4_500_000


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Only photos"),
        ("photo.jpg", PDF, "does not match"),
        ("page.pdf", b"<html>not a pdf</html>", "Only photos"),
    ],
)
def test_public_bad_file_refused_with_the_form_kept(name, content, message, caplog):
    from ctip.recruitment.models import Complaint

    response = Client().post(reverse("verify:complaint"), _form(evidence=[SimpleUploadedFile(name, content)]))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Bwana Kazi Agents" in body
    assert not Complaint.objects.exists()
    logged = [r.getMessage() for r in caplog.records if r.name == "ctip.recruitment"]
    assert logged == ["complaints: evidence file refused"] and name not in " ".join(logged)


def test_public_too_big_refused(settings):
    from ctip.recruitment import evidence

    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * evidence.MAX_BYTES + b"IEND\xaeB`\x82"
    response = Client().post(reverse("verify:complaint"), _form(evidence=[SimpleUploadedFile("big.png", big)]))
    assert response.status_code == 400 and "5 MB" in response.content.decode()


def test_public_form_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("verify:complaint"), _form()).status_code == 403


def test_public_submissions_rate_limited_and_logged(caplog):
    client = Client()
    url = reverse("verify:complaint")
    codes = [client.post(url, _form()).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert any("rate limit" in r.getMessage() for r in caplog.records)
    assert all("127.0.0.1" not in r.getMessage() for r in caplog.records)


def test_public_page_in_kiswahili():
    body = Client().get(reverse("verify:complaint"), HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Lalamika" in body


def test_status_page_and_pin_guessing_limited():
    complaint, pin = make_complaint()
    client = Client()
    url = reverse("verify:complaint_status")
    ok = client.post(url, {"reference": complaint.reference, "pin": pin})
    assert ok.status_code == 200 and "Received" in ok.content.decode()
    wrong = "000000" if pin != "000000" else "111111"
    codes = [client.post(url, {"reference": complaint.reference, "pin": wrong}).status_code for _ in range(10)]
    assert codes == [404] * 9 + [429]


def test_triage_through_the_page_and_conflict_shown(register, users, client_for):
    complaint, _pin = make_complaint(against_kind="agency", agency_licence=register["valid"].licence_number)
    client = client_for(users["labour_officer"])
    stale = complaint.version
    assert (
        client.post(reverse("recruitment:complaint_review", args=[complaint.public_id]), {"version": stale}).status_code
        == 302
    )
    response = client.post(
        reverse("recruitment:complaint_triage", args=[complaint.public_id]),
        {"version": stale, "outcome": "suspension", "note": "x"},
    )
    assert response.status_code == 409 and "Someone else changed this complaint" in response.content.decode()
    register["valid"].refresh_from_db()
    assert register["valid"].status == "valid"
    complaint.refresh_from_db()
    response = client.post(
        reverse("recruitment:complaint_triage", args=[complaint.public_id]),
        {"version": complaint.version, "outcome": "suspension", "note": "x"},
    )
    assert response.status_code == 302
    register["valid"].refresh_from_db()
    assert register["valid"].status == "suspended"
    body = client.get(reverse("recruitment:profile", args=[register["valid"].public_id])).content.decode()
    assert complaint.reference in body


def test_evidence_download_is_audited_and_not_sniffable(users, client_for):
    from ctip.audit.models import AuditEvent
    from ctip.recruitment.evidence import Upload

    complaint, _ = make_complaint(uploads=[Upload(PNG, "a.png")])
    item = complaint.evidence.get()
    response = client_for(users["labour_officer"]).get(
        reverse("recruitment:complaint_evidence", args=[complaint.public_id, item.public_id])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="complaint.evidence_read", target_id=str(complaint.public_id)).exists()


def test_distress_case_through_the_page(register, users, client_for):
    from ctip.reference.models import Country

    complaint, _ = make_complaint(whereabouts="abroad_distress", current_country_id=Country.objects.get(alpha2="QA").pk)
    client = client_for(users["labour_officer"])
    response = client.post(
        reverse("recruitment:complaint_case", args=[complaint.public_id]),
        {
            "version": complaint.version,
            "identified_on": "2024-06-01",
            "p-first_name": "Akinyi",
            "p-last_name": "Otieno",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint.refresh_from_db()
    assert complaint.case is not None and complaint.case.is_abroad


# --- bounded queries ----------------------------------------------------------------------------------------------


def _many(n, register):
    for i in range(n):
        make_complaint(
            against_kind="agency" if i % 2 else "individual",
            agency_licence=register["valid"].licence_number if i % 2 else "",
            against_name="" if i % 2 else f"Agent {i}",
        )


def test_queue_queries_bounded(register, users, client_for):
    client = client_for(users["labour_officer"])
    url = reverse("recruitment:complaints")
    _many(10, register)
    small = count_queries(client, url)
    _many(40, register)
    large = count_queries(client, url)
    assert small == large <= LIMIT


def test_profile_and_watchlist_queries_bounded(register, users, client_for):
    from ctip.recruitment import complaints_services as svc
    from ctip.recruitment import services

    officer = users["labour_officer"]
    client = client_for(officer)
    profile = reverse("recruitment:profile", args=[register["valid"].public_id])
    watch = reverse("recruitment:watchlist")

    def agencies(start, n):
        for i in range(start, start + n):
            agency = services.agency_create(
                actor=officer,
                data=services.AgencyInput(licence_number=f"RA/W/{i}", legal_name=f"Watched {i} Ltd"),
                status="valid",
                status_since=__import__("datetime").date(2024, 1, 1),
                status_source="NEA",
            )
            svc.watch_add(actor=officer, agency=agency, reason="Several complaints")

    _many(10, register)
    agencies(0, 10)
    small = (count_queries(client, profile), count_queries(client, watch))
    _many(40, register)
    agencies(10, 40)
    large = (count_queries(client, profile), count_queries(client, watch))
    assert small == large
    assert max(large) <= LIMIT


def test_detail_queries_bounded(register, users, client_for):
    from ctip.recruitment.evidence import Upload

    client = client_for(users["labour_officer"])
    few, _ = make_complaint(uploads=[Upload(PNG, "a.png")])
    many, _ = make_complaint(uploads=[Upload(PNG, "a.png")] * 5)
    small = count_queries(client, reverse("recruitment:complaint", args=[few.public_id]))
    large = count_queries(client, reverse("recruitment:complaint", args=[many.public_id]))
    assert small == large <= LIMIT
