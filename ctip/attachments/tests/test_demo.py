"""The demo's attachments: a few small generated files, through the real services, once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ctip.accounts.enums import Role
from ctip.attachments import storage
from ctip.attachments.demo import add_demo_attachments
from ctip.attachments.models import Attachment
from ctip.cases.tests.factories import open_case
from ctip.core.tests.world import register_person

pytestmark = pytest.mark.django_db


def test_demo_adds_a_few_small_files_once(users, make_user):
    worker = make_user(Role.CASE_WORKER, agency=users[Role.CASE_WORKER].agency, username="demo.caseworker")
    open_case(worker, register_person)
    result = SimpleNamespace(extra={})
    add_demo_attachments(seed=1, result=result, actor=None)
    files = list(Attachment.objects.all())
    assert result.extra["attachments"] == len(files) == 5  # four on the case, one on its person
    assert {a.content_type for a in files} == {"application/pdf", "image/png", "image/jpeg", docx_type()}
    assert all(a.size < 20_000 for a in files)
    assert all(storage.read(a.storage_name, a.public_id) for a in files)
    add_demo_attachments(seed=1, result=result, actor=None)
    assert Attachment.objects.count() == 5


def docx_type():
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
