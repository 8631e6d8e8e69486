"""Referral performance on known data: sent, accepted, declined, completed and the median days to acceptance, by
service; the median shown only over 11 referrals or more."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.stats.filters import Filters
from ctip.stats.selectors import referral_figures
from ctip.stats.tables import publish

from .conftest import open_victim

pytestmark = pytest.mark.django_db


def test_referrals_by_service_on_known_data(users, provider, analyst):
    from ctip.referrals.models import Referral

    worker = users[Role.CASE_WORKER]
    case = open_victim(worker)
    sent = timezone.make_aware(datetime(2025, 3, 3, 10, 0))
    rows = []
    # 13 shelter referrals accepted after 1..13 days (median 7), 2 of them completed; 1 declined; 1 still waiting
    for k in range(13):
        rows.append(
            Referral(
                reference=f"RF-T-{k}",
                case=case,
                provider=provider,
                sender_agency_id=case.owning_agency_id,
                service_type="shelter",
                status="completed" if k < 2 else "accepted",
                sent_at=sent,
                sent_by=worker,
                response_due_at=sent,
                responded_at=sent + timedelta(days=k + 1),
                started_at=sent + timedelta(days=20) if k < 2 else None,
                completed_at=sent + timedelta(days=30) if k < 2 else None,
            )
        )
    rows.append(
        Referral(
            reference="RF-T-D",
            case=case,
            provider=provider,
            sender_agency_id=case.owning_agency_id,
            service_type="shelter",
            status="declined",
            sent_at=sent,
            sent_by=worker,
            response_due_at=sent,
            responded_at=sent + timedelta(days=2),
            decline_reason="No bed free",
        )
    )
    rows.append(
        Referral(
            reference="RF-T-W",
            case=case,
            provider=provider,
            sender_agency_id=case.owning_agency_id,
            service_type="psychosocial",
            sent_at=sent,
            sent_by=worker,
            response_due_at=sent,
        )
    )
    Referral.objects.bulk_create(rows)

    by_service, by_county = referral_figures(user=analyst, filters=Filters())
    exact = {key: counts for (key, _label), counts in zip(by_service.rows, by_service.counts, strict=True)}
    assert exact["shelter"] == [14, 13, 1, 2, 7]  # sent, accepted, declined, completed, median days
    assert exact["psychosocial"] == [1, 0, 0, 0, None]
    assert by_county.counts[0][:4] == [15, 13, 1, 2]

    published = {r.key: [c.value for c in r.cells] for r in publish(by_service).rows}
    # 14 and 13 rounded; declined 1, completed 2 and every psychosocial cell hidden (and the shelter counts that
    # would reveal them beside the totals); the median over 13 acceptances shown
    assert published["shelter"][4] == 7
    assert published["psychosocial"] == [None, None, None, None, None]
    assert published["shelter"][0] is None  # 15 - 14 would give the 1 psychosocial referral
    assert publish(by_service).totals[0].value == 20  # 15 rounded

    filtered = referral_figures(user=analyst, filters=Filters(date_from=sent.date() + timedelta(days=1)))
    assert filtered[0].rows == []
