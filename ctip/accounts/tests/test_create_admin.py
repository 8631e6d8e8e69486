from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ctip.accounts.models import User
from ctip.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_admin_from_the_command_line(monkeypatch):
    monkeypatch.setenv("CTIP_ADMIN_PASSWORD", "Mlima-Kenya-Juu-2026")
    out = StringIO()
    call_command("create_admin", "--username", "admin.wanjiru", "--no-input", stdout=out)
    user = User.objects.get(username="admin.wanjiru")
    assert user.role == "sysadmin" and user.agency is None and user.check_password("Mlima-Kenya-Juu-2026")
    assert user.mfa_required
    event = AuditEvent.objects.get(action="user.create", target_id=str(user.public_id))
    assert event.actor is None and event.actor_label == "create_admin"


def test_create_admin_refuses_weak_passwords_and_duplicates(monkeypatch):
    monkeypatch.setenv("CTIP_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="password"):
        call_command("create_admin", "--username", "admin.x", "--no-input")
    assert not User.objects.filter(username="admin.x").exists()
    monkeypatch.setenv("CTIP_ADMIN_PASSWORD", "Mlima-Kenya-Juu-2026")
    call_command("create_admin", "--username", "admin.x", "--no-input", stdout=StringIO())
    with pytest.raises(CommandError, match="taken"):
        call_command("create_admin", "--username", "ADMIN.X", "--no-input")
