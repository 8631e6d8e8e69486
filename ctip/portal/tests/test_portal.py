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
