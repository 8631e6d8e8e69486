"""Shelter beds (derived from accepted and in-progress shelter referrals; a full shelter cannot accept) and
overdue referrals (sent and unanswered past the response time)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.core.errors import Conflict
from ctip.referrals import selectors, services
from ctip.referrals.enums import ReferralError
from ctip.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cases(sender, make_person, case, consent):
    from ctip.cases.tests.factories import open_case

    from .conftest import give_consent

    others = []
    for name in ("Wanjiku", "Njeri"):
        other = open_case(sender, make_person, first_name=name)
        give_consent(sender, other)
        others.append(other)
    return [case, *others]


def _beds(user, shelter):
    return selectors.available_beds(selectors.provider_get_for_user(user=user, public_id=shelter.public_id))


def test_occupancy_counts_accepted_and_in_progress_shelter_referrals(
    send, drive, three_cases, shelter, sender, recipient
):
    # given a shelter with 2 beds
    assert _beds(sender, shelter) == 2
    a = drive(send(on_case=three_cases[0]), "accepted")
    assert _beds(sender, shelter) == 1
    drive(send(service="psychosocial", on_case=three_cases[0]), "in_progress")  # not a bed
    drive.do("start", a)
    assert _beds(sender, shelter) == 1
    b = drive(send(on_case=three_cases[1]), "accepted")
    assert _beds(sender, shelter) == 0
    assert services.shelter_occupancy(shelter) == 2
    # when a third shelter referral is accepted, then it is refused clearly and nothing changes
    c = send(on_case=three_cases[2])
    with pytest.raises(Conflict) as err:
        services.referral_accept(actor=recipient, referral=c)
    assert err.value.code == ReferralError.SHELTER_FULL and "full" in err.value.message
    c.refresh_from_db()
    assert c.status == "sent"
    # a completed stay frees the bed
    drive.do("complete", drive.do("start", b))
    assert _beds(sender, shelter) == 1
    assert drive.do("accept", c).status == "accepted"


def test_full_shelter_may_still_decline(send, drive, three_cases, recipient, shelter):
    drive(send(on_case=three_cases[0]), "accepted")
    drive(send(on_case=three_cases[1]), "accepted")
    c = send(on_case=three_cases[2])
    assert services.referral_decline(actor=recipient, referral=c, reason="Full").status == "declined"


def test_directory_filter_for_free_beds(send, drive, three_cases, shelter, sender):
    listed = lambda: list(  # noqa: E731
        selectors.provider_list_for_user(user=sender, filters=selectors.ProviderFilters(beds_free=True))
    )
    assert shelter in listed()
    drive(send(on_case=three_cases[0]), "accepted")
    drive(send(on_case=three_cases[1]), "accepted")
    assert shelter not in listed()


def _make_overdue(referral, hours=1):
    Referral.objects.filter(pk=referral.pk).update(
        response_due_at=timezone.now() - timedelta(hours=hours), sent_at=timezone.now() - timedelta(days=2)
    )
    referral.refresh_from_db()
    return referral


def test_overdue_is_sent_and_unanswered_past_the_due_time(send, drive, sender, recipient, other_users):
    late = _make_overdue(send(service="shelter"))
    on_time = send(service="psychosocial")
    assert late.is_overdue and not on_time.is_overdue
    for user in (sender, recipient):
        assert list(selectors.referrals_overdue(user=user)) == [late]
    assert list(selectors.referrals_overdue(user=other_users["case_worker"])) == []
    # once answered it is no longer overdue
    drive(late, "accepted")
    assert list(selectors.referrals_overdue(user=sender)) == []


def test_inbox_lists_overdue_first_and_flags_them(send, recipient, client_for):
    late = _make_overdue(send(service="shelter"))
    newer = send(service="psychosocial")
    rows = list(selectors.referral_list_for_user(user=recipient, box=selectors.INBOX))
    assert rows == [late, newer]
    html = client_for(recipient).get("/referrals/inbox/").content.decode()
    assert html.index(late.reference) < html.index(newer.reference)
    assert "overdue" in html.split(late.reference, 1)[1].split("</td>", 1)[0]
