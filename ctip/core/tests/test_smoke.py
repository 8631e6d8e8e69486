import pytest


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_every_role_lands_on_its_home_page(users, client_for):
    for role, user in users.items():
        response = client_for(user).get("/")
        assert response.status_code == 200, role
        assert str(user.role_label) in response.content.decode(), role
