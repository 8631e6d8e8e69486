"""What the recipient agency sees: exactly the shared sections of the referred case, nothing of other cases, and
nothing once the referral is declined or revoked (or 30 days after completion)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.models import RecordShare
from ctip.cases import selectors as case_selectors
from ctip.cases.tests.factories import open_case
from ctip.core.errors import NotFound

from .conftest import give_consent

pytestmark = pytest.mark.django_db


def test_recipient_sees_exactly_the_shared_sections(send, case, recipient):
    # given a referral sharing care and status only
    send(service="shelter", sections=["care", "status"])
    # when the provider's officer opens the case
    found, access = case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)
    # then
    assert found.pk == case.pk and access.via == "share"
    assert case_selectors.visible_sections(access) == {"care", "status"}


def test_recipient_case_page_hides_unshared_sections(send, case, recipient, client_for):
    send(service="shelter", sections=["care"])
    page = client_for(recipient).get(f"/cases/{case.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="circ-h"' not in html  # circumstances not shared
    assert "Achieng" not in html and "Otieno" not in html  # identity not shared
    assert "Identity restricted" in html


def test_identity_is_visible_only_when_shared(send, case, recipient, client_for):
    send(service="psychosocial", sections=["identity", "care"])
    html = client_for(recipient).get(f"/cases/{case.public_id}/").content.decode()
    assert "Achieng" in html


def test_recipient_timeline_has_only_case_level_and_shared_section_entries(send, case, recipient, sender):
    send(sections=["care"])
    found, access = case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)
    entries = case_selectors.timeline_for_user(user=recipient, case=found, access=access)
    assert entries and all(e["section"] in ("", "care") for e in entries)
    assert "case.consent" not in {e["kind"] for e in entries}  # the consent section was not shared
    assert "referral.sent" in {e["kind"] for e in entries}


def test_other_cases_of_the_sender_stay_hidden(send, sender, make_person, recipient, client_for):
    send()
    other = open_case(sender, make_person, first_name="Wanjiku", last_name="Kamau")
    with pytest.raises(NotFound):
        case_selectors.case_get_for_user(user=recipient, public_id=other.public_id)
    assert client_for(recipient).get(f"/cases/{other.public_id}/").status_code == 404
    listed = set(case_selectors.case_list_for_user(user=recipient).values_list("pk", flat=True))
    assert other.pk not in listed


def test_other_agencies_see_nothing(send, case, other_users, client_for):
    send()
    with pytest.raises(NotFound):
        case_selectors.case_get_for_user(user=other_users[Role.SERVICE_PROVIDER], public_id=case.public_id)


@pytest.mark.parametrize("final", ["revoked", "declined"])
def test_revocation_and_decline_remove_access(send, drive, case, recipient, client_for, final):
    referral = send()
    c = client_for(recipient)
    assert c.get(f"/cases/{case.public_id}/").status_code == 200
    drive(referral, final)
    with pytest.raises(NotFound):
        case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)
    assert c.get(f"/cases/{case.public_id}/").status_code == 404
    # the referral itself stays visible to the provider, without a link to the case
    page = c.get(f"/referrals/{referral.public_id}/")
    assert page.status_code == 200 and f"/cases/{case.public_id}/" not in page.content.decode()


def test_completed_referral_keeps_access_until_the_share_expires(send, drive, case, recipient):
    referral = drive(send(), "completed")
    case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)  # still readable
    RecordShare.objects.filter(pk=referral.share_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)


def test_one_share_per_referral_and_revoking_one_keeps_the_other(send, drive, case, recipient):
    shelter_ref = send(service="shelter", sections=["care"])
    psycho = send(service="psychosocial", sections=["care", "status"])
    drive(psycho, "revoked")
    _case, access = case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)
    assert set(access.sections) == {"care"}
    drive(shelter_ref, "revoked")
    with pytest.raises(NotFound):
        case_selectors.case_get_for_user(user=recipient, public_id=case.public_id)


def test_consent_withdrawn_blocks_new_referrals(send, sender, case, users, shelter):
    from ctip.core.errors import PermissionDenied
    from ctip.referrals import services

    give_consent(sender, case, sharing=False)
    with pytest.raises(PermissionDenied):
        services.referral_send(
            actor=users[Role.INVESTIGATOR], case=case, provider=shelter, service_type="shelter", sections=[]
        )
