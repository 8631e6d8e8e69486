"""Each step notifies the other side's officers, after commit, with a text that says nothing about the person."""

import pytest

from ctip.accounts.enums import Role
from ctip.notifications.messages import render
from ctip.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_sending_notifies_the_providers_responders(
    send, shelter_users, users, other_users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send()
    assert _recipients("referral.received") == {u.username for u in shelter_users.values()}
    note = Notification.objects.filter(kind="referral.received").first()
    assert note.url == f"/referrals/{referral.public_id}/"
    text = render(note.kind, note.params)
    assert referral.reference in text and "Shelter" in text
    assert "Achieng" not in text and "Otieno" not in text and "Achieng" not in str(note.params)


def test_nothing_is_notified_when_the_transaction_rolls_back(send, django_capture_on_commit_callbacks):
    callbacks_before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send()
    assert callbacks and Notification.objects.count() == callbacks_before  # only queued, not written


@pytest.mark.parametrize(
    ("final", "kinds"),
    [
        ("accepted", ["referral.accepted"]),
        ("declined", ["referral.declined"]),
        ("in_progress", ["referral.accepted", "referral.in_progress"]),
        ("completed", ["referral.accepted", "referral.in_progress", "referral.completed"]),
    ],
)
def test_provider_answers_notify_the_senders(
    send, drive, users, shelter_users, django_capture_on_commit_callbacks, final, kinds
):
    referral = send()
    with django_capture_on_commit_callbacks(execute=True):
        drive(referral, final)
    senders = {u.username for role, u in users.items() if u.can("referral.send")}
    for kind in kinds:
        got = _recipients(kind)
        assert got == senders, kind
        assert not got & {u.username for u in shelter_users.values()}
        text = render(kind, Notification.objects.filter(kind=kind).first().params)
        assert referral.reference in text and str(referral.provider.agency) in text


def test_revocation_notifies_the_provider(send, drive, shelter_users, django_capture_on_commit_callbacks):
    referral = send()
    with django_capture_on_commit_callbacks(execute=True):
        drive(referral, "revoked")
    assert _recipients("referral.revoked") == {u.username for u in shelter_users.values()}
    assert Notification.objects.filter(kind="referral.revoked", user__role=Role.DATA_ANALYST).count() == 0
