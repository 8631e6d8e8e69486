"""`vault_rotate` re-encrypts every sealed column under the new primary key and rebuilds blind indexes."""

from io import StringIO

import pytest
from django.core.management import call_command

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.people.identity import open_identity
from ctip.people.models import Person, PersonIdentifier
from ctip.people.selectors import person_find_by_identifier
from ctip.people.vault import _vault, generate_key, get_vault

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotated_settings(settings):
    old_keys, old_index = settings.CTIP_VAULT_KEYS, settings.CTIP_INDEX_KEY

    def rotate_to(new_first: bool = True, new_index: bool = False):
        settings.CTIP_VAULT_KEYS = f"k9:{generate_key()},{old_keys}" if new_first else old_keys
        if new_index:
            settings.CTIP_INDEX_KEY = generate_key()
        _vault.cache_clear()

    yield rotate_to
    settings.CTIP_VAULT_KEYS, settings.CTIP_INDEX_KEY = old_keys, old_index
    _vault.cache_clear()


def test_rotation_reencrypts_and_keeps_data_readable(users, make_person, rotated_settings):
    actor = users[Role.CASE_WORKER]
    person = make_person(actor, "Wanjiku", "Kamau", identifiers=[("phone", "0712345678"), ("national_id", "23456789")])
    old_token = Person.objects.get(pk=person.pk).first_name
    rotated_settings(new_first=True, new_index=True)

    out = StringIO()
    call_command("vault_rotate", "--dry-run", stdout=out)
    assert "people.person: 1 row(s) to re-encrypt" in out.getvalue()
    assert Person.objects.get(pk=person.pk).first_name == old_token  # dry run changes nothing

    out = StringIO()
    call_command("vault_rotate", "--reindex", stdout=out)
    assert "0 value(s) still under an older key" in out.getvalue()
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.first_name.startswith("v1.k9.") and fresh.first_name != old_token
    assert all(i.value.startswith("v1.k9.") for i in PersonIdentifier.objects.filter(person=person))
    assert open_identity(fresh).first_name == "Wanjiku"
    # Blind indexes now use the new index key: the phone is still found.
    assert [p.pk for p in person_find_by_identifier(user=actor, kind="phone", value="+254712345678")] == [person.pk]
    assert AuditEvent.objects.filter(action="vault.rotate").count() == 1
    call_command("audit_verify", stdout=StringIO())


def test_without_reindex_a_new_index_key_breaks_lookups_until_rebuilt(users, make_person, rotated_settings):
    actor = users[Role.CASE_WORKER]
    make_person(actor, "Otieno", "Ouma", identifiers=[("national_id", "12345678")])
    rotated_settings(new_first=False, new_index=True)
    assert person_find_by_identifier(user=actor, kind="national_id", value="12345678") == []
    call_command("vault_rotate", "--reindex", stdout=StringIO())
    assert len(person_find_by_identifier(user=actor, kind="national_id", value="12345678")) == 1
    assert get_vault().primary == "t1"
