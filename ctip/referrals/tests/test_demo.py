"""Demo referrals: directory entries for the demo's providers and referrals in every status, consistent with
the rules (shares, beds, reasons), some through the real services; running again adds no duplicates."""

import pytest

from ctip.accounts.models import RecordShare
from ctip.audit.models import AuditEvent
from ctip.cases.models import Case
from ctip.demo.generator import DemoCounts, DemoResult, generate
from ctip.referrals.demo import PROVIDERS, add_demo_referrals
from ctip.referrals.enums import ReferralStatus
from ctip.referrals.models import Referral, ServiceProvider
from ctip.referrals.services import shelter_occupancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    result = generate(DemoCounts(persons=400), seed=5)
    from ctip.accounts.models import User

    return result, User.objects.get(username="demo.admin")


def test_demo_referrals(demo):
    # The demo generator runs add_demo_referrals after the cases (ctip.demo.generator.EXTENSIONS).
    result, admin = demo
    # the directory
    assert ServiceProvider.objects.count() == len(PROVIDERS)
    assert result.extra["providers"] == len(PROVIDERS)
    rescue = ServiceProvider.objects.get(agency__name="Rescue Dada Centre")
    assert rescue.shelter_capacity == 40 and not rescue.accepts_adults
    # referrals: about one case in five, several statuses, some through the real services
    cases = Case.objects.count()
    referrals = Referral.objects.count()
    assert result.extra["referrals"] == referrals
    assert 0.05 * cases <= referrals <= 0.25 * cases
    assert len(set(Referral.objects.values_list("status", flat=True))) >= 4
    assert AuditEvent.objects.filter(action="referral.send").exists()
    # consistency with the rules
    assert RecordShare.objects.filter(target_type="cases.case").count() == referrals
    for r in Referral.objects.select_related("share", "provider"):
        assert r.share.agency_id == r.provider.agency_id and r.share.sections == r.sections
        assert r.provider.agency_id != r.sender_agency_id
        assert (r.share.revoked_at is not None) == (r.status in (ReferralStatus.DECLINED, ReferralStatus.REVOKED))
        assert "identity" not in r.sections or r.service_type in ("repatriation", "family_tracing")
    for p in ServiceProvider.objects.all():
        assert shelter_occupancy(p) <= p.shelter_capacity
    references = list(Referral.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    # again: no duplicate providers, no second referral for the already referred cases
    again = DemoResult()
    add_demo_referrals(seed=5, result=again, actor=admin)
    assert again.extra["providers"] == 0
    assert Referral.objects.values("case").distinct().count() == Referral.objects.count()
