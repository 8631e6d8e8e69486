"""Landing page per role: anonymous users go to log-in; each role sees its own cards and nothing identifying."""

import pytest
from django.utils import timezone

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
        Role.COORDINATOR: {"breakglass", "trustfund"},
        Role.TRUST_FUND_OFFICER: {"trustfund"},
    }
    for role, keys in expected.items():
        response = client_for(users[role]).get("/")
        assert response.status_code == 200
        cards = {c["key"] for c in response.context["cards"]}
        assert keys <= cards, (role, cards)
    analyst_cards = {c["key"] for c in client_for(users[Role.DATA_ANALYST]).get("/").context["cards"]}
    assert "persons" not in analyst_cards and "audit" not in analyst_cards and "trustfund" not in analyst_cards


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
    from datetime import timedelta

    from ctip.cases.models import FollowUp
    from ctip.cases.tests.factories import open_case

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, make_person, identified_on=timezone.localdate() - timedelta(days=30))
    FollowUp.objects.create(
        case=case,
        due_on=timezone.localdate() - timedelta(days=2),
        purpose="Home visit",
        assigned_to=worker,
        created_by=worker,
    )
    assert client_for(worker).get("/tasks/").status_code == 200
    body = client_for(worker).get("/tasks/").content.decode()
    assert case.reference in body and "Home visit" in body
    assert client_for(worker).get("/").context["task_total"] >= 2
    other = client_for(other_users[Role.CASE_WORKER]).get("/tasks/").content.decode()
    assert case.reference not in other


def test_tasks_page_needs_login(client):
    assert client.get("/tasks/").status_code == 302


# --- figures for roles without identity access ---------------------------------------------------------------


def _national_card(client):
    response = client.get("/")
    assert response.status_code == 200
    return next(c for c in response.context["cards"] if c["key"] == "stats"), response.content.decode()


def test_the_analyst_sees_the_national_count_rounded_and_small_counts_suppressed(users, client_for, make_person):
    analyst = client_for(users[Role.DATA_ANALYST])
    for i in range(3):
        make_person(users[Role.CASE_WORKER], "Amani", f"Person{i}")
    card, body = _national_card(analyst)
    assert card["persons_total"].suppressed and "fewer than 11" in body
    from django.core.cache import cache

    for i in range(3, 13):
        make_person(users[Role.CASE_WORKER], "Amani", f"Person{i}")
    cache.clear()  # the national count is cached for a minute
    card, body = _national_card(analyst)
    assert card["persons_total"].value == 10  # 13 persons
    assert 'data-testid="persons-national">10<' in body


@pytest.mark.parametrize(("exact", "shown"), [(1234, "1,230"), (1236, "1,240"), (1239, "1,240")])
def test_the_national_figure_does_not_move_with_each_registration(users, client_for, exact, shown):
    from django.core.cache import cache

    from ctip.people.selectors import NATIONAL_COUNT_KEY

    cache.set(NATIONAL_COUNT_KEY, exact, 60)
    _card, body = _national_card(client_for(users[Role.DATA_ANALYST]))
    assert f'data-testid="persons-national">{shown}<' in body
    assert f"{exact:,}" not in body


def test_person_cards_of_a_role_without_identity_access_are_published_figures(users, make_person):
    from unittest import mock

    from ctip.accounts.models import User
    from ctip.portal.selectors import landing_cards

    worker = users[Role.CASE_WORKER]
    for i in range(12):
        make_person(worker, "Amani", f"Person{i}")
    with mock.patch.object(User, "sees_identity", new_callable=mock.PropertyMock, return_value=False):
        card = next(c for c in landing_cards(user=worker) if c["key"] == "persons")
    assert card["count"].value == 10 and card["recent"].value == 10
    card = next(c for c in landing_cards(user=worker) if c["key"] == "persons")
    assert card["count"] == 12  # a role that sees identities sees its own agency's exact figures
