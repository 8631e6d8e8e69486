"""The printable case summary (GET /cases/<id>/summary.pdf): permissions, what it shows to whom, the audit of
every print, and a bounded number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.views.summary import summary_html
from ctip.core.tests.routes import covers
from ctip.core.tests.world import register_person, shared_fixture

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def printed_case(users):
    worker = users[Role.CASE_WORKER]
    person = register_person(
        worker, "Nafula", "Wekesa", identifiers=[("national_id", "23456789")], sex="female", citizenships=["KE"]
    )
    return services.case_open(
        actor=worker,
        person=person,
        identified_on=date(2026, 3, 1),
        narrative="She was locked in a flat in Jeddah by the agent Kamau.",
        htcds={"vic_TypeOfExploitation": ["ForcedLabour"]},
    )


def _url(case) -> str:
    return f"/cases/{case.public_id}/summary.pdf"


@covers("anonymous", "cases:summary_pdf")
def test_anonymous_is_sent_to_log_in(client, printed_case):
    response = client.get(_url(printed_case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@covers("wrong_role", "cases:summary_pdf")
def test_roles_without_case_access_get_403(client_for, users, printed_case):
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        assert client_for(users[role]).get(_url(printed_case)).status_code == 403, role
    assert not AuditEvent.objects.filter(action="case.print").exists()


@covers("other_agency", "cases:summary_pdf")
def test_another_agency_gets_404(client_for, other_users, printed_case):
    assert client_for(other_users[Role.CASE_WORKER]).get(_url(printed_case)).status_code == 404
    assert not AuditEvent.objects.filter(action="case.print").exists()


@covers("allowed", "cases:summary_pdf")
def test_the_owner_gets_a_pdf_and_the_print_is_recorded(client_for, users, printed_case):
    worker = users[Role.CASE_WORKER]
    response = client_for(worker).get(_url(printed_case))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="case.print").get()
    assert event.actor == worker and event.target_id == str(printed_case.public_id)
    assert event.changes["identity"] is True and "identity" in event.changes["sections"]
    assert AuditEvent.objects.filter(action="identity.read", changes__purpose="print").count() == 1


def test_the_summary_shows_labels_and_never_sealed_text(rf, users, printed_case):
    from ctip.cases import selectors

    worker = users[Role.CASE_WORKER]
    case, access = selectors.case_get_for_user(user=worker, public_id=printed_case.public_id)
    request = rf.get("/")
    request.user = worker
    html = summary_html(request, case, access)
    assert "Nafula Wekesa" in html and "Female" in html and "Forced labour" in html and "Kenya" in html
    assert "National ID number" in html and "23456789" in html
    assert "Jeddah" not in html and "Kamau" not in html  # the account of what happened stays on screen


def test_a_coordinator_of_another_agency_prints_without_the_identity(rf, users, other_users, printed_case):
    """National case access is not identity access: the coordinator's summary leaves the person out."""
    from ctip.cases import selectors

    coordinator = other_users[Role.COORDINATOR]
    case, access = selectors.case_get_for_user(user=coordinator, public_id=printed_case.public_id)
    request = rf.get("/")
    request.user = coordinator
    html = summary_html(request, case, access)
    assert "Nafula" not in html and "23456789" not in html
    assert "Identity not printed" in html
    event = AuditEvent.objects.filter(action="case.print").get()
    assert event.changes["identity"] is False


def test_the_summary_takes_a_bounded_number_of_queries(client_for, users, printed_case, django_assert_max_num_queries):
    client = client_for(users[Role.CASE_WORKER])
    client.get(_url(printed_case))  # warm the caches (labels, place names)
    with django_assert_max_num_queries(27):  # 24 + one prefetch of care-plan actions; 10 are two audit appends
        assert client.get(_url(printed_case)).status_code == 200


def test_without_the_pdf_library_the_case_page_says_printing_is_unavailable(
    client_for, users, printed_case, monkeypatch
):
    """A server without Pango still runs CTIP: the print link answers with a message on the case page, and
    nothing is recorded as printed."""
    from ctip.cases.views import summary

    monkeypatch.setattr(summary, "HTML", None)
    client = client_for(users[Role.CASE_WORKER])
    response = client.get(_url(printed_case), follow=True)
    assert response.redirect_chain == [(f"/cases/{printed_case.public_id}/", 302)]
    assert "Printing is not available on this server" in response.content.decode()
    assert not AuditEvent.objects.filter(action="case.print").exists()
