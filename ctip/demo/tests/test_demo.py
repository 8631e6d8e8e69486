"""The demo generator: deterministic, valid Kenyan synthetic data through the same vault; demo mode only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.accounts.models import Agency, User
from ctip.audit.models import AuditEvent
from ctip.demo.generator import AGENCIES, DEMO_USERS, DemoCounts, PersonFactory, generate
from ctip.people.identity import open_identity, validate_identity
from ctip.people.models import Person, PersonIdentifier
from ctip.people.normalize import normalize_identifier
from ctip.people.vault import get_vault


@pytest.mark.django_db
@given(st.integers(min_value=0, max_value=5_000_000))
@settings(max_examples=200, deadline=None)
def test_every_synthetic_identity_is_valid_and_normalised(index):
    factory = PersonFactory(2026, [])
    identity = factory.identity(index)
    assert identity.first_name and identity.last_name
    assert identity.date_of_birth or factory.duplicate_of(index) is not None  # a second officer may not know it
    for ident in identity.identifiers:
        assert normalize_identifier(ident.kind, ident.value) == ident.value
    assert validate_identity(identity) is not None


def test_same_seed_same_people_other_seed_other_people():
    a, b, c = PersonFactory(7, []), PersonFactory(7, []), PersonFactory(8, [])
    assert [a.identity(i).as_dict() for i in range(50)] == [b.identity(i).as_dict() for i in range(50)]
    assert [a.public_id(i) for i in range(50)] == [b.public_id(i) for i in range(50)]
    assert [a.identity(i).as_dict() for i in range(50)] != [c.identity(i).as_dict() for i in range(50)]


def test_national_ids_and_phones_are_unique():
    factory = PersonFactory(2026, [])
    seen = {}
    for i in range(3000):
        if factory.duplicate_of(i) is not None:
            continue  # a re-registration keeps some of the first registration's numbers, by design
        for ident in factory.identity(i).identifiers:
            key = (ident.kind, ident.value)
            assert key not in seen, (key, i, seen.get(key))
            seen[key] = i


def test_about_two_in_a_hundred_persons_are_registered_twice_with_variations():
    factory = PersonFactory(2026, [])
    planted = [(i, factory.duplicate_of(i)) for i in range(5000) if factory.duplicate_of(i) is not None]
    assert 60 <= len(planted) <= 140
    assert all(0 <= j < i for i, j in planted)
    changed = 0
    for i, j in planted:
        copy, first = factory.identity(i), factory.identity(j)
        assert copy.sex == first.sex
        assert {x.value for x in copy.identifiers} <= {x.value for x in first.identifiers}
        changed += (copy.first_name, copy.last_name, copy.date_of_birth) != (
            first.first_name,
            first.last_name,
            first.date_of_birth,
        )
    assert changed > len(planted) // 3  # most are not exact copies: the matcher has work to do


@pytest.mark.django_db
def test_generate_loads_agencies_users_and_sealed_persons():
    result = generate(DemoCounts(persons=60), seed=11)
    assert result.persons == 60 and Person.objects.count() == 60
    assert Agency.objects.count() == len(AGENCIES)
    assert set(User.objects.values_list("username", flat=True)) >= {u[0] for u in DEMO_USERS}
    assert result.identifiers == PersonIdentifier.objects.count() > 0
    # Sealed like person_register: opening gives back the factory's identity, blind indexes find it.
    factory = PersonFactory(11, [])
    person = Person.objects.get(public_id=factory.public_id(0))
    expected = factory.identity(0)
    opened = open_identity(person)
    assert (opened.first_name, opened.last_name) == (expected.first_name, expected.last_name)
    if expected.identifiers:
        ident = expected.identifiers[0]
        index = get_vault().blind_index(ident.kind, ident.value)
        assert PersonIdentifier.objects.filter(person=person, blind_index=index).exists()
    assert expected.first_name not in person.first_name  # stored as a vault token
    event = AuditEvent.objects.get(action="demo.load")
    assert event.changes["persons"] == 60
    # Running again extends the demo (persons appended, agencies/users reused).
    generate(DemoCounts(persons=5), seed=11)
    assert Person.objects.count() == 65 and Agency.objects.count() == len(AGENCIES)


@pytest.mark.django_db
def test_demo_command_if_empty_and_refusal(settings):
    out = StringIO()
    call_command("demo", "--persons", "10", "--no-progress", stdout=out)
    assert "10 persons" in out.getvalue()
    out = StringIO()
    call_command("demo", "--if-empty", "--no-progress", stdout=out)
    assert "already holds data" in out.getvalue()
    assert Person.objects.count() == 10
    with pytest.raises(CommandError):
        call_command("demo", "--persons", "-1", "--no-progress")
    settings.CTIP_DEMO_MODE = False
    with pytest.raises(CommandError, match="CTIP_DEMO_MODE"):
        call_command("demo", "--persons", "1", "--no-progress")
    assert Person.objects.count() == 10


@pytest.mark.django_db
def test_demo_logins_and_totp(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("demo", "--persons", "0", "--no-progress", stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "demo.caseworker" in text and "Ctip-Demo-Password-2026" in text
    out = StringIO()
    call_command("demo_totp", "demo.caseworker", stdout=out)
    code = out.getvalue().strip()
    device = TOTPDevice.objects.get(user__username="demo.caseworker", confirmed=True)
    assert len(code) == 6 and device.verify_token(code)
    with pytest.raises(CommandError):
        call_command("demo_totp", "fixture-admin")
    settings.CTIP_DEMO_MODE = False
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "Demo mode is off" in out.getvalue() and "Ctip-Demo" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo_totp", "demo.caseworker")


@pytest.mark.django_db
def test_demo_users_can_log_in_with_their_totp(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctip.demo.totp import current_code

    generate(DemoCounts(persons=0))
    response = client.post("/accounts/login/", {"username": "demo.caseworker", "password": "Ctip-Demo-Password-2026"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user__username="demo.caseworker")
    response = client.get(response["Location"])
    assert response.status_code == 200
    response = client.post("/accounts/2fa/verify/", {"token": current_code(device)}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified()
