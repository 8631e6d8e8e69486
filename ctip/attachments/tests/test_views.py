"""The attachment pages: the case tab, the person page's panel, downloads (headers, audit), sections and shares,
uploads refused with a field error, bounded queries, Kiswahili."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctip.accounts.enums import Role
from ctip.accounts.services import share_grant
from ctip.attachments import samples
from ctip.attachments.models import Attachment
from ctip.audit.models import AuditEvent
from ctip.cases.tests.factories import open_case
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person, shared_fixture

from .factories import attach_to_case, attach_to_person

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def case(users):
    return open_case(users[Role.CASE_WORKER], register_person)


def _url(case):
    return reverse("attachments:case", kwargs={"case_id": case.public_id})


def test_download_is_an_attachment_not_cached_not_sniffed_and_audited(users, client_for, case):
    content = samples.pdf("Medical report")
    att = attach_to_case(users[Role.CASE_WORKER], case, content=content, section="care", category="medical_report")
    response = client_for(users[Role.CASE_WORKER]).get(reverse("attachments:download", args=[att.public_id]))
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{att.download_name}"'
    assert att.download_name == f"medical_report-{str(att.public_id)[:8]}.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="attachment.download")
    assert event.target_id == str(att.public_id) and event.changes["section"] == "care"


def test_a_share_shows_the_files_of_the_shared_sections_only(users, other_users, client_for, case):
    worker = users[Role.CASE_WORKER]
    care = attach_to_case(worker, case, section="care", category="medical_report", description="Clinic visit")
    identity = attach_to_case(worker, case, section="identity", category="passport_copy", name="p.pdf")
    share_grant(
        actor=worker,
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=other_users[Role.SERVICE_PROVIDER].agency,
        sections=["care"],
        reason="shelter referral",
    )
    provider = client_for(other_users[Role.SERVICE_PROVIDER])
    page = provider.get(_url(case))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Clinic visit" in body and reverse("attachments:download", args=[care.public_id]) in body
    assert reverse("attachments:download", args=[identity.public_id]) not in body
    assert "Attach a file" not in body  # a provider has no case.edit
    assert provider.get(reverse("attachments:download", args=[care.public_id])).status_code == 200
    assert provider.get(reverse("attachments:download", args=[identity.public_id])).status_code == 404
    # the descriptions shown are audited in one event
    assert AuditEvent.objects.filter(action="attachment.read_descriptions").count() == 1


def test_identity_files_hidden_from_a_national_view_without_identity(users, other_users, client_for, case):
    identity = attach_to_case(users[Role.CASE_WORKER], case, section="identity", category="passport_copy")
    care = attach_to_case(users[Role.CASE_WORKER], case, section="care", category="medical_report")
    client = client_for(other_users[Role.COORDINATOR])  # case.view national, identity only for its own agency
    body = client.get(_url(case)).content.decode()
    assert reverse("attachments:download", args=[care.public_id]) in body
    assert reverse("attachments:download", args=[identity.public_id]) not in body
    assert client.get(reverse("attachments:download", args=[identity.public_id])).status_code == 404


def test_upload_from_the_case_page(users, client_for, case):
    client = client_for(users[Role.CASE_WORKER])
    page = client.get(_url(case)).content.decode()
    assert 'aria-current="page"' in page and "Attach a file" in page
    response = client.post(
        _url(case),
        {
            "section": "circumstances",
            "category": "contract",
            "description": "Job offer letter",
            "file": SimpleUploadedFile("offer.png", samples.image("PNG"), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    att = Attachment.objects.get()
    assert att.content_type == "image/png"  # what the content is, not what the browser said
    assert att.created_by == users[Role.CASE_WORKER]


def test_a_renamed_program_is_refused_on_the_page_with_a_field_error(users, client_for, case):
    client = client_for(users[Role.CASE_WORKER])
    exe = b"MZ\x90\x00" + b"\x00" * 200
    response = client.post(
        _url(case),
        {"section": "care", "category": "other", "file": SimpleUploadedFile("report.pdf", exe)},
    )
    assert response.status_code == 400
    assert "Only PDF documents" in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_big_is_refused_on_the_page(users, client_for, case, settings):
    settings.CTIP_ATTACHMENT_MAX_BYTES = 100
    response = client_for(users[Role.CASE_WORKER]).post(
        _url(case), {"section": "care", "category": "other", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
    )
    assert response.status_code == 400
    assert "too big" in response.content.decode()
    assert not Attachment.objects.exists()


def test_denied_upload_changes_nothing(other_users, client_for, case):
    response = client_for(other_users[Role.CASE_WORKER]).post(
        _url(case), {"section": "care", "category": "other", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_remove_from_the_page(users, client_for, case):
    att = attach_to_case(users[Role.CASE_WORKER], case)
    client = client_for(users[Role.CASE_WORKER])
    bad = client.post(reverse("attachments:remove", args=[att.public_id]), {"reason": "oops", "version": 1})
    assert bad.status_code == 400
    ok = client.post(
        reverse("attachments:remove", args=[att.public_id]), {"reason": "scanned the wrong page", "version": 1}
    )
    assert ok.status_code == 302
    assert client.get(reverse("attachments:download", args=[att.public_id])).status_code == 404


def test_person_page_lists_and_uploads(users, other_users, client_for):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, "Wanjiku", "Kamau")
    att = attach_to_person(worker, person, description="Passport scan")
    url = reverse("people:detail", kwargs={"public_id": person.public_id})
    body = client_for(worker).get(url).content.decode()
    assert "Passport scan" in body and reverse("attachments:download", args=[att.public_id]) in body
    response = client_for(worker).post(
        reverse("attachments:person_upload", kwargs={"person_id": person.public_id}),
        {"category": "photo", "file": SimpleUploadedFile("p.jpg", samples.image("JPEG"))},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(person=person, removed_at=None).count() == 2
    # refused content: a message on the person page, nothing stored
    client_for(worker).post(
        reverse("attachments:person_upload", kwargs={"person_id": person.public_id}),
        {"category": "photo", "file": SimpleUploadedFile("p.jpg", b"MZ\x90\x00 not a photo")},
    )
    assert Attachment.objects.filter(person=person).count() == 2


def test_case_page_in_kiswahili(users, client_for, case):
    attach_to_case(users[Role.CASE_WORKER], case, section="care", category="medical_report")
    client = client_for(users[Role.CASE_WORKER])
    client.cookies["django_language"] = "sw"
    body = client.get(_url(case), HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Viambatisho" in body  # "Attachments"
    assert "Ripoti ya matibabu" in body  # "Medical report"
    assert "Medical report" not in body


def test_case_attachments_page_same_queries_at_10_and_50_rows(users, client_for, case):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    url = _url(case)
    for i in range(10):
        attach_to_case(worker, case, section="care" if i % 2 else "circumstances", description=f"note {i}")
    at_10 = count_queries(client, url)
    for i in range(40):
        attach_to_case(worker, case, section="care", description=f"note {i}")
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def test_person_page_same_queries_at_10_and_50_attachments(users, client_for):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, "Wanjiku", "Kamau")
    client = client_for(worker)
    url = reverse("people:detail", kwargs={"public_id": person.public_id})
    for i in range(10):
        attach_to_person(worker, person, description=f"scan {i}")
    at_10 = count_queries(client, url)
    for i in range(40):
        attach_to_person(worker, person, description=f"scan {i}")
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT person page 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
