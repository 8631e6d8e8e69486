"""Main journeys through the pages: triage converts a tip into a case; an operator escalates a call; a coordinator
converts a call."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.cases.models import Case
from ctip.intake.enums import CallStatus, TipStatus
from ctip.people.models import Person

pytestmark = pytest.mark.django_db


def _convert_form(version, **extra):
    return {
        "p-first_name": "Akinyi",
        "p-last_name": "Testrow",
        "p-date_of_birth": "1999-01-01",
        "p-phones": "0712 345 678",
        "c-version": version,
        "c-identified_on": "2025-01-10",
        "c-exploitation": ["ForcedLabour"],
        "c-narrative": "Met through the tip.",
        "c-is_child": "",
        **extra,
    }


def test_coordinator_converts_a_tip_through_the_page(coordinator, client_for, tip):
    client = client_for(coordinator)
    page = client.get(f"/intake/tips/{tip.public_id}/convert/")
    assert page.status_code == 200
    assert "Riyadh" in page.content.decode()  # the narrative is pre-filled with the reporter's words
    response = client.post(
        f"/intake/tips/{tip.public_id}/convert/", _convert_form(tip.version, **{"c-message": "Thanks."})
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.public_id}/"
    tip.refresh_from_db()
    assert tip.status == TipStatus.CONVERTED and tip.case == case and case.channel == "public_tip"


def test_conversion_proposes_an_existing_person_and_links_the_case_to_it(
    coordinator, client_for, tip, case_worker, make_person
):
    existing = make_person(case_worker, first_name="Akinyi", last_name="Testrow", date_of_birth=date(1999, 1, 1))
    client = client_for(coordinator)
    url = f"/intake/tips/{tip.public_id}/convert/"
    # when: the person named in the tip is already registered
    response = client.post(url, _convert_form(tip.version))
    # then: CTIP proposes her, and nothing is saved yet
    assert response.status_code == 200
    assert "may already be known" in response.content.decode()
    assert [c.person for c in response.context["candidates"]] == [existing]
    assert Case.objects.count() == 0 and Person.objects.count() == 1
    # a person CTIP did not propose cannot be linked
    stranger = make_person(case_worker, first_name="Zuhura", last_name="Other")
    response = client.post(url, _convert_form(tip.version, person_choice=str(stranger.public_id)))
    assert response.status_code == 200 and Case.objects.count() == 0
    # when: the coordinator links the case to the existing person
    response = client.post(url, _convert_form(tip.version, person_choice=str(existing.public_id)))
    # then: the case is hers, and no new person was registered
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.person == existing and Person.objects.count() == 2
    tip.refresh_from_db()
    assert tip.status == TipStatus.CONVERTED and tip.case == case


def test_conversion_registers_a_new_person_when_the_officer_says_none_of_these(
    coordinator, client_for, tip, case_worker, make_person
):
    existing = make_person(case_worker, first_name="Akinyi", last_name="Testrow", date_of_birth=date(1999, 1, 1))
    client = client_for(coordinator)
    url = f"/intake/tips/{tip.public_id}/convert/"
    assert client.post(url, _convert_form(tip.version)).status_code == 200
    response = client.post(url, _convert_form(tip.version, person_choice="new"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.person != existing and Person.objects.count() == 2


def test_conversion_errors_are_shown_and_nothing_saved(coordinator, client_for, tip):
    client = client_for(coordinator)
    response = client.post(
        f"/intake/tips/{tip.public_id}/convert/", _convert_form(tip.version, **{"c-is_child": "yes"})
    )
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert Person.objects.count() == 0 and Case.objects.count() == 0
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW


def test_operator_logs_and_escalates_a_call(operator, client_for, coordinator):
    client = client_for(operator)
    response = client.post(
        "/intake/calls/new/",
        {
            "caller_type": "community",
            "urgency": "emergency",
            "language": "sw",
            "call_at": "2025-01-10T10:30",
            "duration_minutes": "7",
            "summary": "Watoto wanafanya kazi usiku sokoni.",
            "follow_up_needed": "on",
        },
    )
    assert response.status_code == 302
    from ctip.intake.models import HotlineCall

    call = HotlineCall.objects.get()
    detail = client.get(f"/intake/calls/{call.public_id}/").content.decode()
    assert "Watoto" in detail and "Convert into a case" not in detail  # operators escalate
    client.post(f"/intake/calls/{call.public_id}/escalate/", {"version": call.version, "situation": "child_at_risk"})
    call.refresh_from_db()
    assert call.status == CallStatus.ESCALATED
    queue = client_for(coordinator).get("/intake/tips/").content.decode()
    assert call.tip.reference in queue


def test_coordinator_converts_a_call_through_the_page(coordinator, client_for, call):
    client = client_for(coordinator)
    assert client.get(f"/intake/calls/{call.public_id}/convert/").status_code == 200
    response = client.post(f"/intake/calls/{call.public_id}/convert/", _convert_form(call.version))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.CONVERTED and call.case.channel == "hotline"
