"""Every way a victim is registered goes through cases.services.case_register: the case form, the case API, tip and
call conversion and the bulk import. The rule that only a person the duplicate look-up proposed may be linked
(proven by the look-up's link token) is enforced there, the same for each; and a registration normalises and
validates the identity once.

These tests sit in the intake app because it is the highest app that holds every path."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.audit.models import AuditEvent
from ctip.cases import services as case_services
from ctip.cases.models import Case
from ctip.core.errors import ValidationFailed
from ctip.intake import services as intake_services
from ctip.intake.enums import ImportStatus
from ctip.people import identity as identity_module
from ctip.people import normalize
from ctip.people.enums import IdentifierKind
from ctip.people.identity import IdentifierValue, Identity
from ctip.people.models import Person

pytestmark = pytest.mark.django_db

NOT_PROPOSED = "Choose one of the persons proposed, or a new person."

CASE_FORM = {
    "p-first_name": "Nekesa",
    "p-last_name": "Wafula",
    "p-date_of_birth": "2001-02-03",
    "p-phones": "0722 000 111",
    "p-citizenships": ["KE"],
    "c-identified_on": "2026-05-01",
    "c-channel": "officer",
    "c-identified_county": "",
    "c-vic_TypeOfExploitation": ["ForcedLabour"],
    "c-narrative": "Promised a hotel job in Doha.",
    "c-is_child": "",
    "ev-TOTAL_FORMS": "0",
    "ev-INITIAL_FORMS": "0",
}
API_PAYLOAD = {
    "person": {
        "first_name": "Nekesa",
        "last_name": "Wafula",
        "date_of_birth": "2001-02-03",
        "citizenships": ["KE"],
        "identifiers": [{"kind": "phone", "value": "0722 000 111"}],
    },
    "identified_on": "2026-05-01",
}


def _convert_form(version, **extra):
    return {
        "p-first_name": "Nekesa",
        "p-last_name": "Wafula",
        "p-date_of_birth": "2001-02-03",
        "p-phones": "0722 000 111",
        "p-citizenships": ["KE"],
        "c-version": version,
        "c-identified_on": "2026-05-01",
        "c-exploitation": ["ForcedLabour"],
        "c-narrative": "Met through the tip.",
        "c-is_child": "",
        **extra,
    }


IMPORT_CSV = (
    b"prs_FirstName,prs_SecondName,prs_Birthdate,prs_Citizenship,ctip_NationalID,vic_TypeOfExploitation,"
    b"ctip_IdentifiedOn\n"
    b"Nekesa,Wafula,2001-02-03,KE,20000001,ForcedLabour,2026-05-01\n"
    b"Achieng,Testrow,1990-05-01,KE,20000002,ForcedLabour,2026-05-02\n"
)


@pytest.fixture
def register(users, client_for, api_client_for, submit_tip, log_call):
    """Register Nekesa Wafula (no one like her registered yet) through one path; returns the HTTP status or the
    import job's status."""

    def run(path: str, **extra):
        if path == "form":
            return client_for(users["case_worker"]).post("/cases/new/", {**CASE_FORM, **extra}).status_code
        if path == "api":
            client = api_client_for(users["case_worker"])
            return client.post("/api/v1/cases/", {**API_PAYLOAD, **extra}, format="json").status_code
        if path == "tip":
            tip = submit_tip()[0]
            url = f"/intake/tips/{tip.public_id}/convert/"
            return client_for(users["coordinator"]).post(url, _convert_form(tip.version, **extra)).status_code
        if path == "call":
            call = log_call(users["hotline_operator"])
            url = f"/intake/calls/{call.public_id}/convert/"
            return client_for(users["coordinator"]).post(url, _convert_form(call.version, **extra)).status_code
        if path == "import":
            job = intake_services.import_start(actor=users["case_worker"], file_name="rows.csv", content=IMPORT_CSV)
            return job.status
        raise AssertionError(path)

    return run


SUCCESS = {"form": 302, "api": 201, "tip": 302, "call": 302, "import": ImportStatus.DONE}


