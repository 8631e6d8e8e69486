"""Issue 12 follow-up: evidence kept across a complaint form's errors (stash under a signed token tied to the
session), complaints recorded by officers (the roles of the chokepoint, the complainant through the one
registration path), and the "record a complaint" action of the officers' job-offer check."""

from __future__ import annotations

import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .conftest import JPEG, PDF, PNG

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "do": "submit",
        "against_kind": "unregistered",
        "against_name": "Bwana Kazi Agents",
        "amount_paid": "45000",
        "whereabouts": "in_kenya",
        "description": "They took my money for a job in Dubai and disappeared.",
    }
    data.update(overrides)
    return data


def _token(body: str) -> str:
    return re.search(r'name="evidence_token" value="([^"]+)"', body).group(1)


def _kept_ids(body: str) -> list[str]:
    return re.findall(r'name="remove_evidence" value="([0-9a-f]+)"', body)


def _stash_files(private_files) -> list:
    folder = private_files / "complaint-evidence-stash"
    return sorted(folder.iterdir()) if folder.is_dir() else []


# --- evidence survives a form error ------------------------------------------------------------------------------


def test_files_kept_after_a_form_error_and_saved_with_the_complaint(private_files):
    from ctip.recruitment.models import Complaint

    client = Client()
    url = reverse("verify:complaint")
    response = client.post(
        url,
        _form(description="", evidence=[SimpleUploadedFile("r.pdf", PDF), SimpleUploadedFile("p.jpg", JPEG)]),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 files kept" in body and "r.pdf" not in body and "p.jpg" not in body
    assert len(_stash_files(private_files)) == 2 and not Complaint.objects.exists()
    # the user fixes the error without choosing the files again
    done = client.post(url, _form(evidence_token=_token(body)))
    assert done.status_code == 200 and "CMP-" in done.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.evidence_count == 2
    assert sorted(complaint.evidence.values_list("content_type", flat=True)) == ["application/pdf", "image/jpeg"]
    assert _stash_files(private_files) == []  # the kept copies are gone once the complaint has its own


def test_a_kept_file_can_be_removed_and_more_added():
    from ctip.recruitment.models import Complaint

    client = Client()
    url = reverse("verify:complaint")
    body = client.post(url, _form(description="", evidence=[SimpleUploadedFile("a.png", PNG)])).content.decode()
    body = client.post(
        url, _form(description="", evidence_token=_token(body), evidence=[SimpleUploadedFile("b.pdf", PDF)])
    ).content.decode()
    assert "2 files kept" in body
    first = _kept_ids(body)[0]
    removed = client.post(url, _form(description="", evidence_token=_token(body), remove_evidence=first))
    assert removed.status_code == 200
    body = removed.content.decode()
    assert "1 file kept" in body and "This field is required" not in body
    client.post(url, _form(evidence_token=_token(body)))
    assert list(Complaint.objects.get().evidence.values_list("content_type", flat=True)) == ["application/pdf"]


def test_a_bad_file_is_refused_and_the_good_one_kept(caplog):
    client = Client()
    response = client.post(
        reverse("verify:complaint"),
        _form(evidence=[SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("x.exe", b"MZ\x90\x00")]),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Only photos" in body and "1 file kept" in body


def test_the_stash_is_tied_to_the_session_and_the_token_is_signed(private_files):
    from ctip.recruitment.models import Complaint

    owner = Client()
    url = reverse("verify:complaint")
    body = owner.post(url, _form(description="", evidence=[SimpleUploadedFile("a.png", PNG)])).content.decode()
    token = _token(body)
    # another browser with the token gets nothing of it
    other = Client()
    other.post(url, _form(evidence_token=token))
    assert Complaint.objects.get().evidence_count == 0
    # a forged token opens nothing either
    owner.post(url, _form(evidence_token=token + "x"))
    assert Complaint.objects.order_by("-id").first().evidence_count == 0


def test_kept_files_expire(private_files, monkeypatch):
    from ctip.recruitment import evidence_stash

    client = Client()
    url = reverse("verify:complaint")
    body = client.post(url, _form(description="", evidence=[SimpleUploadedFile("a.png", PNG)])).content.decode()
    (path,) = _stash_files(private_files)
    later = time.time() + evidence_stash.MAX_AGE + 5
    monkeypatch.setattr(evidence_stash, "_now", lambda: later)
    body = client.post(url, _form(description="", evidence_token=_token(body))).content.decode()
    assert "file kept" not in body and not path.exists()
    # abandoned forms: the command removes old kept files the session forgot
    monkeypatch.undo()
    client.post(url, _form(description="", evidence=[SimpleUploadedFile("b.png", PNG)]))
    (path,) = _stash_files(private_files)
    old = time.time() - evidence_stash.MAX_AGE - 60
    os.utime(path, (old, old))
    assert evidence_stash.expire_abandoned() == 1 and not path.exists()


def test_no_file_name_or_token_in_a_url():
    client = Client()
    response = client.post(
        reverse("verify:complaint"), _form(description="", evidence=[SimpleUploadedFile("Amina-receipt.png", PNG)])
    )
    body = response.content.decode()
    assert "Amina" not in body
    assert not re.search(r'href="[^"]*evidence_token', body)


# --- officers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["labour_officer", "consular_officer", "investigator", "case_worker", "coordinator", "immigration_officer"]
)
def test_officers_who_meet_complainants_may_file(role, users, client_for):
    from ctip.recruitment.models import Complaint

    client = client_for(users[role])
    assert client.get(reverse("recruitment:complaint_file")).status_code == 200
    response = client.post(reverse("recruitment:complaint_file"), _form(contact="0722 000 111"))
    assert response.status_code == 200 and "CMP-" in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.source == "officer" and complaint.created_by == users[role]
    assert complaint.complainant is None and complaint.contact == "0722 000 111"


@pytest.mark.parametrize("role", ["prosecutor", "service_provider", "hotline_operator", "data_analyst", "auditor"])
def test_other_roles_may_not_file(role, users, client_for):
    assert client_for(users[role]).get(reverse("recruitment:complaint_file")).status_code == 403


def test_contact_is_sealed_in_the_database(users, client_for):
    from django.db import connection

    from ctip.recruitment.models import Complaint

    client_for(users["labour_officer"]).post(reverse("recruitment:complaint_file"), _form(contact="0722 000 111"))
    pk = Complaint.objects.get().pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM recruitment_complaint WHERE id = %s", [pk])
        (raw,) = cursor.fetchone()
    assert "0722" not in raw


def _person(**extra):
    data = {"p-first_name": "Amina", "p-last_name": "Wanjiru", "p-sex": "female", "p-national_id": "23456789"}
    data.update(extra)
    return data


def test_officer_identifies_the_complainant_through_the_registration_path(users, client_for):
    from ctip.audit.models import AuditEvent
    from ctip.recruitment.models import Complaint

    officer = users["case_worker"]
    client = client_for(officer)
    response = client.post(reverse("recruitment:complaint_file"), {**_form(), **_person()})
    assert response.status_code == 200, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert complaint.complainant is not None and complaint.complainant.owning_agency == officer.agency
    assert AuditEvent.objects.filter(action="person.create", target_id=str(complaint.complainant.public_id)).exists()
    assert "Open the complaint" not in response.content.decode()  # case workers file complaints, do not read them
    # the same person again: proposed, nothing saved; the officer links the existing person
    response = client.post(reverse("recruitment:complaint_file"), {**_form(), **_person()})
    assert response.status_code == 200 and Complaint.objects.count() == 1
    body = response.content.decode()
    assert "may already be known" in body
    response = client.post(
        reverse("recruitment:complaint_file"),
        {**_form(), **_person(), "person_choice": str(complaint.complainant.public_id)},
    )
    assert response.status_code == 200 and Complaint.objects.count() == 2
    assert Complaint.objects.order_by("-id").first().complainant_id == complaint.complainant_id


def test_complainant_link_needs_the_proposal_token(users, client_for):
    from ctip.recruitment.models import Complaint

    client = client_for(users["labour_officer"])
    client.post(reverse("recruitment:complaint_file"), {**_form(), **_person()})
    person_id = Complaint.objects.get().complainant.public_id
    other = client_for(users["consular_officer"])
    response = other.post(
        reverse("recruitment:complaint_file"), {**_form(), **_person(), "person_choice": str(person_id)}
    )
    assert response.status_code == 400 and Complaint.objects.count() == 1


def test_an_officer_without_person_create_sees_no_complainant_section(users, client_for, monkeypatch):
    from ctip.accounts.roles import Action

    user = users["coordinator"]
    body = client_for(user).get(reverse("recruitment:complaint_file")).content.decode()
    has_section = "The complainant (optional)" in body
    assert has_section == user.can(Action.PERSON_CREATE)


# --- from the officers' job-offer check -------------------------------------------------------------------------


CHECK = {
    "destination": "TH",
    "job": "sales_online",
    "salary_amount": "1,500",
    "salary_currency": "USD",
    "salary_period": "month",
    "fee_to": "individual",
    "fee_amount": "80k",
    "fee_currency": "KES",
    "visa": "tourist",
    "contact": "whatsapp",
    "departure": "days",
    "agency_name": "",
    "text": "",
}


def test_job_check_result_offers_record_a_complaint_prefilled(register, fresh_index, users, client_for):
    client = client_for(users["labour_officer"])
    body = client.post(reverse("jobcheck:check"), {**CHECK, "agency_name": "Upendo Recruitment Services"})
    body = body.content.decode()
    assert "Record a complaint" in body and 'value="prefill"' in body
    fields = dict(re.findall(r'<input type="hidden" name="(p_[a-z_]+)" value="([^"]*)"', body))
    assert fields["p_destination"] == "TH" and fields["p_fee_amount"] == "80000"
    assert fields["p_agency_licence"] == register["valid"].licence_number
    page = client.post(reverse("recruitment:complaint_file"), {"do": "prefill", **fields})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Filled in from the job-offer check" in html
    assert register["valid"].licence_number in html
    assert 'value="80000' in html and "Tourist or visit visa" in html and "Thailand" in html
    assert "This field is required" not in html


def test_job_check_without_complaint_right_shows_no_action(users, client_for):
    body = client_for(users["hotline_operator"]).post(reverse("jobcheck:check"), CHECK).content.decode()
    assert "Record a complaint" not in body


def test_complaint_page_links_the_complainant_for_those_who_may_see_the_person(users, other_users, client_for):
    from ctip.recruitment.models import Complaint

    client_for(users["labour_officer"]).post(reverse("recruitment:complaint_file"), {**_form(), **_person()})
    complaint = Complaint.objects.get()
    url = reverse("recruitment:complaint", args=[complaint.public_id])
    mine = client_for(users["labour_officer"]).get(url).content.decode()
    assert "Registered person" in mine and str(complaint.complainant.public_id) in mine
    theirs = client_for(other_users["labour_officer"]).get(url).content.decode()
    assert "Registered by another agency" in theirs and str(complaint.complainant.public_id) not in theirs
