"""Landing page per role: anonymous users go to log-in; each role sees its own cards and nothing identifying."""

import pytest

from ctip.accounts.enums import Role

pytestmark = pytest.mark.django_db


def test_anonymous_goes_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unverified_mfa_user_is_sent_to_second_factor(users, client):
    client.force_login(users[Role.CASE_WORKER])
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_cards_follow_the_role(users, client_for):
    expected = {
        Role.CASE_WORKER: {"persons"},
        Role.AUDITOR: {"audit"},
        Role.SYSADMIN: {"users", "agencies"},
        Role.DATA_ANALYST: {"stats"},
        Role.COORDINATOR: {"breakglass"},
    }
    for role, keys in expected.items():
        response = client_for(users[role]).get("/")
        assert response.status_code == 200
        cards = {c["key"] for c in response.context["cards"]}
        assert keys <= cards, (role, cards)
    analyst_cards = {c["key"] for c in client_for(users[Role.DATA_ANALYST]).get("/").context["cards"]}
    assert "persons" not in analyst_cards and "audit" not in analyst_cards


def test_counts_are_scoped_to_the_agency_and_never_show_names(users, other_users, client_for, make_person):
    make_person(users[Role.CASE_WORKER], "Nyambura", "Gitau")
    make_person(other_users[Role.CASE_WORKER], "Akinyi", "Okello")
    make_person(other_users[Role.CASE_WORKER], "Chebet", "Langat")
    response = client_for(users[Role.CASE_WORKER]).get("/")
    persons = next(c for c in response.context["cards"] if c["key"] == "persons")
    assert persons["count"] == 1
    body = response.content.decode()
    assert "Nyambura" not in body and "Akinyi" not in body
    other = client_for(other_users[Role.CASE_WORKER]).get("/")
    assert next(c for c in other.context["cards"] if c["key"] == "persons")["count"] == 2


def test_my_tasks_lists_overdue_follow_ups_and_pending_decisions(users, other_users, client_for, make_person):
    from datetime import date, timedelta

    from ctip.cases.models import FollowUp
    from ctip.cases.tests.factories import open_case

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, make_person, identified_on=date.today() - timedelta(days=30))
    FollowUp.objects.create(
        case=case, due_on=date.today() - timedelta(days=2), purpose="Home visit", assigned_to=worker, created_by=worker
    )
    assert client_for(worker).get("/tasks/").status_code == 200
    body = client_for(worker).get("/tasks/").content.decode()
    assert case.reference in body and "Home visit" in body
    assert client_for(worker).get("/").context["task_total"] >= 2
    other = client_for(other_users[Role.CASE_WORKER]).get("/tasks/").content.decode()
    assert case.reference not in other


def test_tasks_page_needs_login(client):
    assert client.get("/tasks/").status_code == 302
