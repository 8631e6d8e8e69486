"""The referral state machine: every allowed move works, every other move is refused with InvalidTransition
and changes nothing; the database refuses impossible rows by itself (check constraints)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.models import TimelineEntry
from ctip.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.people.sealed import Ciphertext, stored_token
from ctip.referrals import services
from ctip.referrals.enums import COMPLETED_ACCESS_DAYS, REFERRAL_TRANSITIONS, ReferralStatus
from ctip.referrals.models import Referral

pytestmark = pytest.mark.django_db

STATUSES = list(ReferralStatus.values)
MOVES = {
    "accept": "accepted",
    "decline": "declined",
    "start": "in_progress",
    "complete": "completed",
    "revoke": "revoked",
}


def test_the_table_matches_the_design():
    assert {
        "sent": {"accepted", "declined", "revoked"},
        "accepted": {"in_progress", "revoked"},
        "in_progress": {"completed", "revoked"},
        "declined": set(),
        "completed": set(),
        "revoked": set(),
    } == REFERRAL_TRANSITIONS


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("move", list(MOVES))
def test_every_move_from_every_status(send, drive, start, move):
    # given a referral in `start`
    referral = drive(send(), start)
    version = referral.version
    target = MOVES[move]
    allowed = target in REFERRAL_TRANSITIONS[start]
    # when
    if allowed:
        moved = drive.do(move, referral)
        # then
        assert moved.status == target and moved.version == version + 1
        assert AuditEvent.objects.filter(action=f"referral.{move}", target_id=str(referral.public_id)).exists()
        kind = {"accept": "accepted", "decline": "declined", "start": "in_progress"}.get(move, f"{move}d")
        assert TimelineEntry.objects.filter(case=referral.case, kind=f"referral.{kind}").exists()
    else:
        with pytest.raises(InvalidTransition):
            drive.do(move, referral)
        referral.refresh_from_db()
        assert referral.status == start and referral.version == version


def test_decline_and_revoke_need_a_reason(send, sender, recipient):
    referral = send()
    with pytest.raises(ValidationFailed):
        services.referral_decline(actor=recipient, referral=referral, reason="  ")
    with pytest.raises(ValidationFailed):
        services.referral_revoke(actor=sender, referral=referral, reason="")
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.share.revoked_at is None


def test_reasons_are_sealed(send, drive):
    declined = drive(send(), "declined")
    assert "female" in declined.decline_reason and "female" not in stored_token(declined, "decline_reason")
    revoked = drive(send(service="psychosocial"), "revoked")
    assert "family" in revoked.revoke_reason and "family" not in stored_token(revoked, "revoke_reason")


def test_recipient_moves_are_for_the_provider_agency_only(send, sender, users, other_users, shelter_users):
    referral = send()
    for actor, error in (
        (sender, PermissionDenied),  # sees the referral (the sending side), may not answer it
        (users[Role.COORDINATOR], PermissionDenied),  # reads every referral nationally
        (other_users[Role.SERVICE_PROVIDER], NotFound),  # neither side: the referral is not visible
        (users[Role.SERVICE_PROVIDER], NotFound),
    ):
        with pytest.raises(error) as exc:
            services.referral_accept(actor=actor, referral=referral)
        assert type(exc.value) is error
    # the provider's case worker may respond as well as its service-provider officer
    assert services.referral_accept(actor=shelter_users[Role.CASE_WORKER], referral=referral).status == "accepted"


def test_revoke_is_for_the_sending_agency_only(send, recipient, other_users, users):
    referral = send()
    for actor, error in (
        (recipient, PermissionDenied),  # the role has no referral.send
        (other_users[Role.CASE_WORKER], NotFound),  # neither side: the referral is not visible
        (users[Role.DATA_ANALYST], PermissionDenied),
    ):
        with pytest.raises(error) as exc:
            services.referral_revoke(actor=actor, referral=referral, reason="because")
        assert type(exc.value) is error
    referral.refresh_from_db()
    assert referral.status == "sent"
    # any officer of the sending agency who may send referrals may revoke (not only the one who sent it)
    revoked = services.referral_revoke(actor=users[Role.INVESTIGATOR], referral=referral, reason="Case moved")
    assert revoked.status == "revoked"


def test_stale_version_is_a_conflict(send, recipient):
    from ctip.core.errors import Conflict

    referral = send()
    with pytest.raises(Conflict):
        services.referral_accept(actor=recipient, referral=referral, expected_version=referral.version + 1)


def test_completion_keeps_read_access_for_a_while(send, drive):
    referral = drive(send(), "completed")
    share = referral.share
    share.refresh_from_db()
    assert share.revoked_at is None
    expected = timezone.now() + timedelta(days=COMPLETED_ACCESS_DAYS)
    assert abs((share.expires_at - expected).total_seconds()) < 60
    assert AuditEvent.objects.filter(action="share.expire_set", target_id=str(referral.case.public_id)).exists()


@pytest.mark.parametrize("final", ["declined", "revoked"])
def test_decline_and_revoke_end_the_share(send, drive, final):
    referral = drive(send(), final)
    referral.share.refresh_from_db()
    assert referral.share.revoked_at is not None
    assert AuditEvent.objects.filter(action="share.revoke", target_id=str(referral.case.public_id)).exists()


# --- hypothesis: any sequence of moves keeps the referral consistent with the table -----------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.sampled_from(list(MOVES)), min_size=1, max_size=6))
def test_random_sequences_follow_the_table(send, drive, moves):
    with transaction.atomic():
        referral = send()
        expected = "sent"
        for move in moves:
            target = MOVES[move]
            if target in REFERRAL_TRANSITIONS[expected]:
                referral = drive.do(move, referral)
                expected = target
            else:
                with pytest.raises(InvalidTransition):
                    drive.do(move, referral)
            referral.refresh_from_db()
            assert referral.status == expected
            assert (referral.share.revoked_at is None) == (expected not in ("declined", "revoked"))
        transaction.set_rollback(True)


# --- the database's own guard ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "lost"},
        {"service_type": "spa"},
        {"status": "declined", "responded_at": None},
        {"status": "declined", "decline_reason": ""},
        {"status": "revoked", "revoke_reason": ""},
        {"status": "completed", "completed_at": None},
        {"status": "in_progress", "started_at": None},
    ],
)
def test_check_constraints(send, changes):
    referral = send()
    now = timezone.now()
    base = {
        "responded_at": now,
        "decline_reason": Ciphertext("x"),  # a sealed column takes no plaintext from an UPDATE
        "revoked_at": now,
        "revoke_reason": Ciphertext("x"),
        "completed_at": now,
        "started_at": now,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(**{**base, **changes})
