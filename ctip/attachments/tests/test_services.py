"""Attaching, storing encrypted, removing: the services, with their checks and audit events."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from ctip.accounts.enums import Role
from ctip.attachments import samples, selectors, services, storage
from ctip.attachments.models import Attachment
from ctip.audit.models import AuditEvent
from ctip.cases.tests.factories import open_case
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ctip.core.tests.world import register_person, shared_fixture
from ctip.people.vault import _vault, generate_key

from .factories import attach_to_case, attach_to_person

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def case(users):
    return open_case(users[Role.CASE_WORKER], register_person)


def test_a_file_is_stored_encrypted_under_a_random_name(users, case):
    # given a PDF whose text would show in plaintext
    content = samples.pdf("Statement of Achieng Otieno")
    # when it is attached
    att = attach_to_case(users[Role.CASE_WORKER], case, content=content, name="Achieng passport.pdf")
    # then the bytes on disk are not the plaintext and contain none of it
    path = storage.path_of(att.storage_name)
    on_disk = path.read_bytes()
    assert on_disk != content
    assert b"Achieng" not in on_disk and b"%PDF" not in on_disk
    assert on_disk.startswith(b"CTIPF1.t1.")
    # under the private root, with a random name that says nothing of the file, readable by the owner only
    assert path.parent == settings.CTIP_PRIVATE_FILES / "attachments"
    assert len(att.storage_name) == 48 and "Achieng" not in att.storage_name
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert att.download_name.startswith("statement-") and att.download_name.endswith(".pdf")
    # and it opens again, for this attachment only
    assert storage.read(att.storage_name, att.public_id) == content
    assert att.content_type == "application/pdf" and att.size == len(content) and att.key_id == "t1"
    event = AuditEvent.objects.get(action="attachment.add", target_id=str(att.public_id))
    assert event.changes["case"] == case.reference and "Achieng" not in str(event.changes)


def test_a_file_does_not_open_as_another_attachment(users, case):
    one = attach_to_case(users[Role.CASE_WORKER], case)
    other = attach_to_case(users[Role.CASE_WORKER], case)
    from ctip.people.vault import VaultError

    with pytest.raises(VaultError):
        storage.read(one.storage_name, other.public_id)


def test_the_description_is_sealed(users, case):
    att = attach_to_case(users[Role.CASE_WORKER], case, description="Letter from Mr Kamau's employer")
    raw = Attachment.objects.filter(pk=att.pk).values_list("description", flat=True).get()
    assert "Kamau" not in str(raw.token if hasattr(raw, "token") else raw)


def test_a_refused_file_writes_nothing(users, case):
    before = set((settings.CTIP_PRIVATE_FILES / "attachments").glob("*"))
    with pytest.raises(ValidationFailed) as exc:
        attach_to_case(users[Role.CASE_WORKER], case, content=b"MZ\x90\x00 program", name="report.pdf")
    assert "file" in exc.value.fields
    assert not Attachment.objects.exists()
    assert set((settings.CTIP_PRIVATE_FILES / "attachments").glob("*")) == before


def test_too_big_is_refused(users, case, settings):
    settings.CTIP_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed) as exc:
        attach_to_case(users[Role.CASE_WORKER], case, content=samples.pdf("x" * 60) + b" " * 1000)
    assert "too big" in str(exc.value.fields["file"][0])
    assert not Attachment.objects.exists()


def test_a_passport_copy_goes_under_identity(users, case):
    with pytest.raises(ValidationFailed) as exc:
        attach_to_case(users[Role.CASE_WORKER], case, section="care", category="passport_copy")
    assert "section" in exc.value.fields
    att = attach_to_case(users[Role.CASE_WORKER], case, section="identity", category="passport_copy")
    assert att.section == "identity"


def test_other_agency_and_wrong_role_cannot_attach(users, other_users, case):
    with pytest.raises(NotFound):
        attach_to_case(other_users[Role.CASE_WORKER], case)
    with pytest.raises(PermissionDenied):
        attach_to_case(users[Role.DATA_ANALYST], case)
    with pytest.raises(PermissionDenied):  # sees every case nationally, edits only their agency's
        attach_to_case(other_users[Role.COORDINATOR], case)
    assert not Attachment.objects.exists()


def test_person_attachment_needs_the_owning_side(users, other_users):
    person = register_person(users[Role.CASE_WORKER], "Wanjiku", "Kamau")
    att = attach_to_person(users[Role.CASE_WORKER], person)
    assert att.person_id == person.pk and att.section == ""
    with pytest.raises(NotFound):
        attach_to_person(other_users[Role.CASE_WORKER], person)
    assert selectors.person_attachments_for_user(user=other_users[Role.CASE_WORKER], person=person) == []
    assert [a.pk for a in selectors.person_attachments_for_user(user=users[Role.INVESTIGATOR], person=person)] == [
        att.pk
    ]


def test_removal_by_uploader_or_supervisor_only(users, make_user, case):
    uploader = users[Role.CASE_WORKER]
    colleague = make_user(Role.CASE_WORKER, agency=uploader.agency)
    att = attach_to_case(uploader, case)
    # a colleague who did not upload it may not remove it
    with pytest.raises(PermissionDenied):
        services.attachment_remove(
            actor=colleague, attachment=att, reason="wrong case, uploaded by mistake", expected_version=1
        )
    # a short reason is refused
    with pytest.raises(ValidationFailed):
        services.attachment_remove(actor=uploader, attachment=att, reason="no", expected_version=1)
    # a stale form is refused
    with pytest.raises(Conflict):
        services.attachment_remove(
            actor=uploader, attachment=att, reason="wrong case, uploaded by mistake", expected_version=7
        )
    removed = services.attachment_remove(
        actor=uploader, attachment=att, reason="wrong case, uploaded by mistake", expected_version=1
    )
    assert removed.removed_at is not None and removed.removed_by == uploader
    assert AuditEvent.objects.filter(action="attachment.remove", target_id=str(att.public_id)).count() == 1
    # gone from lists and downloads, kept on disk
    with pytest.raises(NotFound):
        selectors.attachment_get_for_user(user=uploader, public_id=att.public_id)
    assert storage.path_of(att.storage_name).exists()
    # the coordinator (supervisor) removes a colleague's file
    second = attach_to_case(colleague, case)
    services.attachment_remove(
        actor=users[Role.COORDINATOR], attachment=second, reason="duplicate of an earlier scan", expected_version=1
    )


def test_rotation_reencrypts_the_files(users, case, settings):
    # given a file encrypted under the current key
    content = samples.image("PNG")
    att = attach_to_case(users[Role.CASE_WORKER], case, content=content, name="p.png", category="photo")
    removed = attach_to_case(users[Role.CASE_WORKER], case)
    services.attachment_remove(
        actor=users[Role.CASE_WORKER], attachment=removed, reason="uploaded by mistake", expected_version=1
    )
    before = storage.path_of(att.storage_name).read_bytes()
    old_keys = settings.CTIP_VAULT_KEYS
    try:
        # when a new key is put first and vault_rotate runs
        settings.CTIP_VAULT_KEYS = f"k9:{generate_key()},{old_keys}"
        _vault.cache_clear()
        out = StringIO()
        call_command("vault_rotate", "--dry-run", stdout=out)
        assert "attachments: 2 file(s) to re-encrypt" in out.getvalue()
        assert storage.path_of(att.storage_name).read_bytes() == before
        out = StringIO()
        call_command("vault_rotate", stdout=out)
        # then every file (the removed one too) is under the new key, and still opens
        assert "attachments: 2 file(s) re-encrypted" in out.getvalue()
        assert "0 value(s) still under an older key" in out.getvalue()
        after = storage.path_of(att.storage_name).read_bytes()
        assert after.startswith(b"CTIPF1.k9.") and after != before
        assert storage.path_of(removed.storage_name).read_bytes().startswith(b"CTIPF1.k9.")
        assert set(Attachment.objects.values_list("key_id", flat=True)) == {"k9"}
        # the old key can go: the file still opens with the new key alone
        settings.CTIP_VAULT_KEYS = settings.CTIP_VAULT_KEYS.split(",")[0]
        _vault.cache_clear()
        assert storage.read(att.storage_name, att.public_id) == content
    finally:
        settings.CTIP_VAULT_KEYS = old_keys
        _vault.cache_clear()
