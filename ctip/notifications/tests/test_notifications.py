"""In-app notifications: each user sees and marks only their own; e-mail only when configured, after commit,
and without any case detail."""

import pytest
from django.core import mail

from ctip.accounts.enums import Role
from ctip.notifications import messages as registry
from ctip.notifications.models import Notification
from ctip.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kind():
    registry.register("test.kind", "Referral %(reference)s needs an answer")
    yield "test.kind"
    registry.MESSAGES.pop("test.kind", None)


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read/").status_code == 302


def test_inbox_shows_only_own_notifications_rendered(users, other_users, client_for):
    notify(users=[users[Role.CASE_WORKER]], kind="test.kind", params={"reference": "R-1"}, url="/cases/")
    notify(users=[other_users[Role.CASE_WORKER]], kind="test.kind", params={"reference": "R-2"})
    c = client_for(users[Role.CASE_WORKER])
    body = c.get("/notifications/").content.decode()
    assert "Referral R-1 needs an answer" in body and "R-2" not in body
    home = c.get("/").content.decode()
    assert 'aria-label="unread"' in home


def test_mark_read_only_touches_own(users, other_users, client_for):
    mine = notify(users=[users[Role.CASE_WORKER]], kind="test.kind", params={"reference": "R-1"})[0]
    theirs = notify(users=[other_users[Role.CASE_WORKER]], kind="test.kind", params={"reference": "R-2"})[0]
    c = client_for(users[Role.CASE_WORKER])
    response = c.post("/notifications/read/", {"id": [mine.pk, theirs.pk], "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_inactive_users_are_skipped_and_duplicates_collapsed(users):
    user = users[Role.CASE_WORKER]
    created = notify(users=[user, user, None], kind="test.kind", params={"reference": "X"})
    assert len(created) == 1
    user.is_active = False
    user.save()
    assert notify(users=[user], kind="test.kind") == []


def test_email_only_when_configured_and_without_details(users, settings, django_capture_on_commit_callbacks):
    user = users[Role.CASE_WORKER]
    user.email = "officer@example.go.ke"
    user.save()
    settings.CTIP_NOTIFY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind="test.kind", params={"reference": "R-9"})
    assert mail.outbox == []
    settings.CTIP_NOTIFY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind="test.kind", params={"reference": "R-9"})
    assert len(mail.outbox) == 1
    assert "R-9" not in mail.outbox[0].body and "R-9" not in mail.outbox[0].subject
    assert Notification.objects.filter(user=user, emailed_at__isnull=False).count() == 1
