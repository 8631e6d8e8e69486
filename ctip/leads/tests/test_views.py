"""The lead pages through the client: sending (errors keep the input), the three decisions (conflicts shown),
the links back to the source, the intake and case entry points, and the queue's query bound."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.accounts.enums import Role
from ctip.leads.models import Lead

from .conftest import send

pytestmark = pytest.mark.django_db


def test_send_a_lead_from_the_form(users, agency, client_for):
    client = client_for(users[Role.LABOUR_OFFICER])
    response = client.post(
        "/leads/new/",
        {
            "agency": str(agency.public_id),
            "summary": "Paid KSh 60,000 to an agent for a job in Qatar.",
            "persons": "Agent Otieno\nMama Njeri",
            "organisations": "Gulf Star Agencies Ltd",
            "roles": ["RecruiterOrIntermediary"],
            "phones": "0712345678, 0722000111",
            "mpesa_codes": "QWE1RT2Y3U",
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.source == "officer" and lead.owning_agency == agency
    assert sorted(s.name for s in lead.suspects.all()) == ["Agent Otieno", "Gulf Star Agencies Ltd", "Mama Njeri"]
    assert sorted(i.value for i in lead.identifiers.all()) == ["0712345678", "0722000111", "QWE1RT2Y3U"]


def test_send_with_nothing_named_shows_the_error_and_keeps_the_input(users, agency, client_for):
    client = client_for(users[Role.LABOUR_OFFICER])
    response = client.post("/leads/new/", {"agency": str(agency.public_id), "summary": "Something odd happened."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Name at least one suspect" in body and "Something odd happened." in body
    assert not Lead.objects.exists()


def test_detail_links_the_source_case_only_for_who_may_see_it(users, agency, case, client_for):
    lead = send(users[Role.CASE_WORKER], agency, source="case", case=case)
    body = client_for(users[Role.INVESTIGATOR]).get(f"/leads/{lead.public_id}/").content.decode()
    assert f'href="/cases/{case.public_id}/"' in body  # same agency: the investigator sees the case


def test_detail_shows_a_tip_reference_without_a_link_to_investigators(users, agency, client_for):
    lead = send(users[Role.COORDINATOR], agency, source="tip", source_ref="TIP-XYZ")
    body = client_for(users[Role.INVESTIGATOR]).get(f"/leads/{lead.public_id}/").content.decode()
    assert "TIP-XYZ" in body and "/intake/" not in body


def test_accept_from_the_page_opens_the_file(lead, investigator, client_for):
    client = client_for(investigator)
    response = client.post(
        f"/leads/{lead.public_id}/accept/",
        {
            "accept-ob_number": "OB 4",
            "accept-police_station": "Kilimani",
            "accept-unit": "ahtcpu",
            "accept-version": lead.version,
        },
    )
    lead.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/justice/{lead.investigation.public_id}/"


def test_a_stale_decision_is_refused_and_shown(lead, investigator, client_for):
    client = client_for(investigator)
    response = client.post(
        f"/leads/{lead.public_id}/decline/",
        {"decline-reason": "Not enough to act on.", "decline-version": lead.version + 1},
    )
    assert response.status_code == 400
    assert "Someone else acted on this lead" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_join_an_unknown_file_number(lead, investigator, client_for):
    response = client_for(investigator).post(
        f"/leads/{lead.public_id}/join/", {"join-file_number": "IV-1999-000001", "join-version": lead.version}
    )
    assert response.status_code == 400 and "No open file of your unit" in response.content.decode()


def test_tip_page_offers_a_lead_and_conversion_can_go_on_to_it(users, client_for):
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit

    tip, _pin = tip_submit(
        data=TipInput(
            situation=Situation.JOB_ABROAD,
            description="Three girls taken for jobs in Oman.",
            people_involved="Agent Mwangi 0712345678\nMama Halima (QWE1RT2Y3U)",
            language="en",
        )
    )
    client = client_for(users[Role.COORDINATOR])
    assert f"/leads/from-tip/{tip.public_id}/" in client.get(f"/intake/tips/{tip.public_id}/").content.decode()
    assert 'name="also_lead"' in client.get(f"/intake/tips/{tip.public_id}/convert/").content.decode()
    form = client.get(f"/leads/from-tip/{tip.public_id}/").context["form"]
    assert form.initial["persons"] == "Agent Mwangi\nMama Halima"
    assert form.initial["phones"] == "0712345678" and form.initial["mpesa_codes"] == "QWE1RT2Y3U"


def test_case_page_offers_refer_a_suspect(users, case, client_for):
    body = client_for(users[Role.CASE_WORKER]).get(f"/cases/{case.public_id}/").content.decode()
    assert f"/leads/from-case/{case.public_id}/" in body


def _queue_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/leads/?status=new")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_queries_do_not_grow_with_rows(users, agency, investigator, client_for):
    client = client_for(investigator)
    for _ in range(10):
        send(users[Role.LABOUR_OFFICER], agency)
    ten = _queue_queries(client)
    for _ in range(40):
        send(users[Role.LABOUR_OFFICER], agency)
    fifty = _queue_queries(client)
    assert ten == fifty <= 12, (ten, fifty)


def test_detail_queries_are_bounded(lead, investigator, client_for):
    client = client_for(investigator)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/leads/{lead.public_id}/").status_code == 200
    assert len(ctx.captured_queries) <= 12, [q["sql"][:80] for q in ctx.captured_queries]
