"""Sending referrals: the share it creates, the consent gate, who may send, and what is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.models import RecordShare
from ctip.audit.models import AuditEvent
from ctip.cases.models import TimelineEntry
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ctip.people.sealed import stored_token
from ctip.people.vault import get_vault
from ctip.referrals import services
from ctip.referrals.enums import RESPONSE_TIMES, ReferralError, ReferralStatus
from ctip.referrals.models import Referral

from .conftest import PERSON_NOTE, give_consent

pytestmark = pytest.mark.django_db


def test_send_creates_referral_share_audit_and_timeline(send, case, shelter, sender):
    # given a case with consent to sharing
    before = timezone.now()
    # when the case worker refers it for shelter sharing the care section
    referral = send(service="shelter", sections=["care"])
    # then
    assert referral.status == ReferralStatus.SENT
    assert referral.reference.startswith("RF-")
    assert referral.sender_agency_id == case.owning_agency_id
    assert referral.sections == ["care"] and referral.consent_override is False
    assert before + RESPONSE_TIMES["shelter"] <= referral.response_due_at <= timezone.now() + RESPONSE_TIMES["shelter"]
    share = referral.share
    assert share.target_type == "cases.case" and share.target_id == case.public_id
    assert share.agency_id == shelter.agency_id and share.sections == ["care"] and share.revoked_at is None
    # the notes are sealed, not stored in clear
    token = stored_token(referral, "notes")
    assert PERSON_NOTE not in token and token.startswith(get_vault().seal("x", context="c")[:3])
    assert referral.notes == PERSON_NOTE
    event = AuditEvent.objects.get(action="referral.send", target_id=str(referral.public_id))
    assert event.changes["sections"] == ["care"] and PERSON_NOTE not in str(event.changes)
    assert AuditEvent.objects.filter(action="share.grant", target_id=str(case.public_id)).count() == 1
    entry = TimelineEntry.objects.get(case=case, kind="referral.sent")
    assert entry.section == "care" and entry.params["provider"] == str(shelter.agency)


def test_identity_is_shared_only_when_chosen(send):
    assert "identity" not in send(sections=["care"]).sections
    referral = send(service="psychosocial", sections=["identity", "care"])
    assert referral.sections == ["identity", "care"]


def test_response_due_depends_on_the_service(send):
    shelter_ref = send(service="shelter")
    psycho = send(service="psychosocial")
    assert psycho.response_due_at - psycho.sent_at == timedelta(hours=72)
    assert shelter_ref.response_due_at - shelter_ref.sent_at == timedelta(hours=24)


def test_without_consent_a_role_without_override_is_refused_and_nothing_changes(
    users, case, shelter, make_user, agency
):
    # given a case without any consent, and an investigator of the owning agency (no CONSENT_OVERRIDE)
    investigator = users[Role.INVESTIGATOR]
    assert not investigator.can("consent.override")
    shares = RecordShare.objects.count()
    # when / then
    with pytest.raises(PermissionDenied) as err:
        services.referral_send(
            actor=investigator, case=case, provider=shelter, service_type="shelter", sections=["care"]
        )
    assert err.value.code == ReferralError.CONSENT_REQUIRED
    assert Referral.objects.count() == 0 and RecordShare.objects.count() == shares


def test_consent_refusing_sharing_blocks_like_no_consent(sender, users, case, shelter):
    give_consent(sender, case, sharing=False)
    with pytest.raises(PermissionDenied):
        services.referral_send(
            actor=users[Role.INVESTIGATOR], case=case, provider=shelter, service_type="shelter", sections=["care"]
        )


def test_override_needs_a_reason(sender, case, shelter):
    with pytest.raises(ValidationFailed) as err:
        services.referral_send(
            actor=sender, case=case, provider=shelter, service_type="shelter", sections=["care"], override_reason="x"
        )
    assert "override_reason" in err.value.fields
    assert Referral.objects.count() == 0


def test_override_with_reason_is_audited_and_on_the_timeline(sender, case, shelter):
    reason = "Child at immediate risk tonight, consent cannot be obtained"
    referral = services.referral_send(
        actor=sender, case=case, provider=shelter, service_type="shelter", sections=["care"], override_reason=reason
    )
    assert referral.consent_override is True
    event = AuditEvent.objects.get(action="consent.override", target_id=str(case.public_id))
    assert event.reason == reason and event.actor_id == sender.pk
    assert event.changes["referral"] == referral.reference
    entry = TimelineEntry.objects.get(case=case, kind="case.consent_override")
    assert entry.params == {"user": sender.username} and entry.section == "consent"


def test_only_the_owning_agency_may_send(other_users, case, shelter, consent):
    with pytest.raises(NotFound):  # another agency does not even see the case
        services.referral_send(
            actor=other_users[Role.CASE_WORKER], case=case, provider=shelter, service_type="shelter", sections=[]
        )
    assert Referral.objects.count() == 0


def test_roles_without_referral_send_are_refused(users, case, shelter, consent):
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SERVICE_PROVIDER, Role.HOTLINE_OPERATOR):
        with pytest.raises(PermissionDenied):
            services.referral_send(
                actor=users[role], case=case, provider=shelter, service_type="shelter", sections=["care"]
            )
    assert Referral.objects.count() == 0


def test_provider_must_offer_the_service(send):
    with pytest.raises(ValidationFailed) as err:
        send(service="legal_aid")
    assert "provider" in err.value.fields


def test_unknown_section_is_refused(send):
    with pytest.raises(ValidationFailed) as err:
        send(sections=["care", "everything"])
    assert "sections" in err.value.fields


def test_a_second_open_referral_for_the_same_need_is_refused(send, drive):
    first = send()
    with pytest.raises(Conflict) as err:
        send()
    assert err.value.code == ReferralError.ALREADY_REFERRED
    drive(first, "declined")
    assert send().status == ReferralStatus.SENT  # once the first is closed, a new one may go


def test_cannot_refer_to_ones_own_agency(users, sender, case, consent, agency):
    own = services.provider_create(
        actor=users[Role.COORDINATOR], agency=agency, services=["psychosocial"], national=True
    )
    with pytest.raises(ValidationFailed) as err:
        services.referral_send(actor=sender, case=case, provider=own, service_type="psychosocial", sections=[])
    assert "provider" in err.value.fields


def test_inactive_provider_is_refused(users, send, shelter):
    services.provider_update(actor=users[Role.COORDINATOR], provider=shelter, expected_version=1, is_active=False)
    with pytest.raises(ValidationFailed):
        send()


def test_references_are_sequential(send):
    a = send(service="shelter")
    b = send(service="psychosocial")
    assert int(b.reference[-6:]) == int(a.reference[-6:]) + 1


def test_provider_must_take_the_persons_age_group(users, sender, case, consent, system_actor):
    from ctip.accounts.services import agency_create

    children_only = agency_create(actor=system_actor, name="Children Home", short_name="KIDS", agency_type="ngo")
    provider = services.provider_create(
        actor=users[Role.COORDINATOR],
        agency=children_only,
        services=["psychosocial"],
        national=True,
        accepts_adults=False,
    )
    assert not case.is_child
    with pytest.raises(ValidationFailed) as err:
        services.referral_send(actor=sender, case=case, provider=provider, service_type="psychosocial", sections=[])
    assert "provider" in err.value.fields and Referral.objects.count() == 0
