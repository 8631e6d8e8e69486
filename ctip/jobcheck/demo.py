"""Demo data for the job-offer check: counts of checks by level over the last 60 days (the rule-set page shows
them) and a draft version 2 that adds phrases, ready for an officer to edit, send for review and have published.
Deterministic for a seed. Registered in ctip.demo.generator.EXTENSIONS: `add_demo_checks(seed=, result=, actor=)`."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .enums import Channel, Level, RuleSetStatus
from .models import CheckTally, RuleSet

DAYS = 60
DRAFT_NOTE = "Demo: add phrases seen in 2026 adverts (Sheng)"
DRAFT_ADDITION = '"form ni safi", "visa iko ready", "tuma kitu kidogo", '


def add_demo_checks(*, seed: int, result, actor, progress=None) -> None:
    if CheckTally.objects.exists():
        return
    published = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).first()
    if published is None:
        return
    rng = random.Random(f"{seed}:jobcheck")
    today = timezone.localdate()
    per_day = max(5, result.persons // 200)
    rows = []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        for channel, share in ((Channel.PAGE, 0.7), (Channel.API, 0.2), (Channel.OFFICER, 0.1)):
            for level, weight in ((Level.HIGH, 0.45), (Level.MEDIUM, 0.35), (Level.LOW, 0.2)):
                n = int(per_day * share * weight * rng.uniform(0.5, 1.5))
                if n:
                    rows.append(
                        CheckTally(day=day, rule_set_number=published.number, channel=channel, level=level, count=n)
                    )
    CheckTally.objects.bulk_create(rows)
    if not RuleSet.objects.filter(status=RuleSetStatus.DRAFT).exists():
        text = published.source_text.replace(
            'phrases: ["pay for visa", ', f'phrases: [{DRAFT_ADDITION}"pay for visa", '
        )
        doc = {**published.document}
        doc["rules"] = [
            {**r, "phrases": ["form ni safi", "visa iko ready", "tuma kitu kidogo", *r["phrases"]]}
            if r["id"] == "text_pay_upfront"
            else r
            for r in published.document["rules"]
        ]
        number = (RuleSet.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        RuleSet.objects.create(
            number=number,
            status=RuleSetStatus.DRAFT,
            source_text=text,
            document=doc,
            note=DRAFT_NOTE,
            based_on=published,
        )