@pytest.fixture
def spy(monkeypatch):
    """Record each call of case_register (the real one still runs)."""
    calls = []
    real = case_services.case_register

    def recording(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(case_services, "case_register", recording)
    return calls


@pytest.mark.parametrize("path", ["form", "api", "tip", "call", "import"])
def test_every_path_registers_through_case_register(register, spy, path):
    assert register(path) == SUCCESS[path]
    cases = Case.objects.count()
    assert cases >= 1 and len(spy) == cases  # one case_register per case opened, nothing past it
    assert {type(call["person"]).__name__ for call in spy} == {"PersonChoice"}
    assert Person.objects.count() == cases


@pytest.mark.parametrize("path", ["form", "api", "tip", "call"])
def test_without_case_register_nothing_is_opened(register, monkeypatch, path):
    # given: case_register refuses (as it would for any invalid registration)
    def refusing(**kwargs):
        raise ValidationFailed(fields={"identified_on": ["Refused by case_register."]})

    monkeypatch.setattr(case_services, "case_register", refusing)
    # when / then: the path has no way around it (the refusal is shown on the form, or a 400 from the API)
    assert register(path) == {"form": 200, "api": 400, "tip": 200, "call": 200}[path]
    assert not Case.objects.exists() and not Person.objects.exists()


# --- the link-token rule, the same for form, API and conversion ---------------------------------------------------


@pytest.fixture
def existing(other_users, make_person):
    """Nekesa Wafula as another agency registered her: the look-up proposes her."""
    return make_person(other_users["case_worker"], "Nekesa", "Wafula", identifiers=[("phone", "+254722000111")])


@pytest.fixture
def stranger(other_users, make_person):
    """Someone the look-up never proposes."""
    return make_person(other_users["case_worker"], "Zuhura", "Mwakilema", date_of_birth=date(1970, 1, 1))


class _Path:
    """One entry point, driven the way its users drive it: a look-up first, then a choice."""

    def __init__(self, name, users, client_for, api_client_for, submit_tip):
        self.name = name
        if name == "api":
            self.client = api_client_for(users["case_worker"])
        else:
            self.client = client_for(users["coordinator" if name == "tip" else "case_worker"])
        self.tip = submit_tip()[0] if name == "tip" else None
        self.token = ""

    def post(self, **choice):
        if self.name == "form":
            return self.client.post("/cases/new/", {**CASE_FORM, **choice})
        if self.name == "tip":
            url = f"/intake/tips/{self.tip.public_id}/convert/"
            return self.client.post(url, _convert_form(self.tip.version, **choice))
        return self.client.post("/api/v1/cases/", choice or API_PAYLOAD, format="json")

    def look_up(self):
        response = self.post()
        if self.name == "api":
            assert response.status_code == 409
            self.token = response.json()["link_token"]
            return [c["person"] for c in response.json()["candidates"]]
        assert response.status_code == 200
        return [str(c.person.public_id) for c in response.context["candidates"]]

    def link(self, person, token=None):
        if self.name == "api":
            payload = {k: v for k, v in API_PAYLOAD.items() if k != "person"}
            return self.post(
                **payload, person_id=str(person.public_id), link_token=self.token if token is None else token
            )
        return self.post(person_choice=str(person.public_id))

    def refused(self, response) -> bool:
        if self.name == "api":
            return response.status_code == 400 and response.json()["fields"] == {"person_id": [NOT_PROPOSED]}
        return response.status_code == 200 and NOT_PROPOSED in response.content.decode()

    def linked(self, response) -> bool:
        return response.status_code == (201 if self.name == "api" else 302)


@pytest.mark.parametrize("name", ["form", "api", "tip"])
def test_only_a_proposed_person_can_be_linked(name, users, client_for, api_client_for, submit_tip, existing, stranger):
    path = _Path(name, users, client_for, api_client_for, submit_tip)
    # a person linked before any look-up: refused
    assert path.refused(path.link(stranger, token=""))
    # the look-up proposes the existing person, not the stranger
    assert path.look_up() == [str(existing.public_id)]
    # a person the look-up did not propose: refused, nothing written
    assert path.refused(path.link(stranger))
    assert not Case.objects.exists() and not AuditEvent.objects.filter(action="person.link").exists()
    # the person proposed: linked, no new person
    assert path.linked(path.link(existing))
    assert Case.objects.get().person == existing and Person.objects.count() == 2
    assert list(AuditEvent.objects.filter(action="person.link").values_list("target_id", flat=True)) == [
        str(existing.public_id)
    ]


def _choice(**kwargs):
    return case_services.PersonChoice(**kwargs)


def _probe():
    return Identity(
        first_name="Nekesa", last_name="Wafula", identifiers=[IdentifierValue(IdentifierKind.PHONE, "0722000111")]
    )


def test_a_link_token_proves_a_proposal_to_one_user_only(users, existing, stranger):
    case = case_services.CaseInput(identified_on=date(2026, 5, 1))
    worker, investigator = users["case_worker"], users["investigator"]
    proposal = case_services.case_register(actor=worker, person=_choice(identity=_probe()), case=case)
    assert proposal.case is None and [c.person for c in proposal.candidates] == [existing]
    for actor, person, token in [
        (investigator, existing, proposal.link_token),  # another user's token
        (worker, stranger, proposal.link_token),  # a person the token does not name
        (worker, existing, proposal.link_token[:-2] + "xx"),  # a forged token
    ]:
        with pytest.raises(ValidationFailed) as refused:
            case_services.case_register(
                actor=actor, person=_choice(link_person_id=str(person.public_id), link_token=token), case=case
            )
        assert refused.value.fields == {"person_id": [NOT_PROPOSED]}
    assert not Case.objects.exists()
    linked = case_services.case_register(
        actor=worker, person=_choice(link_person_id=str(existing.public_id), link_token=proposal.link_token), case=case
    )
    assert linked.case.person == existing


# --- normalised and validated once --------------------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """How often identifiers are normalised (any normaliser, anywhere) and identities validated (the country-code
    check of validate_identity, which every identity here exercises)."""
    counts = {"normalised": 0, "validated": 0}
    for kind, normaliser in list(normalize.NORMALIZERS.items()):

        def counting(raw, _normaliser=normaliser):
            counts["normalised"] += 1
            return _normaliser(raw)

        monkeypatch.setitem(normalize.NORMALIZERS, kind, counting)
    real_codes = identity_module.country_codes

    def codes():
        counts["validated"] += 1
        return real_codes()

    monkeypatch.setattr(identity_module, "country_codes", codes)
    return counts


@pytest.mark.parametrize("path", ["form", "api", "tip", "call", "import"])
def test_a_registration_normalises_and_validates_the_identity_once(register, counted, path):
    # the identity carries one identifier and one citizenship (the import: two rows, one of each per row)
    assert register(path) == SUCCESS[path]
    rows = Case.objects.count()
    assert counted == {"normalised": rows, "validated": rows}


def test_the_look_up_and_the_confirmed_registration_each_validate_once(users, client_for, existing, counted):
    client = client_for(users["case_worker"])
    assert client.post("/cases/new/", CASE_FORM).status_code == 200  # candidates: the look-up, nothing written
    assert counted == {"normalised": 1, "validated": 1}
    assert client.post("/cases/new/", {**CASE_FORM, "person_choice": "new"}).status_code == 302
    assert counted == {"normalised": 2, "validated": 2}
