"""Permissions and behaviour of the reference screens and API, and the audited indicator catalogue edits."""

import pytest

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.reference.models import Indicator
from ctip.reference.services import indicator_update

pytestmark = pytest.mark.django_db

SECTIONS = ["counties", "htcds", "offences", "indicators", "countries"]


@pytest.mark.parametrize("section", SECTIONS)
def test_anonymous_is_sent_to_login(client, section):
    response = client.get(f"/reference/?section={section}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_role_that_may_view_sees_each_section(users, client_for, section):
    from ctip.accounts.roles import Action

    for role, user in users.items():
        response = client_for(user).get(f"/reference/?section={section}")
        expected = 200 if user.can(Action.REFERENCE_VIEW) else 403
        assert response.status_code == expected, role


def test_sections_show_their_data(users, client_for):
    c = client_for(users[Role.CASE_WORKER])
    assert "Mombasa" in c.get("/reference/?section=counties").content.decode()
    assert "ForcedLabour" in c.get("/reference/?section=htcds&field=vic_TypeOfExploitation").content.decode()
    offences = c.get("/reference/?section=offences").content.decode()
    assert "Trafficking in persons" in offences and "Not yet checked against the official text" in offences
    indicators = c.get("/reference/?section=indicators&list=child_labour").content.decode()
    assert "CL-DR-01" in indicators and "/reference/indicators/" not in indicators  # no edit link for case workers


def test_unknown_section_and_list_fall_back(users, client_for):
    c = client_for(users[Role.CASE_WORKER])
    assert c.get("/reference/?section=nonsense").status_code == 200
    assert c.get("/reference/?section=indicators&list=nonsense").status_code == 200
    assert c.get("/reference/?section=htcds&field=<script>").status_code == 200


def test_indicator_edit_permissions(client, users, other_users, client_for):
    url = "/reference/indicators/AL-DR-01/"
    assert client.get(url).status_code == 302
    for role, user in users.items():
        expected = 200 if user.can("reference.manage") else 403
        assert client_for(user).get(url).status_code == expected, role
    assert client_for(users[Role.COORDINATOR]).get("/reference/indicators/NOPE-1/").status_code == 404


def test_coordinator_edits_indicator_audited(users, client_for):
    coordinator = users[Role.COORDINATOR]
    assert coordinator.can("reference.manage")
    c = client_for(coordinator)
    response = c.post(
        "/reference/indicators/AL-DR-01/",
        {
            "version": 1,
            "text": "Deceived about the job",
            "text_sw": "Kudanganywa kuhusu kazi",
            "strength": "strong",
            "is_active": "on",
            "reason": "checked against ILO text",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="AL-DR-01")
    assert (indicator.text, indicator.version) == ("Deceived about the job", 2)
    event = AuditEvent.objects.get(action="reference.indicator_update")
    assert event.actor == coordinator and event.reason == "checked against ILO text"
    assert event.changes["text"][1] == "Deceived about the job"


def test_edit_form_errors_and_stale_version_keep_input(users, client_for):
    c = client_for(users[Role.COORDINATOR])
    response = c.post("/reference/indicators/AL-DR-02/", {"version": 1, "text": "", "strength": "bad", "reason": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required" in body
    response = c.post(
        "/reference/indicators/AL-DR-02/",
        {"version": 99, "text": "New wording kept", "strength": "medium", "reason": "fix"},
    )
    assert response.status_code == 200
    assert "Someone else changed this indicator" in response.content.decode()
    assert "New wording kept" in response.content.decode()
    assert Indicator.objects.get(code="AL-DR-02").version == 1


def test_indicator_update_service_rules(users):
    indicator = Indicator.objects.get(code="AL-CR-01")
    with pytest.raises(PermissionDenied):
        indicator_update(actor=users[Role.CASE_WORKER], indicator=indicator, expected_version=1, reason="x", text="y")
    with pytest.raises(ValidationFailed) as exc:
        indicator_update(actor=users[Role.COORDINATOR], indicator=indicator, expected_version=1, reason="", text="")
    assert set(exc.value.fields) == {"text", "reason"}
    with pytest.raises(Conflict):
        indicator_update(actor=users[Role.COORDINATOR], indicator=indicator, expected_version=5, reason="r", text="t")
    assert not AuditEvent.objects.filter(action="reference.indicator_update").exists()


API = ["counties/", "countries/", "htcds-values/", "offences/", "indicators/"]


@pytest.mark.parametrize("path", API)
def test_api_requires_authentication(api_client_for, path):
    response = api_client_for(None).get(f"/api/v1/reference/{path}")
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("path", API)
def test_api_allowed_roles(users, path):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    for role, user in users.items():
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = client.get(f"/api/v1/reference/{path}")
        assert response.status_code == (200 if user.can("reference.view") else 403), (role, response.content[:200])


def test_api_content(users):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.INVESTIGATOR])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    values = client.get("/api/v1/reference/htcds-values/?field=hte_Type").json()
    assert [v["name"] for v in values] == ["Recruitment", "Transit", "Exploitation"]
    offences = client.get("/api/v1/reference/offences/?statute=ctip_act").json()
    assert [o["section"] for o in offences] == [str(n) for n in range(3, 11)]
    indicators = client.get("/api/v1/reference/indicators/?list=child_labour").json()
    assert len(indicators) == 65
